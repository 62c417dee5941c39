// Strategy-specific parameter overrides of a scenario or subgroup (strategy id → overrides): one
// block per strategy, its parameter overrides edited with the same table as the shared overrides.
// A key naming no strategy (e.g. from a file) keeps its block, with the engine's issue next to it.
import { IssueText } from '../../components/EditCell';
import { useT } from '../../i18n';
import { type JsonPath, toPointer } from '../../state/json-path';
import { useSession } from '../../state/use-model-session';
import { OverridesTable, renameKey } from './OverridesTable';

type Overrides = Record<string, string | number>;

export function StrategyOverrides(props: { path: JsonPath; value: Record<string, Overrides> | undefined; owner: string; testId?: string }) {
  const t = useT();
  const { doc, dispatch, validation } = useSession();
  const strategies = doc.present.strategies ?? [];
  const ids = strategies.map((s) => s.id);
  const value = props.value ?? {};
  const entries = Object.entries(value);
  const unused = ids.filter((id) => !(id in value));
  const pointer = toPointer(props.path);
  const set = (next: Record<string, Overrides>, label: string) =>
    dispatch({ type: 'set', path: props.path, value: Object.keys(next).length > 0 ? next : undefined, label });
  const add = () => {
    const id = unused[0];
    if (id !== undefined) set({ ...value, [id]: {} }, `Add overrides for strategy ${id} to ${props.owner}`);
  };
  const remove = (id: string) => {
    const next = { ...value };
    delete next[id];
    set(next, `Remove the overrides for strategy ${id} from ${props.owner}`);
  };
  const rename = (from: string, to: string) => set(renameKey(value, from, to), `Overrides for strategy ${to} instead of ${from} in ${props.owner}`);
  return (
    <div className="strategy-overrides" data-testid={props.testId}>
      {entries.map(([sid, overrides]) => {
        const issues = [...validation.issues.at(`${pointer}/${sid}`)];
        return (
          <div key={sid} className="strategy-block" data-path={`${pointer}/${sid}`}>
            <div className="strategy-head">
              <select className="cell-select" aria-label={`Strategy of the overrides in ${props.owner}: ${sid}`} value={sid} onChange={(e) => rename(sid, e.target.value)}>
                {!ids.includes(sid) && <option value={sid}>{sid}</option>}
                {strategies
                  .filter((s) => s.id === sid || !(s.id in value))
                  .map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
              </select>
              <button type="button" className="x" title={t('overview.removeStrategyOverrides')} aria-label={`Remove the overrides for strategy ${sid} from ${props.owner}`} onClick={() => remove(sid)}>
                ×
              </button>
            </div>
            {issues.length > 0 && <IssueText issues={issues} />}
            <OverridesTable path={[...props.path, sid]} overrides={overrides} owner={`${props.owner}, strategy ${sid}`} />
          </div>
        );
      })}
      <button type="button" className="btn small" onClick={add} disabled={unused.length === 0} aria-label={`Add strategy-specific overrides to ${props.owner}`}>
        {t('overview.addStrategyOverrides')}
      </button>
    </div>
  );
}
