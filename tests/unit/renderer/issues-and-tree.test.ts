import { describe, expect, test } from 'vitest';
import type { TreeNode } from '../../../models/index';
import { collectIds, freshId, LAYOUT, layoutTree } from '../../../renderer/features/tree/tree-layout';
import { indexIssues } from '../../../renderer/state/issues';

describe('issue index', () => {
  test('per-cycle repeats of one problem collapse to one issue per field', () => {
    const path = '/markovModels/0/transitions/1/probability';
    const index = indexIssues([
      { path, message: "transition probability from 'A' is 1.5 at cycle 1 for strategy 'mono'; it must be between 0 and 1", severity: 'error' },
      { path, message: "transition probability from 'A' is 1.5 at cycle 2 for strategy 'comb'; it must be between 0 and 1", severity: 'error' },
      { path: '/parameters/0/value', message: 'bad', parameter: 'p', severity: 'error' },
      { path: '/settings', message: 'note', severity: 'warning' },
    ]);
    expect(index.at(path)).toHaveLength(1);
    expect(index.under('/markovModels/0')).toHaveLength(1);
    expect(index.forParameter('p')).toHaveLength(1);
    expect(index.errorCount).toBe(2);
    expect(index.at('/nothing')).toEqual([]);
  });
});

describe('tree layout', () => {
  const tree: TreeNode = {
    kind: 'decision',
    id: 'd',
    branches: [
      { id: 'a', node: { kind: 'chance', id: 'c', branches: [{ probability: 0.3, node: { kind: 'terminal', id: 't1' } }, { probability: 'C', node: { kind: 'terminal', id: 't2' } }] } },
      { id: 'b', node: { kind: 'terminal', id: 't3' } },
    ],
  };
  test('leaves are stacked, parents centred on their children, depth sets x', () => {
    const { nodes, height } = layoutTree(tree, ['trees', 0, 'root']);
    const byId = new Map(nodes.map((n) => [n.node.id, n]));
    expect(byId.get('t1')!.y).toBeLessThan(byId.get('t2')!.y);
    expect(byId.get('t2')!.y).toBeLessThan(byId.get('t3')!.y);
    expect(byId.get('c')!.y).toBe((byId.get('t1')!.y + byId.get('t2')!.y) / 2);
    expect(byId.get('d')!.y).toBe((byId.get('c')!.y + byId.get('t3')!.y) / 2);
    expect(byId.get('t1')!.x - byId.get('c')!.x).toBe(LAYOUT.columnWidth);
    expect(byId.get('t2')!.path).toEqual(['trees', 0, 'root', 'branches', 0, 'node', 'branches', 1, 'node']);
    expect(byId.get('t2')!.branch!.probability).toBe('C');
    expect(height).toBeGreaterThan(2 * LAYOUT.rowHeight);
  });
  test('fresh ids never collide', () => {
    const ids = collectIds(tree);
    expect(ids.has('t3')).toBe(true);
    expect(freshId('t', ids)).toBe('t4');
  });
});
