/**
 * Decision-tree compilation. Branch probabilities may be "C", the complement of the siblings.
 * A terminal may hand its cohort to a Markov model (tree then Markov). Decision nodes inside a
 * strategy's tree take the branch the strategy chooses (`entry.choices`); the comparison between
 * strategies is the decision the analysis makes.
 */
import type { DecisionTree, ModelFile, TreeNode } from '../schema/model-file';
import { type ModelIssue, issue } from '../schema/model-issue';
import { type ExpressionCache, type JsonPath, type ParameterProgram, type Site, compileSite } from './parameters';

export type CompiledTreeNode =
  | { kind: 'chance'; id: string; label: string; path: JsonPath; branches: CompiledChanceBranch[]; complement: number }
  | { kind: 'decision'; id: string; label: string; path: JsonPath; chosen: CompiledTreeNode; chosenBranch: string }
  | { kind: 'terminal'; id: string; label: string; path: JsonPath; rewards: (Site | null)[]; markov: { model: number; state: number } | null };

export type CompiledChanceBranch = { probability: Site | null; rewards: (Site | null)[] | null; node: CompiledTreeNode; label: string };

export type TreeLinks = {
  /** Markov models referenced by terminals, by index into model.markovModels. */
  markovIndices: Set<number>;
};

export function compileTree(
  model: ModelFile,
  treeIndex: number,
  choices: Record<string, string> | undefined,
  choicesPath: JsonPath,
  program: ParameterProgram,
  cache: ExpressionCache,
  issues: ModelIssue[],
  links: TreeLinks,
): CompiledTreeNode | null {
  const tree: DecisionTree = model.trees[treeIndex];
  const outcomeIds = model.outcomes.map((o) => o.id);
  const outcomeIndex = new Map(outcomeIds.map((id, i) => [id, i]));
  const markovIndex = new Map(model.markovModels.map((m, i) => [m.id, i]));
  const before = issues.length;
  const seenIds = new Set<string>();
  const usedChoices = new Set<string>();

  const rewardSites = (rewards: Record<string, number | string> | undefined, path: JsonPath): (Site | null)[] => {
    const sites: (Site | null)[] = outcomeIds.map(() => null);
    for (const [outcome, value] of Object.entries(rewards ?? {})) {
      const o = outcomeIndex.get(outcome);
      if (o === undefined) issues.push(issue([...path, outcome], `unknown outcome '${outcome}' (outcomes are: ${outcomeIds.join(', ')})`));
      else sites[o] = compileSite(value, [...path, outcome], program, cache, issues);
    }
    return sites;
  };

  // Iterative-looking recursion is fine here: schema depth is bounded by the JSON depth guard.
  const visit = (node: TreeNode, path: JsonPath): CompiledTreeNode | null => {
    if (seenIds.has(node.id)) issues.push(issue([...path, 'id'], `duplicate node id '${node.id}' in tree '${tree.id}'`));
    seenIds.add(node.id);
    const label = node.label ?? node.id;
    if (node.kind === 'terminal') {
      let markov: { model: number; state: number } | null = null;
      if (node.markov) {
        const m = markovIndex.get(node.markov.model);
        if (m === undefined) issues.push(issue([...path, 'markov', 'model'], `unknown Markov model '${node.markov.model}'`));
        else {
          const s = model.markovModels[m].states.findIndex((st) => st.id === node.markov!.state);
          if (s < 0) issues.push(issue([...path, 'markov', 'state'], `Markov model '${node.markov.model}' has no state '${node.markov.state}'`));
          else {
            markov = { model: m, state: s };
            links.markovIndices.add(m);
          }
        }
      }
      return { kind: 'terminal', id: node.id, label, path, rewards: rewardSites(node.rewards, [...path, 'rewards']), markov };
    }
    if (node.kind === 'decision') {
      const choice = choices?.[node.id];
      if (choice === undefined) {
        issues.push(issue(choicesPath, `the strategy reaches decision node '${node.id}' but does not choose a branch there (add "${node.id}": "<branch id>" to entry.choices)`));
        return null;
      }
      usedChoices.add(node.id);
      const b = node.branches.findIndex((br) => br.id === choice);
      if (b < 0) {
        issues.push(issue([...choicesPath, node.id], `decision node '${node.id}' has no branch '${choice}' (branches: ${node.branches.map((br) => br.id).join(', ')})`));
        return null;
      }
      const chosen = visit(node.branches[b].node, [...path, 'branches', b, 'node']);
      return chosen && { kind: 'decision', id: node.id, label, path, chosen, chosenBranch: choice };
    }
    const complements = node.branches.filter((b) => b.probability === 'C').length;
    if (complements > 1) issues.push(issue([...path, 'branches'], `chance node '${node.id}' has ${complements} branches with probability "C"; at most one may be the complement`));
    const branches: CompiledChanceBranch[] = [];
    node.branches.forEach((b, i) => {
      const bpath = [...path, 'branches', i];
      const probability = b.probability === 'C' ? null : compileSite(b.probability, [...bpath, 'probability'], program, cache, issues);
      const rewards = b.rewards ? rewardSites(b.rewards, [...bpath, 'rewards']) : null;
      const child = visit(b.node, [...bpath, 'node']);
      if (child) branches.push({ probability, rewards, node: child, label: b.label ?? child.label });
    });
    return { kind: 'chance', id: node.id, label, path, branches, complement: node.branches.findIndex((b) => b.probability === 'C') };
  };

  const root = visit(tree.root, ['trees', treeIndex, 'root']);
  for (const key of Object.keys(choices ?? {})) {
    if (!usedChoices.has(key)) issues.push(issue([...choicesPath, key], `no decision node '${key}' is reached in tree '${tree.id}'`));
  }
  return issues.length > before ? null : root;
}
