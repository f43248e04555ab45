import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { stateAt } from '../../src/scenarios/state';
import type { Scenario } from '../../src/scenarios/schema';
import { findSession, type InterviewSession } from '../../src/interview/sessions';
import { findLab } from '../../src/labs/registry';

/**
 * Claims as code. A ClaimBook holds every figure written in one scenario's or interview session's
 * prose to a computation: `holds(field, phrase)` asserts the field contains the phrase (built by
 * the test from the lab's own functions at the state the field names) and marks the figures inside
 * it as held; `done()` then fails for any figure in the prose that nothing held. A figure also
 * counts as held where it names the state itself (it equals a parameter value the scenario or
 * rubric item sets there: "N = 1024" at a step that sets n = 1024), or where it is not a quantity
 * at all (a year in a citation, "Algorithm 0", "Llama 3", "HTTP 429": see NOT_QUANTITIES).
 *
 * test/scenarios/coverage.test.ts checks that every scenario and session has a book that calls
 * done(), so a new sentence with a number cannot land without a check.
 */

const root = join(import.meta.dirname, '../..');

export function loadScenario(id: string): Scenario {
  return JSON.parse(readFileSync(join(root, 'scenarios', `${id}.json`), 'utf8')) as Scenario;
}

/** A number as prose writes it: 16,667 · 1.5 · 0.9 · 1e-7 is not one (the letter makes it a name). */
const NUMBER = /(?<![\p{L}\p{N}_.,\-#/])\d+(?:,\d{3})*(?:\.\d+)?(?![\p{L}\p{N}_]|[.,]\d)/gu;

/**
 * Numbers that are not quantities, each with why. A pattern matches the text just before the
 * figure (and the figure itself, as a named group `n`).
 */
export const NOT_QUANTITIES: { pattern: RegExp; why: string }[] = [
  {
    pattern: /(?:et al\.,?|Young|Daly|Brown|Leviathan|Narayanan|Korthikanti|;)\s(?<n>(?:19|20)\d\d)$/,
    why: 'the year of a cited paper',
  },
  {
    pattern: /(?:Algorithm|Theorem|Table|Figure|issue #|Months?)\s?(?<n>[\d.]+)$/,
    why: 'the number of a cited algorithm, theorem, table or issue',
  },
  { pattern: /Llama\s(?<n>\d)$/, why: 'a model family’s name (Llama 3)' },
  { pattern: /HTTP\s(?<n>\d{3})$/, why: 'an HTTP status code' },
  { pattern: /ZeRO-(?<n>\d)$/, why: 'a ZeRO stage’s name' },
  { pattern: /stages?\s(?<n>(?:\d, )*\d)$/, why: 'ZeRO stage names (stages 1, 2, 3)' },
  { pattern: /Q4_(?<n>0)$/, why: 'a llama.cpp format’s name' },
  { pattern: /FlashAttention-(?<n>2)$/, why: 'a paper’s name' },
  { pattern: /§\s?(?<n>[\d.]+)$/, why: 'a section of a cited paper' },
  { pattern: /(?:RTX|GTX)\s(?<n>\d{4})$/, why: 'a product’s name (RTX 4090)' },
  { pattern: /(?:below|above)\s(?<n>1)$/, why: 'break-even: a speedup of 1× is no gain (the ×-sign follows)' },
];

/**
 * A coefficient inside a written formula ("√(2·C·MTBF)", "(2 + 2 + 12)Ψ", "5·a·s/h"): the model's
 * code is the formula, and the model's own tests hold it; the prose only names it.
 */
const FORMULA = /[·Ψ√÷]|[\p{L}\d]\s?[+−]\s?0|0\s?[+−]\s?[\p{L}\d(]|\/[a-zA-Z]/u;
function inFormula(text: string, at: number, figure: string): boolean {
  const around = text.slice(Math.max(0, at - 5), at + figure.length + 5);
  return FORMULA.test(around.replace(figure, '#').replace(/#/, '0'));
}

interface Field {
  key: string;
  text: string;
  /**
   * Parameter values the field's state sets, each with the words that name its parameter (key,
   * label, unit): a figure equal to one of these, written beside one of its words or after "=",
   * names the state ("512 GPUs", "N = 1024", "a 1,500-token prompt").
   */
  state: Map<string, Set<string>>;
}

const norm = (x: string) => String(Number(x.replace(/,/g, '')));

/** Lower-case word stems of a parameter's key (camelCase split), label and unit. */
function paramWords(lab: string, key: string): string[] {
  const spec = findLab(lab)?.schema.find((p) => p.key === key);
  const text = [key.replace(/([a-z])([A-Z])/g, '$1 $2'), spec?.label ?? '', spec?.unit ?? ''].join(' ').toLowerCase();
  return [
    ...new Set(
      text
        .split(/[^a-z_]+/)
        .filter((w) => w.length >= 2)
        .map((w) => w.replace(/s$/, '')),
    ),
  ];
}

function stateValues(
  params: Record<string, Record<string, unknown>>,
  into = new Map<string, Set<string>>(),
): Map<string, Set<string>> {
  for (const [lab, group] of Object.entries(params)) {
    for (const [key, v] of Object.entries(group)) {
      const value =
        typeof v === 'number' ? String(v) : typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? norm(v) : null;
      if (value === null) continue;
      const words = into.get(value) ?? new Set<string>();
      for (const w of paramWords(lab, key)) words.add(w);
      into.set(value, words);
    }
  }
  return into;
}

function namesState(x: { text: string; at: number; figure: string; state: Map<string, Set<string>> }): boolean {
  const words = x.state.get(norm(x.figure));
  if (!words) return false;
  const before = x.text.slice(Math.max(0, x.at - 30), x.at).toLowerCase();
  const after = x.text.slice(x.at + x.figure.length, x.at + x.figure.length + 30).toLowerCase();
  if (/=\s?$/.test(before)) return true;
  const near = `${before} ${after}`.split(/[^a-z_]+/).map((w) => w.replace(/s$/, ''));
  // "minutes" names a parameter whose unit is "min": a shared stem of three letters or more counts.
  return near.some(
    (w) =>
      words.has(w) || [...words].some((p) => Math.min(p.length, w.length) >= 3 && (w.startsWith(p) || p.startsWith(w))),
  );
}

function scenarioFields(s: Scenario): Field[] {
  const all = new Map<string, Set<string>>();
  const fields: Field[] = s.steps.map((st, i) => {
    const params = stateAt(s, i).params;
    stateValues(params, all);
    return { key: `step ${i + 1}`, text: `${st.title}\n${st.text}`, state: stateValues(params) };
  });
  // Title, summary, question and answer speak of the whole path: any state it visits.
  fields.push({ key: 'title', text: s.title, state: all });
  fields.push({ key: 'summary', text: s.summary, state: all });
  if (s.interviewQuestion) fields.push({ key: 'question', text: s.interviewQuestion, state: all });
  (s.goodAnswer ?? []).forEach((g, i) => fields.push({ key: `good ${i + 1}`, text: g, state: all }));
  return fields;
}

function sessionFields(s: InterviewSession): Field[] {
  const all = new Map<string, Set<string>>();
  for (const r of s.rubric) stateValues({ [r.lab]: r.params as Record<string, unknown> }, all);
  const fields: Field[] = [
    { key: 'title', text: s.title, state: all },
    { key: 'question', text: s.question, state: all },
    { key: 'why', text: s.why, state: all },
  ];
  for (const r of s.rubric) {
    const state = stateValues({ [r.lab]: r.params as Record<string, unknown> });
    fields.push({ key: `${r.id}`, text: r.text, state });
    fields.push({ key: `${r.id} how`, text: r.how, state });
  }
  return fields;
}

export interface Figure {
  field: string;
  figure: string;
  at: number;
  context: string;
}

/** Every figure in a set of fields, with what held it (or null). */
function figures(fields: Field[]): (Figure & { text: string; state: Field['state'] })[] {
  const out: (Figure & { text: string; state: Field['state'] })[] = [];
  for (const f of fields) {
    for (const m of f.text.matchAll(NUMBER)) {
      const at = m.index;
      out.push({
        field: f.key,
        figure: m[0],
        at,
        context: f.text.slice(Math.max(0, at - 40), at + m[0].length + 20),
        text: f.text,
        state: f.state,
      });
    }
  }
  return out;
}

function notAQuantity(text: string, at: number, figure: string): boolean {
  const before = text.slice(Math.max(0, at - 40), at + figure.length);
  return NOT_QUANTITIES.some(({ pattern }) => {
    const m = before.match(pattern);
    return (
      m !== null &&
      m.index !== undefined &&
      m.index + m[0].length === before.length &&
      (m.groups?.n ?? '').endsWith(figure)
    );
  });
}

export class ClaimBook {
  private readonly fields: Field[];
  /** field key → [start, end) spans a check has held. */
  private readonly held = new Map<string, [number, number][]>();

  private constructor(
    readonly name: string,
    fields: Field[],
    /** Figures known to lack a check yet, by "field: figure": listed so they can only shrink. */
    private readonly pending: readonly string[] = [],
  ) {
    this.fields = fields;
  }

  static scenario(id: string, pending: readonly string[] = []): ClaimBook {
    return new ClaimBook(`scenario ${id}`, scenarioFields(loadScenario(id)), pending);
  }

  static session(id: string, pending: readonly string[] = []): ClaimBook {
    const s = findSession(id);
    if (!s) throw new Error(`no interview session ${id}`);
    return new ClaimBook(`session ${id}`, sessionFields(s), pending);
  }

  /** A book over plain fields (no lab state), for the tests of the book itself. */
  static of(name: string, fields: { key: string; text: string }[], pending: readonly string[] = []): ClaimBook {
    return new ClaimBook(
      name,
      fields.map((f) => ({ ...f, state: new Map() })),
      pending,
    );
  }

  private field(key: string): Field {
    const f = this.fields.find((x) => x.key === key);
    if (!f) throw new Error(`${this.name} has no field "${key}" (fields: ${this.fields.map((x) => x.key).join(', ')})`);
    return f;
  }

  /** The field's text (a step's title and narrative, a good-answer line, a rubric item). */
  text(key: string): string {
    return this.field(key).text;
  }

  /**
   * Asserts the field states the phrase, and marks every figure inside it as held. The key 'good'
   * means whichever good-answer line states it.
   */
  holds(key: string, phrase: string, what = 'the text should state the computed figure'): void {
    if (key === 'good') {
      const line = this.fields.find((x) => x.key.startsWith('good ') && x.text.includes(phrase));
      key = line?.key ?? 'good 1';
      if (!line)
        expect(
          this.fields
            .filter((x) => x.key.startsWith('good '))
            .map((x) => x.text)
            .join('\n'),
          `${this.name}, good answer: ${what}`,
        ).toContain(phrase);
    }
    const f = this.field(key);
    expect(f.text, `${this.name}, ${key}: ${what}`).toContain(phrase);
    let from = 0;
    const spans = this.held.get(key) ?? [];
    for (let at = f.text.indexOf(phrase, from); at >= 0; at = f.text.indexOf(phrase, from)) {
      spans.push([at, at + phrase.length]);
      from = at + 1;
    }
    this.held.set(key, spans);
  }

  /**
   * Holds a figure the lab cannot compute because it is a published one (a datasheet, a paper's
   * table): the phrase must appear, and the source is named here beside the figure, so a reader of
   * the test sees where each such number comes from.
   */
  cites(key: string, phrase: string, source: string): void {
    expect(source.length, `${this.name}, ${key}: name the source of "${phrase}"`).toBeGreaterThan(10);
    this.holds(key, phrase, `the text should cite ${source}`);
  }

  /** The figures nothing holds: not in a held phrase, not the state's own values, not a non-quantity. */
  unheld(): Figure[] {
    return figures(this.fields)
      .filter((x) => !(this.held.get(x.field) ?? []).some(([a, b]) => x.at >= a && x.at + x.figure.length <= b))
      .filter((x) => !namesState(x))
      .filter((x) => !notAQuantity(x.text, x.at, x.figure))
      .filter((x) => !inFormula(x.text, x.at, x.figure))
      .filter((x) => !this.given(x))
      .map(({ field, figure, at, context }) => ({ field, figure, at, context }));
  }

  /**
   * The interview question's figures are its givens (the interviewer's premise: "40% utilization",
   * "100 TB", "10,000 QPS"), inputs to the answer rather than claims of it; a title or summary that
   * restates one of them is the same given.
   */
  private given(x: Figure): boolean {
    const question = this.fields.find((f) => f.key === 'question')?.text ?? '';
    if (x.field === 'question') return true;
    if (x.field !== 'title' && x.field !== 'summary') return false;
    return [...question.matchAll(NUMBER)].some((m) => norm(m[0]) === norm(x.figure));
  }

  /** Fails for every figure without a check, and for pending entries that are now held or gone. */
  done(): void {
    const left = this.unheld();
    const keys = left.map((x) => `${x.field}: ${x.figure}`);
    const missing = left.filter((x) => !this.pending.includes(`${x.field}: ${x.figure}`));
    expect(
      missing.map((x) => `${x.field}: ${x.figure}  …${x.context}…`),
      `${this.name}: figures in the prose that no check computes (hold them with a computed phrase, or name why they are not quantities)`,
    ).toEqual([]);
    const stale = this.pending.filter((p) => !keys.includes(p));
    expect(
      stale,
      `${this.name}: pending figures that are now held or no longer written: remove them from the pending list`,
    ).toEqual([]);
  }
}
