/**
 * Merging PSA shards into the single-run result, and the deterministic JSON of a PSA result.
 */
import { type OutcomeTable, validateOutcomeTable } from './outcome-table';
import { PSA_FORMAT_VERSION, PsaAccumulator, type PsaHeader, type PsaResult, evppiParameters } from './psa-accumulator';


// ---------------------------------------------------------------------------------------------
// Merging shards.
// ---------------------------------------------------------------------------------------------

export class PsaMergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PsaMergeError';
  }
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Merge shard results (`draws` present) into one result over the union of their ranges. Checks
 * they come from the same model (hash), seed, n, variant and options, and that the ranges are
 * contiguous and do not overlap. Covering 0..n-1 gives exactly the single-run result.
 */
export function mergePsaShards(shards: { name: string; result: unknown }[]): PsaResult {
  if (shards.length === 0) throw new PsaMergeError('nothing to merge');
  const docs = shards.map(({ name, result }) => {
    const r = result as Partial<PsaResult> | null;
    if (!r || typeof r !== 'object' || r.kind !== 'psa') throw new PsaMergeError(`${name}: not a PSA result (kind must be "psa")`);
    if (r.formatVersion !== PSA_FORMAT_VERSION) throw new PsaMergeError(`${name}: PSA format version ${r.formatVersion}, expected ${PSA_FORMAT_VERSION}`);
    if (!r.draws || !Array.isArray(r.draws.strategies)) {
      throw new PsaMergeError(`${name}: has no per-draw values; run the shard with --draws A-B and --json (or --shard-out), or with --keep-draws`);
    }
    if (!Array.isArray(r.drawRange) || r.drawRange.length !== 2) throw new PsaMergeError(`${name}: no draw range`);
    if (!r.options || !r.settings || !Array.isArray(r.strategies) || !r.cePlane) throw new PsaMergeError(`${name}: incomplete PSA result (missing options, settings or strategies)`);
    return { name, r: r as PsaResult };
  });
  const first = docs[0];
  const keys: [keyof PsaResult, string][] = [
    ['modelHash', 'model (hash)'],
    ['seed', 'seed'],
    ['n', 'number of draws n'],
    ['scenario', 'scenario'],
    ['subgroup', 'subgroup'],
    ['wtps', 'WTP grid'],
    ['settings', 'settings'],
  ];
  for (const d of docs.slice(1)) {
    for (const [k, what] of keys) {
      if (!sameJson(d.r[k], first.r[k])) throw new PsaMergeError(`${d.name}: different ${what} from ${first.name} (${JSON.stringify(d.r[k])} vs ${JSON.stringify(first.r[k])})`);
    }
    if (!sameJson(d.r.options, first.r.options)) throw new PsaMergeError(`${d.name}: different options (--keep-draws, --evppi or CE-plane points) from ${first.name}`);
  }
  docs.sort((a, b) => a.r.drawRange[0] - b.r.drawRange[0]);
  for (let k = 1; k < docs.length; k++) {
    const prev = docs[k - 1];
    const cur = docs[k];
    if (cur.r.drawRange[0] <= prev.r.drawRange[1]) {
      throw new PsaMergeError(`${cur.name} (draws ${cur.r.drawRange.join('-')}) overlaps ${prev.name} (draws ${prev.r.drawRange.join('-')})`);
    }
    if (cur.r.drawRange[0] !== prev.r.drawRange[1] + 1) {
      throw new PsaMergeError(`draws ${prev.r.drawRange[1] + 1}-${cur.r.drawRange[0] - 1} are missing between ${prev.name} and ${cur.name}`);
    }
  }
  const range: [number, number] = [docs[0].r.drawRange[0], docs[docs.length - 1].r.drawRange[1]];
  const f = first.r;
  const outcomeIds = Object.keys(f.strategies[0]?.outcomeMeans ?? {});
  const header: PsaHeader = {
    modelName: f.modelName,
    modelHash: f.modelHash,
    scenario: f.scenario,
    subgroup: f.subgroup,
    seed: f.seed,
    n: f.n,
    drawRange: range,
    strategyIds: f.strategies.map((s) => s.id),
    strategyNames: f.strategies.map((s) => s.name),
    outcomeIds,
    costOutcome: f.settings.costOutcome,
    effectOutcome: f.settings.effectOutcome,
    cohortSize: f.settings.cohortSize,
    currency: f.settings.currency,
    wtpThresholds: f.settings.wtpThresholds,
    wtps: f.wtps,
    keepDraws: f.options.keepDraws,
    evppi: f.options.evppiGroups,
    cePlaneMax: f.options.cePlanePoints,
  };
  const acc = new PsaAccumulator(header);
  const S = header.strategyIds.length;
  const O = outcomeIds.length;
  const params = evppiParameters(header.evppi);
  const ci = outcomeIds.indexOf(header.costOutcome);
  const ei = outcomeIds.indexOf(header.effectOutcome);
  for (const { name, r } of docs) {
    const count = r.drawRange[1] - r.drawRange[0] + 1;
    const values = new Float64Array(count * S * O);
    const pv = new Float64Array(count * params.length);
    header.strategyIds.forEach((id, s) => {
      const ds = r.draws!.strategies[s];
      if (!ds || ds.id !== id) throw new PsaMergeError(`${name}: per-draw values for strategy '${id}' are missing`);
      outcomeIds.forEach((oid, o) => {
        const arr = o === ci ? ds.cost : o === ei ? ds.effect : ds.outcomes?.[oid];
        if (!Array.isArray(arr) || arr.length !== count) throw new PsaMergeError(`${name}: per-draw '${oid}' of strategy '${id}' should have ${count} values`);
        for (let i = 0; i < count; i++) {
          const v = arr[i];
          if (typeof v !== 'number' || !Number.isFinite(v)) throw new PsaMergeError(`${name}: draw ${r.drawRange[0] + i}, '${oid}' of strategy '${id}' is not a finite number`);
          values[(i * S + s) * O + o] = v;
        }
      });
    });
    params.forEach((id, j) => {
      const arr = r.draws!.parameters?.[id];
      if (!Array.isArray(arr) || arr.length !== count) throw new PsaMergeError(`${name}: per-draw values of EVPPI parameter '${id}' are missing`);
      for (let i = 0; i < count; i++) pv[i * params.length + j] = arr[i];
    });
    acc.add(values, pv, count);
  }
  return acc.result();
}

// ---------------------------------------------------------------------------------------------
// JSON.
// ---------------------------------------------------------------------------------------------

/**
 * Deterministic JSON for PSA results: 2-space indentation, arrays of numbers on one line (per-draw
 * arrays stay compact). Numbers use JavaScript's shortest round-trip form, so a shard's per-draw
 * values are read back bit-identically.
 *
 * The native serialiser lays every array item on its own line; a pass then folds each array of
 * numbers (and nulls) onto one line. Formatting newlines never occur inside JSON strings (they are
 * escaped there), so the pattern only meets arrays. (A recursive formatter gave the same text
 * several times slower on a cold start; tests/unit/analyses/psa-json.test.ts keeps it as the
 * reference.)
 */
export function stringifyJson(value: unknown): string {
  const text = JSON.stringify(value, null, 2);
  if (text === undefined) return 'null';
  return text.replace(NUMBER_ARRAY, (_, items: string) => '[' + items.replace(ITEM_BREAK, ', ') + ']');
}

/** An array whose items are all numbers or null, as JSON.stringify(..., 2) lays it out. */
const NUMBER_ARRAY = /\[\n +((?:-?\d[\d.eE+-]*|null)(?:,\n +(?:-?\d[\d.eE+-]*|null))*)\n *\]/g;
const ITEM_BREAK = /,\n +/g;

/** The PSA result as JSON (what `psa --json` and `merge` print). */
export function stringifyPsaResult(result: PsaResult): string {
  return stringifyJson(result);
}

/** OutcomeTable of the kept draws of a result (keepDraws or shard). */
export function psaResultTable(result: PsaResult): OutcomeTable {
  if (!result.draws) throw new RangeError('the PSA result has no per-draw values (run with keepDraws)');
  const table = {
    strategyIds: result.draws.strategies.map((s) => s.id),
    costs: result.draws.strategies.map((s) => Float64Array.from(s.cost)),
    effects: result.draws.strategies.map((s) => Float64Array.from(s.effect)),
  };
  validateOutcomeTable(table, 'psaResultTable');
  return table;
}
