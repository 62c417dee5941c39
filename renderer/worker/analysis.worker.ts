/// <reference lib="webworker" />
// Runs analyses off the UI thread. One request per worker lifetime is typical (the UI spawns a
// fresh worker per run and cancels by terminating it), but the loop handles any number.
import type { AnalysisRequest, FromWorker, IssueLike, ToWorker } from './analysis-protocol';
import { runAnalysis } from './run-analysis';

declare const self: DedicatedWorkerGlobalScope;

function post(message: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

self.addEventListener('message', (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (!message || message.type !== 'run') return;
  void handle(message.id, message.request);
});

async function handle(id: number, request: AnalysisRequest): Promise<void> {
  const started = performance.now();
  try {
    const result = await runAnalysis(request, (done, total) => post({ type: 'progress', id, done, total }));
    const transfer = result instanceof Uint8Array ? [result.buffer as ArrayBuffer] : [];
    post({ type: 'result', id, kind: request.kind, result, ms: performance.now() - started }, transfer);
  } catch (error) {
    const issues: IssueLike[] = error && typeof error === 'object' && Array.isArray((error as { issues?: unknown }).issues) ? ((error as { issues: IssueLike[] }).issues) : [];
    post({ type: 'failed', id, message: error instanceof Error ? error.message : String(error), issues });
  }
}

post({ type: 'ready' });
