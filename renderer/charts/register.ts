// chart.js with only the pieces the result charts use (tree-shaken build).
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  type Plugin,
  PointElement,
  ScatterController,
  Title,
  Tooltip,
} from 'chart.js';

/** Paints a white background so exported PNGs are not transparent. */
const whiteBackground: Plugin = {
  id: 'htaWhiteBackground',
  beforeDraw(chart) {
    const { ctx } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

let registered = false;
export function registerCharts(): void {
  if (registered) return;
  registered = true;
  Chart.register(LineController, LineElement, PointElement, ScatterController, BarController, BarElement, LinearScale, CategoryScale, Filler, Legend, Tooltip, Title, whiteBackground);
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
  Chart.defaults.font.size = 11;
  Chart.defaults.color = '#334155';
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
}

/** Strategy colours (colour-blind safe, Okabe–Ito). */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];
export const colour = (i: number) => PALETTE[i % PALETTE.length];

export { Chart };
