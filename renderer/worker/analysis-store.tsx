// Runs analyses in Web Workers and keeps the latest result of each kind for the screens and the
// Excel export. Each run gets its own worker (idle workers are kept for reuse, so a run does not
// pay for loading the engine again); Cancel terminates it (a synchronous engine loop
// cannot receive a message), and the next run spawns a new one.
import { type ReactNode, createContext, startTransition, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { AnalysisKind, AnalysisRequest, FromWorker, IssueLike } from './analysis-protocol';

export type RunStatus = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';

export type RunState<R = unknown> = {
  status: RunStatus;
  progress: { done: number; total: number } | null;
  result: R | null;
  error: string | null;
  issues: IssueLike[];
  ms: number | null;
  /** The request that produced `result` (seed, draws, …). */
  request: AnalysisRequest | null;
};

/** The UI repaints progress at most this often (the engine reports about every 100 ms). */
export const PROGRESS_INTERVAL_MS = 200;
const MAX_IDLE_WORKERS = 1;
const WARM_UP_MS = 1500;

const IDLE: RunState = { status: 'idle', progress: null, result: null, error: null, issues: [], ms: null, request: null };

export type WorkerFactory = () => Worker;
export const defaultWorkerFactory: WorkerFactory = () => new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module', name: 'analysis' });

/** PSA settings shared by the PSA screen and the toolbar's Run PSA button. */
export type PsaForm = { draws: string; seed: string; variant: string };
export const DEFAULT_PSA_FORM: PsaForm = { draws: '1000', seed: '12345', variant: '' };

type Store = {
  runs: Partial<Record<AnalysisKind, RunState>>;
  psaForm: PsaForm;
  setPsaForm(form: PsaForm): void;
  start(request: AnalysisRequest): Promise<RunState>;
  cancel(kind: AnalysisKind): void;
};

const AnalysisContext = createContext<Store | null>(null);

export function AnalysisProvider({ children, workerFactory = defaultWorkerFactory }: { children: ReactNode; workerFactory?: WorkerFactory }) {
  const [runs, setRuns] = useState<Partial<Record<AnalysisKind, RunState>>>({});
  const [psaForm, setPsaForm] = useState<PsaForm>(DEFAULT_PSA_FORM);
  const active = useRef(new Map<AnalysisKind, { worker: Worker; resolve: (s: RunState) => void; id: number }>());
  const nextId = useRef(1);
  /** Finished workers kept warm for the next run (at most MAX_IDLE_WORKERS). */
  const idle = useRef<Worker[]>([]);
  const takeWorker = useCallback(() => idle.current.pop() ?? workerFactory(), [workerFactory]);
  const releaseWorker = useCallback((worker: Worker) => {
    worker.onmessage = null;
    worker.onerror = null;
    if (idle.current.length < MAX_IDLE_WORKERS) idle.current.push(worker);
    else worker.terminate();
  }, []);

  const update = useCallback((kind: AnalysisKind, patch: Partial<RunState>, urgent = true) => {
    const apply = () => setRuns((prev) => ({ ...prev, [kind]: { ...(prev[kind] ?? IDLE), ...patch } }));
    // Progress and results render as transitions: React renders them in slices and yields to
    // input, so a large result never blocks the UI thread in one long task.
    if (urgent) apply();
    else startTransition(apply);
  }, []);
  const lastProgress = useRef(0);

  const cancel = useCallback(
    (kind: AnalysisKind) => {
      const run = active.current.get(kind);
      if (!run) return;
      run.worker.terminate();
      active.current.delete(kind);
      const state: Partial<RunState> = { status: 'cancelled', error: null };
      update(kind, state);
      run.resolve({ ...IDLE, ...state });
    },
    [update],
  );

  const start = useCallback(
    (request: AnalysisRequest) =>
      new Promise<RunState>((resolve) => {
        const kind = request.kind;
        cancel(kind);
        const id = nextId.current++;
        let worker: Worker;
        try {
          worker = takeWorker();
        } catch (error) {
          const state = { ...IDLE, status: 'failed' as const, error: `The analysis worker could not start: ${String(error)}` };
          update(kind, state);
          resolve(state);
          return;
        }
        active.current.set(kind, { worker, resolve, id });
        update(kind, { status: 'running', progress: { done: 0, total: request.kind === 'psa' ? request.n : 1 }, error: null, issues: [], request }, false);
        const finish = (state: Partial<RunState>, urgent = true, reusable = true) => {
          if (reusable) releaseWorker(worker);
          else worker.terminate();
          if (active.current.get(kind)?.id === id) active.current.delete(kind);
          update(kind, state, urgent);
          resolve({ ...IDLE, request, ...state });
        };
        worker.onmessage = (event: MessageEvent<FromWorker>) => {
          const message = event.data;
          if (message.type === 'ready' || message.id !== id) return;
          if (message.type === 'progress') {
            const now = performance.now();
            if (now - lastProgress.current < PROGRESS_INTERVAL_MS && message.done < message.total) return;
            lastProgress.current = now;
            update(kind, { progress: { done: message.done, total: message.total } }, false);
          } else if (message.type === 'result') finish({ status: 'done', result: message.result, ms: message.ms, progress: null, request }, false);
          else finish({ status: 'failed', error: message.message, issues: message.issues, progress: null });
        };
        worker.onerror = (event) => {
          event.preventDefault();
          finish({ status: 'failed', error: event.message || 'The analysis worker stopped unexpectedly.', progress: null }, true, false);
        };
        worker.postMessage({ type: 'run', id, request });
      }),
    [cancel, update, takeWorker, releaseWorker],
  );

  // Warm one worker after start-up so the first run does not wait for the engine to load.
  useEffect(() => {
    if (typeof Worker === 'undefined') return;
    const timer = setTimeout(() => {
      if (idle.current.length > 0) return;
      try {
        idle.current.push(workerFactory());
      } catch {
        // The first run will report why a worker cannot start.
      }
    }, WARM_UP_MS);
    return () => clearTimeout(timer);
  }, [workerFactory]);

  useEffect(() => {
    const map = active.current;
    return () => {
      for (const run of map.values()) run.worker.terminate();
      map.clear();
      for (const worker of idle.current.splice(0)) worker.terminate();
    };
  }, []);

  const value = useMemo(() => ({ runs, start, cancel, psaForm, setPsaForm }), [runs, start, cancel, psaForm]);
  return <AnalysisContext.Provider value={value}>{children}</AnalysisContext.Provider>;
}

export function useAnalyses(): Store {
  const store = useContext(AnalysisContext);
  if (!store) throw new Error('useAnalyses outside AnalysisProvider');
  return store;
}

/** start(request) → { state, cancel } for one kind of analysis. */
export function useAnalysisRun<R>(kind: AnalysisKind) {
  const { runs, start, cancel } = useAnalyses();
  const state = (runs[kind] ?? IDLE) as RunState<R>;
  return { state, start, cancel: () => cancel(kind) };
}
