// Model overview: metadata, settings, outcomes, strategies, scenarios, subgroups, presets.
import { EditCell, IssueText, SelectCell } from '../../components/EditCell';
import { Empty, Panel, ScreenHeader } from '../../components/Panel';
import { RenameField } from '../../components/RenameField';
import { formatCurrency, formatPercent } from '../../format/numbers';
import { formatDurationIn, useT } from '../../i18n';
import { otherStrategyIds, renameStrategy } from '../../state/rename-references';
import type { ModelJson } from '../../state/model-document';
import { useSession } from '../../state/use-model-session';
import { MetadataPanel } from './MetadataPanel';
import { OutcomesPanel } from './OutcomesPanel';
import { OverridesTable } from './OverridesTable';
import { SettingsPatchEditor } from './SettingsPatch';
import { StrategyEntry } from './StrategyEntry';
import { StrategyOverrides } from './StrategyOverrides';

const CORRECTIONS = ['none', 'beginning', 'half-cycle', 'trapezoidal', 'simpson'] as const;
const UNITS = ['days', 'weeks', 'months', 'years'] as const;

type SettingsLike = Record<string, unknown> | undefined;

/** `prefix_N` with the smallest N >= count + 1 not already taken. */
export function uniqueId(prefix: string, taken: readonly string[]): string {
  let n = taken.length + 1;
  while (taken.includes(`${prefix}_${n}`)) n++;
  return `${prefix}_${n}`;
}

/** True when every setting of the preset equals the model's current setting. */
export function presetApplied(settings: SettingsLike, patch: Record<string, unknown>): boolean {
  return Object.entries(patch).every(([k, v]) => JSON.stringify(settings?.[k]) === JSON.stringify(v));
}

function describeSettings(patch: Record<string, unknown>, currency: string): string {
  const parts: string[] = [];
  const rates = patch.discountRates as { costs: number; effects: number } | undefined;
  if (rates) parts.push(`discount ${formatPercent(rates.costs, 1)} costs, ${formatPercent(rates.effects, 1)} effects`);
  if (patch.withinCycleCorrection) parts.push(`correction: ${String(patch.withinCycleCorrection)}`);
  if (patch.perspective) parts.push(`perspective: ${String(patch.perspective)}`);
  if (Array.isArray(patch.wtpThresholds)) parts.push(`WTP ${(patch.wtpThresholds as number[]).map((w) => formatCurrency(w, (patch.currency as string) ?? currency)).join(', ')}`);
  if (patch.timeHorizon) parts.push(`horizon ${JSON.stringify(patch.timeHorizon)}`);
  return parts.join('; ');
}

type Scenario = NonNullable<ModelJson['scenarios']>[number];
type Subgroup = NonNullable<ModelJson['subgroups']>[number];

/**
 * One scenario or subgroup as a card: name, description, (subgroup) population weight, its issues,
 * parameter overrides, strategy-specific overrides and (scenario) settings changes.
 */
function VariantCard({ list, index, variant, onRemove }: { list: 'scenarios' | 'subgroups'; index: number; variant: Scenario | Subgroup; onRemove: () => void }) {
  const t = useT();
  const { validation } = useSession();
  const kind = list === 'scenarios' ? 'scenario' : 'subgroup';
  const owner = `${kind} ${variant.id}`;
  const rowIssues = [...validation.issues.at(`/${list}/${index}`), ...validation.issues.at(`/${list}/${index}/overrides`)];
  return (
    <div className="variant" {...{ [`data-${kind}`]: variant.id }}>
      <div className="variant-head">
        <span className="mono small variant-id">{variant.id}</span>
        <EditCell path={[list, index, 'name']} value={variant.name} kind="text" label={`Name of ${owner}`} />
        <EditCell path={[list, index, 'description']} value={variant.description} kind="optional-text" label={`Description of ${owner}`} placeholder={t('overview.description')} width="wide" />
        {list === 'subgroups' && (
          <label className="inline-label">
            {t('overview.weight')}
            <EditCell path={[list, index, 'weight']} value={(variant as Subgroup).weight} kind="number" label={`Weight of ${owner}`} align="right" width="narrow" />
          </label>
        )}
        <span className="spacer" />
        <button type="button" className="x" title={t(list === 'scenarios' ? 'overview.removeScenario' : 'overview.removeSubgroup')} aria-label={`Remove ${owner}`} onClick={onRemove}>
          ×
        </button>
      </div>
      {rowIssues.length > 0 && <IssueText issues={rowIssues} />}
      <div className="variant-body">
        <section className="variant-section">
          <h3>{t('overview.overrides')}</h3>
          <OverridesTable path={[list, index, 'overrides']} overrides={variant.overrides} owner={owner} testId={`overrides-${kind}-${variant.id}`} />
        </section>
        <section className="variant-section">
          <h3>{t('overview.strategyOverrides')}</h3>
          <StrategyOverrides path={[list, index, 'strategyOverrides']} value={variant.strategyOverrides} owner={owner} testId={`strategy-overrides-${kind}-${variant.id}`} />
        </section>
        {list === 'scenarios' && (
          <section className="variant-section">
            <h3>{t('overview.settingsPatch')}</h3>
            <SettingsPatchEditor path={[list, index, 'settings']} value={(variant as Scenario).settings} owner={owner} testId={`settings-${kind}-${variant.id}`} />
          </section>
        )}
      </div>
    </div>
  );
}

export function OverviewScreen() {
  const t = useT();
  const { doc, validation, dispatch } = useSession();
  const m = doc.present;
  const s = m.settings;
  const wtp = s?.wtpThresholds ?? [];
  const scenarios = m.scenarios ?? [];
  const subgroups = m.subgroups ?? [];
  const addWtp = () => dispatch({ type: 'set', path: ['settings', 'wtpThresholds', wtp.length], value: wtp.length > 0 ? wtp[wtp.length - 1] : 0, label: 'Add WTP threshold' });
  const removeWtp = (index: number) =>
    dispatch({ type: 'set', path: ['settings', 'wtpThresholds'], value: wtp.filter((_, i) => i !== index), label: 'Remove WTP threshold' });
  const addScenario = () => {
    const id = uniqueId('scenario', scenarios.map((x) => x.id));
    dispatch({ type: 'set', path: ['scenarios', scenarios.length], value: { id, name: `Scenario ${scenarios.length + 1}`, overrides: {} }, label: 'Add scenario' });
  };
  const removeScenario = (index: number) =>
    dispatch({ type: 'set', path: ['scenarios'], value: scenarios.filter((_, i) => i !== index), label: `Remove scenario ${scenarios[index].id}` });
  const addSubgroup = () => {
    const id = uniqueId('subgroup', subgroups.map((x) => x.id));
    dispatch({ type: 'set', path: ['subgroups', subgroups.length], value: { id, name: `Subgroup ${subgroups.length + 1}`, weight: 1, overrides: {} }, label: 'Add subgroup' });
  };
  const removeSubgroup = (index: number) =>
    dispatch({ type: 'set', path: ['subgroups'], value: subgroups.filter((_, i) => i !== index), label: `Remove subgroup ${subgroups[index].id}` });
  const strategies = m.strategies ?? [];
  const addStrategy = () => {
    const id = uniqueId('strategy', strategies.map((x) => x.id));
    const models = m.markovModels ?? [];
    const trees = m.trees ?? [];
    const entry = models.length === 0 && trees.length > 0 ? { kind: 'tree' as const, tree: trees[0].id } : { kind: 'markov' as const, model: models[0]?.id ?? '' };
    dispatch({ type: 'set', path: ['strategies', strategies.length], value: { id, name: `Strategy ${strategies.length + 1}`, entry }, label: 'Add strategy' });
  };
  const removeStrategy = (index: number) =>
    dispatch({ type: 'set', path: ['strategies'], value: strategies.filter((_, i) => i !== index), label: `Remove strategy ${strategies[index].id}` });
  const strategiesIssues = validation.issues.at('/strategies');
  const wtpIssues = validation.issues.at('/settings/wtpThresholds');
  const currency = s?.currency ?? 'EUR';
  const outcomeIds = [...new Set((m.outcomes ?? []).map((o) => o.id))];
  const outcomeOptions = (current: string | undefined) => (current === undefined || outcomeIds.includes(current) ? outcomeIds : [current, ...outcomeIds]);
  return (
    <div className="screen" data-testid="screen-overview">
      <ScreenHeader title={m.metadata?.name || t('metadata.untitled')} subtitle={m.metadata?.description} />
      <div className="grid two">
        <Panel title={t('overview.settings')}>
          <table className="form-table">
            <tbody>
              <tr>
                <th>{t('settings.cycleLength')}</th>
                <td className="inline">
                  <EditCell path={['settings', 'cycleLength', 'value']} value={s?.cycleLength?.value} kind="number" label="Cycle length" align="right" width="narrow" />
                  <SelectCell path={['settings', 'cycleLength', 'unit']} value={s?.cycleLength?.unit} options={UNITS} label="Cycle length unit" />
                </td>
              </tr>
              <tr>
                <th>{t('settings.timeHorizon')}</th>
                <td className="inline">
                  <EditCell path={['settings', 'timeHorizon', 'value']} value={s?.timeHorizon?.value} kind="number" label="Time horizon" align="right" width="narrow" />
                  <SelectCell path={['settings', 'timeHorizon', 'unit']} value={s?.timeHorizon?.unit} options={UNITS} label="Time horizon unit" />
                  {validation.baseCase && <span className="hint">{t('overview.nCycles', { n: validation.baseCase.settings.nCycles })}</span>}
                </td>
              </tr>
              <tr>
                <th>{t('settings.discountCosts')}</th>
                <td className="inline">
                  <EditCell path={['settings', 'discountRates', 'costs']} value={s?.discountRates?.costs} kind="number" label="Discount rate for costs" align="right" width="narrow" />
                  <span className="hint">{formatPercent(s?.discountRates?.costs, 1)} {t('settings.perYear')}</span>
                </td>
              </tr>
              <tr>
                <th>{t('settings.discountEffects')}</th>
                <td className="inline">
                  <EditCell path={['settings', 'discountRates', 'effects']} value={s?.discountRates?.effects} kind="number" label="Discount rate for effects" align="right" width="narrow" />
                  <span className="hint">{formatPercent(s?.discountRates?.effects, 1)} {t('settings.perYear')}</span>
                </td>
              </tr>
              <tr>
                <th>{t('settings.withinCycleCorrection')}</th>
                <td>
                  <SelectCell path={['settings', 'withinCycleCorrection']} value={s?.withinCycleCorrection ?? 'none'} options={CORRECTIONS} label="Within-cycle correction" />
                </td>
              </tr>
              <tr>
                <th>{t('settings.currencyYear')}</th>
                <td className="inline">
                  <EditCell path={['settings', 'currency']} value={s?.currency} kind="text" label="Currency" width="narrow" />
                  <EditCell path={['settings', 'priceYear']} value={s?.priceYear} kind="optional-number" label="Price year" width="narrow" align="right" />
                </td>
              </tr>
              <tr>
                <th>{t('settings.perspective')}</th>
                <td>
                  <EditCell path={['settings', 'perspective']} value={s?.perspective} kind="optional-text" label="Perspective" width="wide" />
                </td>
              </tr>
              <tr>
                <th>{t('overview.wtp')}</th>
                <td data-testid="wtp-thresholds">
                  <div className="inline">
                    {wtp.map((w, i) => (
                      <div key={i} className="cell-with-remove">
                        <EditCell path={['settings', 'wtpThresholds', i]} value={w} kind="number" label={`WTP threshold ${i + 1}`} align="right" width="narrow" />
                        <button type="button" className="x" title={t('overview.removeWtp')} aria-label={`Remove WTP threshold ${i + 1}`} disabled={wtp.length <= 1} onClick={() => removeWtp(i)}>
                          ×
                        </button>
                      </div>
                    ))}
                    <button type="button" className="btn small" onClick={addWtp} data-testid="wtp-add">
                      {t('overview.addWtp')}
                    </button>
                  </div>
                  <span className="hint">
                    {wtp.map((w) => formatCurrency(w, currency)).join(', ')} {t('overview.perEffect')}
                  </span>
                  {wtpIssues.length > 0 && (
                    <div data-path="/settings/wtpThresholds">
                      <IssueText issues={wtpIssues} />
                    </div>
                  )}
                </td>
              </tr>
              <tr>
                <th>{t('outcomes.primary')}</th>
                <td className="inline">
                  <SelectCell path={['settings', 'costOutcome']} value={s?.costOutcome} options={outcomeOptions(s?.costOutcome)} label="Cost outcome" />
                  <SelectCell path={['settings', 'effectOutcome']} value={s?.effectOutcome} options={outcomeOptions(s?.effectOutcome)} label="Effect outcome" />
                </td>
              </tr>
              <tr>
                <th>{t('settings.cohortSize')}</th>
                <td>
                  <EditCell path={['settings', 'cohortSize']} value={s?.cohortSize} kind="optional-number" label="Cohort size" align="right" width="narrow" placeholder="1" />
                </td>
              </tr>
            </tbody>
          </table>
        </Panel>
        <div className="stack">
          <OutcomesPanel />
          {validation.baseCase && (
            <p className="hint">
              {t('overview.cyclesOver', {
                cycle: formatDurationIn(t, validation.baseCase.settings.cycleLength.value, validation.baseCase.settings.cycleLength.unit),
                horizon: formatDurationIn(t, validation.baseCase.settings.timeHorizon.value, validation.baseCase.settings.timeHorizon.unit),
              })}
            </p>
          )}
        </div>
      </div>
      <Panel
        title={t('overview.strategies')}
        actions={
          <button type="button" className="btn small" onClick={addStrategy} data-testid="strategy-add">
            {t('overview.addStrategy')}
          </button>
        }
      >
        {strategiesIssues.length > 0 && (
          <div data-path="/strategies">
            <IssueText issues={strategiesIssues} />
          </div>
        )}
        <div className="x-scroll">
          <table className="data strategies">
            <thead>
              <tr>
                <th>{t('outcomes.id')}</th>
                <th>{t('overview.name')}</th>
                <th>{t('overview.entry')}</th>
                <th>{t('overview.description')}</th>
                <th>{t('overview.overrides')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {strategies.map((st, i) => (
                <tr key={i} data-strategy={st.id}>
                  <td className="mono">
                    <RenameField
                      value={st.id}
                      label={`Id of strategy ${i + 1}`}
                      pointer={`/strategies/${i}/id`}
                      taken={otherStrategyIds(doc.present, i)}
                      onRename={(to) => dispatch({ type: 'replace', model: renameStrategy(doc.present, i, to), label: `Rename strategy ${st.id} to ${to}` })}
                    />
                  </td>
                  <td>
                    <EditCell path={['strategies', i, 'name']} value={st.name} kind="text" label={`Name of strategy ${st.id}`} />
                  </td>
                  <td>
                    <StrategyEntry index={i} />
                  </td>
                  <td>
                    <EditCell path={['strategies', i, 'description']} value={st.description} kind="optional-text" label={`Description of strategy ${st.id}`} placeholder={t('overview.description')} width="wide" />
                  </td>
                  <td>
                    <OverridesTable path={['strategies', i, 'overrides']} overrides={st.overrides} owner={`strategy ${st.id}`} testId={`overrides-strategy-${st.id}`} />
                  </td>
                  <td>
                    <button type="button" className="x" title={t('overview.removeStrategy')} aria-label={`Remove strategy ${st.id}`} disabled={strategies.length <= 1} onClick={() => removeStrategy(i)}>
                      ×
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Panel>
      <div className="stack">
        <Panel
          title={t('overview.scenarios')}
          actions={
            <button type="button" className="btn small" onClick={addScenario} data-testid="scenario-add">
              {t('overview.addScenario')}
            </button>
          }
        >
          {scenarios.length === 0 ? (
            <Empty>{t('overview.noScenarios')}</Empty>
          ) : (
            <div className="variants" data-testid="scenarios-table">
              {scenarios.map((sc, i) => (
                <VariantCard key={i} list="scenarios" index={i} variant={sc} onRemove={() => removeScenario(i)} />
              ))}
            </div>
          )}
        </Panel>
        <Panel
          title={t('overview.subgroups')}
          actions={
            <button type="button" className="btn small" onClick={addSubgroup} data-testid="subgroup-add">
              {t('overview.addSubgroup')}
            </button>
          }
        >
          {subgroups.length === 0 ? (
            <Empty>{t('overview.noSubgroups')}</Empty>
          ) : (
            <div className="variants" data-testid="subgroups-table">
              {subgroups.map((sg, i) => (
                <VariantCard key={i} list="subgroups" index={i} variant={sg} onRemove={() => removeSubgroup(i)} />
              ))}
            </div>
          )}
        </Panel>
      </div>
      {(m.presets ?? []).length > 0 && (
        <Panel title={t('overview.presets')}>
          <table className="data">
            <thead>
              <tr>
                <th>{t('overview.preset')}</th>
                <th>{t('overview.settings')}</th>
                <th>{t('params.source')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {(m.presets ?? []).map((p) => {
                const applied = presetApplied(s, p.settings);
                return (
                  <tr key={p.id} className={applied ? 'key-row' : undefined}>
                    <td>{p.name}</td>
                    <td className="small">{describeSettings(p.settings, currency)}</td>
                    <td className="small">
                      <div className="clamp" title={p.source}>
                        {p.source}
                      </div>
                    </td>
                    <td className="nowrap">
                      {applied ? (
                        <span className="muted">{t('overview.presetApplied')}</span>
                      ) : (
                        <button type="button" className="btn small" onClick={() => dispatch({ type: 'set', path: ['settings'], value: { ...s, ...p.settings }, label: `Apply preset ${p.name}` })} data-testid={`preset-${p.id}`}>
                          {t('overview.applyPreset')}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </Panel>
      )}
      <MetadataPanel />
    </div>
  );
}
