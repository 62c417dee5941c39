// Outcomes editor: the model's outcome list (id, label, unit, how it is discounted) and which
// outcome is the primary cost and the primary effect. Each edit is one undoable change. Removing
// an outcome that rewards still name is allowed: the engine's "unknown outcome" issues are listed
// under the table, each with its own field (edit the value, or drop it), so nothing breaks silently.
import type { ModelIssue } from '../../../models/index';
import { EditCell, IssueText, SelectCell } from '../../components/EditCell';
import { Panel } from '../../components/Panel';
import { useT } from '../../i18n';
import { type JsonPath, fromPointer, getIn } from '../../state/json-path';
import type { ModelJson } from '../../state/model-document';
import { useSession } from '../../state/use-model-session';
import { uniqueId } from './OverviewScreen';

const DISCOUNT = ['costs', 'effects', 'none'] as const;

type Rewardish = { rewards?: Record<string, unknown> };
type NodeLike = { kind?: string; rewards?: Record<string, unknown>; branches?: { node?: NodeLike; rewards?: Record<string, unknown> }[] };

/** Where each outcome id is used: reward keys of Markov states, transitions, tree terminals and branches, and the settings. */
export function outcomeReferences(model: ModelJson): Map<string, number> {
  const counts = new Map<string, number>();
  const count = (rewards: Record<string, unknown> | undefined) => {
    for (const key of Object.keys(rewards ?? {})) counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  for (const m of model.markovModels ?? []) {
    for (const s of (m.states ?? []) as Rewardish[]) count(s.rewards);
    for (const tr of (m.transitions ?? []) as Rewardish[]) count(tr.rewards);
  }
  const walk = (node: NodeLike | undefined) => {
    if (!node) return;
    count(node.rewards);
    for (const b of node.branches ?? []) {
      count(b.rewards);
      walk(b.node);
    }
  };
  for (const tree of model.trees ?? []) walk(tree.root as NodeLike);
  for (const id of [model.settings?.costOutcome, model.settings?.effectOutcome]) if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

const COLLECTIONS: Record<string, string> = {
  markovModels: 'Markov model',
  states: 'state',
  trees: 'tree',
  parameters: 'parameter',
  scenarios: 'scenario',
  subgroups: 'subgroup',
  strategies: 'strategy',
  tables: 'table',
  outcomes: 'outcome',
};

/** Readable location of a JSON path such as markovModels/0/states/2/rewards/qaly ("Markov model m › state B › rewards › qaly"). */
export function describePath(model: ModelJson, path: JsonPath): string {
  const parts: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const seg = String(path[i]);
    const next = path[i + 1];
    if (typeof next === 'number' && (seg in COLLECTIONS || seg === 'transitions' || seg === 'branches')) {
      const item = getIn(model, path.slice(0, i + 2)) as { id?: string; from?: string; to?: string } | undefined;
      if (seg === 'transitions') parts.push(`transition ${item?.from ?? '?'} → ${item?.to ?? '?'}`);
      else if (seg === 'branches') parts.push(`branch ${next + 1}`);
      else parts.push(`${COLLECTIONS[seg]} ${item?.id ?? next}`);
      i++;
    } else if (seg !== 'root' && seg !== 'node') parts.push(seg);
  }
  return parts.join(' › ');
}

/** Issues naming an unknown outcome or table, with a field at each place they point to. */
export function UnknownReferences(props: { issues: ModelIssue[]; testId: string; kind: 'outcome' | 'table' }) {
  const t = useT();
  const { doc, dispatch } = useSession();
  if (props.issues.length === 0) return null;
  return (
    <div className="unresolved" data-testid={props.testId} role="group" aria-label={t('outcomes.unresolved')}>
      <div className="unresolved-title">{props.kind === 'outcome' ? t('outcomes.unresolved') : t('tables.unresolved')}</div>
      <ul className="unresolved-list">
        {props.issues.map((issue) => {
          const path = fromPointer(issue.path).map((seg) => (/^\d+$/.test(seg) ? Number(seg) : seg));
          const value = getIn(doc.present, path);
          const isReward = path.includes('rewards');
          const where = describePath(doc.present, path);
          return (
            <li key={issue.path + issue.message} className="unresolved-item">
              <span className="where small">{where}</span>
              <span className="field">
                {value === undefined || typeof value === 'object' ? (
                  <IssueText issues={[issue]} />
                ) : (
                  <EditCell path={path} value={value} kind={path[0] === 'settings' ? 'text' : 'expression'} label={where} width="fit" />
                )}
                {isReward && (
                  <button type="button" className="x" title={t('outcomes.dropValue')} aria-label={`${t('outcomes.dropValue')}: ${where}`} onClick={() => dispatch({ type: 'set', path, value: undefined, label: `Remove ${where}` })}>
                    ×
                  </button>
                )}
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

export function OutcomesPanel() {
  const t = useT();
  const { doc, dispatch, validation } = useSession();
  const m = doc.present;
  const outcomes = m.outcomes ?? [];
  const s = m.settings;
  const refs = outcomeReferences(m);
  const ids = outcomes.map((o) => o.id);
  const add = () => {
    const id = uniqueId('outcome', ids);
    dispatch({ type: 'set', path: ['outcomes', outcomes.length], value: { id, label: `Outcome ${outcomes.length + 1}`, discount: 'none' }, label: 'Add outcome' });
  };
  const remove = (index: number) =>
    dispatch({ type: 'set', path: ['outcomes'], value: outcomes.filter((_, i) => i !== index), label: `Remove outcome ${outcomes[index].id}` });
  const unknown = validation.issues.all.filter((i) => /^unknown outcome '/.test(i.message) && !i.path.startsWith('/settings/'));
  const listIssues = validation.issues.at('/outcomes');
  const primaryIssues = [...validation.issues.at('/settings/costOutcome'), ...validation.issues.at('/settings/effectOutcome')];
  return (
    <Panel
      title={`${t('outcomes.title')} (${outcomes.length})`}
      className="flush"
      testId="outcomes-panel"
      actions={
        <button type="button" className="btn small" onClick={add} data-testid="outcome-add">
          {t('outcomes.add')}
        </button>
      }
    >
      <div className="table-scroll settings-height">
        <table className="data outcomes" data-testid="outcomes-table">
          <thead>
            <tr>
              <th>{t('outcomes.id')}</th>
              <th>{t('outcomes.label')}</th>
              <th>{t('outcomes.unit')}</th>
              <th>{t('outcomes.discount')}</th>
              <th className="center" title={t('outcomes.primaryCostHint')}>
                {t('outcomes.primaryCost')}
              </th>
              <th className="center" title={t('outcomes.primaryEffectHint')}>
                {t('outcomes.primaryEffect')}
              </th>
              <th />
            </tr>
          </thead>
          <tbody>
            {outcomes.map((o, i) => {
              const used = refs.get(o.id) ?? 0;
              const rowIssues = validation.issues.at(`/outcomes/${i}`);
              return (
                <tr key={i} data-outcome={o.id}>
                  <td>
                    <EditCell path={['outcomes', i, 'id']} value={o.id} kind="text" label={`Id of outcome ${i + 1}`} width="narrow" />
                    {rowIssues.length > 0 && <IssueText issues={rowIssues} />}
                  </td>
                  <td>
                    <EditCell path={['outcomes', i, 'label']} value={o.label} kind="optional-text" label={`Label of outcome ${o.id}`} />
                  </td>
                  <td className="unit">
                    <EditCell path={['outcomes', i, 'unit']} value={o.unit} kind="optional-text" label={`Unit of outcome ${o.id}`} width="narrow" />
                  </td>
                  <td>
                    <SelectCell path={['outcomes', i, 'discount']} value={o.discount} options={DISCOUNT} label={`Discounting of outcome ${o.id}`} />
                  </td>
                  <td className="center">
                    <input
                      type="radio"
                      name="primary-cost"
                      checked={s?.costOutcome === o.id}
                      aria-label={`${o.id} is the primary cost`}
                      onChange={() => dispatch({ type: 'set', path: ['settings', 'costOutcome'], value: o.id, label: `Primary cost: ${o.id}` })}
                    />
                  </td>
                  <td className="center">
                    <input
                      type="radio"
                      name="primary-effect"
                      checked={s?.effectOutcome === o.id}
                      aria-label={`${o.id} is the primary effect`}
                      onChange={() => dispatch({ type: 'set', path: ['settings', 'effectOutcome'], value: o.id, label: `Primary effect: ${o.id}` })}
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="x"
                      title={used > 0 ? t('outcomes.removeUsed', { n: used }) : t('outcomes.remove')}
                      aria-label={`Remove outcome ${o.id}`}
                      disabled={outcomes.length <= 1}
                      onClick={() => remove(i)}
                    >
                      ×
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {listIssues.length > 0 && (
        <div className="pad" data-path="/outcomes">
          <IssueText issues={listIssues} />
        </div>
      )}
      {primaryIssues.length > 0 && (
        <div className="pad" data-testid="primary-outcome-issues">
          <IssueText issues={primaryIssues} />
        </div>
      )}
      <UnknownReferences issues={unknown} testId="outcome-references" kind="outcome" />
    </Panel>
  );
}
