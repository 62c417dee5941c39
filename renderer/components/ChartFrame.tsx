// A chart.js chart in a panel, with a PNG export button. The chart registers itself under `name`
// so whole-result Excel exports can embed it.
import type { ChartData, ChartOptions, ChartType } from 'chart.js';
import { useEffect, useRef } from 'react';
import { Chart as ReactChart } from 'react-chartjs-2';
import { registerChart, dataUrlToBytes } from '../charts/chart-registry';
import { useMountSlot } from '../charts/mount-queue';
import { Chart, registerCharts } from '../charts/register';
import { useSession } from '../state/use-model-session';
import { Panel } from './Panel';

registerCharts();

export function ChartFrame<T extends ChartType>(props: {
  name: string;
  title: string;
  type: T;
  data: ChartData<T>;
  options: ChartOptions<T>;
  height?: 'short' | 'medium' | 'tall';
}) {
  const { host, setNotice } = useSession();
  const ref = useRef<Chart<T> | null>(null);
  const ready = useMountSlot();
  useEffect(() => {
    registerChart(props.name, ref.current as unknown as Chart);
    return () => registerChart(props.name, null);
  });
  const exportPng = async () => {
    const chart = ref.current;
    if (!chart) return;
    try {
      const saved = await host.saveExport({ bytes: dataUrlToBytes(chart.toBase64Image('image/png', 1)), suggestedName: `${props.name}.png`, kind: 'png' });
      if (saved) setNotice({ kind: 'info', text: `Saved ${saved.name}` });
    } catch (error) {
      setNotice({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
    }
  };
  return (
    <Panel
      title={props.title}
      className="chart-panel"
      testId={`chart-${props.name}`}
      actions={
        <button type="button" className="btn small" onClick={() => void exportPng()} title="Save the chart as a PNG image">
          PNG
        </button>
      }
    >
      <div className={`chart-box ${props.height ?? 'medium'}`}>
        {ready ? (
          <ReactChart ref={ref as never} type={props.type as ChartType} data={props.data as ChartData} options={props.options as ChartOptions} data-chart={props.name} />
        ) : (
          <div className="chart-placeholder">Drawing…</div>
        )}
      </div>
    </Panel>
  );
}
