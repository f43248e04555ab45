/**
 * A tiny arithmetic language for exercise data files: sizes, grids and traffic targets are written
 * as text ("4 * rows * cols", "ceil(n / wg.x)") so exercises stay data, not code. Supports
 * + - * / %, parentheses, numbers, dotted names and ceil/floor/min/max. Division is real-valued;
 * wrap it in ceil() or floor() where an integer is meant.
 */
export type Scope = Record<string, number>;

type Tok = { t: 'num'; v: number } | { t: 'id'; v: string } | { t: 'op'; v: string };

const FUNCS: Record<string, (...a: number[]) => number> = {
  ceil: (a) => Math.ceil(a),
  floor: (a) => Math.floor(a),
  min: (...a) => Math.min(...a),
  max: (...a) => Math.max(...a),
  sqrt: (a) => Math.sqrt(a),
};

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  const re = /\s*(?:(\d+(?:\.\d+)?(?:e[+-]?\d+)?)|([A-Za-z_][\w.]*)|([-+*/%(),]))/y;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(src);
    if (!m) throw new Error(`Bad expression ${JSON.stringify(src)} at ${pos}`);
    if (m[1] !== undefined) out.push({ t: 'num', v: Number(m[1]) });
    else if (m[2] !== undefined) out.push({ t: 'id', v: m[2] });
    else out.push({ t: 'op', v: m[3] });
    pos = re.lastIndex;
  }
  return out;
}

export function evaluate(src: string | number, scope: Scope): number {
  if (typeof src === 'number') return src;
  const toks = tokenize(src);
  let i = 0;
  const peek = () => toks[i];
  const take = (op?: string) => {
    const t = toks[i++];
    if (!t || (op && (t.t !== 'op' || t.v !== op)))
      throw new Error(`Bad expression ${JSON.stringify(src)}: expected ${op ?? 'a value'}`);
    return t;
  };
  const atom = (): number => {
    const t = take();
    if (t.t === 'num') return t.v;
    if (t.t === 'op' && t.v === '(') {
      const v = sum();
      take(')');
      return v;
    }
    if (t.t === 'op' && t.v === '-') return -atom();
    if (t.t === 'id') {
      const p = peek();
      if (p?.t === 'op' && p.v === '(') {
        const f = FUNCS[t.v];
        if (!f) throw new Error(`Unknown function ${t.v} in ${JSON.stringify(src)}`);
        take('(');
        const args = [sum()];
        while (peek()?.t === 'op' && peek()?.v === ',') {
          take(',');
          args.push(sum());
        }
        take(')');
        return f(...args);
      }
      if (!(t.v in scope)) throw new Error(`Unknown name ${t.v} in ${JSON.stringify(src)}`);
      return scope[t.v];
    }
    throw new Error(`Bad expression ${JSON.stringify(src)}`);
  };
  const product = (): number => {
    let v = atom();
    for (let p = peek(); p?.t === 'op' && (p.v === '*' || p.v === '/' || p.v === '%'); p = peek()) {
      take();
      const r = atom();
      v = p.v === '*' ? v * r : p.v === '/' ? v / r : v % r;
    }
    return v;
  };
  const sum = (): number => {
    let v = product();
    for (let p = peek(); p?.t === 'op' && (p.v === '+' || p.v === '-'); p = peek()) {
      take();
      const r = product();
      v = p.v === '+' ? v + r : v - r;
    }
    return v;
  };
  const v = sum();
  if (i !== toks.length) throw new Error(`Bad expression ${JSON.stringify(src)}: trailing input`);
  return v;
}
