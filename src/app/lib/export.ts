/**
 * Downloads for the labs: JSON, text, an SVG element as a standalone file, and the same SVG as PNG.
 * Everything is made in the page (blob: URLs); nothing is uploaded.
 */

export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function downloadText(text: string, filename: string, type = 'text/plain'): void {
  downloadBlob(new Blob([text], { type }), filename);
}

/** Serialises an SVG with its computed colours inlined, so it looks the same outside the page. */
export function svgToString(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const source = svg.querySelectorAll('*');
  const target = clone.querySelectorAll('*');
  source.forEach((el, i) => {
    const style = getComputedStyle(el);
    const out = target[i] as SVGElement | undefined;
    if (!out) return;
    for (const prop of [
      'fill',
      'stroke',
      'stroke-width',
      'stroke-dasharray',
      'opacity',
      'font-size',
      'font-weight',
      'color',
    ]) {
      out.style.setProperty(prop, style.getPropertyValue(prop));
    }
  });
  // A diagram exported while stepping shows the whole exchange: steps not reached yet are dimmed on screen only.
  clone.querySelectorAll<SVGElement>('.future').forEach((el) => el.style.setProperty('opacity', '1'));
  const bg = getComputedStyle(document.documentElement).getPropertyValue('--bg').trim() || '#ffffff';
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.style.background = bg;
  return new XMLSerializer().serializeToString(clone);
}

export function downloadSvg(svg: SVGSVGElement, filename: string): void {
  downloadText(svgToString(svg), filename, 'image/svg+xml');
}

export async function downloadPng(svg: SVGSVGElement, filename: string, scale = 2): Promise<void> {
  const text = svgToString(svg);
  const box = svg.viewBox.baseVal;
  const width = Math.ceil((box?.width || svg.clientWidth) * scale);
  const height = Math.ceil((box?.height || svg.clientHeight) * scale);
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('The diagram could not be drawn as an image'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('This browser cannot draw to a canvas');
    ctx.fillStyle = getComputedStyle(document.documentElement).getPropertyValue('--bg').trim() || '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.drawImage(img, 0, 0, width, height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('The PNG could not be made');
    downloadBlob(blob, filename);
  } finally {
    URL.revokeObjectURL(url);
  }
}
