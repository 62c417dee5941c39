// Scenario and subgroup analysis: every named variant evaluated at base values.
import { Empty, Panel, ScreenHeader } from '../../components/Panel';
import { formatCurrency, formatIcer, formatNumber, formatPercent, singularUnit } from '../../format/numbers';
import { useT } from '../../i18n';
import { serialiseModel } from '../../state/model-document';
import { useSession } from '../../state/use-model-session';
import { useAnalysisRun } from '../../worker/analysis-store';
import type { ScenarioAnalysisResult } from '../../worker/engine';
import { ExportButton } from '../export/ExportButton';

type Variant = ScenarioAnalysisResult['base'];

function IcerCell({ row, currency, effectUnit }: { row: Variant['incremental'][number] | undefined; currency: string; effectUnit: string }) {
  if (!row) return <td />;
  const icer = formatIcer(row, currency, singularUnit(effectUnit));
  const text = row.status === 'reference' ? 'ref.' : row.status === 'frontier' ? formatCurrency(row.icer, currency, 0) : icer.text;
  return (
    <td className={`num icer ${icer.kind} nowrap small`} title={icer.text}>
      {text}
    </td>
  );
}

function VariantTable({ title, variants, currency, effectUnit, extra }: { title: string; variants: (Variant & { weight?: number; normalisedWeight?: number })[]; currency: string; effectUnit: string; extra?: 'weight' }) {
  const t = useT();
  if (variants.length === 0) return null;
  const strategyIds = variants[0].strategies.map((s) => s.id);
  const names = new Map(variants[0].strategies.map((s) => [s.id, s.name]));
  return (
    <Panel title={title} className="flush">
      <div className="table-scroll">
        <table className="data variants">
          <thead>
            <tr>
              <th rowSpan={2}>{t('scenarios.variant')}</th>
              {extra === 'weight' && (
                <th rowSpan={2} className="num">
                  {t('overview.weight')}
                </th>
              )}
              {strategyIds.map((id) => (
                <th key={id} colSpan={3} className="group">
                  {names.get(id)}
                </th>
              ))}
              <th rowSpan={2}>{t('scenarios.optimal')}</th>
            </tr>
            <tr>
              {strategyIds.map((id) => [
                <th key={`c${id}`} className="num sub">
                  {t('common.cost')}
                </th>,
                <th key={`e${id}`} className="num sub">
                  {effectUnit}
                </th>,
                <th key={`i${id}`} className="num sub">
                  ICER
                </th>,
              ])}
            </tr>
          </thead>
          <tbody>
            {variants.map((v) => {
              return (
                <tr key={v.id ?? 'base'}>
                  <td title={v.description ?? undefined}>{v.name}</td>
                  {extra === 'weight' && <td className="num">{formatPercent(v.normalisedWeight ?? 0, 1)}</td>}
                  {strategyIds.map((id) => {
                    const st = v.strategies.find((s) => s.id === id);
                    return [
                      <td key={`c${id}`} className="num">
                        {formatCurrency(st?.cost, currency, 0)}
                      </td>,
                      <td key={`e${id}`} className="num">
                        {formatNumber(st?.effect, 4)}
                      </td>,
                      <IcerCell key={`i${id}`} row={v.incremental.find((r) => r.id === id)} currency={currency} effectUnit={effectUnit} />,
                    ];
                  })}
                  <td className="nowrap">{names.get(v.netBenefit[0]?.optimal ?? '') ?? ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}

export function ScenariosScreen() {
  const t = useT();
  const { doc, validation } = useSession();
  const { state, start } = useAnalysisRun<ScenarioAnalysisResult>('scenarios');
  const r = state.result;
  const currency = validation.model?.settings.currency ?? 'EUR';
  const effect = validation.model?.outcomes.find((o) => o.id === validation.model?.settings.effectOutcome);
  const unit = effect?.unit ?? 'unit';
  return (
    <div className="screen" data-testid="screen-scenarios">
      <ScreenHeader
        title={t('scenarios.title')}
        subtitle={t('scenarios.subtitle', { s: validation.model?.scenarios.length ?? 0, g: validation.model?.subgroups.length ?? 0 })}
        actions={
          <>
            {r && <ExportButton what="scenarios" />}
            <button type="button" className="btn primary" disabled={!validation.valid || state.status === 'running'} onClick={() => void start({ kind: 'scenarios', modelText: serialiseModel(doc.present) })} data-testid="scenarios-run">
              ▶ {t('scenarios.run')}
            </button>
          </>
        }
      />
      {state.status === 'failed' && <p className="error-text">{state.error}</p>}
      {!r ? (
        <Empty>{t('scenarios.runToSee')}</Empty>
      ) : (
        <>
          <VariantTable title={t('overview.scenarios')} variants={[r.base, ...r.scenarios]} currency={currency} effectUnit={unit} />
          <VariantTable title={t('overview.subgroups')} variants={[...r.subgroups, ...(r.weightedTotal ? [{ ...r.weightedTotal, normalisedWeight: 1 }] : [])]} currency={currency} effectUnit={unit} extra="weight" />
        </>
      )}
    </div>
  );
}
