import { StreamLanguage, type StreamParser } from '@codemirror/language';

/**
 * WGSL highlighting as a CodeMirror stream mode. The only npm WGSL package for CodeMirror 6
 * (@iizukak/codemirror-lang-wgsl) has had a single release and pulls in the whole `codemirror`
 * bundle, so a small tokenizer here is the steadier choice; compile errors come from the real
 * compiler (getCompilationInfo), not from this mode.
 */
const KEYWORDS = new Set([
  'fn',
  'let',
  'var',
  'const',
  'override',
  'struct',
  'alias',
  'return',
  'if',
  'else',
  'for',
  'while',
  'loop',
  'break',
  'continue',
  'continuing',
  'switch',
  'case',
  'default',
  'discard',
  'enable',
  'requires',
  'diagnostic',
  'const_assert',
  'true',
  'false',
]);
const TYPES =
  /^(?:bool|f16|f32|i32|u32|vec[234][fhiu]?|mat[234]x[234][fh]?|array|atomic|ptr|sampler|texture_\w+|storage|uniform|workgroup|private|function|read|write|read_write)$/;
const BUILTINS = new Set([
  'workgroupBarrier',
  'storageBarrier',
  'workgroupUniformLoad',
  'arrayLength',
  'atomicAdd',
  'atomicLoad',
  'atomicStore',
  'atomicMax',
  'atomicMin',
  'select',
  'min',
  'max',
  'clamp',
  'abs',
  'exp',
  'exp2',
  'log',
  'log2',
  'sqrt',
  'inverseSqrt',
  'tanh',
  'pow',
  'dot',
  'fma',
  'floor',
  'ceil',
  'bitcast',
]);

interface State {
  /** Depth of nested block comments (WGSL's nest). */
  comment: number;
}

const parser: StreamParser<State> = {
  name: 'wgsl',
  startState: () => ({ comment: 0 }),
  token(stream, state) {
    if (state.comment > 0) {
      while (!stream.eol()) {
        if (stream.match('/*')) state.comment++;
        else if (stream.match('*/')) {
          if (--state.comment === 0) break;
        } else stream.next();
      }
      return 'comment';
    }
    if (stream.eatSpace()) return null;
    if (stream.match('//')) {
      stream.skipToEnd();
      return 'comment';
    }
    if (stream.match('/*')) {
      state.comment = 1;
      return 'comment';
    }
    if (stream.match(/^@\w+/)) return 'meta';
    if (stream.match(/^(?:0[xX][0-9a-fA-F]+|\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)[iufh]?/))
      return 'number';
    const word = stream.match(/^[A-Za-z_]\w*/) as RegExpMatchArray | null;
    if (word) {
      const w = word[0];
      if (KEYWORDS.has(w)) return w === 'true' || w === 'false' ? 'atom' : 'keyword';
      if (TYPES.test(w)) return 'typeName';
      if (BUILTINS.has(w)) return 'standard(variableName)';
      return stream.peek() === '(' ? 'function(variableName)' : 'variableName';
    }
    if (stream.match(/^[-+*/%=<>!&|^~]+/)) return 'operator';
    stream.next();
    return null;
  },
  languageData: { commentTokens: { line: '//', block: { open: '/*', close: '*/' } } },
};

export const wgsl = StreamLanguage.define(parser);
