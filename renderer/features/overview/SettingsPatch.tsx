// A scenario's settings changes (a partial settings object, e.g. a longer horizon or other discount
// rates): one row per changed setting with the same fields as the model's settings; a setting is
// added with the model's current value and removed to fall back to it. Each edit is undoable.
import { useState } from 'react';
import { EditCell, IssueText, SelectCell } from '../../components/EditCell';
import { useT } from '../../i18n';
import { type JsonPath, toPointer } from '../../state/json-path';
import { useSession } from '../../state/use-model-session';

const UNITS = ['days', 'weeks', 'months', 'years'] as const;
const CORRECTIONS = ['none', 'beginning', 'half-cycle', 'trapezoidal', 'simpson'] as const;

/** Every setting a scenario may change, in the order the settings panel shows them. */
export const PATCHABLE = [
  'timeHorizon',
  'cycleLength',
  'discountRates',
  'withinCycleCorrection',
  'currency',
  'priceYear',
  'perspective',
  'wtpThresholds',
  'costOutcome',
  'effectOutcome',
  'cohortSize',
] as const;
export type PatchKey = (typeof PATCHABLE)[number];

export const SETTING_LABELS: Record<PatchKey, string> = {
  timeHorizon: 'Time horizon',
  cycleLength: 'Cycle length',
  discountRates: 'Discount rates',
  withinCycleCorrection: 'Within-cycle correction',
  currency: 'Currency',
  priceYear: 'Price year',
  perspective: 'Perspective',
  wtpThresholds: 'WTP thresholds',
  costOutcome: 'Cost outcome',
  effectOutcome: 'Effect outcome',
  cohortSize: 'Cohort size',
};

const DEFAULTS: Record<PatchKey, unknown> = {
  timeHorizon: { value: 1, unit: 'years' },
  cycleLength: { value: 1, unit: 'years' },
  discountRates: { costs: 0, effects: 0 },
  withinCycleCorrection: 'none',
  currency: 'EUR',
  priceYear: 2024,
  perspective: '',
  wtpThresholds: [0],
  costOutcome: '',
  effectOutcome: '',
  cohortSize: 1,
};

const COMPOUND = new Set<PatchKey>(['timeHorizon', 'cycleLength', 'discountRates', 'wtpThresholds']);

function SettingField(props: { path: JsonPath; name: PatchKey; value: unknown; owner: string }) {
  const { doc } = useSession();
  const { path, name, value, owner } = props;
  const label = `${SETTING_LABELS[name]} in ${owner}`;
  switch (name) {
    case 'timeHorizon':
    case 'cycleLength': {
      const d = (value ?? {}) as { value?: number; unit?: (typeof UNITS)[number] };
      return (
        <div className="inline">
          <EditCell path={[...path, 'value']} value={d.value} kind="number" label={label} align="right" width="narrow" />
          <SelectCell path={[...path, 'unit']} value={d.unit} options={UNITS} label={`${label}, unit`} />
        </div>
      );
    }
    case 'discountRates': {
      const r = (value ?? {}) as { costs?: number; effects?: number };
      return (
        <div className="inline">
          <EditCell path={[...path, 'costs']} value={r.costs} kind="number" label={`Discount rate for costs in ${owner}`} align="right" width="narrow" placeholder="costs" />
          <EditCell path={[...path, 'effects']} value={r.effects} kind="number" label={`Discount rate for effects in ${owner}`} align="right" width="narrow" placeholder="effects" />
        </div>
      );
    }
    case 'withinCycleCorrection':
      return <SelectCell path={path} value={value as (typeof CORRECTIONS)[number]} options={CORRECTIONS} label={label} />;
    case 'costOutcome':
    case 'effectOutcome': {
      const ids = [...new Set((doc.present.outcomes ?? []).map((o) => o.id))];
      const current = typeof value === 'string' ? value : '';
      return <SelectCell path={path} value={current} options={ids.includes(current) || current === '' ? ids : [current, ...ids]} label={label} />;
    }
    case 'wtpThresholds': {
      const list = Array.isArray(value) ? (value as unknown[]) : [];
      return <WtpList path={path} list={list} label={label} />;
    }
    case 'priceYear':
    case 'cohortSize':
      return <EditCell path={path} value={value} kind="number" label={label} align="right" width="narrow" />;
    case 'currency':
      return <EditCell path={path} value={value} kind="text" label={label} width="narrow" />;
    case 'perspective':
      return <EditCell path={path} value={value} kind="text" label={label} />;
  }
}

function WtpList(props: { path: JsonPath; list: unknown[]; label: string }) {
  const { dispatch } = useSession();
  const { path, list, label } = props;
  return (
    <div className="inline">
      {list.map((w, i) => (
        <div key={i} className="cell-with-remove">
          <EditCell path={[...path, i]} value={w} kind="number" label={`${label} ${i + 1}`} align="right" width="narrow" />
          <button type="button" className="x" aria-label={`Remove ${label} ${i + 1}`} title={`Remove ${label} ${i + 1}`} disabled={list.length <= 1} onClick={() => dispatch({ type: 'set', path, value: list.filter((_, j) => j !== i), label: `Remove ${label} ${i + 1}` })}>
            ×
          </button>
        </div>
      ))}
      <button type="button" className="btn small" aria-label={`Add ${label}`} onClick={() => dispatch({ type: 'set', path: [...path, list.length], value: list.length ? list[list.length - 1] : 0, label: `Add ${label}` })}>
        +
      </button>
    </div>
  );
}

export function SettingsPatchEditor(props: { path: JsonPath; value: Record<string, unknown> | undefined; owner: string; testId?: string }) {
  const t = useT();
  const { doc, dispatch, validation } = useSession();
  const patch = props.value ?? {};
  const present = PATCHABLE.filter((k) => k in patch);
  const unknownKeys = Object.keys(patch).filter((k) => !(PATCHABLE as readonly string[]).includes(k));
  const absent = PATCHABLE.filter((k) => !(k in patch));
  const [choice, setChoice] = useState<PatchKey | ''>('');
  const chosen = choice !== '' && absent.includes(choice) ? choice : absent[0];
  const pointer = toPointer(props.path);
  const ownIssues = validation.issues.at(pointer);
  const add = () => {
    if (!chosen) return;
    const current = (doc.present.settings as Record<string, unknown> | undefined)?.[chosen];
    const initial = current === undefined ? DEFAULTS[chosen] : structuredClone(current);
    dispatch({ type: 'set', path: [...props.path, chosen], value: initial, label: `Change ${SETTING_LABELS[chosen]} in ${props.owner}` });
    setChoice('');
  };
  const remove = (key: string) => {
    const next = { ...patch };
    delete next[key];
    dispatch({ type: 'set', path: props.path, value: Object.keys(next).length > 0 ? next : undefined, label: `Stop changing ${key} in ${props.owner}` });
  };
  return (
    <div className="settings-patch" data-testid={props.testId}>
      {ownIssues.length > 0 && <IssueText issues={ownIssues} />}
      {(present.length > 0 || unknownKeys.length > 0) && (
        <table className="data">
          <tbody>
            {present.map((key) => {
              const issues = validation.issues.at(`${pointer}/${key}`);
              return (
                <tr key={key} data-setting={key}>
                  <th className="setting-name">{t(`settings.${key}`)}</th>
                  <td>
                    <SettingField path={[...props.path, key]} name={key} value={patch[key]} owner={props.owner} />
                    {/* Scalar fields show their own issues; compound ones (duration, rates, list) show the issues at the setting itself here. */}
                    {issues.length > 0 && COMPOUND.has(key) && <IssueText issues={issues} />}
                  </td>
                  <td>
                    <button type="button" className="x" title={t('overview.removeSetting')} aria-label={`Stop changing ${SETTING_LABELS[key]} in ${props.owner}`} onClick={() => remove(key)}>
                      ×
                    </button>
                  </td>
                </tr>
              );
            })}
            {unknownKeys.map((key) => (
              <tr key={key}>
                <th className="setting-name mono">{key}</th>
                <td>
                  <span className="mono small">{JSON.stringify(patch[key])}</span>
                  <IssueText issues={validation.issues.at(`${pointer}/${key}`).length ? validation.issues.at(`${pointer}/${key}`) : [{ path: `${pointer}/${key}`, message: `'${key}' is not a setting`, severity: 'error' }]} />
                </td>
                <td>
                  <button type="button" className="x" aria-label={`Stop changing ${key} in ${props.owner}`} onClick={() => remove(key)}>
                    ×
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {absent.length > 0 && (
        <div className="inline">
          <select className="cell-select" aria-label={`Setting to change in ${props.owner}`} value={chosen} onChange={(e) => setChoice(e.target.value as PatchKey)}>
            {absent.map((k) => (
              <option key={k} value={k}>
                {t(`settings.${k}`)}
              </option>
            ))}
          </select>
          <button type="button" className="btn small" onClick={add} aria-label={`Change a setting in ${props.owner}`}>
            {t('overview.addSetting')}
          </button>
        </div>
      )}
    </div>
  );
}
