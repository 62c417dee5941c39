/**
 * chart.js configurations for the workbook's charts (pure data; no DOM). The renderer draws them
 * with chart.js and passes `toBase64Image()` bytes in ExportOptions.charts; the CLI draws them in
 * Node with @napi-rs/canvas when that optional dependency is installed (cli/output.ts).
 */
import type { ChartKey, ExportableResult } from './workbook-spec';

export type ChartConfig = { type: string; data: unknown; options: Record<string, unknown> };

const PALETTE = ['#1f4e79', '#c55a11', '#548235', '#7030a0', '#bf9000', '#2e75b6', '#a5a5a5', '#843c0c'];
const base = (titleText: string, x: string, y: string, extra: Record<string, unknown> = {}) => ({
  animation: false,
  responsive: false,
  devicePixelRatio: 1,
  plugins: { title: { display: true, text: titleText }, legend: { position: 'bottom' } },
  scales: { x: { title: { display: true, text: x } }, y: { title: { display: true, text: y } } },
  ...extra,
});

type Anyish = Record<string, any>;

export function chartConfigs(result: ExportableResult): Partial<Record<ChartKey, ChartConfig>> {
  const r = result as Anyish;
  const out: Partial<Record<ChartKey, ChartConfig>> = {};
  if (r.kind === 'base-case') {
    const s = r.strategies?.[0];
    const m = s?.markov?.[0];
    if (m) {
      out.trace = {
        type: 'line',
        data: { labels: m.trace.map((_: unknown, k: number) => k), datasets: m.stateIds.map((id: string, j: number) => ({ label: id, data: m.trace.map((row: number[]) => row[j]), borderColor: PALETTE[j % PALETTE.length], pointRadius: 0 })) },
        options: base(`Markov trace: ${s.name}`, 'Cycle', 'Proportion of cohort'),
      };
    }
    out['ce-plane'] = {
      type: 'scatter',
      data: { datasets: r.strategies.map((x: Anyish, i: number) => ({ label: x.name, data: [{ x: x.effect, y: x.cost }], backgroundColor: PALETTE[i % PALETTE.length], pointRadius: 6 })) },
      options: base('Cost-effectiveness plane', 'Effect', `Cost (${r.settings.currency})`),
    };
  } else if (r.kind === 'dsa-one-way' && r.rows?.length) {
    const rows = r.rows.slice(0, 20);
    out.tornado = {
      type: 'bar',
      data: {
        labels: rows.map((t: Anyish) => t.label),
        datasets: [
          { label: 'Low input', data: rows.map((t: Anyish) => [r.base, t.outcomeLow]), backgroundColor: PALETTE[0] },
          { label: 'High input', data: rows.map((t: Anyish) => [r.base, t.outcomeHigh]), backgroundColor: PALETTE[1] },
        ],
      },
      options: base(`Tornado: ${r.description}`, r.description, 'Parameter', { indexAxis: 'y' }),
    };
  } else if (r.kind === 'psa') {
    const nameOfPsa = (id: string) => r.strategies.find((x: Anyish) => x.id === id)?.name ?? id;
    out['ce-plane'] = {
      type: 'scatter',
      data: { datasets: (r.cePlane?.series ?? []).map((x: Anyish, i: number) => ({ label: `${nameOfPsa(x.id)} vs ${nameOfPsa(r.cePlane.comparator)}`, data: x.points.map((p: Anyish) => ({ x: p.incrementalEffect, y: p.incrementalCost })), backgroundColor: PALETTE[i % PALETTE.length], pointRadius: 1.5 })) },
      options: base('Cost-effectiveness plane (PSA draws)', 'Incremental effect', `Incremental cost (${r.settings.currency})`),
    };
    const ids: string[] = r.strategies.map((x: Anyish) => x.id);
    const nameOf = (id: string) => r.strategies.find((x: Anyish) => x.id === id)?.name ?? id;
    out.ceac = {
      type: 'line',
      data: { labels: r.ceac.map((p: Anyish) => p.wtp), datasets: ids.map((id, i) => ({ label: nameOf(id), data: r.ceac.map((p: Anyish) => p.probabilities[id]), borderColor: PALETTE[i % PALETTE.length], pointRadius: 0 })) },
      options: base('Cost-effectiveness acceptability curves', `Willingness to pay (${r.settings.currency})`, 'Probability cost-effective'),
    };
    out.evpi = {
      type: 'line',
      data: { labels: r.evpi.map((p: Anyish) => p.wtp), datasets: [{ label: 'EVPI per person', data: r.evpi.map((p: Anyish) => p.value), borderColor: PALETTE[0], pointRadius: 0 }] },
      options: base('Expected value of perfect information', `Willingness to pay (${r.settings.currency})`, `EVPI (${r.settings.currency})`),
    };
  }
  return out;
}

/** chart.js plugin: white background (canvases are transparent by default). */
export const whiteBackground = {
  id: 'whiteBackground',
  beforeDraw(chart: { ctx: { save(): void; fillStyle: string; fillRect(x: number, y: number, w: number, h: number): void; restore(): void }; width: number; height: number }) {
    chart.ctx.save();
    chart.ctx.fillStyle = '#ffffff';
    chart.ctx.fillRect(0, 0, chart.width, chart.height);
    chart.ctx.restore();
  },
};

/** PNG bytes from chart.js `toBase64Image()` output ("data:image/png;base64,...") or plain base64. */
export function pngFromDataUrl(dataUrl: string): Uint8Array {
  const comma = dataUrl.indexOf(',');
  const header = comma >= 0 ? dataUrl.slice(0, comma) : '';
  if (comma >= 0 && !/^data:image\/png;base64$/i.test(header)) throw new TypeError('expected a PNG data URL (data:image/png;base64,...)');
  const binary = atob(comma >= 0 ? dataUrl.slice(comma + 1) : dataUrl);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  if (bytes.length < 8 || bytes[0] !== 0x89 || bytes[1] !== 0x50 || bytes[2] !== 0x4e || bytes[3] !== 0x47) throw new TypeError('the image is not a PNG');
  return bytes;
}
