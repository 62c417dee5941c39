// Renaming a strategy or a decision option: what names it follows in the same edit. A strategy id
// is named by the keys of every scenario's and subgroup's `strategyOverrides` and by the budget
// impact market shares (`sharesWithout`, `sharesWith`); a decision option id by the `choices` of the
// strategies that enter its tree. (Settings and presets name no strategy.)
import { getIn, setIn, type JsonPath } from './json-path';
import type { ModelJson } from './model-document';

type Json = Record<string, unknown>;

const renameKey = (r: unknown, from: string, to: string): unknown =>
  r && typeof r === 'object' && !Array.isArray(r) && from in (r as Json)
    ? Object.fromEntries(Object.entries(r as Json).map(([k, v]) => [k === from ? to : k, v]))
    : r;

/** The ids of the strategies other than `index` (a rename to one of them is refused). */
export function otherStrategyIds(model: ModelJson, index: number): string[] {
  return (model.strategies ?? []).filter((_, i) => i !== index).map((s) => s.id);
}

/** The model with strategy `index` renamed `to`, its strategy overrides and budget-impact shares following. */
export function renameStrategy(model: ModelJson, index: number, to: string): ModelJson {
  const strategies = model.strategies ?? [];
  const from = strategies[index]?.id;
  if (from === undefined || from === to) return model;
  const variant = <T>(list: T[] | undefined): T[] | undefined =>
    list?.map((v) => {
      const so = (v as Json).strategyOverrides;
      const next = renameKey(so, from, to);
      return next === so ? v : ({ ...v, strategyOverrides: next } as T);
    });
  const next: ModelJson = { ...model, strategies: strategies.map((s, i) => (i === index ? { ...s, id: to } : s)) };
  if (model.scenarios) next.scenarios = variant(model.scenarios);
  if (model.subgroups) next.subgroups = variant(model.subgroups);
  const bi = model.budgetImpact;
  if (bi) next.budgetImpact = { ...bi, sharesWithout: renameKey(bi.sharesWithout, from, to) as typeof bi.sharesWithout, sharesWith: renameKey(bi.sharesWith, from, to) as typeof bi.sharesWith };
  return next;
}

/** The ids of the options of the decision node at `nodePath` other than `branch`. */
export function otherOptionIds(model: ModelJson, nodePath: JsonPath, branch: number): string[] {
  const branches = getIn(model, [...nodePath, 'branches']);
  return Array.isArray(branches) ? branches.filter((_, i) => i !== branch).map((b) => (b as Json)?.id as string) : [];
}

/**
 * The model with option `branch` of the decision node at `nodePath` (['trees', ti, 'root', …]) renamed
 * `to`, and the strategies entering that tree that choose it following.
 */
export function renameDecisionOption(model: ModelJson, nodePath: JsonPath, branch: number, to: string): ModelJson {
  const node = getIn(model, nodePath) as Json | undefined;
  const from = (getIn(model, [...nodePath, 'branches', branch]) as Json | undefined)?.id;
  const tree = (model.trees ?? [])[nodePath[1] as number];
  if (!node || typeof from !== 'string' || !tree || from === to) return model;
  const next = setIn(model, [...nodePath, 'branches', branch, 'id'], to);
  return {
    ...next,
    strategies: (next.strategies ?? []).map((s) => {
      const e = s.entry;
      if (e?.kind !== 'tree' || e.tree !== tree.id || e.choices?.[node.id as string] !== from) return s;
      return { ...s, entry: { ...e, choices: { ...e.choices, [node.id as string]: to } } };
    }),
  };
}
