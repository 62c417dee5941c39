/// <reference lib="webworker" />
// Live validation off the UI thread. The UI terminates and replaces this worker when a newer
// edit arrives while it is busy, so a stale check never delays a fresh one.
import type { ValidateRequest, ValidationPhase } from './analysis-protocol';
import { validateBasePhase, validateFullPhase } from './validate-model-text';

declare const self: DedicatedWorkerGlobalScope;

self.addEventListener('message', (event: MessageEvent<ValidateRequest>) => {
  const { id, modelText } = event.data;
  const started = performance.now();
  const base = validateBasePhase(modelText);
  self.postMessage({ type: 'validated', id, phase: 'base', model: base.model, issues: base.issues, baseCase: base.baseCase, baseCaseError: base.baseCaseError, ms: performance.now() - started } satisfies ValidationPhase);
  if (!base.model) return;
  const issues = validateFullPhase(base.model, base.issues.filter((i) => i.severity === 'warning'));
  self.postMessage({ type: 'validated', id, phase: 'full', issues, ms: performance.now() - started } satisfies ValidationPhase);
});
