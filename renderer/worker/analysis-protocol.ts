// Messages between the UI and the analysis worker. Everything is plain structured-clonable data.
// The model always travels as JSON text; the worker parses and validates it itself.

export type MetricChoice = { outcome?: string; strategy?: string; comparator?: string | null; wtp?: number };

export type AnalysisRequest =
  | { kind: 'psa'; modelText: string; n: number; seed: number; scenario?: string | null; subgroup?: string | null; cePlanePoints?: number }
  | { kind: 'dsa-one-way'; modelText: string; metric: MetricChoice }
  | { kind: 'dsa-two-way'; modelText: string; metric: MetricChoice; parameters: [string, string]; steps: number }
  | { kind: 'threshold'; modelText: string; parameter: string; strategy?: string; comparator?: string; wtp?: number }
  | { kind: 'scenarios'; modelText: string }
  | { kind: 'budget-impact'; modelText: string }
  | { kind: 'export'; modelText: string; modelName: string; results: ExportableResult[]; charts: { name: string; png: Uint8Array }[] };

export type AnalysisKind = AnalysisRequest['kind'];

/** Results the workbook writer accepts (the engine's own result objects). */
export type ExportableResult = { kind: string } & Record<string, unknown>;

export type ToWorker = { type: 'run'; id: number; request: AnalysisRequest };

export type IssueLike = { path: string; message: string; parameter?: string; severity: 'error' | 'warning' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'progress'; id: number; done: number; total: number }
  | { type: 'result'; id: number; kind: AnalysisKind; result: unknown; ms: number }
  | { type: 'failed'; id: number; message: string; issues: IssueLike[] };

export function isFromWorker(value: unknown): value is FromWorker {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

// ---- Live validation (a separate, long-lived worker; latest request wins) ----------------------

export type ValidateRequest = { type: 'validate'; id: number; modelText: string };

export type ValidationPhase =
  /** Schema parse and base case (fast): issues from the base case only. */
  | { type: 'validated'; id: number; phase: 'base'; model: unknown | null; issues: IssueLike[]; baseCase: unknown | null; baseCaseError: string | null; ms: number }
  /** Every scenario and subgroup checked too (checkModel): the complete issue list. */
  | { type: 'validated'; id: number; phase: 'full'; issues: IssueLike[]; ms: number };
