/**
 * The addition task's characters, one token each: ten digits, '+', '=' and '.', which pads the end
 * of a row. Thirteen tokens, so ln(V) = ln 13 ≈ 2.565 nats is the loss of a uniform guess.
 */
export const ALPHABET = '0123456789+=.';
export const VOCAB = ALPHABET.length;
export const PLUS = ALPHABET.indexOf('+');
export const EQUALS = ALPHABET.indexOf('=');
export const PAD = ALPHABET.indexOf('.');

export class TokenizerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenizerError';
  }
}

export function encode(text: string): number[] {
  return [...text].map((ch, i) => {
    const id = ALPHABET.indexOf(ch);
    if (id < 0)
      throw new TokenizerError(`Character ${JSON.stringify(ch)} at ${i} is not in the alphabet "${ALPHABET}".`);
    return id;
  });
}

export function decode(ids: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (!Number.isInteger(id) || id < 0 || id >= VOCAB)
      throw new TokenizerError(`Token id ${id} at ${i} is outside 0–${VOCAB - 1}.`);
    s += ALPHABET[id];
  }
  return s;
}
