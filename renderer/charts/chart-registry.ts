// Charts currently on screen, by name, so the Excel export can embed their PNGs.
import type { Chart } from 'chart.js';

const charts = new Map<string, Chart>();

export function registerChart(name: string, chart: Chart | null): void {
  if (chart) charts.set(name, chart);
  else charts.delete(name);
}

/** PNG bytes of every live chart whose name starts with `prefix` (all when omitted). */
export function chartImages(prefix = ''): { name: string; png: Uint8Array }[] {
  const out: { name: string; png: Uint8Array }[] = [];
  for (const [name, chart] of charts) {
    if (!name.startsWith(prefix)) continue;
    out.push({ name, png: dataUrlToBytes(chart.toBase64Image('image/png', 1)) });
  }
  return out;
}

export function dataUrlToBytes(dataUrl: string): Uint8Array {
  const base64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
