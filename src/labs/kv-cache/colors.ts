/**
 * A request's colour, the same in every view: hues spaced by the golden angle so neighbouring ids
 * (requests that arrive together) differ clearly.
 */
export function requestHue(id: number): number {
  return (id * 137.508) % 360;
}

export function requestColor(id: number, light = false): string {
  const h = requestHue(id).toFixed(1);
  return light ? `hsl(${h} 60% 85%)` : `hsl(${h} 62% 48%)`;
}

export const SYSTEM_COLOR = '#4b5563';
export const SYSTEM_LIGHT = '#cfd4db';
