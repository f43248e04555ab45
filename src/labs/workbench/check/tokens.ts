/** A WGSL tokenizer that keeps source offsets, so the rewriter can insert text without reprinting. */
export interface Token {
  text: string;
  start: number;
  end: number;
  kind: 'ident' | 'number' | 'op';
}

// Longest first: the rewriter must tell `=` (a store) from `==`, `+=`, `<=`.
const OPS = [
  '<<=',
  '>>=',
  '->',
  '++',
  '--',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '<<',
  '>>',
];

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      while (i < n && src[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      // WGSL block comments nest.
      let depth = 0;
      do {
        if (src[i] === '/' && src[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (src[i] === '*' && src[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      } while (depth > 0 && i < n);
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i, i + 256));
    if (id) {
      out.push({ text: id[0], start: i, end: i + id[0].length, kind: 'ident' });
      i += id[0].length;
      continue;
    }
    const num = /^(?:0[xX][0-9a-fA-F.]+(?:[pP][+-]?\d+)?|\d*\.?\d+(?:[eE][+-]?\d+)?)[iufh]?/.exec(src.slice(i, i + 64));
    if (num && /[0-9.]/.test(c) && num[0] !== '.') {
      out.push({ text: num[0], start: i, end: i + num[0].length, kind: 'number' });
      i += num[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i)) ?? c;
    out.push({ text: op, start: i, end: i + op.length, kind: 'op' });
    i += op.length;
  }
  return out;
}

/** Index of the matching closer for every (, [ and {; throws on unbalanced input. */
export function matchBrackets(toks: Token[]): Map<number, number> {
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const match = new Map<number, number>();
  const stack: number[] = [];
  toks.forEach((t, i) => {
    if (t.text === '(' || t.text === '[' || t.text === '{') stack.push(i);
    else if (t.text in pairs) {
      const open = stack.pop();
      if (open === undefined || toks[open].text !== pairs[t.text])
        throw new Error(`Unbalanced ${t.text} at offset ${t.start}`);
      match.set(open, i);
      match.set(i, open);
    }
  });
  if (stack.length) throw new Error(`Unclosed ${toks[stack[stack.length - 1]].text}`);
  return match;
}
