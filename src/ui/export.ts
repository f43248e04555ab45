/** Downloads of what a lab shows: charts as SVG/PNG, tables as CSV/JSON. DOM-only helpers. */
export function download(name: string, data: Blob): void {
  const url = URL.createObjectURL(data);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Resolves CSS variables and computed styles into the copy, so the file looks like the page. */
function inlineStyles(src: SVGSVGElement, dst: SVGSVGElement): void {
  const props = [
    'fill',
    'stroke',
    'stroke-width',
    'stroke-dasharray',
    'opacity',
    'font-size',
    'font-family',
    'font-weight',
    'text-anchor',
    'dominant-baseline',
  ];
  const a = src.querySelectorAll('*');
  const b = dst.querySelectorAll('*');
  a.forEach((el, i) => {
    const cs = getComputedStyle(el);
    // paint-order draws a halo under a label (the stroke first, then the fill): without it a copy
    // paints the stroke over the fill, e.g. white "out of memory" text under its red halo.
    const order = cs.getPropertyValue('paint-order');
    const style = [
      ...props.map((p) => `${p}:${cs.getPropertyValue(p)}`),
      ...(order && order !== 'normal' ? [`paint-order:${order}`] : []),
    ].join(';');
    (b[i] as SVGElement).setAttribute('style', style);
  });
}

export function svgText(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  inlineStyles(svg, copy);
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const box = svg.viewBox.baseVal;
  if (box && box.width) {
    copy.setAttribute('width', String(box.width));
    copy.setAttribute('height', String(box.height));
  }
  const bg = getComputedStyle(document.body).backgroundColor;
  copy.insertAdjacentHTML('afterbegin', `<rect width="100%" height="100%" fill="${bg}"/>`);
  return new XMLSerializer().serializeToString(copy);
}

export function downloadSvg(svg: SVGSVGElement, name: string): void {
  download(`${name}.svg`, new Blob([svgText(svg)], { type: 'image/svg+xml' }));
}

export async function downloadPng(svg: SVGSVGElement, name: string, scale = 2): Promise<void> {
  const text = svgText(svg);
  const box = svg.viewBox.baseVal;
  const w = box?.width || svg.clientWidth;
  const h = box?.height || svg.clientHeight;
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(w * scale);
  canvas.height = Math.round(h * scale);
  const ctx = canvas.getContext('2d')!;
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0, w, h);
  const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/png'));
  if (blob) download(`${name}.png`, blob);
}

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  // Quote anything a spreadsheet could misread; a leading = + - @ would run as a formula.
  const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}
