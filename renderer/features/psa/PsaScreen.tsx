// Probabilistic sensitivity analysis: draws and seed, progress and Cancel, then summary,
// incremental table, CE plane, CEAC/CEAF and EVPI.
import { useMemo } from 'react';
import { ChartFrame } from '../../components/ChartFrame';
import { Empty, Panel, ScreenHeader } from '../../components/Panel';
import { cePlaneChart, curveChart } from '../../charts/configs';
import { formatCurrency, formatIcer, formatNumber, formatPercent, singularUnit } from '../../format/numbers';
import { useT } from '../../i18n';
import { serialiseModel } from '../../state/model-document';
import { useSession } from '../../state/use-model-session';
import { useAnalyses, useAnalysisRun } from '../../worker/analysis-store';
import { psaRequest } from '../../worker/psa-request';
import type { PsaResult } from '../../worker/engine';
import { ExportButton } from '../export/ExportButton';

export function PsaScreen() {
  const t = useT();
  const { doc, validation } = useSession();
  const { state, start, cancel } = useAnalysisRun<PsaResult>('psa');
  const { psaForm, setPsaForm } = useAnalyses();
  const { draws, seed, variant } = psaForm;
  const setDraws = (v: string) => setPsaForm({ ...psaForm, draws: v });
  const setSeed = (v: string) => setPsaForm({ ...psaForm, seed: v });
  const setVariant = (v: string) => setPsaForm({ ...psaForm, variant: v });
  const request = psaRequest(psaForm, serialiseModel(doc.present));
  const inputsOk = request !== null;
  const n = Number(draws);
  const running = state.status === 'running';
  const run = () => {
    const r = psaRequest(psaForm, serialiseModel(doc.present));
    if (r) void start(r);
  };
  const result = state.result;
  const effectOutcome = validation.model?.outcomes.find((o) => o.id === result?.settings.effectOutcome);
  const effectUnit = effectOutcome?.unit ?? 'unit';
  const currency = result?.settings.currency ?? validation.model?.settings.currency ?? 'EUR';
  const names = useMemo(() => new Map((result?.strategies ?? []).map((x) => [x.id, x.name])), [result]);

  const charts = useMemo(() => {
    if (!result) return null;
    const wtp = result.settings.wtpThresholds[0] ?? null;
    const plane = cePlaneChart(
      result.cePlane.series.map((sr) => ({ id: sr.id, label: `${names.get(sr.id) ?? sr.id} vs ${names.get(result.cePlane.comparator) ?? result.cePlane.comparator}`, points: sr.points.map((p) => ({ x: p.incrementalEffect, y: p.incrementalCost })) })),
      currency,
      effectUnit,
      wtp,
    );
    const wtps = result.ceac.map((c) => c.wtp);
    const ceac = curveChart(
      wtps,
      [
        ...result.strategies.map((st) => ({ id: st.id, label: st.name, values: result.ceac.map((c) => c.probabilities[st.id]) })),
      ],
      t('psa.axisCe'),
      currency,
      { percent: true },
    );
    const ceaf = curveChart(wtps, [{ id: 'ceaf', label: t('psa.ceafSeries'), values: result.ceaf.map((c) => c.probability) }], t('psa.axisCeaf'), currency, { percent: true, stepped: true });
    const evpi = curveChart(wtps, [{ id: 'evpi', label: t('psa.evpiSeries', { currency }), values: result.evpi.map((e) => e.value) }], `EVPI (${currency})`, currency);
    return { plane, ceac, ceaf, evpi };
  }, [result, names, currency, effectUnit, t]);

  const pct = state.progress && state.progress.total > 0 ? state.progress.done / state.progress.total : 0;
  return (
    <div className="screen" data-testid="screen-psa">
      <ScreenHeader title={t('psa.title')} subtitle={t('psa.subtitle')} actions={result && <ExportButton what="psa" />} />
      <Panel title={t('psa.runPanel')}>
        <div className="run-form">
          <label>
            {t('psa.draws')}
            <input className="cell-input num w-narrow" value={draws} onChange={(e) => setDraws(e.target.value)} inputMode="numeric" data-testid="psa-draws" aria-label={t('psa.draws')} />
          </label>
          <label>
            {t('psa.seed')}
            <input className="cell-input num w-narrow" value={seed} onChange={(e) => setSeed(e.target.value)} inputMode="numeric" data-testid="psa-seed" aria-label={t('psa.seed')} />
          </label>
          <label>
            {t('psa.variant')}
            <select value={variant} onChange={(e) => setVariant(e.target.value)} aria-label={t('psa.variantLabel')}>
              <option value="">{t('base.title')}</option>
              {(validation.model?.scenarios ?? []).map((sc) => (
                <option key={sc.id} value={`s:${sc.id}`}>
                  {t('psa.scenario', { name: sc.name })}
                </option>
              ))}
              {(validation.model?.subgroups ?? []).map((sg) => (
                <option key={sg.id} value={`g:${sg.id}`}>
                  {t('psa.subgroup', { name: sg.name })}
                </option>
              ))}
            </select>
          </label>
          {running ? (
            <button type="button" className="btn danger" onClick={cancel} data-testid="psa-cancel">
              {t('psa.cancel')}
            </button>
          ) : (
            <button type="button" className="btn primary" onClick={run} disabled={!inputsOk || !validation.valid} data-testid="psa-run">
              ▶ {t('psa.run')}
            </button>
          )}
          <div className="progress-wrap" aria-live="polite">
            {running && (
              <>
                <progress max={1} value={pct} data-testid="psa-progress" />
                <span className="progress-text" data-testid="psa-progress-text">
                  {formatNumber(state.progress?.done ?? 0, 0)} / {formatNumber(state.progress?.total ?? n, 0)} draws ({formatPercent(pct, 0)})
                </span>
              </>
            )}
            {state.status === 'cancelled' && <span className="muted" data-testid="psa-cancelled">{t('psa.cancelled')}</span>}
            {state.status === 'failed' && <span className="error-text" data-testid="psa-error">{state.error}</span>}
            {state.status === 'done' && result && (
              <span className="muted" data-testid="psa-done">
                {formatNumber(result.nDraws, 0)} draws, seed {result.seed}, in {((state.ms ?? 0) / 1000).toFixed(2)} s
              </span>
            )}
          </div>
        </div>
      </Panel>
      {!result ? (
        <Empty>{running ? t('psa.running') : t('psa.none')}</Empty>
      ) : (
        <>
          <Panel title={t('psa.means')} className="flush">
            <table className="data" data-testid="psa-summary">
              <thead>
                <tr>
                  <th>{t('common.strategy')}</th>
                  <th className="num">{t('psa.meanCost')}</th>
                  <th className="num">{t('psa.interval')}</th>
                  <th className="num">{t('psa.meanEffect', { unit: effectUnit })}</th>
                  <th className="num">{t('psa.interval')}</th>
                  <th className="num">ICER</th>
                  <th className="num">{t('psa.pce', { wtp: formatCurrency(result.settings.wtpThresholds[0], currency) })}</th>
                </tr>
              </thead>
              <tbody>
                {result.strategies.map((st) => {
                  const inc = result.incremental.find((r) => r.id === st.id);
                  const atWtp = result.ceac.find((c) => c.wtp === result.settings.wtpThresholds[0]);
                  return (
                    <tr key={st.id} data-strategy={st.id}>
                      <td>{st.name}</td>
                      <td className="num" data-value={st.meanCost}>
                        {formatCurrency(st.meanCost, currency, 2)}
                      </td>
                      <td className="num small">
                        {formatCurrency(st.costInterval[0], currency)} – {formatCurrency(st.costInterval[1], currency)}
                      </td>
                      <td className="num" data-value={st.meanEffect}>
                        {formatNumber(st.meanEffect, 4)}
                      </td>
                      <td className="num small">
                        {formatNumber(st.effectInterval[0], 3)} – {formatNumber(st.effectInterval[1], 3)}
                      </td>
                      <td className="num">{inc ? formatIcer(inc, currency, singularUnit(effectUnit)).text : ''}</td>
                      <td className="num">{atWtp ? formatPercent(atWtp.probabilities[st.id], 1) : ''}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <p className="hint pad">{t('psa.intervals', { method: result.intervalMethod })}</p>
          </Panel>
          {charts && (
            <div className="grid two">
              <ChartFrame name="psa-ce-plane" title={t('psa.plane')} type="scatter" data={charts.plane.data} options={charts.plane.options} />
              <ChartFrame name="psa-ceac" title={t('psa.ceac')} type="line" data={charts.ceac.data} options={charts.ceac.options} />
              <ChartFrame name="psa-ceaf" title={t('psa.ceaf')} type="line" data={charts.ceaf.data} options={charts.ceaf.options} />
              <ChartFrame name="psa-evpi" title={t('psa.evpi')} type="line" data={charts.evpi.data} options={charts.evpi.options} />
            </div>
          )}
        </>
      )}
    </div>
  );
}
