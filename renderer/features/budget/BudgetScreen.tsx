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
      r.yearly.map((y) => `Year ${y.year}`),
      [
        { id: 'without', label: 'Without the new technology', values: r.yearly.map((y) => y.costWithout) },
        { id: 'with', label: 'With the new technology', values: r.yearly.map((y) => y.costWith) },
        { id: 'net', label: 'Net budget impact', values: r.yearly.map((y) => y.netImpact) },
      ],
      `Budget (${currency})`,
    );
  }, [r, currency]);
  return (
    <div className="screen" data-testid="screen-budget">
      <ScreenHeader
        title={t('budget.title')}
        subtitle={spec ? `${spec.years} budget years; eligible population ${spec.eligiblePopulation.map((n) => formatNumber(n, 0)).join(', ')}. Undiscounted costs, each year's eligible patients treated as an incident cohort.` : 'This model has no budget-impact specification.'}
        actions={
          <>
            {r && <ExportButton what="budget-impact" />}
            <button type="button" className="btn primary" disabled={!validation.valid || !spec || state.status === 'running'} onClick={() => void start({ kind: 'budget-impact', modelText: serialiseModel(doc.present) })} data-testid="budget-run">
              ▶ Run budget impact
            </button>
          </>
        }
      />
      {state.status === 'failed' && <p className="error-text">{state.error}</p>}
      {spec && (
        <Panel title="Market shares (without / with the new technology)" className="flush">
          <table className="data">
            <thead>
              <tr>
                <th>Strategy</th>
                {Array.from({ length: spec.years }, (_, i) => (
                  <th key={i} className="num">
                    Year {i + 1}
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
          <Panel title={`Budget by year: total net impact ${formatCurrency(r.totalNetImpact, currency)}`} className="flush">
            <table className="data" data-testid="budget-table">
              <thead>
                <tr>
                  <th>Year</th>
                  <th className="num">Eligible</th>
                  <th className="num">Without</th>
                  <th className="num">With</th>
                  <th className="num">Net impact</th>
                  <th className="num">Per patient</th>
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
                  <td>Total</td>
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
          {chart && <ChartFrame name="budget-impact" title="Budget impact by year" type="bar" data={chart.data} options={chart.options} />}
        </div>
      ) : (
        <Empty>{spec ? 'Run the budget impact analysis.' : 'Add a budgetImpact section to the model file to use this screen.'}</Empty>
      )}
    </div>
  );
}
