// Renaming a parameter: every expression that names it is rewritten, whole identifiers only.
// Identifiers are found with the engine's own tokenizer (models/expression), so `p_death` does not
// match inside `p_death_2`, inside quoted text or as a function name. Override keys, Dirichlet
// alphas and correlation pairs that name the parameter are renamed too.
import { tokenize } from '../../models/expression/tokenize';
import type { ModelJson } from './model-document';

/** `text` with every identifier `from` (not a function name) replaced by `to`; unparseable text is left as it is. */
export function renameInExpression(text: string, from: string, to: string): string {
  let tokens;
  try {
    tokens = tokenize(text);
  } catch {
    return text;
  }
  let out = '';
  let at = 0;
  tokens.forEach((tok, i) => {
    const next = tokens[i + 1];
    if (tok.type === 'identifier' && tok.text === from && !(next && next.type === 'operator' && next.text === '(')) {
      out += text.slice(at, tok.start) + to;
      at = tok.end;
    }
  });
  return at === 0 ? text : out + text.slice(at);
}

type Json = Record<string, unknown>;

/** Applies `fn` to every expression position of the model; returns the new model and how many expressions changed. */
function mapExpressions(model: ModelJson, fn: (text: string) => string, renameKey: (key: string) => string): { model: ModelJson; count: number } {
  let count = 0;
  const expr = (v: unknown): unknown => {
    if (typeof v !== 'string') return v;
    const next = fn(v);
    if (next !== v) count++;
    return next;
  };
  const record = (r: unknown, keys = false): unknown => {
    if (!r || typeof r !== 'object' || Array.isArray(r)) return r;
    const out: Json = {};
    for (const [k, v] of Object.entries(r as Json)) {
      const key = keys ? renameKey(k) : k;
      if (key !== k) count++;
      out[key] = expr(v);
    }
    return out;
  };
  const list = <T>(a: unknown, f: (x: Json) => T): unknown => (Array.isArray(a) ? a.map((x) => (x && typeof x === 'object' ? f(x as Json) : x)) : a);
  const node = (n: Json): Json => {
    const out: Json = { ...n };
    if ('rewards' in n) out.rewards = record(n.rewards);
    if (Array.isArray(n.branches))
      out.branches = n.branches.map((b: Json) => ({
        ...b,
        ...('probability' in b ? { probability: expr(b.probability) } : {}),
        ...('rewards' in b ? { rewards: record(b.rewards) } : {}),
        ...(b.node && typeof b.node === 'object' ? { node: node(b.node as Json) } : {}),
      }));
    return out;
  };
  const variant = (v: Json): Json => {
    const out: Json = { ...v };
    if ('overrides' in v) out.overrides = record(v.overrides, true);
    if (v.strategyOverrides && typeof v.strategyOverrides === 'object')
      out.strategyOverrides = Object.fromEntries(Object.entries(v.strategyOverrides as Json).map(([s, o]) => [s, record(o, true)]));
    return out;
  };
  const m = model as unknown as Json;
  const next: Json = { ...m };
  if (m.parameters)
    next.parameters = list(m.parameters, (p) => {
      const out: Json = { ...p, value: expr(p.value) };
      const d = p.distribution as Json | undefined;
      if (d && d.type === 'dirichlet') out.distribution = { ...d, alphas: record(d.alphas, true) };
      return out;
    });
  if (m.markovModels)
    next.markovModels = list(m.markovModels, (mm) => ({
      ...mm,
      ...(mm.states ? { states: list(mm.states, (s) => ('rewards' in s ? { ...s, rewards: record(s.rewards) } : s)) } : {}),
      ...(mm.transitions ? { transitions: list(mm.transitions, (tr) => ({ ...tr, probability: expr(tr.probability), ...('rewards' in tr ? { rewards: record(tr.rewards) } : {}) })) } : {}),
      ...('initial' in mm ? { initial: record(mm.initial) } : {}),
    }));
  if (m.trees) next.trees = list(m.trees, (t) => (t.root && typeof t.root === 'object' ? { ...t, root: node(t.root as Json) } : t));
  for (const key of ['strategies', 'scenarios', 'subgroups'] as const) if (m[key]) next[key] = list(m[key], variant);
  if (m.correlations)
    next.correlations = list(m.correlations, (c) =>
      Array.isArray(c.parameters) ? { ...c, parameters: c.parameters.map((id: unknown) => (typeof id === 'string' ? (renameKey(id) !== id ? (count++, renameKey(id)) : id) : id)) } : c,
    );
  return { model: next as unknown as ModelJson, count };
}

/** How many expressions and keys name the parameter `id`. */
export function countParameterReferences(model: ModelJson, id: string): number {
  if (!id) return 0;
  return mapExpressions(model, (t) => renameInExpression(t, id, `${id}_`), (k) => (k === id ? `${k}_` : k)).count;
}

/** The model with parameter `index` renamed to `to` and, if `updateReferences`, every reference to it updated. */
export function renameParameter(model: ModelJson, index: number, to: string, updateReferences: boolean): ModelJson {
  const params = model.parameters ?? [];
  const from = params[index]?.id;
  if (from === undefined || from === to) return model;
  const withId = { ...model, parameters: params.map((p, i) => (i === index ? { ...p, id: to } : p)) } as ModelJson;
  if (!updateReferences || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(to)) return withId;
  return mapExpressions(withId, (t) => renameInExpression(t, from, to), (k) => (k === from ? to : k)).model;
}
