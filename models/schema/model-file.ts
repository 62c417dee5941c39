/**
 * The model file format, version 1.
 *
 * One zod schema is the single source of truth: TypeScript types are inferred from it and the
 * published JSON Schema (`models/schema/model-file.schema.json`) is generated from it
 * (`npm run cli -- schema`). Documentation: docs/model-file-format.md.
 *
 * Numbers that users write may be a plain number or an expression string (see models/expression).
 */
import { z } from 'zod';

export const CURRENT_SCHEMA_VERSION = 1;

/** Identifiers are used inside expressions, so they follow expression-identifier rules. */
const identifierPattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const Identifier = z
  .string()
  .regex(identifierPattern, 'must start with a letter or _ and contain only letters, digits and _')
  .max(64)
  .refine((s) => !RESERVED_IDENTIFIERS.has(s) && !FORBIDDEN_KEYS.has(s), {
    message: 'is a reserved word',
  });
/** Ids of structural things (states, nodes, strategies, outcomes...): expression-safe but free to be 'C' or 'time'. */
export const StructureId = z
  .string()
  .regex(identifierPattern, 'must start with a letter or _ and contain only letters, digits and _')
  .max(64)
  .refine((s) => !FORBIDDEN_KEYS.has(s), { message: 'is a reserved word' });

/** Names the expression language defines itself; a parameter may not shadow them. */
export const RESERVED_IDENTIFIERS = new Set([
  'cycle', 'time', 'state_time', 'cycle_years', 'C', 'true', 'false', 'pi', 'e', 'if', 'and', 'or', 'not',
]);
/** Keys that could pollute prototypes if used as object keys. */
export const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const MAX_EXPRESSION_LENGTH = 2000;
/** A finite number or an expression string. */
export const NumberOrExpression = z.union([
  z.number().finite(),
  z.string().min(1, 'must not be empty').max(MAX_EXPRESSION_LENGTH, `must be at most ${MAX_EXPRESSION_LENGTH} characters`),
]);
/** A transition probability or branch probability may also be "C": the complement of its siblings. */
export const Probability = NumberOrExpression;

const Text = z.string().max(10_000);

export const Confidence = z.enum(['reported', 'derived', 'assumption']);

export const CycleUnit = z.enum(['days', 'weeks', 'months', 'years']);

export const WithinCycleCorrection = z.enum([
  'none', // end-of-cycle counting (right Riemann sum): Briggs et al. 2006, Example 2.5
  'beginning', // start-of-cycle counting (left Riemann sum)
  'half-cycle', // Sonnenberg & Beck 1993: mean of start- and end-of-cycle occupancy
  'trapezoidal', // Elbasha & Chhatwal 2016: trapezoidal rule on the discounted reward curve
  'simpson', // Elbasha & Chhatwal 2016: composite Simpson's 1/3 rule (3/8 rule closes an odd count)
]);

/** PSA distributions: natural parameters or mean and standard error (method of moments). */
export const Distribution = z.discriminatedUnion('type', [
  z.object({ type: z.literal('fixed') }).strict(),
  z.object({ type: z.literal('beta'), alpha: z.number().positive().optional(), beta: z.number().positive().optional(), mean: z.number().optional(), se: z.number().positive().optional() }).strict(),
  z.object({ type: z.literal('gamma'), shape: z.number().positive().optional(), scale: z.number().positive().optional(), mean: z.number().optional(), se: z.number().positive().optional() }).strict(),
  z.object({ type: z.literal('lognormal'), meanlog: z.number().optional(), sdlog: z.number().nonnegative().optional(), mean: z.number().positive().optional(), se: z.number().positive().optional() }).strict(),
  z.object({ type: z.literal('normal'), mean: z.number(), sd: z.number().nonnegative().optional(), se: z.number().nonnegative().optional(), lower: z.number().optional(), upper: z.number().optional() }).strict(),
  z.object({ type: z.literal('uniform'), min: z.number(), max: z.number() }).strict(),
  z.object({ type: z.literal('triangular'), min: z.number(), mode: z.number(), max: z.number() }).strict(),
  z.object({ type: z.literal('pert'), min: z.number(), mode: z.number(), max: z.number(), lambda: z.number().positive().optional() }).strict(),
  /** Dirichlet over a group of parameters (multinomial transitions); `alphas` keyed by parameter id. */
  z.object({ type: z.literal('dirichlet'), group: StructureId, alphas: z.record(z.string(), z.number().positive()) }).strict(),
]);
export type Distribution = z.infer<typeof Distribution>;

export const Parameter = z
  .object({
    id: Identifier,
    label: Text.optional(),
    description: Text.optional(),
    unit: z.string().max(100).optional(),
    value: NumberOrExpression,
    /** DSA range. */
    low: z.number().finite().optional(),
    high: z.number().finite().optional(),
    distribution: Distribution.optional(),
    source: Text.optional(),
    confidence: Confidence.optional(),
    /** Free-text notes shown next to the value (e.g. the arithmetic behind a derived value). */
    notes: Text.optional(),
    group: z.string().max(100).optional(),
  })
  .strict();
export type Parameter = z.infer<typeof Parameter>;

/** Lookup table: key columns (numeric or categorical) and one value column. */
export const LookupTable = z
  .object({
    id: Identifier,
    label: Text.optional(),
    source: Text.optional(),
    confidence: Confidence.optional(),
    /** Key column names, in the order `lookup(table, key1, key2, …)` takes them. */
    keys: z.array(z.string().min(1).max(64)).min(1).max(4),
    /** How a numeric key between rows is matched: `floor` takes the largest row key <= value (ages), `exact` demands a match, `linear` interpolates. */
    match: z.enum(['floor', 'exact', 'linear']).default('floor'),
    /** Outside the key range: clamp to the nearest row, or report an error. */
    outOfRange: z.enum(['clamp', 'error']).default('clamp'),
    /** Each row is the key values followed by the value. */
    rows: z.array(z.array(z.union([z.number().finite(), z.string().max(64)])).min(2)).min(1).max(100_000),
  })
  .strict();
export type LookupTable = z.infer<typeof LookupTable>;

export const Outcome = z
  .object({
    id: StructureId,
    label: Text.optional(),
    unit: z.string().max(100).optional(),
    /** Which annual discount rate applies: the cost rate, the effect rate, or none (counts such as events or mg). */
    discount: z.enum(['costs', 'effects', 'none']),
    description: Text.optional(),
  })
  .strict();
export type Outcome = z.infer<typeof Outcome>;

/** Outcome values: outcome id → number or expression. */
export const Rewards = z.record(z.string(), NumberOrExpression);
export type Rewards = z.infer<typeof Rewards>;

export const HealthState = z
  .object({
    id: StructureId,
    label: Text.optional(),
    /** Value accrued per cycle spent in the state, per outcome. */
    rewards: Rewards.default({}),
    /** Tunnel state: occupants carry `state_time` 1..tunnelLength; the last tunnel cycle repeats. */
    tunnelLength: z.number().int().min(1).max(1200).optional(),
  })
  .strict();
export type HealthState = z.infer<typeof HealthState>;

export const Transition = z
  .object({
    from: StructureId,
    to: StructureId,
    /** Probability per cycle, or "C" for the complement of the row's other transitions. */
    probability: Probability,
    /** One-off values on making this transition (e.g. the cost of an event), per outcome. */
    rewards: Rewards.optional(),
  })
  .strict();
export type Transition = z.infer<typeof Transition>;

export const MarkovModel = z
  .object({
    id: StructureId,
    label: Text.optional(),
    states: z.array(HealthState).min(1).max(500),
    transitions: z.array(Transition).max(250_000),
    /** Initial distribution (state id → share). Used when the Markov model is a strategy's entry; tree terminals name their own entry state. */
    initial: z.record(z.string(), NumberOrExpression).optional(),
  })
  .strict();
export type MarkovModel = z.infer<typeof MarkovModel>;

export type TreeNode =
  | { kind: 'decision'; id: string; label?: string; branches: DecisionBranch[] }
  | { kind: 'chance'; id: string; label?: string; branches: ChanceBranch[] }
  | {
      kind: 'terminal';
      id: string;
      label?: string;
      /** One-off values at this end point, per outcome. */
      rewards?: Rewards;
      /** Tree then Markov: the cohort reaching this terminal enters `model` in `state`. */
      markov?: { model: string; state: string };
    };
export type DecisionBranch = { id: string; label?: string; node: TreeNode };
export type ChanceBranch = { probability: string | number; label?: string; node: TreeNode; rewards?: Rewards };

export const TreeNode: z.ZodType<TreeNode> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('decision'), id: StructureId, label: Text.optional(), branches: z.array(DecisionBranchSchema).min(1).max(1000) }).strict(),
    z.object({ kind: z.literal('chance'), id: StructureId, label: Text.optional(), branches: z.array(ChanceBranchSchema).min(1).max(1000) }).strict(),
    z
      .object({
        kind: z.literal('terminal'),
        id: StructureId,
        label: Text.optional(),
        rewards: Rewards.optional(),
        markov: z.object({ model: StructureId, state: StructureId }).strict().optional(),
      })
      .strict(),
  ]),
) as z.ZodType<TreeNode>;
const DecisionBranchSchema = z.object({ id: StructureId, label: Text.optional(), node: z.lazy(() => TreeNode) }).strict();
const ChanceBranchSchema = z
  .object({ probability: Probability, label: Text.optional(), node: z.lazy(() => TreeNode), rewards: Rewards.optional() })
  .strict();

export const DecisionTree = z.object({ id: StructureId, label: Text.optional(), root: TreeNode }).strict();
export type DecisionTree = z.infer<typeof DecisionTree>;

/** Parameter id → override value (number or expression). */
export const Overrides = z.record(z.string(), NumberOrExpression);
export type Overrides = z.infer<typeof Overrides>;

export const Strategy = z
  .object({
    id: StructureId,
    name: z.string().min(1).max(200),
    description: Text.optional(),
    /** Where the strategy's cohort starts: a decision tree (optionally choosing branches at decision nodes) or a Markov model. */
    entry: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('tree'), tree: StructureId, choices: z.record(z.string(), StructureId).optional() }).strict(),
      z.object({ kind: z.literal('markov'), model: StructureId }).strict(),
    ]),
    /** Strategy-specific parameter values. */
    overrides: Overrides.optional(),
  })
  .strict();
export type Strategy = z.infer<typeof Strategy>;

export const Scenario = z
  .object({
    id: StructureId,
    name: z.string().min(1).max(200),
    description: Text.optional(),
    /** Replace parameter values for every strategy (they take precedence over strategy overrides). */
    overrides: Overrides.default({}),
    /** Replace parameter values for one strategy only (highest precedence). */
    strategyOverrides: z.record(z.string(), Overrides).optional(),
    /** Settings changed by the scenario (e.g. a longer horizon). */
    settings: z.lazy(() => SettingsPatch).optional(),
  })
  .strict();
export type Scenario = z.infer<typeof Scenario>;

export const Subgroup = z
  .object({
    id: StructureId,
    name: z.string().min(1).max(200),
    description: Text.optional(),
    /** Share of the modelled population (weights are normalised over all subgroups). */
    weight: z.number().finite().nonnegative(),
    weightSource: Text.optional(),
    overrides: Overrides.default({}),
    strategyOverrides: z.record(z.string(), Overrides).optional(),
  })
  .strict();
export type Subgroup = z.infer<typeof Subgroup>;

export const Duration = z.object({ value: z.number().finite().positive(), unit: CycleUnit }).strict();

const settingsFields = {
  cycleLength: Duration,
  /** Time horizon; the number of cycles is horizon / cycle length, rounded to the nearest whole cycle. */
  timeHorizon: Duration,
  /** Annual discount rates, rescaled to the cycle length as (1 + r)^(cycle years). */
  discountRates: z.object({ costs: z.number().min(0).max(1), effects: z.number().min(0).max(1) }).strict(),
  withinCycleCorrection: WithinCycleCorrection,
  currency: z.string().min(1).max(10),
  priceYear: z.number().int().min(1900).max(2200).optional(),
  perspective: z.string().max(200).optional(),
  /** Willingness-to-pay thresholds per unit of the primary effect; the first is the reference threshold. */
  wtpThresholds: z.array(z.number().finite().nonnegative()).min(1).max(100),
  /** Outcome id used as cost in incremental analysis. */
  costOutcome: StructureId,
  /** Outcome id used as the primary effect (ICER denominator). */
  effectOutcome: StructureId,
  /** Size of the cohort the results are reported for (results are per person by default). */
  cohortSize: z.number().finite().positive(),
};
export const Settings = z
  .object({
    ...settingsFields,
    withinCycleCorrection: settingsFields.withinCycleCorrection.default('none'),
    currency: settingsFields.currency.default('EUR'),
    cohortSize: settingsFields.cohortSize.default(1),
  })
  .strict();
export type Settings = z.infer<typeof Settings>;
/** A scenario's or preset's settings changes: no defaults, so a field left out stays as the model has it. */
export const SettingsPatch = z.object(settingsFields).partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

/** Budget impact (Sullivan et al. 2014, ISPOR good practice): see models/analyses/budget-impact.ts. */
export const BudgetImpactSpec = z
  .object({
    years: z.number().int().min(1).max(20),
    /** Eligible (treated) population per year. */
    eligiblePopulation: z.array(z.number().finite().nonnegative()).min(1).max(20),
    populationSource: Text.optional(),
    /** Market shares per strategy per year without and with the new technology; each year sums to 1. */
    sharesWithout: z.record(z.string(), z.array(z.number().min(0).max(1))),
    sharesWith: z.record(z.string(), z.array(z.number().min(0).max(1))),
    sharesSource: Text.optional(),
  })
  .strict();
export type BudgetImpactSpec = z.infer<typeof BudgetImpactSpec>;

/** Named presets of settings (e.g. agency conventions), applied like a scenario's settings. */
export const SettingsPreset = z
  .object({ id: StructureId, name: z.string().min(1).max(200), source: Text.optional(), settings: SettingsPatch })
  .strict();

export const Metadata = z
  .object({
    name: z.string().min(1).max(300),
    description: Text.optional(),
    authors: z.array(z.string().max(200)).max(100).optional(),
    version: z.string().max(50).optional(),
    references: z.array(Text).max(1000).optional(),
    limitations: z.array(Text).max(1000).optional(),
  })
  .strict();

/** Correlation between PSA parameters (Gaussian copula). */
export const Correlation = z
  .object({ parameters: z.tuple([Identifier, Identifier]), rho: z.number().min(-1).max(1), source: Text.optional() })
  .strict();

export const ModelFile = z
  .object({
    $schema: z.string().max(500).optional(),
    schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
    metadata: Metadata,
    settings: Settings,
    outcomes: z.array(Outcome).min(1).max(100),
    parameters: z.array(Parameter).max(20_000).default([]),
    tables: z.array(LookupTable).max(200).default([]),
    correlations: z.array(Correlation).max(10_000).default([]),
    markovModels: z.array(MarkovModel).max(50).default([]),
    trees: z.array(DecisionTree).max(50).default([]),
    strategies: z.array(Strategy).min(1).max(200),
    scenarios: z.array(Scenario).max(500).default([]),
    subgroups: z.array(Subgroup).max(200).default([]),
    presets: z.array(SettingsPreset).max(50).default([]),
    budgetImpact: BudgetImpactSpec.optional(),
  })
  .strict();
/** A model file after schema defaults are applied. */
export type ModelFile = z.infer<typeof ModelFile>;
/** A model file as written by a user (defaults optional). */
export type ModelFileInput = z.input<typeof ModelFile>;
