// Markov editor: health states with per-cycle rewards, the transition matrix (numbers,
// expressions or "C" for the complement; errors shown in the cell) and one-off transition rewards.
import { useState } from 'react';
import type { MarkovModel, TreeNode } from '../../../models/index';
import { EditCell, IssueText } from '../../components/EditCell';
import { Empty, Panel, ScreenHeader } from '../../components/Panel';
import { useT } from '../../i18n';
import { useSession } from '../../state/use-model-session';
import { RenameField } from '../../components/RenameField';
import { uniqueId } from '../overview/OverviewScreen';

/** A new Markov model: one state that stays where it is, the whole cohort starting there. */
export function newMarkovModel(id: string, n: number): MarkovModel {
  return { id, label: `Markov model ${n}`, states: [{ id: 'S1', label: 'State 1', rewards: {} }], transitions: [{ from: 'S1', to: 'S1', probability: 1 }], initial: { S1: 1 } };
}

/** The model with Markov model `mi` renamed `to`, and the strategies and tree terminals that enter it following. */
export function renameMarkovModel<T extends { markovModels?: unknown; trees?: unknown; strategies?: unknown }>(model: T, mi: number, to: string): T {
  const models = (model.markovModels ?? []) as MarkovModel[];
  const from = models[mi]?.id;
  if (from === undefined) return model;
  const node = (n: TreeNode): TreeNode => {
    if (n.kind === 'terminal') return n.markov && n.markov.model === from ? { ...n, markov: { ...n.markov, model: to } } : n;
    return { ...n, branches: (n.branches as { node: TreeNode }[]).map((b) => ({ ...b, node: node(b.node) })) } as TreeNode;
  };
  const trees = Array.isArray(model.trees) ? (model.trees as { root: TreeNode }[]).map((t) => ({ ...t, root: node(t.root) })) : model.trees;
  const strategies = Array.isArray(model.strategies)
    ? (model.strategies as { entry?: { kind: string; model?: string } }[]).map((s) => (s.entry?.kind === 'markov' && s.entry.model === from ? { ...s, entry: { ...s.entry, model: to } } : s))
    : model.strategies;
  return { ...model, markovModels: models.map((m, i) => (i === mi ? { ...m, id: to } : m)), trees, strategies };
}

/** The model with state `from` of Markov model `mi` renamed `to` in its transitions, initial distribution and the tree terminals entering it. */
export function renameState<T extends { markovModels?: unknown; trees?: unknown }>(model: T, mi: number, from: string, to: string): T {
  const models = (model.markovModels ?? []) as MarkovModel[];
  const mm = models[mi];
  if (!mm) return model;
  const initial = mm.initial ? Object.fromEntries(Object.entries(mm.initial).map(([k, v]) => [k === from ? to : k, v])) : undefined;
  const next: MarkovModel = {
    ...mm,
    states: mm.states.map((s) => (s.id === from ? { ...s, id: to } : s)),
    transitions: mm.transitions.map((tr) => ({ ...tr, from: tr.from === from ? to : tr.from, to: tr.to === from ? to : tr.to })),
    ...(initial ? { initial } : {}),
  };
  const node = (n: TreeNode): TreeNode => {
    if (n.kind === 'terminal') return n.markov && n.markov.model === mm.id && n.markov.state === from ? { ...n, markov: { model: mm.id, state: to } } : n;
    return { ...n, branches: (n.branches as { node: TreeNode }[]).map((b) => ({ ...b, node: node(b.node) })) } as TreeNode;
  };
  const trees = Array.isArray(model.trees) ? (model.trees as { root: TreeNode }[]).map((t) => ({ ...t, root: node(t.root) })) : model.trees;
  return { ...model, markovModels: models.map((m, i) => (i === mi ? next : m)), trees };
}

export function MarkovEditor() {
  const t = useT();
  const { doc, dispatch, validation } = useSession();
  const models = doc.present.markovModels ?? [];
  const [selected, setSelected] = useState(0);
  const mi = Math.max(0, Math.min(selected, models.length - 1));
  const addModel = () => {
    const id = uniqueId('markov', models.map((m) => m.id));
    dispatch({ type: 'set', path: ['markovModels', models.length], value: newMarkovModel(id, models.length + 1), label: 'Add Markov model' });
    setSelected(models.length);
  };
  const addButton = (
    <button type="button" className="btn small" onClick={addModel} data-testid="markov-add">
      {t('markov.add')}
    </button>
  );
  if (models.length === 0) {
    return (
      <div className="screen" data-testid="screen-markov">
        <ScreenHeader title={t('markov.title')} actions={addButton} />
        <Empty>{t('markov.none')}</Empty>
      </div>
    );
  }
  const model = models[mi] as MarkovModel;
  const states = model.states ?? [];
  const transitions = model.transitions ?? [];
  // The model's outcomes, then any reward key naming no outcome (e.g. after an outcome was removed),
  // so that its "unknown outcome" issue shows at its own field.
  const known = doc.present.outcomes ?? [];
  const orphanKeys = [...new Set([...states, ...transitions].flatMap((x) => Object.keys(x.rewards ?? {})))].filter((k) => !known.some((o) => o.id === k));
  const outcomes: { id: string; label?: string; unit?: string; unknown?: boolean }[] = [...known, ...orphanKeys.map((id) => ({ id, unknown: true }))].filter(
    (o, i, all) => all.findIndex((x) => x.id === o.id) === i, // a duplicate outcome id (its own issue) gets one column
  );
  const base = ['markovModels', mi] as const;
  const cellIndex = new Map<string, number>();
  transitions.forEach((tr, i) => cellIndex.set(`${tr.from}\u0000${tr.to}`, i));

  const addTransition = (from: string, to: string) =>
    dispatch({ type: 'set', path: [...base, 'transitions', transitions.length], value: { from, to, probability: 0 }, label: `Add transition ${from} → ${to}` });
  const removeTransition = (index: number) =>
    dispatch({ type: 'set', path: [...base, 'transitions'], value: transitions.filter((_, i) => i !== index), label: 'Remove transition' });
  const addState = () => {
    let n = states.length + 1;
    while (states.some((s) => s.id === `S${n}`)) n++;
    dispatch({ type: 'set', path: [...base, 'states', states.length], value: { id: `S${n}`, label: `New state ${n}`, rewards: {} }, label: 'Add state' });
  };
  const removeState = (index: number) => {
    const id = states[index].id;
    const next = { ...model, states: states.filter((_, i) => i !== index), transitions: transitions.filter((tr) => tr.from !== id && tr.to !== id) };
    dispatch({ type: 'set', path: base, value: next, label: `Remove state ${id}` });
  };
  // States, then any initial entries naming no state (so their "unknown state" issue shows).
  const initialRows: { id: string; label?: string }[] = [...states, ...Object.keys(model.initial ?? {}).filter((id) => !states.some((st) => st.id === id)).map((id) => ({ id }))];
  const initialIssues = validation.issues.at(`/markovModels/${mi}/initial`);
  const users = (doc.present.strategies ?? []).filter((st) => st.entry?.kind === 'markov' && st.entry.model === model.id).map((st) => st.id);
  const removeModel = () => {
    dispatch({ type: 'set', path: ['markovModels'], value: models.filter((_, i) => i !== mi), label: `Remove Markov model ${model.id}` });
    setSelected(Math.max(0, mi - 1));
  };
  const withRewards = transitions.map((tr, i) => ({ tr, i })).filter(({ tr }) => tr.rewards && Object.keys(tr.rewards).length > 0);

  return (
    <div className="screen" data-testid="screen-markov">
      <ScreenHeader
        title={t('markov.title')}
        subtitle={t('markov.subtitle')}
        actions={
          <div className="inline">
            {models.length > 1 && (
              <div className="seg" role="group" aria-label={t('markov.title')}>
                {models.map((m, i) => (
                  <button key={i} type="button" aria-pressed={i === mi} className={i === mi ? 'on' : ''} onClick={() => setSelected(i)}>
                    {m.label ?? m.id}
                  </button>
                ))}
              </div>
            )}
            {addButton}
          </div>
        }
      />
      <Panel
        title={`${t('markov.model')}: ${model.id}`}
        testId="markov-settings"
        actions={
          <button type="button" className="btn small danger" onClick={removeModel} aria-label={`Remove Markov model ${model.id}`} title={users.length ? t('markov.removeUsed', { names: users.join(', ') }) : undefined}>
            {t('markov.remove')}
          </button>
        }
      >
        <div className="inline">
          <label className="inline small">
            {t('tables.id')}
            <RenameField
              value={model.id}
              label={`Id of Markov model ${mi + 1}`}
              pointer={`/markovModels/${mi}/id`}
              onRename={(to) => dispatch({ type: 'replace', model: renameMarkovModel(doc.present, mi, to), label: `Rename Markov model ${model.id} to ${to}` })}
            />
          </label>
          <label className="inline small">
            {t('tables.label')}
            <EditCell path={[...base, 'label']} value={model.label} kind="optional-text" label={`Label of Markov model ${model.id}`} width="wide" />
          </label>
          {users.length > 0 && <span className="hint">{t('markov.usedBy', { names: users.join(', ') })}</span>}
        </div>
      </Panel>
      <Panel title={`${t('markov.matrix')}: ${model.label ?? model.id}`} className="flush">
        <div className="table-scroll">
          <table className="data matrix" data-testid="transition-matrix">
            <thead>
              <tr>
                <th>{t('markov.from').replace('\\\\', '\\')}</th>
                {states.map((s) => (
                  <th key={s.id} className="num" title={s.label}>
                    {s.id}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {states.map((from, si) => {
                const rowIssues = validation.issues.at(`/markovModels/${mi}/states/${si}`);
                return (
                  <tr key={from.id}>
                    <th className="row-head" title={from.label}>
                      {from.id}
                      <span className="sub">{from.label}</span>
                      {rowIssues.length > 0 && <IssueText issues={rowIssues} />}
                    </th>
                    {states.map((to) => {
                      const index = cellIndex.get(`${from.id}\u0000${to.id}`);
                      if (index === undefined) {
                        return (
                          <td key={to.id} className="empty-cell">
                            <button type="button" className="add-cell" title={`Add a transition ${from.id} → ${to.id}`} aria-label={`Add a transition ${from.id} → ${to.id}`} onClick={() => addTransition(from.id, to.id)}>
                              +
                            </button>
                          </td>
                        );
                      }
                      const tr = transitions[index];
                      return (
                        <td key={to.id} className={`num ${tr.probability === 'C' ? 'complement' : ''}`}>
                          <div className="cell-with-remove">
                            <EditCell
                              path={[...base, 'transitions', index, 'probability']}
                              value={tr.probability}
                              kind="expression"
                              label={`Probability ${from.id} → ${to.id}`}
                              align="right"
                              width="fit"
                              testId={`tp-${from.id}-${to.id}`}
                            />
                            <button type="button" className="x" title={t('markov.removeTransition')} aria-label={`Remove the transition ${from.id} → ${to.id}`} onClick={() => removeTransition(index)}>
                              ×
                            </button>
                          </div>
                        </td>
                      );
                    })}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </Panel>
      <Panel
        title={`${t('markov.states')} — ${t('markov.rewards')}`}
        className="flush"
        actions={
          <button type="button" className="btn small" onClick={addState}>
            {t('markov.addState')}
          </button>
        }
      >
        <div className="table-scroll">
          <table className="data" data-testid="state-rewards">
            <thead>
              <tr>
                <th>{t('markov.state')}</th>
                <th>{t('tables.label')}</th>
                {outcomes.map((o) => (
                  <th key={o.id} className={`num${o.unknown ? ' missing' : ''}`} title={o.unknown ? `'${o.id}' is not an outcome` : o.label}>
                    {o.label ?? o.id}
                    {o.unit ? ` (${o.unit})` : ''}
                  </th>
                ))}
                <th className="num">{t('markov.tunnelLength')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {states.map((s, si) => (
                <tr key={si}>
                  <td className="mono">
                    <RenameField
                      value={s.id}
                      label={`Id of state ${si + 1} of ${model.id}`}
                      pointer={`/markovModels/${mi}/states/${si}/id`}
                      onRename={(to) => dispatch({ type: 'replace', model: renameState(doc.present, mi, s.id, to), label: `Rename state ${s.id} to ${to}` })}
                    />
                  </td>
                  <td>
                    <EditCell path={[...base, 'states', si, 'label']} value={s.label} kind="optional-text" label={`Label of state ${s.id}`} />
                  </td>
                  {outcomes.map((o) => (
                    <td key={o.id} className="num">
                      <EditCell
                        path={[...base, 'states', si, 'rewards', o.id]}
                        value={s.rewards?.[o.id]}
                        kind="expression"
                        label={`${o.label ?? o.id} in state ${s.id}`}
                        align="right"
                        width="fit"
                        placeholder="0"
                      />
                    </td>
                  ))}
                  <td className="num">
                    <EditCell path={[...base, 'states', si, 'tunnelLength']} value={s.tunnelLength} kind="optional-number" label={`Tunnel length of state ${s.id}`} align="right" width="narrow" placeholder="—" />
                  </td>
                  <td>
                    <button type="button" className="x" title={t('markov.removeState')} aria-label={`Remove state ${s.id} and its transitions`} onClick={() => removeState(si)}>
                      ×
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Panel>
      <Panel title={t('markov.initial')} className="flush">
        <p className="hint pad">{t('markov.initialHint')}</p>
        {initialIssues.length > 0 && (
          <div className="pad" data-path={`/markovModels/${mi}/initial`}>
            <IssueText issues={initialIssues} />
          </div>
        )}
        <div className="table-scroll">
          <table className="data" data-testid="initial-distribution">
            <thead>
              <tr>
                <th>{t('markov.state')}</th>
                <th className="num">{t('markov.share')}</th>
              </tr>
            </thead>
            <tbody>
              {initialRows.map((s) => (
                <tr key={s.id}>
                  <td className="mono" title={s.label}>
                    {s.id}
                  </td>
                  <td className="num">
                    <EditCell path={[...base, 'initial', s.id]} value={model.initial?.[s.id]} kind="optional-expression" label={`Initial share of state ${s.id}`} align="right" width="fit" placeholder="0" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Panel>
      <Panel title={t('markov.transitionRewards')} className="flush">
        {withRewards.length === 0 ? (
          <Empty>{t('markov.noTransitionRewards')}</Empty>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th>{t('markov.transition')}</th>
                {outcomes.map((o) => (
                  <th key={o.id} className={`num${o.unknown ? ' missing' : ''}`}>
                    {o.label ?? o.id}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {withRewards.map(({ tr, i }) => (
                <tr key={i}>
                  <td className="mono">
                    {tr.from} → {tr.to}
                  </td>
                  {outcomes.map((o) => (
                    <td key={o.id} className="num">
                      <EditCell path={[...base, 'transitions', i, 'rewards', o.id]} value={tr.rewards?.[o.id]} kind="expression" label={`${o.id} on ${tr.from} → ${tr.to}`} align="right" width="fit" placeholder="0" />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
    </div>
  );
}
