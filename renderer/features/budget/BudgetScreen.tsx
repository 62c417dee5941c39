// Budget impact (ISPOR good practice): yearly budget with and without the new technology.
import { useMemo } from 'react';
import { ChartFrame } from '../../components/ChartFrame';
import { Empty, Panel, ScreenHeader } from '../../components/Panel';
import { barChart } from '../../charts/configs';
import { formatCurrency, formatNumber, formatPercent } from '../../format/numbers';
import { useT } from '../../i18n';
import { serialiseModel } from '../../state/model-document';
import { useSession } from '../../state/use-model-session';
import { useAnalysisRun } from '../../worker/analysis-store';
import type { BudgetImpactResult } from '../../worker/engine';
import { ExportButton } from '../export/ExportButton';

export function BudgetScreen() {
  const t = useT();
  const { doc, validation } = useSession();
  const { state, start } = useAnalysisRun<BudgetImpactResult>('budget-impact');
  const spec = validation.model?.budgetImpact;
  const r = state.result;
  const currency = r?.currency ?? validation.model?.settings.currency ?? 'EUR';
  const names = new Map((validation.model?.strategies ?? []).map((s) => [s.id, s.name]));
  const chart = useMemo(() => {
    if (!r) return null;
    return barChart(
      r.yearly.map((y) => t('budget.yearN', { n: y.year })),
      [
        { id: 'without', label: t('budget.without'), values: r.yearly.map((y) => y.costWithout) },
        { id: 'with', label: t('budget.with'), values: r.yearly.map((y) => y.costWith) },
        { id: 'net', label: t('budget.net'), values: r.yearly.map((y) => y.netImpact) },
      ],
      t('budget.axis', { currency }),
    );
  }, [r, currency, t]);
  return (
    <div className="screen" data-testid="screen-budget">
      <ScreenHeader
        title={t('budget.title')}
        subtitle={spec ? t('budget.subtitle', { years: spec.years, population: spec.eligiblePopulation.map((n) => formatNumber(n, 0)).join(', ') }) : t('budget.noSpec')}
        actions={
          <>
            {r && <ExportButton what="budget-impact" />}
            <button type="button" className="btn primary" disabled={!validation.valid || !spec || state.status === 'running'} onClick={() => void start({ kind: 'budget-impact', modelText: serialiseModel(doc.present) })} data-testid="budget-run">
              ▶ {t('budget.run')}
            </button>
          </>
        }
      />
      {state.status === 'failed' && <p className="error-text">{state.error}</p>}
      {spec && (
        <Panel title={t('budget.shares')} className="flush">
          <table className="data">
            <thead>
              <tr>
                <th>{t('common.strategy')}</th>
                {Array.from({ length: spec.years }, (_, i) => (
                  <th key={i} className="num">
                    {t('budget.yearN', { n: i + 1 })}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {Object.keys(spec.sharesWith).map((id) => (
                <tr key={id}>
                  <td>{names.get(id) ?? id}</td>
                  {Array.from({ length: spec.years }, (_, i) => (
                    <td key={i} className="num">
                      {formatPercent(spec.sharesWithout[id]?.[i] ?? 0, 0)} / {formatPercent(spec.sharesWith[id]?.[i] ?? 0, 0)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
      )}
      {r ? (
        <div className="grid two">
          <Panel title={t('budget.byYear', { total: formatCurrency(r.totalNetImpact, currency) })} className="flush">
            <table className="data" data-testid="budget-table">
              <thead>
                <tr>
                  <th>{t('budget.year')}</th>
                  <th className="num">{t('budget.eligible')}</th>
                  <th className="num">{t('budget.withoutShort')}</th>
                  <th className="num">{t('budget.withShort')}</th>
                  <th className="num">{t('budget.netShort')}</th>
                  <th className="num">{t('budget.perPatient')}</th>
                </tr>
              </thead>
              <tbody>
                {r.yearly.map((y) => (
                  <tr key={y.year}>
                    <td>{y.year}</td>
                    <td className="num">{formatNumber(y.eligiblePopulation, 0)}</td>
                    <td className="num">{formatCurrency(y.costWithout, currency)}</td>
                    <td className="num">{formatCurrency(y.costWith, currency)}</td>
                    <td className="num">{formatCurrency(y.netImpact, currency)}</td>
                    <td className="num">{formatCurrency(y.netImpactPerPatient, currency, 2)}</td>
                  </tr>
                ))}
                <tr className="total">
                  <td>{t('budget.total')}</td>
                  <td />
                  <td className="num">{formatCurrency(r.totalWithout, currency)}</td>
                  <td className="num">{formatCurrency(r.totalWith, currency)}</td>
                  <td className="num">{formatCurrency(r.totalNetImpact, currency)}</td>
                  <td />
                </tr>
              </tbody>
            </table>
            <p className="hint pad">{r.method}</p>
          </Panel>
          {chart && <ChartFrame name="budget-impact" title={t('budget.chart')} type="bar" data={chart.data} options={chart.options} />}
        </div>
      ) : (
        <Empty>{spec ? t('budget.runToSee') : t('budget.addSpec')}</Empty>
      )}
    </div>
  );
}
