// Parameter overrides of a scenario or subgroup (parameter id → value or expression): one row per
// override, the parameter chosen from the model's parameter ids. Each edit is one undoable change;
// issues naming an override (e.g. an unknown parameter) show next to its value.
import { EditCell } from '../../components/EditCell';
import { useT } from '../../i18n';
import type { JsonPath } from '../../state/json-path';
import { useSession } from '../../state/use-model-session';

type Overrides = Record<string, string | number>;

/** Rename key `from` to `to`, keeping the order of the other keys. */
export function renameKey<V>(overrides: Record<string, V>, from: string, to: string): Record<string, V> {
  const next: Record<string, V> = {};
  for (const [k, v] of Object.entries(overrides)) next[k === from ? to : k] = v;
  return next;
}

export function OverridesTable(props: { path: JsonPath; overrides: Overrides | undefined; owner: string; testId?: string }) {
  const t = useT();
  const { doc, dispatch } = useSession();
  const parameters = doc.present.parameters ?? [];
  const ids = parameters.map((p) => p.id);
  const overrides = props.overrides ?? {};
  const entries = Object.entries(overrides);
  const unused = ids.filter((id) => !(id in overrides));
  const add = () => {
    const id = unused[0];
    if (id === undefined) return;
    const value = parameters.find((p) => p.id === id)?.value ?? 0;
    dispatch({ type: 'set', path: props.path, value: { ...overrides, [id]: value }, label: `Add override of ${id} to ${props.owner}` });
  };
  const remove = (id: string) => {
    const next = { ...overrides };
    delete next[id];
    dispatch({ type: 'set', path: props.path, value: next, label: `Remove override of ${id} from ${props.owner}` });
  };
  const rename = (from: string, to: string) =>
    dispatch({ type: 'set', path: props.path, value: renameKey(overrides, from, to), label: `Override ${to} instead of ${from} in ${props.owner}` });
  return (
    <div className="overrides" data-testid={props.testId}>
      {entries.length > 0 && (
        <table className="data">
          <thead>
            <tr>
              <th>{t('overview.parameter')}</th>
              <th className="num">{t('overview.value')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {entries.map(([id, value]) => (
              <tr key={id}>
                <td>
                  <select className="cell-select" aria-label={`Parameter overridden in ${props.owner}: ${id}`} value={id} onChange={(e) => rename(id, e.target.value)}>
                    {!ids.includes(id) && <option value={id}>{id}</option>}
                    {ids
                      .filter((p) => p === id || !(p in overrides))
                      .map((p) => (
                        <option key={p} value={p}>
                          {p}
                        </option>
                      ))}
                  </select>
                </td>
                <td className="num">
                  <EditCell path={[...props.path, id]} value={value} kind="expression" label={`Override of ${id} in ${props.owner}`} align="right" width="fit" />
                </td>
                <td>
                  <button type="button" className="x" title={`Remove the override of ${id}`} aria-label={`Remove the override of ${id} from ${props.owner}`} onClick={() => remove(id)}>
                    ×
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" className="btn small" onClick={add} disabled={unused.length === 0} aria-label={`Add an override to ${props.owner}`}>
        {t('overview.addOverride')}
      </button>
    </div>
  );
}
