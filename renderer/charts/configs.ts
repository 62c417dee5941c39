// Result data in, chart.js config out. No React here.
import type { ChartData, ChartOptions } from 'chart.js';
import type { MarkovDetail } from '../../models/index';
import { formatCurrency, formatNumber } from '../format/numbers';
import { colour } from './register';

const axis = (title: string) => ({ display: true, text: title, font: { weight: 'bold' as const } });

export function traceChart(detail: MarkovDetail, stateLabels: Record<string, string>, cycleLabel: string): { data: ChartData<'line'>; options: ChartOptions<'line'> } {
  // trace[cycle][state], cycle boundaries 0..N.
  return {
    data: {
      datasets: detail.stateIds.map((id, i) => ({
        label: stateLabels[id] ? `${id}: ${stateLabels[id]}` : id,
        data: detail.trace.map((row, c) => ({ x: c, y: row[i] })),
        borderColor: colour(i),
        backgroundColor: colour(i),
        pointRadius: 0,
        borderWidth: 2,
        tension: 0,
      })),
    },
    options: {
      responsive: true,
      parsing: false,
      normalized: true,
      plugins: { legend: { position: 'right' }, tooltip: { mode: 'index', intersect: false } },
      scales: { x: { type: 'linear', min: 0, max: Math.max(1, detail.trace.length - 1), title: axis(cycleLabel), ticks: { precision: 0 } }, y: { type: 'linear', min: 0, max: 1, title: axis('Proportion of cohort') } },
    },
  };
}

export type ScatterSeries = { id: string; label: string; points: { x: number; y: number }[] };

/** Points drawn per strategy on the CE plane; more add drawing time but no information on screen. */
export const CE_PLANE_SCREEN_POINTS = 500;

/** Every k-th point, deterministic, so the same draws are shown for every strategy. */
export function thin<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  const out: T[] = [];
  for (let j = 0; j < max; j++) out.push(points[Math.floor((j * points.length) / max)]);
  return out;
}

export function cePlaneChart(series: ScatterSeries[], currency: string, effectUnit: string, wtp: number | null): { data: ChartData<'scatter'>; options: ChartOptions<'scatter'> } {
  let xMin = 0;
  let xMax = 0;
  for (const s of series) for (const p of s.points) {
    xMin = Math.min(xMin, p.x);
    xMax = Math.max(xMax, p.x);
  }
  const datasets: ChartData<'scatter'>['datasets'] = series.map((s, i) => ({
    label: s.label,
    data: thin(s.points, CE_PLANE_SCREEN_POINTS),
    borderColor: colour(i + 1),
    backgroundColor: colour(i + 1) + '55',
    pointRadius: 1.6,
    pointBorderWidth: 0,
  }));
  if (wtp !== null) {
    datasets.push({
      label: `WTP ${formatCurrency(wtp, currency)}/${effectUnit}`,
      type: 'line' as never,
      data: [
        { x: xMin, y: xMin * wtp },
        { x: xMax, y: xMax * wtp },
      ],
      borderColor: '#64748b',
      borderDash: [6, 4],
      pointRadius: 0,
      borderWidth: 1.5,
    } as never);
  }
  return {
    data: { datasets },
    options: {
      responsive: true,
      parsing: false,
      normalized: true,
      plugins: { legend: { position: 'bottom' }, tooltip: { enabled: true } },
      scales: {
        x: { type: 'linear', title: axis(`Incremental effect (${effectUnit})`), grid: { color: (c) => (c.tick.value === 0 ? '#475569' : '#e2e8f0') } },
        y: { type: 'linear', title: axis(`Incremental cost (${currency})`), grid: { color: (c) => (c.tick.value === 0 ? '#475569' : '#e2e8f0') } },
      },
    },
  };
}

export type CurveSeries = { id: string; label: string; values: number[] };

/** Curves over a WTP grid, on a linear x axis (a category axis would measure every grid label). */
export function curveChart(wtps: number[], series: CurveSeries[], yTitle: string, currency: string, options: { percent?: boolean; stepped?: boolean } = {}): { data: ChartData<'line'>; options: ChartOptions<'line'> } {
  return {
    data: {
      datasets: series.map((s, i) => ({
        label: s.label,
        data: s.values.map((y, k) => ({ x: wtps[k], y })),
        borderColor: colour(i),
        backgroundColor: colour(i),
        pointRadius: 0,
        borderWidth: 2,
        stepped: options.stepped ? ('middle' as const) : false,
      })),
    },
    options: {
      responsive: true,
      parsing: false,
      normalized: true,
      plugins: { legend: { position: 'bottom' }, tooltip: { mode: 'index', intersect: false } },
      scales: {
        x: { type: 'linear', min: wtps[0], max: wtps[wtps.length - 1], title: axis(`Willingness to pay (${currency} per unit of effect)`), ticks: { maxTicksLimit: 8, callback: (v) => formatCurrency(Number(v), currency) } },
        y: options.percent ? { type: 'linear', min: 0, max: 1, title: axis(yTitle), ticks: { callback: (v) => `${Math.round(Number(v) * 100)}%` } } : { type: 'linear', title: axis(yTitle), beginAtZero: true },
      },
    },
  };
}

export type TornadoBar = { label: string; low: number; high: number; lowInput?: string; highInput?: string };

/** Horizontal floating bars around the base value, widest first. */
export function tornadoChart(bars: TornadoBar[], base: number, xTitle: string): { data: ChartData<'bar'>; options: ChartOptions<'bar'> } {
  const sorted = [...bars].sort((a, b) => Math.abs(b.high - b.low) - Math.abs(a.high - a.low));
  return {
    data: {
      labels: sorted.map((b) => b.label),
      datasets: [
        { label: 'Low value', data: sorted.map((b) => [base, b.low] as [number, number]), backgroundColor: '#0072B2', borderSkipped: false, barPercentage: 0.8, categoryPercentage: 0.9 },
        { label: 'High value', data: sorted.map((b) => [base, b.high] as [number, number]), backgroundColor: '#D55E00', borderSkipped: false, barPercentage: 0.8, categoryPercentage: 0.9 },
      ],
    },
    options: {
      indexAxis: 'y',
      responsive: true,
      plugins: { legend: { position: 'bottom' }, tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${formatNumber((c.raw as [number, number])[1], 2)}` } } },
      scales: { x: { title: axis(xTitle), stacked: false }, y: { stacked: true, ticks: { autoSkip: false } } },
    },
  };
}

export function barChart(labels: string[], series: CurveSeries[], yTitle: string): { data: ChartData<'bar'>; options: ChartOptions<'bar'> } {
  return {
    data: { labels, datasets: series.map((s, i) => ({ label: s.label, data: s.values, backgroundColor: colour(i) })) },
    options: { responsive: true, plugins: { legend: { position: 'bottom' } }, scales: { y: { title: axis(yTitle) } } },
  };
}
