import { matchBrackets, tokenize, type Token } from './tokens';

/** A storage buffer the user's kernel binds, as reflected from its declaration. */
export interface StorageVar {
  name: string;
  binding: number;
  /** Bytes one element of the array occupies (its stride): what one indexed access moves. */
  elemBytes: number;
  /** Fixed element count, or 0 for a runtime-sized array (checked against arrayLength). */
  count: number;
}

export interface InstrumentOptions {
  entry: string;
  storage: StorageVar[];
  /** Count bytes and check indices (the checking run); false leaves only the loop guards (the timed run). */
  countTraffic: boolean;
  /** Loop iterations one invocation may run in total before its loops are cut short. */
  loopLimit: number;
  /** Iterations of one loop that contains a barrier (guarded per workgroup, see below). */
  barrierLoopLimit: number;
}

/** Slots of the status buffer the rewritten kernel writes at @group(1) @binding(0). */
export const STATUS = {
  bytesRead: 0,
  bytesWritten: 1,
  guardTrips: 2,
  oobCount: 3,
  oobBinding: 4,
  oobIndex: 5,
  oobLength: 6,
} as const;
/** OOB reports for workgroup arrays carry this plus the array's position among them, in place of a binding. */
export const WORKGROUP_TAG = 0x8000;
export const STATUS_WORDS = 8;
export const STATUS_GROUP = 1;

const BARRIERS = new Set(['workgroupBarrier', 'storageBarrier', 'textureBarrier', 'workgroupUniformLoad']);
const COMPOUND = new Set(['+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=', '++', '--']);

interface Fn {
  name: string;
  open: number;
  close: number;
}

interface Edit {
  at: number;
  text: string;
}

/**
 * Rewrites a kernel so that running it tells us what it did:
 * - every indexed load or store of a storage buffer goes through a helper that adds the element's
 *   bytes to per-invocation counters (flushed with one atomic add at each return of the entry
 *   point, as the labs' instrumented kernels do) and flags indices past the buffer's end;
 * - every loop gets an iteration guard, so a kernel that never ends is cut short and reported
 *   instead of hanging the GPU.
 * Text is only inserted, never removed or reflowed, and nothing adds a line break inside user
 * code, so compiler messages about the rewrite still point at the user's lines. The helpers go at
 * the end of the module (WGSL lets module-scope declarations come after their uses).
 *
 * Loops that contain a barrier need uniform control flow, so their guard is a function-local
 * counter that every invocation of the workgroup advances in step; all other loops share one
 * per-invocation budget and also stop early once any invocation has hit its limit.
 */
export function instrument(code: string, opts: InstrumentOptions): string {
  const toks = tokenize(code);
  const match = matchBrackets(toks);
  const fns = findFunctions(toks, match);
  const barrierFns = functionsWithBarriers(toks, fns);
  const storage = new Map(opts.storage.map((s) => [s.name, s]));
  const workgroup = opts.countTraffic ? workgroupArrays(code, toks) : [];
  const wgNames = new Set(workgroup.map((w) => w.name));
  const edits: Edit[] = [];
  let guardId = 0;

  const hasBarrier = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const t = toks[i];
      if (t.kind === 'ident' && (BARRIERS.has(t.text) || barrierFns.has(t.text)) && toks[i + 1]?.text === '(')
        return true;
    }
    return false;
  };

  for (let k = 0; k < toks.length; k++) {
    const t = toks[k];
    if (t.kind !== 'ident') continue;
    if ((t.text === 'for' || t.text === 'while' || t.text === 'loop') && toks[k - 1]?.text !== '.') {
      const open = loopBody(toks, match, k);
      if (open < 0) continue;
      const close = match.get(open)!;
      const after = toks[open].end;
      if (hasBarrier(open, close)) {
        const v = `_wb_g${guardId++}`;
        edits.push({ at: t.start, text: `var ${v}: u32 = 0u; ` });
        edits.push({
          at: after,
          text: ` ${v} += 1u; if (${v} > ${opts.barrierLoopLimit}u) { atomicAdd(&_wb_stat[${STATUS.guardTrips}], 1u); break; }`,
        });
      } else {
        edits.push({ at: after, text: ' if (_wb_guard()) { break; }' });
      }
      continue;
    }
    const sv = storage.get(t.text);
    if (opts.countTraffic && sv && toks[k + 1]?.text === '[' && toks[k - 1]?.text !== '.') {
      const open = k + 1;
      const close = match.get(open)!;
      const kind = toks[k - 1]?.text === '&' ? 'rw' : accessKind(toks, match, close + 1);
      edits.push({ at: toks[open].end, text: `_wb_${kind}_${sv.name}(u32(` });
      edits.push({ at: toks[close].start, text: '))' });
    } else if (wgNames.has(t.text) && toks[k + 1]?.text === '[' && toks[k - 1]?.text !== '.') {
      // Workgroup memory costs no global traffic, but an index past its end is still a bug to report.
      edits.push({ at: toks[k + 1].end, text: `_wb_l_${t.text}(u32(` });
      edits.push({ at: toks[match.get(k + 1)!].start, text: '))' });
    }
  }

  if (opts.countTraffic) {
    const entry = fns.find((f) => f.name === opts.entry);
    if (!entry) throw new Error(`No entry point named ${opts.entry}`);
    for (let k = entry.open + 1; k < entry.close; k++)
      if (toks[k].text === 'return') edits.push({ at: toks[k].start, text: '_wb_flush(); ' });
    edits.push({ at: toks[entry.close].start, text: ' _wb_flush(); ' });
  }

  return applyEdits(code, edits) + footer(opts, workgroup);
}

export interface WorkgroupArray {
  name: string;
  /** WGSL text of the outermost array's element count. */
  count: string;
}

/** `var<workgroup> name: array<T, N>;` declarations, with N as written. */
export function workgroupArrays(code: string, toks: Token[] = tokenize(code)): WorkgroupArray[] {
  const out: WorkgroupArray[] = [];
  for (let k = 0; k + 7 < toks.length; k++) {
    if (
      toks[k].text !== 'var' ||
      toks[k + 1].text !== '<' ||
      toks[k + 2].text !== 'workgroup' ||
      toks[k + 3].text !== '>'
    )
      continue;
    if (toks[k + 5]?.text !== ':' || toks[k + 6]?.text !== 'array' || toks[k + 7]?.text !== '<') continue;
    // Find the top-level comma and closing `>` of array<...>; `>>` closes two levels at once.
    let depth = 1;
    let paren = 0;
    let comma = -1;
    let j = k + 8;
    for (; j < toks.length && depth > 0; j++) {
      const t = toks[j].text;
      if (t === '<') depth++;
      else if (t === '>' || t === '>>') depth -= t.length;
      else if (t === '(') paren++;
      else if (t === ')') paren--;
      else if (t === ',' && depth === 1 && paren === 0) comma = j;
      if (t === ';') break;
    }
    if (comma < 0 || depth > 0) continue;
    out.push({ name: toks[k + 4].text, count: code.slice(toks[comma + 1].start, toks[j - 1].start).trim() });
  }
  return out;
}

function findFunctions(toks: Token[], match: Map<number, number>): Fn[] {
  const out: Fn[] = [];
  for (let k = 0; k < toks.length; k++) {
    if (toks[k].text !== 'fn' || toks[k + 1]?.kind !== 'ident') continue;
    let j = k + 2;
    while (j < toks.length && toks[j].text !== '{') j = toks[j].text === '(' ? match.get(j)! + 1 : j + 1;
    if (j >= toks.length) continue;
    out.push({ name: toks[k + 1].text, open: j, close: match.get(j)! });
    k = j;
  }
  return out;
}

/** Functions that reach a barrier, directly or through calls: loops calling them need the uniform guard. */
function functionsWithBarriers(toks: Token[], fns: Fn[]): Set<string> {
  const out = new Set<string>();
  for (let changed = true; changed;) {
    changed = false;
    for (const f of fns) {
      if (out.has(f.name)) continue;
      for (let i = f.open; i < f.close; i++) {
        const t = toks[i];
        if (t.kind === 'ident' && (BARRIERS.has(t.text) || out.has(t.text)) && toks[i + 1]?.text === '(') {
          out.add(f.name);
          changed = true;
          break;
        }
      }
    }
  }
  return out;
}

/** The `{` that opens a loop's body, skipping a for header or a while condition. */
function loopBody(toks: Token[], match: Map<number, number>, k: number): number {
  let j = k + 1;
  while (j < toks.length && toks[j].text !== '{') {
    if (toks[j].text === ';' || toks[j].text === '}') return -1;
    j = toks[j].text === '(' || toks[j].text === '[' ? match.get(j)! + 1 : j + 1;
  }
  return j < toks.length ? j : -1;
}

/** After `buf[i]` and any `.member` or `[j]`: `=` stores, compound assignment loads and stores, else a load. */
function accessKind(toks: Token[], match: Map<number, number>, j: number): 'r' | 'w' | 'rw' {
  for (;;) {
    if (toks[j]?.text === '.' && toks[j + 1]) j += 2;
    else if (toks[j]?.text === '[') j = match.get(j)! + 1;
    else break;
  }
  const next = toks[j]?.text;
  if (next === '=') return 'w';
  if (next && COMPOUND.has(next)) return 'rw';
  return 'r';
}

function applyEdits(code: string, edits: Edit[]): string {
  const sorted = edits.map((e, i) => ({ ...e, i })).sort((a, b) => a.at - b.at || a.i - b.i);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    out += code.slice(pos, e.at) + e.text;
    pos = e.at;
  }
  return out + code.slice(pos);
}

function footer(opts: InstrumentOptions, workgroup: WorkgroupArray[]): string {
  const lines = [
    '',
    '// ---- added by the workbench checker ----',
    `@group(${STATUS_GROUP}) @binding(0) var<storage, read_write> _wb_stat: array<atomic<u32>, ${STATUS_WORDS}>;`,
    'var<private> _wb_it: u32;',
    'var<private> _wb_rd: u32;',
    'var<private> _wb_wr: u32;',
    'fn _wb_guard() -> bool {',
    '  _wb_it += 1u;',
    `  if (_wb_it > ${opts.loopLimit}u) {`,
    `    if (_wb_it == ${opts.loopLimit + 1}u) { atomicAdd(&_wb_stat[${STATUS.guardTrips}], 1u); }`,
    '    return true;',
    '  }',
    // Polling the shared trip count every 256 steps lets the other invocations stop soon after one trips.
    `  if ((_wb_it & 255u) == 0u && atomicLoad(&_wb_stat[${STATUS.guardTrips}]) != 0u) { _wb_it = ${opts.loopLimit + 2}u; return true; }`,
    '  return false;',
    '}',
  ];
  if (opts.countTraffic) {
    lines.push(
      'fn _wb_oob(b: u32, i: u32, n: u32) {',
      `  if (atomicAdd(&_wb_stat[${STATUS.oobCount}], 1u) == 0u) { atomicStore(&_wb_stat[${STATUS.oobBinding}], b); atomicStore(&_wb_stat[${STATUS.oobIndex}], i); atomicStore(&_wb_stat[${STATUS.oobLength}], n); }`,
      '}',
      'fn _wb_flush() {',
      `  if (_wb_rd != 0u) { atomicAdd(&_wb_stat[${STATUS.bytesRead}], _wb_rd); }`,
      `  if (_wb_wr != 0u) { atomicAdd(&_wb_stat[${STATUS.bytesWritten}], _wb_wr); }`,
      '  _wb_rd = 0u;',
      '  _wb_wr = 0u;',
      '}',
    );
    for (const s of opts.storage) {
      const len = s.count > 0 ? `${s.count}u` : `arrayLength(&${s.name})`;
      const check = `if (i >= ${len}) { _wb_oob(${s.binding}u, i, ${len}); }`;
      lines.push(`fn _wb_r_${s.name}(i: u32) -> u32 { _wb_rd += ${s.elemBytes}u; ${check} return i; }`);
      lines.push(`fn _wb_w_${s.name}(i: u32) -> u32 { _wb_wr += ${s.elemBytes}u; ${check} return i; }`);
      lines.push(
        `fn _wb_rw_${s.name}(i: u32) -> u32 { _wb_rd += ${s.elemBytes}u; _wb_wr += ${s.elemBytes}u; ${check} return i; }`,
      );
    }
    workgroup.forEach((w, k) => {
      // The count is the declaration's own expression (a literal or a const), valid anywhere in the module.
      lines.push(
        `fn _wb_l_${w.name}(i: u32) -> u32 { if (i >= u32(${w.count})) { _wb_oob(${WORKGROUP_TAG + k}u, i, u32(${w.count})); } return i; }`,
      );
    });
  }
  return lines.join('\n') + '\n';
}
