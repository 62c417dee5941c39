// Outcomes editor: the model's outcome list (id, label, unit, how it is discounted) and which
// outcome is the primary cost and the primary effect. Each edit is one undoable change. Removing
// an outcome that rewards still name is allowed: the engine's "unknown outcome" issues are listed
// under the table, each with its own field (edit the value, or drop it), so nothing breaks silently.
import { useState } from 'react';
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

/**
 * The model with every use of outcome id `from` (reward keys, the cost and effect outcome settings,
 * scenario settings) moved to `to`. A rewards object that already has `to` keeps both, so the
 * leftover `from` is still reported: nothing is overwritten.
 */
export function moveOutcomeReferences(model: ModelJson, from: string, to: string): ModelJson {
  const move = <T extends Record<string, unknown> | undefined>(rewards: T): T => {
    if (!rewards || !(from in rewards) || to in rewards) return rewards;
    const next: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(rewards)) next[k === from ? to : k] = v;
    return next as T;
  };
  const node = (n: NodeLike): NodeLike => ({
    ...n,
    ...(n.rewards ? { rewards: move(n.rewards) } : {}),
    ...(n.branches ? { branches: n.branches.map((b) => ({ ...b, ...(b.rewards ? { rewards: move(b.rewards) } : {}), ...(b.node ? { node: node(b.node) } : {}) })) } : {}),
  });
  const setting = <S extends { costOutcome?: string; effectOutcome?: string } | undefined>(st: S): S =>
    st && (st.costOutcome === from || st.effectOutcome === from)
      ? { ...st, ...(st.costOutcome === from ? { costOutcome: to } : {}), ...(st.effectOutcome === from ? { effectOutcome: to } : {}) }
      : st;
  return {
    ...model,
    settings: setting(model.settings),
    ...(model.markovModels
      ? {
          markovModels: model.markovModels.map((m) => ({
            ...m,
            states: (m.states ?? []).map((st) => ({ ...st, ...(st.rewards ? { rewards: move(st.rewards) } : {}) })),
            transitions: (m.transitions ?? []).map((tr) => ({ ...tr, ...(tr.rewards ? { rewards: move(tr.rewards) } : {}) })),
          })),
        }
      : {}),
    ...(model.trees ? { trees: model.trees.map((tree) => ({ ...tree, root: node(tree.root as NodeLike) as typeof tree.root })) } : {}),
    ...(model.scenarios ? { scenarios: model.scenarios.map((sc) => (sc.settings ? { ...sc, settings: setting(sc.settings) } : sc)) } : {}),
  } as ModelJson;
}

/** Move every use of an id that is no outcome to an outcome of the model, in one undoable step. */
function MoveReferences(props: { id: string }) {
  const t = useT();
  const { doc, dispatch } = useSession();
  const outcomes = doc.present.outcomes ?? [];
  const refs = outcomeReferences(doc.present);
  // Most likely target: an outcome nothing uses yet (e.g. the one just renamed).
  const unused = outcomes.find((o) => !refs.has(o.id));
  const [target, setTarget] = useState<string>('');
  const chosen = target && outcomes.some((o) => o.id === target) ? target : (unused ?? outcomes[0])?.id ?? '';
  return (
    <li className="unresolved-move" data-testid={`move-outcome-${props.id}`}>
      <span className="where small">{t('outcomes.moveAll', { id: props.id })}</span>
      <span className="field">
        <select className="cell-select" aria-label={`Outcome to move the values of ${props.id} to`} value={chosen} onChange={(e) => setTarget(e.target.value)}>
          {outcomes.map((o, i) => (
            <option key={i} value={o.id}>
              {o.id}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn small"
          disabled={!chosen}
          aria-label={`Move the values of ${props.id} to the chosen outcome`}
          onClick={() => dispatch({ type: 'replace', model: moveOutcomeReferences(doc.present, props.id, chosen), label: `Move values of ${props.id} to ${chosen}` })}
        >
          {t('outcomes.move')}
        </button>
      </span>
    </li>
  );
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
export function UnknownReferences(props: { issues: ModelIssue[]; testId: string; kind: 'outcome' | 'table' | 'parameter' }) {
  const t = useT();
  const { doc, dispatch } = useSession();
  if (props.issues.length === 0) return null;
  const title = props.kind === 'outcome' ? t('outcomes.unresolved') : props.kind === 'table' ? t('tables.unresolved') : t('params.unresolved');
  return (
    <div className="unresolved" data-testid={props.testId} role="group" aria-label={title}>
      <div className="unresolved-title">{title}</div>
      <ul className="unresolved-list">
        {props.kind === 'outcome' &&
          [...new Set(props.issues.map((i) => /^unknown outcome '([^']+)'/.exec(i.message)?.[1]).filter((id): id is string => !!id))].map((id) => <MoveReferences key={id} id={id} />)}
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
                {isReward && props.kind !== 'parameter' && (
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
