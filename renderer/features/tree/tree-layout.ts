// TreeAge-style layout of a decision tree: root on the left, leaves stacked top to bottom,
// each parent centred on its children. Pure function, unit-tested.
import type { TreeNode } from '../../../models/index';
import type { PathSegment } from '../../state/json-path';

export type LaidOutNode = {
  node: TreeNode;
  path: PathSegment[];
  x: number;
  y: number;
  depth: number;
  parentIndex: number | null;
  /** Branch into this node (from its parent). */
  branch: { label: string; probability: string | number | null; index: number } | null;
};

export const LAYOUT = { columnWidth: 210, rowHeight: 58, marginX: 30, marginY: 34 } as const;

export function layoutTree(root: TreeNode, rootPath: PathSegment[]): { nodes: LaidOutNode[]; width: number; height: number } {
  const nodes: LaidOutNode[] = [];
  let nextLeaf = 0;
  let maxDepth = 0;
  let maxRight = 0;
  const visit = (node: TreeNode, path: PathSegment[], depth: number, parentIndex: number | null, branch: LaidOutNode['branch']): number => {
    const index = nodes.length;
    nodes.push({ node, path, x: LAYOUT.marginX + depth * LAYOUT.columnWidth, y: 0, depth, parentIndex, branch });
    maxDepth = Math.max(maxDepth, depth);
    if (node.kind === 'terminal') {
      const text = (node.label ?? node.id) + (node.markov ? ` → ${node.markov.model}:${node.markov.state}` : '') + '  (p = 00.0%)';
      maxRight = Math.max(maxRight, LAYOUT.marginX + depth * LAYOUT.columnWidth + 20 + text.length * 6.6);
    }
    const branches = node.kind === 'terminal' ? [] : node.branches;
    if (branches.length === 0) {
      nodes[index].y = LAYOUT.marginY + nextLeaf * LAYOUT.rowHeight;
      nextLeaf++;
    } else {
      const childYs = branches.map((b, bi) => {
        const childIndex = visit(b.node, [...path, 'branches', bi, 'node'], depth + 1, index, {
          label: b.label ?? ('id' in b ? (b as { id: string }).id : ''),
          probability: 'probability' in b ? (b as { probability: string | number }).probability : null,
          index: bi,
        });
        return nodes[childIndex].y;
      });
      nodes[index].y = (childYs[0] + childYs[childYs.length - 1]) / 2;
    }
    return index;
  };
  visit(root, rootPath, 0, null, null);
  return {
    nodes,
    width: Math.ceil(Math.max(LAYOUT.marginX * 2 + maxDepth * LAYOUT.columnWidth + 190, maxRight + LAYOUT.marginX)),
    height: LAYOUT.marginY * 2 + Math.max(0, nextLeaf - 1) * LAYOUT.rowHeight + 10,
  };
}

export function collectIds(node: TreeNode, out = new Set<string>()): Set<string> {
  out.add(node.id);
  if (node.kind !== 'terminal') for (const b of node.branches) collectIds(b.node, out);
  return out;
}

export function freshId(prefix: string, taken: Set<string>): string {
  let n = 1;
  while (taken.has(`${prefix}${n}`)) n++;
  return `${prefix}${n}`;
}
