// Deterministic sensitivity analysis: one-way (tornado), two-way grid and threshold search.
import { useMemo, useState } from 'react';
import { ChartFrame } from '../../components/ChartFrame';
import { Empty, Panel, ScreenHeader } from '../../components/Panel';
import { tornadoChart } from '../../charts/configs';
import { formatCurrency, formatNumber, formatValue } from '../../format/numbers';
import { useT } from '../../i18n';
import { serialiseModel } from '../../state/model-document';
import { useSession } from '../../state/use-model-session';
import { useAnalysisRun } from '../../worker/analysis-store';
import type { MetricChoice } from '../../worker/analysis-protocol';
import type { OneWayDsaResult, ThresholdResult, TwoWayDsaResult } from '../../worker/engine';
import { ExportButton } from '../export/ExportButton';

const METRICS = [
  { id: 'nmb', label: 'dsa.metric.nmb' },
  { id: 'icer', label: 'common.icer' },
  { id: 'cost', label: 'common.incCost' },
  { id: 'effect', label: 'common.incEffect' },
] as const;

export function DsaScreen() {
  const t = useT();
  const { doc, validation } = useSession();
  const model = validation.model;
  const strategies = model?.strategies ?? [];
  const currency = model?.settings.currency ?? 'EUR';
  const [metric, setMetric] = useState<string>('nmb');
  const [strategy, setStrategy] = useState('');
  const [comparator, setComparator] = useState('');
  const oneWay = useAnalysisRun<OneWayDsaResult>('dsa-one-way');
  const twoWay = useAnalysisRun<TwoWayDsaResult>('dsa-two-way');
  const threshold = useAnalysisRun<ThresholdResult>('threshold');
  const ranged = (model?.parameters ?? []).filter((p) => (p.low !== undefined && p.high !== undefined) || (p.distribution && p.distribution.type !== 'fixed'));
  const [p1, setP1] = useState('');
  const [p2, setP2] = useState('');
  const [steps, setSteps] = useState('7');
  const [tp, setTp] = useState('');
  const choice = (): MetricChoice => ({
    outcome: metric,
    ...(strategy ? { strategy } : {}),
    ...(comparator ? { comparator } : metric === 'nmb' || metric === 'icer' ? {} : { comparator: strategies[0]?.id ?? null }),
  });
  const text = () => serialiseModel(doc.present);

  const tornado = useMemo(() => {
    const r = oneWay.state.result;
    if (!r) return null;
    const fmt = (p: number) => formatValue(p);
    return tornadoChart(
      r.rows.slice(0, 15).map((row) => ({ label: `${shorten(row.label || row.parameter, 38)} (${fmt(row.low)} – ${fmt(row.high)})`, low: row.outcomeLow, high: row.outcomeHigh })),
      r.base,
      r.description,
    );
  }, [oneWay.state.result]);

  const strategySelect = (value: string, set: (v: string) => void, label: string, allowDefault: string) => (
    <label>
      {label}
      <select value={value} onChange={(e) => set(e.target.value)} aria-label={label}>
        <option value="">{allowDefault}</option>
        {strategies.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
    </label>
  );
  const nameOf = (id: string) => strategies.find((x) => x.id === id)?.name ?? id;
  const isMoney = metric === 'nmb' || metric === 'cost' || metric === 'icer';
  const fmtMetric = (v: number) => (isMoney ? formatCurrency(v, currency, 0) : formatNumber(v, 4));

  return (
    <div className="screen" data-testid="screen-dsa">
      <ScreenHeader title={t('dsa.title')} subtitle={t('dsa.subtitle')} actions={oneWay.state.result && <ExportButton what="dsa" />} />
      <Panel title={t('base.outcome')}>
        <div className="run-form">
          <label>
            {t('dsa.metric')}
            <select value={metric} onChange={(e) => setMetric(e.target.value)} aria-label={t('dsa.metric')}>
              {METRICS.map((m) => (
                <option key={m.id} value={m.id}>
                  {t(m.label)}
                </option>
              ))}
            </select>
          </label>
          {strategySelect(strategy, setStrategy, t('common.strategy'), t('dsa.defaultStrategy'))}
          {strategySelect(comparator, setComparator, t('dsa.comparator'), t('dsa.defaultComparator'))}
        </div>
      </Panel>
      <div className="grid dsa-top">
        <Panel
          title={t('dsa.oneWay')}
          actions={
            <button type="button" className="btn primary small" disabled={!validation.valid || oneWay.state.status === 'running'} onClick={() => void oneWay.start({ kind: 'dsa-one-way', modelText: text(), metric: choice() })} data-testid="dsa-run">
              ▶ {t('dsa.runOneWay')}
            </button>
          }
        >
          {oneWay.state.status === 'failed' && <p className="error-text">{oneWay.state.error}</p>}
          {oneWay.state.result ? (
            <>
              <p className="hint">
                {oneWay.state.result.description}; {t('dsa.baseValue')} <b>{fmtMetric(oneWay.state.result.base)}</b>. {t('dsa.skipped', { n: oneWay.state.result.skipped.length })}
              </p>
              <div className="table-scroll short">
                <table className="data" data-testid="tornado-table">
                  <thead>
                    <tr>
                      <th>{t('overview.parameter')}</th>
                      <th className="num">{t('params.low')}</th>
                      <th className="num">{t('params.high')}</th>
                      <th className="num">{t('dsa.atLow')}</th>
                      <th className="num">{t('dsa.atHigh')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {oneWay.state.result.rows.map((r) => (
                      <tr key={r.parameter}>
                        <td title={r.label} className="mono">
                          {r.parameter}
                        </td>
                        <td className="num">{formatValue(r.low)}</td>
                        <td className="num">{formatValue(r.high)}</td>
                        <td className="num">{fmtMetric(r.outcomeLow)}</td>
                        <td className="num">{fmtMetric(r.outcomeHigh)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          ) : (
            <Empty>{t('dsa.runToSee')}</Empty>
          )}
        </Panel>
        {tornado ? (
          <ChartFrame name="dsa-tornado" title={t('dsa.tornado')} type="bar" data={tornado.data} options={tornado.options} height="tall" />
        ) : (
          <Panel title={t('dsa.tornado')}>
            <Empty>{t('dsa.noResults')}</Empty>
          </Panel>
        )}
      </div>
      <div className="grid two">
        <Panel title={t('dsa.twoWay')}>
          <div className="run-form">
            <ParamSelect label={t('dsa.param1')} value={p1} set={setP1} options={ranged.map((p) => p.id)} />
            <ParamSelect label={t('dsa.param2')} value={p2} set={setP2} options={ranged.map((p) => p.id)} />
            <label>
              {t('dsa.steps')}
              <input className="cell-input num w-narrow" value={steps} onChange={(e) => setSteps(e.target.value)} aria-label={t('dsa.steps')} />
            </label>
            <button
              type="button"
              className="btn primary small"
              disabled={!validation.valid || !p1 || !p2 || p1 === p2 || twoWay.state.status === 'running'}
              onClick={() => void twoWay.start({ kind: 'dsa-two-way', modelText: text(), metric: choice(), parameters: [p1, p2], steps: Math.max(2, Math.min(25, Number(steps) || 7)) })}
            >
              ▶ {t('dsa.runTwoWay')}
            </button>
            {twoWay.state.result && <ExportButton what="dsa-two-way" />}
          </div>
          {twoWay.state.status === 'failed' && <p className="error-text">{twoWay.state.error}</p>}
          {twoWay.state.result && (
            <div className="table-scroll short">
              <table className="data grid-table">
                <thead>
                  <tr>
                    <th>
                      {twoWay.state.result.parameters[0]} \ {twoWay.state.result.parameters[1]}
                    </th>
                    {twoWay.state.result.values2.map((v, j) => (
                      <th key={j} className="num">
                        {formatValue(v)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {twoWay.state.result.grid.map((row, i) => (
                    <tr key={i}>
                      <th className="num">{formatValue(twoWay.state.result!.values1[i])}</th>
                      {row.map((v, j) => (
                        <td key={j} className={`num ${metric === 'nmb' ? (v >= 0 ? 'pos' : 'neg') : ''}`}>
                          {fmtMetric(v)}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Panel>
        <Panel title={t('dsa.threshold')}>
          <div className="run-form">
            <ParamSelect label={t('overview.parameter')} value={tp} set={setTp} options={ranged.map((p) => p.id)} />
            <button
              type="button"
              className="btn primary small"
              disabled={!validation.valid || !tp || threshold.state.status === 'running'}
              onClick={() => void threshold.start({ kind: 'threshold', modelText: text(), parameter: tp, ...(strategy ? { strategy } : {}), ...(comparator ? { comparator } : {}) })}
            >
              ▶ {t('dsa.findThreshold')}
            </button>
            {threshold.state.result && <ExportButton what="threshold" />}
          </div>
          {threshold.state.status === 'failed' && <p className="error-text">{threshold.state.error}</p>}
          {threshold.state.result && (
            <div className="threshold-result" data-testid="threshold-result">
              {threshold.state.result.status === 'none' && <p>{threshold.state.result.message}</p>}
              {threshold.state.result.thresholds.map((x, i) => (
                <p key={i}>
                  <b>{tp}</b> = <b>{formatValue(x.value)}</b>: {t('dsa.thresholdAt', { below: nameOf(x.preferredBelow), above: nameOf(x.preferredAbove), wtp: formatCurrency(threshold.state.result!.wtp, currency) })}
                </p>
              ))}
              <p className="hint">
                {t('dsa.searched', { low: formatValue(threshold.state.result.range[0]), high: formatValue(threshold.state.result.range[1]), base: formatValue(threshold.state.result.baseValue) })} {threshold.state.result.method}.
              </p>
            </div>
          )}
        </Panel>
      </div>
    </div>
  );
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function ParamSelect({ label, value, set, options }: { label: string; value: string; set: (v: string) => void; options: string[] }) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => set(e.target.value)} aria-label={label}>
        <option value="">—</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}
