/**
 * Every command, in the order `cli --help` lists them. Only the name, summary and usage live here:
 * a command's module (and the engine code it needs) is imported only when that command runs, so
 * `--help` loads no engine code and each command loads only its own. A new command adds an entry
 * here; tests/cli/registry.test.ts checks that each entry matches its module's Command.
 */
import type { CommandEntry } from './types';

export const commandEntries: CommandEntry[] = [
  {
    name: 'validate',
    summary: 'check a model file; prints "valid" or one line per problem (JSON path + message)',
    usage: 'validate <model.json>',
    load: async () => (await import('./validate')).validateCommand,
  },
  {
    name: 'run',
    summary: 'base case: cost and every outcome per strategy, incremental analysis, net benefit',
    usage: 'run <model.json> [--scenario ID] [--subgroup ID] [--preset ID] [--report] [--json] [--out FILE.xlsx|FILE.csv]',
    load: async () => (await import('./run')).runCommand,
  },
  {
    name: 'psa',
    summary: 'probabilistic sensitivity analysis: means, 95% intervals, CEAC, CEAF, EVPI (seeded, shardable)',
    usage: 'psa <model.json> --n N --seed S [--workers W] [--draws A-B] [--evppi p1,p2;p3] [--keep-draws] [--json]',
    load: async () => (await import('./psa')).psaCommand,
  },
  {
    name: 'psa-sample',
    summary: 'analyse an external PSA sample (CSV/xlsx with cost_<strategy>, effect_<strategy> columns)',
    usage: 'psa-sample <file.csv|file.xlsx> [--wtp-min A --wtp-max B --wtp-step C] [--json]',
    load: async () => (await import('./psa-sample')).psaSampleCommand,
  },
  {
    name: 'dsa',
    summary: 'deterministic sensitivity: tornado (one-way), two-way grid, threshold analysis',
    usage: 'dsa <model.json> [--outcome nmb|icer|cost|effect|ID] [--strategy ID --comparator ID] [--wtp W] [--two-way p1,p2 --steps N] [--threshold PARAM] [--json]',
    load: async () => (await import('./dsa')).dsaCommand,
  },
  {
    name: 'merge',
    summary: 'combine PSA shards (psa --draws A-B --json) into the single-run result',
    usage: 'merge <shard.json>... [--text]',
    load: async () => (await import('./merge')).mergeCommand,
  },
  {
    name: 'scenarios',
    summary: 'every named scenario and subgroup (with the population-weighted total): base case + incremental',
    usage: 'scenarios <model.json> [--json] [--out FILE]',
    load: async () => (await import('./scenarios')).scenariosCommand,
  },
  {
    name: 'bench',
    summary: 'performance benchmark (base case, PSA in-process and end-to-end, memory); writes artifacts/bench.json',
    usage: 'bench [--quick]',
    load: async () => (await import('./bench')).benchCommand,
  },
  {
    name: 'budget-impact',
    summary: 'budget impact (ISPOR 2014): yearly costs without and with the new technology, net impact',
    usage: 'budget-impact <model.json> [--scenario ID] [--subgroup ID] [--json] [--out FILE]',
    load: async () => (await import('./budget-impact')).budgetImpactCommand,
  },
  {
    name: 'report',
    summary: 'results summary per strategy and scenario: cost, effect, cost per responder, NMB, drug mg, events per 1,000, drivers',
    usage: 'report <model.json> [--scenario ID] [--subgroup ID] [--preset ID] [--comparator ID] [--no-dsa] [--json]',
    load: async () => (await import('./report')).reportCommand,
  },
  {
    name: 'schema',
    summary: 'print the JSON Schema of the model file format (for editor autocompletion)',
    usage: 'schema',
    load: async () => (await import('./schema')).schemaCommand,
  },
];
