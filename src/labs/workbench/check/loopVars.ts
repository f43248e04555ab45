import type { ShaderDiagnostic } from '../../../gpu/errors';
import { matchBrackets, tokenize, type Token } from './tokens';

/**
 * Warns about `var x: T;` without an initializer inside a loop body. WGSL starts such a variable
 * at zero on every iteration, but Dawn's compiler (seen in Chromium 156 and the `webgpu` 0.6.2
 * Node package, both on SwiftShader) keeps the previous iteration's value: an accumulator declared
 * that way silently sums across iterations. naga had the same bug (gfx-rs/wgpu#9489, fixed in
 * #9592). An explicit initializer is correct everywhere.
 */
export function loopVarWarnings(code: string): ShaderDiagnostic[] {
  let toks: Token[];
  let match: Map<number, number>;
  try {
    toks = tokenize(code);
    match = matchBrackets(toks);
  } catch {
    return []; // The compiler reports unbalanced code itself.
  }
  const bodies: [number, number][] = [];
  toks.forEach((t, i) => {
    if (t.text !== 'for' && t.text !== 'while' && t.text !== 'loop') return;
    // The body is the first { after the keyword (after the header's parentheses for for/while).
    let j = i + 1;
    if (toks[j]?.text === '(') j = (match.get(j) ?? j) + 1;
    else if (t.text === 'while') while (j < toks.length && toks[j].text !== '{') j++;
    if (toks[j]?.text === '{' && match.has(j)) bodies.push([j, match.get(j)!]);
  });
  const out: ShaderDiagnostic[] = [];
  const seen = new Set<number>();
  for (const [open, close] of bodies) {
    for (let i = open + 1; i < close; i++) {
      if (toks[i].text !== 'var' || seen.has(i)) continue;
      seen.add(i);
      // `var name : type ;` with no `=` before the `;` (skipping brackets in the type).
      let j = i + 1;
      let assigned = false;
      while (j < close && toks[j].text !== ';') {
        if (toks[j].text === '=') assigned = true;
        j =
          match.has(j) && toks[j].text !== ')' && toks[j].text !== ']' && toks[j].text !== '}'
            ? match.get(j)! + 1
            : j + 1;
      }
      if (assigned) continue;
      // var<function> x: T; names come after the address space.
      let n = i + 1;
      if (toks[n]?.text === '<') while (n < close && toks[n].text !== '>') n++;
      const name = toks[toks[n]?.text === '>' ? n + 1 : n]?.text ?? '';
      const { line, column } = position(code, toks[i].start);
      out.push({
        type: 'warning',
        line,
        column,
        message: `var ${name} is declared inside a loop without an initializer. WGSL zeroes it on every iteration, but Dawn (Chrome) keeps the previous iteration's value, so code that reads it before writing it (an accumulator) goes wrong there; give it an explicit initializer, e.g. var ${name} = 0.0;`,
      });
    }
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

function position(code: string, offset: number): { line: number; column: number } {
  const before = code.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}
