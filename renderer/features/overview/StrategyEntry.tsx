// Where a strategy's cohort starts: a Markov model, or a decision tree with the branch it takes at
// each decision node. Each change is one undoable edit; the engine's issues show at the field.
import type { TreeNode } from '../../../models/index';
import { IssueText } from '../../components/EditCell';
import { useT } from '../../i18n';
import { useSession } from '../../state/use-model-session';

type Entry = { kind: 'markov'; model: string } | { kind: 'tree'; tree: string; choices?: Record<string, string> };

/** Decision nodes of a tree (depth first), each with its branch ids. */
export function decisionNodes(root: TreeNode | undefined): { id: string; label?: string; options: { id: string; label?: string }[] }[] {
  const out: { id: string; label?: string; options: { id: string; label?: string }[] }[] = [];
  const visit = (n: TreeNode | undefined) => {
    if (!n || n.kind === 'terminal') return;
    if (n.kind === 'decision') out.push({ id: n.id, label: n.label, options: (n.branches ?? []).map((b) => ({ id: b.id, label: b.label })) });
    for (const b of n.branches ?? []) visit(b.node);
  };
  visit(root);
  return out;
}

export function StrategyEntry({ index }: { index: number }) {
  const t = useT();
  const { doc, dispatch, validation } = useSession();
  const st = (doc.present.strategies ?? [])[index];
  if (!st) return null;
  const entry = (st.entry ?? { kind: 'markov', model: '' }) as Entry;
  const models = doc.present.markovModels ?? [];
  const trees = doc.present.trees ?? [];
  const path = ['strategies', index, 'entry'] as const;
  const set = (value: Entry, label: string) => dispatch({ type: 'set', path, value, label });
  const issues = validation.issues.under(`/strategies/${index}/entry`);
  const name = st.id;
  const target = entry.kind === 'markov' ? entry.model : entry.tree;
  const options = (entry.kind === 'markov' ? models : trees).map((x) => ({ id: x.id, label: x.label }));
  const known = options.some((o) => o.id === target);
  const tree = entry.kind === 'tree' ? trees.find((x) => x.id === entry.tree) : undefined;
  const decisions = tree ? decisionNodes(tree.root as TreeNode) : [];
  return (
    <div className={`strategy-entry${issues.length ? ' has-error' : ''}`} data-path={`/strategies/${index}/entry`}>
      <div className="inline">
        <select
          className="cell-select"
          aria-label={`Entry kind of strategy ${name}`}
          value={entry.kind}
          onChange={(e) =>
            e.target.value === 'tree'
              ? set({ kind: 'tree', tree: trees[0]?.id ?? '' }, `Strategy ${name} starts in a decision tree`)
              : set({ kind: 'markov', model: models[0]?.id ?? '' }, `Strategy ${name} starts in a Markov model`)
          }
        >
          <option value="markov">{t('strategy.entryMarkov')}</option>
          <option value="tree">{t('strategy.entryTree')}</option>
        </select>
        <select
          className="cell-select"
          aria-label={entry.kind === 'markov' ? `Markov model of strategy ${name}` : `Decision tree of strategy ${name}`}
          value={target}
          onChange={(e) =>
            entry.kind === 'markov'
              ? set({ kind: 'markov', model: e.target.value }, `Markov model of strategy ${name}`)
              : set({ kind: 'tree', tree: e.target.value }, `Decision tree of strategy ${name}`)
          }
        >
          {!known && <option value={target}>{target || '—'}</option>}
          {options.map((o) => (
            <option key={o.id} value={o.id}>
              {o.label ?? o.id}
            </option>
          ))}
        </select>
      </div>
      {entry.kind === 'tree' &&
        decisions.map((d) => (
          <label key={d.id} className="inline small choice">
            {d.label ?? d.id}:
            <select
              className="cell-select"
              aria-label={`Choice at ${d.id} for strategy ${name}`}
              value={entry.choices?.[d.id] ?? ''}
              onChange={(e) => {
                const choices = { ...(entry.choices ?? {}) };
                if (e.target.value === '') delete choices[d.id];
                else choices[d.id] = e.target.value;
                set({ kind: 'tree', tree: entry.tree, ...(Object.keys(choices).length ? { choices } : {}) }, `Choice at ${d.id} for strategy ${name}`);
              }}
            >
              <option value="">—</option>
              {d.options.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.label ?? o.id}
                </option>
              ))}
            </select>
          </label>
        ))}
      {issues.length > 0 && <IssueText issues={issues} />}
    </div>
  );
}
