/**
 * The code each exercise will be checked with. It lives outside the zustand store (kernels are
 * large and change on every keystroke); the view writes it, run() reads it. DOM-free.
 */
const code = new Map<string, string>();

export function setCode(exercise: string, text: string): void {
  code.set(exercise, text);
}

export function getCode(exercise: string): string | undefined {
  return code.get(exercise);
}
