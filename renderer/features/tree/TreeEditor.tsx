// Decision-tree editor: draws the tree (decision squares, chance circles, terminal triangles,
// branch labels above and probabilities below each branch) and edits the selected node.
import { useMemo, useState } from 'react';
import type { TreeNode } from '../../../models/index';
import { EditCell, IssueText } from '../../components/EditCell';
import { Empty, Panel, ScreenHeader } from '../../components/Panel';
import { formatCurrency, formatNumber, formatPercent } from '../../format/numbers';
import { useT } from '../../i18n';
import { type PathSegment, getIn, toPointer } from '../../state/json-path';
import { otherOptionIds, renameDecisionOption } from '../../state/rename-references';
import { useSession } from '../../state/use-model-session';
import { type LaidOutNode, collectIds, freshId, layoutTree } from './tree-layout';
import { uniqueId } from '../overview/OverviewScreen';
import { RenameField } from '../../components/RenameField';

const R = 11;

function NodeShape({ n, selected, hasError }: { n: LaidOutNode; selected: boolean; hasError: boolean }) {
  const cls = `tree-node ${n.node.kind}${selected ? ' selected' : ''}${hasError ? ' error' : ''}`;
  if (n.node.kind === 'decision') return <rect className={cls} x={n.x - R} y={n.y - R} width={2 * R} height={2 * R} />;
  if (n.node.kind === 'chance') return <circle className={cls} cx={n.x} cy={n.y} r={R} />;
  return <polygon className={cls} points={`${n.x - R},${n.y} ${n.x + R},${n.y - R} ${n.x + R},${n.y + R}`} />;
}

/** Rolled-back values at a node, per strategy that uses the tree (from the live base case). */
function NodeValues({ nodeId }: { nodeId: string }) {
  const { validation } = useSession();
  const result = validation.baseCase;
  if (!result) return null;
  const rows = result.strategies.flatMap((s) => {
    const d = s.tree?.find((n) => n.id === nodeId);
    return d ? [{ strategy: s.name, d }] : [];
  });
  if (rows.length === 0) return null;
  const { costOutcome, effectOutcome, currency } = result.settings;
  return (
    <table className="data node-values" data-testid="node-values">
      <thead>
        <tr>
          <th>Strategy</th>
          <th className="num" title="Probability of reaching this node">P</th>
          <th className="num">Cost</th>
          <th className="num">Effect</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ strategy, d }) => (
          <tr key={strategy}>
            <td>{strategy}</td>
            <td className="num">{formatPercent(d.pathProbability, 1)}</td>
            <td className="num">{formatCurrency(d.expected[costOutcome], currency, 2)}</td>
            <td className="num">{formatNumber(d.expected[effectOutcome], 3)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Tree then Markov: the Markov model and state the cohort reaching a terminal node enters. */
function MarkovLink({ path, nodeId, link }: { path: PathSegment[]; nodeId: string; link: { model: string; state: string } | undefined }) {
  const t = useT();
  const { doc, dispatch, validation } = useSession();
  const models = doc.present.markovModels ?? [];
  const model = link ? models.find((m) => m.id === link.model) : undefined;
  const states = (model?.states ?? []).map((s) => s.id);
  const pointer = toPointer([...path, 'markov']);
  const issues = validation.issues.under(pointer);
  const set = (value: { model: string; state: string } | undefined, label: string) => dispatch({ type: 'set', path: [...path, 'markov'], value, label });
  return (
    <div className={`markov-link${issues.length ? ' has-error' : ''}`} data-path={pointer}>
      <label>
        {t('tree.entersMarkov')}
        <select
          value={link?.model ?? ''}
          aria-label={`Markov model entered at ${nodeId}`}
          onChange={(e) => {
            const m = models.find((x) => x.id === e.target.value);
            set(m ? { model: m.id, state: m.states?.[0]?.id ?? '' } : undefined, `Markov model entered at ${nodeId}`);
          }}
        >
          <option value="">{t('tree.noMarkov')}</option>
          {link && !model && <option value={link.model}>{link.model}</option>}
          {models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label ? `${m.label} (${m.id})` : m.id}
            </option>
          ))}
        </select>
      </label>
      {link && (
        <label>
          {t('tree.entersState')}
          <select value={link.state} aria-label={`State entered at ${nodeId}`} onChange={(e) => set({ model: link.model, state: e.target.value }, `State entered at ${nodeId}`)}>
            {!states.includes(link.state) && <option value={link.state}>{link.state || '—'}</option>}
            {states.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </label>
      )}
      {issues.length > 0 && <IssueText issues={issues} />}
    </div>
  );
}

export function TreeEditor() {
  const t = useT();
  const { doc, dispatch, validation } = useSession();
  const trees = doc.present.trees ?? [];
  const [treeIndex, setTreeIndex] = useState(0);
  const [selectedPointer, setSelectedPointer] = useState<string | null>(null);
  const ti = Math.min(treeIndex, trees.length - 1);
  const tree = trees[ti];
  const layout = useMemo(() => (tree ? layoutTree(tree.root as TreeNode, ['trees', ti, 'root']) : null), [tree, ti]);
  const pathProb = useMemo(() => {
    const map = new Map<string, number>();
    for (const s of validation.baseCase?.strategies ?? []) for (const d of s.tree ?? []) if (!map.has(d.id)) map.set(d.id, d.pathProbability);
    return map;
  }, [validation.baseCase]);

  const addTree = () => {
    const id = uniqueId('tree', trees.map((x) => x.id));
    dispatch({
      type: 'set',
      path: ['trees', trees.length],
      value: { id, label: `Decision ${trees.length + 1}`, root: { kind: 'decision', id: 'decision', label: 'Decision', branches: [{ id: 'option_a', label: 'Option A', node: { kind: 'terminal', id: 'end_a', label: 'Outcome A' } }] } },
      label: 'Add decision tree',
    });
    setTreeIndex(trees.length);
    setSelectedPointer(null);
  };
  if (!tree || !layout) {
    return (
      <div className="screen" data-testid="screen-tree">
        <ScreenHeader title={t('tree.title')} />
        <Empty>
          {t('tree.none')}{' '}
          <button type="button" className="btn" onClick={addTree}>
            {t('tree.addTree')}
          </button>
        </Empty>
      </div>
    );
  }

  const treeUsers = (doc.present.strategies ?? []).filter((st) => st.entry?.kind === 'tree' && st.entry.tree === tree.id).map((st) => st.id);
  const removeTree = () => {
    dispatch({ type: 'set', path: ['trees'], value: trees.filter((_, i) => i !== ti), label: `Remove decision tree ${tree.id}` });
    setTreeIndex(Math.max(0, ti - 1));
    setSelectedPointer(null);
  };
  const selected = layout.nodes.find((n) => toPointer(n.path) === selectedPointer) ?? null;
  /** The path of the option id of a node under a decision node. */
  const optionIdPath = (n: LaidOutNode): PathSegment[] => [...layout.nodes[n.parentIndex!].path, 'branches', n.branch!.index, 'id'];
  const ids = collectIds(tree.root as TreeNode);
  const set = (path: PathSegment[], value: unknown, label: string) => dispatch({ type: 'set', path, value, label });

  const addBranch = (n: LaidOutNode) => {
    if (n.node.kind === 'terminal') return;
    const id = freshId('node', ids);
    const child: TreeNode = { kind: 'terminal', id, label: `Outcome ${id.replace('node', '')}` };
    const branch = n.node.kind === 'decision' ? { id: freshId('option', ids), label: 'New option', node: child } : { probability: n.node.branches.length === 0 ? 1 : 'C', label: 'New branch', node: child };
    set([...n.path, 'branches', n.node.branches.length], branch, 'Add branch');
  };
  const removeNode = (n: LaidOutNode) => {
    if (n.parentIndex === null || !n.branch) return;
    const parent = layout.nodes[n.parentIndex];
    if (parent.node.kind === 'terminal') return;
    set([...parent.path, 'branches'], (parent.node.branches as unknown[]).filter((_, i) => i !== n.branch!.index), 'Remove node');
    setSelectedPointer(toPointer(parent.path));
  };
  const changeKind = (n: LaidOutNode, kind: TreeNode['kind']) => {
    if (kind === n.node.kind) return;
    const common = { id: n.node.id, ...(n.node.label ? { label: n.node.label } : {}) };
    let next: TreeNode;
    if (kind === 'terminal') next = { kind: 'terminal', ...common };
    else if (kind === 'chance') {
      const old = n.node.kind === 'terminal' ? [] : n.node.branches;
      next = { kind: 'chance', ...common, branches: old.length ? old.map((b, i) => ({ probability: i === 0 ? 'C' : 0, label: b.label, node: b.node })) : [{ probability: 1, label: 'Branch', node: { kind: 'terminal', id: freshId('node', ids) } }] };
    } else {
      const old = n.node.kind === 'terminal' ? [] : n.node.branches;
      next = { kind: 'decision', ...common, branches: old.length ? old.map((b, i) => ({ id: freshId(`option${i}_`, ids), label: b.label, node: b.node })) : [{ id: freshId('option', ids), label: 'Option', node: { kind: 'terminal', id: freshId('node', ids) } }] };
    }
    set(n.path, next, `Change node to ${kind}`);
  };

  const nodeIssues = (n: LaidOutNode) => validation.issues.under(toPointer(n.path)).filter((i) => !i.path.slice(toPointer(n.path).length).includes('/branches/'));

  return (
    <div className="screen" data-testid="screen-tree">
      <ScreenHeader
        title={t('tree.title')}
        subtitle={t('tree.subtitle')}
        actions={
          <div className="inline">
            {trees.length > 1 && (
              <div className="seg" role="group" aria-label={t('tree.title')}>
                {trees.map((tr, i) => (
                  <button key={i} type="button" aria-pressed={i === ti} className={i === ti ? 'on' : ''} onClick={() => { setTreeIndex(i); setSelectedPointer(null); }}>
                    {tr.label ?? tr.id}
                  </button>
                ))}
              </div>
            )}
            <button type="button" className="btn small" onClick={addTree} data-testid="tree-add">
              {t('tree.addTree')}
            </button>
          </div>
        }
      />
      <div className="inline tree-settings" data-testid="tree-settings">
        <label className="inline small">
          {t('tables.id')}
          <RenameField
            value={tree.id}
            label={`Id of decision tree ${ti + 1}`}
            pointer={`/trees/${ti}/id`}
            onRename={(to) =>
              dispatch({
                type: 'replace',
                model: {
                  ...doc.present,
                  trees: trees.map((x, i) => (i === ti ? { ...x, id: to } : x)),
                  strategies: (doc.present.strategies ?? []).map((st) => (st.entry?.kind === 'tree' && st.entry.tree === tree.id ? { ...st, entry: { ...st.entry, tree: to } } : st)),
                },
                label: `Rename decision tree ${tree.id} to ${to}`,
              })
            }
          />
        </label>
        <label className="inline small">
          {t('tables.label')}
          <EditCell path={['trees', ti, 'label']} value={tree.label} kind="optional-text" label={`Label of decision tree ${tree.id}`} width="wide" />
        </label>
        {treeUsers.length > 0 && <span className="hint">{t('markov.usedBy', { names: treeUsers.join(', ') })}</span>}
        <span className="spacer" />
        <button type="button" className="btn small danger" onClick={removeTree} aria-label={`Remove decision tree ${tree.id}`}>
          {t('tree.removeTree')}
        </button>
      </div>
      <div className="tree-layout">
        <Panel title={tree.label ?? tree.id} className="flush tree-canvas-panel">
          <div className="tree-scroll">
            <svg className="tree-svg" width={layout.width} height={layout.height} viewBox={`0 0 ${layout.width} ${layout.height}`} role="img" aria-label={`Decision tree ${tree.label ?? tree.id}`} data-testid="tree-svg">
              {layout.nodes.map((n, i) => {
                if (n.parentIndex === null || !n.branch) return null;
                const p = layout.nodes[n.parentIndex];
                const elbow = p.x + R + 22;
                const prob = n.branch.probability;
                const midX = (elbow + n.x - R) / 2;
                const issues = n.branch.probability !== null ? validation.issues.at(toPointer([...p.path, 'branches', n.branch.index, 'probability'])) : [];
                return (
                  <g key={`b${i}`} className="tree-branch">
                    <polyline points={`${p.x + R},${p.y} ${elbow},${n.y} ${n.x - R},${n.y}`} />
                    <text x={midX} y={n.y - 6} className="branch-label" textAnchor="middle">
                      {n.branch.label}
                    </text>
                    {prob !== null && (
                      <text x={midX} y={n.y + 14} className={`branch-prob${issues.length ? ' error' : ''}`} textAnchor="middle">
                        {String(prob)}
                      </text>
                    )}
                  </g>
                );
              })}
              {layout.nodes.map((n) => {
                const pointer = toPointer(n.path);
                const pp = pathProb.get(n.node.id);
                return (
                  <g key={pointer} className="tree-node-group" onClick={() => setSelectedPointer(pointer)} data-node={n.node.id}>
                    <NodeShape n={n} selected={pointer === selectedPointer} hasError={nodeIssues(n).length > 0} />
                    {n.node.kind === 'terminal' ? (
                      <text x={n.x + R + 6} y={n.y + 4} className="node-label terminal">
                        {n.node.label ?? n.node.id}
                        {n.node.markov ? ` → ${n.node.markov.model}:${n.node.markov.state}` : ''}
                        {pp !== undefined ? `  (p = ${formatPercent(pp, 1)})` : ''}
                      </text>
                    ) : (
                      <text x={n.x - R} y={n.y - R - 8} className="node-label" textAnchor="start">
                        {n.parentIndex === null ? (n.node.label ?? n.node.id) : ''}
                      </text>
                    )}
                  </g>
                );
              })}
            </svg>
          </div>
        </Panel>
        <Panel title={selected ? t('tree.nodeN', { id: selected.node.id }) : t('tree.node')} className="tree-inspector" testId="tree-inspector">
          {!selected ? (
            <Empty>{t('tree.select')}</Empty>
          ) : (
            <div className="inspector">
              <label>
                {t('tree.kind')}
                <select value={selected.node.kind} onChange={(e) => changeKind(selected, e.target.value as TreeNode['kind'])} aria-label={t('tree.kind')}>
                  <option value="decision">{t('tree.kind.decision')}</option>
                  <option value="chance">{t('tree.kind.chance')}</option>
                  <option value="terminal">{t('tree.kind.terminal')}</option>
                </select>
              </label>
              <label>
                {t('tree.nodeId')}
                <EditCell path={[...selected.path, 'id']} value={selected.node.id} kind="text" label="Node id" />
              </label>
              {selected.branch && selected.parentIndex !== null && layout.nodes[selected.parentIndex].node.kind === 'decision' && (
                <label>
                  {t('tree.optionId')}
                  <RenameField
                    value={String(getIn(doc.present, optionIdPath(selected)) ?? '')}
                    label="Option id"
                    pointer={toPointer(optionIdPath(selected))}
                    taken={otherOptionIds(doc.present, layout.nodes[selected.parentIndex].path, selected.branch.index)}
                    onRename={(to) =>
                      dispatch({
                        type: 'replace',
                        model: renameDecisionOption(doc.present, optionIdPath(selected).slice(0, -3), selected.branch!.index, to),
                        label: `Rename option ${String(getIn(doc.present, optionIdPath(selected)))} to ${to}`,
                      })
                    }
                  />
                </label>
              )}
              <label>
                {t('tree.label')}
                <EditCell path={[...selected.path, 'label']} value={selected.node.label} kind="optional-text" label="Node label" />
              </label>
              {selected.branch && selected.parentIndex !== null && (
                <>
                  <label>
                    {t('tree.branchLabel')}
                    <EditCell path={[...layout.nodes[selected.parentIndex].path, 'branches', selected.branch.index, 'label']} value={selected.branch.label} kind="optional-text" label="Branch label" />
                  </label>
                  {selected.branch.probability !== null && (
                    <label>
                      {t('tree.probability')}
                      <EditCell
                        path={[...layout.nodes[selected.parentIndex].path, 'branches', selected.branch.index, 'probability']}
                        value={getIn(doc.present, [...layout.nodes[selected.parentIndex].path, 'branches', selected.branch.index, 'probability'])}
                        kind="expression"
                        label="Branch probability"
                      />
                    </label>
                  )}
                </>
              )}
              {selected.node.kind === 'terminal' && (
                <div className="inspector-rewards">
                  <h3>{t('tree.terminalValues')}</h3>
                  {[
                    ...(doc.present.outcomes ?? []),
                    // Values for ids that are no outcome (e.g. a removed outcome): shown so their issue is seen and fixed.
                    ...Object.keys(selected.node.rewards ?? {})
                      .filter((k) => !(doc.present.outcomes ?? []).some((o) => o.id === k))
                      .map((id) => ({ id, label: undefined })),
                  ].map((o) => (
                    <label key={o.id}>
                      {o.label ?? o.id}
                      <EditCell path={[...selected.path, 'rewards', o.id]} value={selected.node.kind === 'terminal' ? selected.node.rewards?.[o.id] : undefined} kind="expression" label={`${o.id} at ${selected.node.id}`} placeholder="0" />
                    </label>
                  ))}
                  <MarkovLink path={selected.path} nodeId={selected.node.id} link={selected.node.markov} />
                </div>
              )}
              <NodeValues nodeId={selected.node.id} />
              {nodeIssues(selected).length > 0 && <IssueText issues={nodeIssues(selected)} />}
              <div className="inspector-actions">
                {selected.node.kind !== 'terminal' && (
                  <button type="button" className="btn" onClick={() => addBranch(selected)}>
                    {t('tree.addBranch')}
                  </button>
                )}
                {selected.parentIndex !== null && (
                  <button type="button" className="btn danger" onClick={() => removeNode(selected)}>
                    {t('tree.remove')}
                  </button>
                )}
              </div>
            </div>
          )}
        </Panel>
      </div>
    </div>
  );
}
