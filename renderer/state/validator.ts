// Live validation service. The default runs in a Web Worker (checking every scenario and subgroup
// of a large model takes about a second, far too long for the UI thread); tests inject the
// synchronous one from sync-validator.ts (kept apart so the engine stays out of the UI bundle).
import type { BaseCaseResult, ModelFile, ModelIssue } from '../../models/index';
import type { ValidationPhase } from '../worker/analysis-protocol';
import type { ModelJson } from './model-document';

export type ValidationUpdate =
  | { phase: 'base'; checked: ModelJson; model: ModelFile | null; issues: ModelIssue[]; baseCase: BaseCaseResult | null; baseCaseError: string | null; ms: number }
  | { phase: 'full'; checked: ModelJson; issues: ModelIssue[]; ms: number };

export type Validator = {
  validate(model: ModelJson): void;
  dispose(): void;
};

export type ValidatorFactory = (onUpdate: (update: ValidationUpdate) => void) => Validator;

export const workerValidator: ValidatorFactory = (onUpdate) => {
  let worker: Worker | null = null;
  let busy = false;
  let nextId = 1;
  let current: { id: number; model: ModelJson } | null = null;
  const spawn = () => {
    const w = new Worker(new URL('../worker/validation.worker.ts', import.meta.url), { type: 'module', name: 'validation' });
    w.onmessage = (event: MessageEvent<ValidationPhase>) => {
      const message = event.data;
      if (!current || message.id !== current.id) return;
      if (message.phase === 'base') {
        onUpdate({ phase: 'base', checked: current.model, model: message.model as ModelFile | null, issues: message.issues, baseCase: message.baseCase as BaseCaseResult | null, baseCaseError: message.baseCaseError, ms: message.ms });
        if (!message.model) busy = false;
      } else {
        busy = false;
        onUpdate({ phase: 'full', checked: current.model, issues: message.issues, ms: message.ms });
      }
    };
    w.onerror = (event) => {
      event.preventDefault();
      busy = false;
      if (current) onUpdate({ phase: 'full', checked: current.model, issues: [{ path: '', message: `validation stopped: ${event.message}`, severity: 'error' }], ms: 0 });
    };
    return w;
  };
  return {
    validate(model) {
      if (worker && busy) {
        // A stale check cannot be interrupted: replace the worker.
        worker.terminate();
        worker = null;
      }
      worker ??= spawn();
      current = { id: nextId++, model };
      busy = true;
      worker.postMessage({ type: 'validate', id: current.id, modelText: JSON.stringify(model) });
    },
    dispose() {
      worker?.terminate();
      worker = null;
    },
  };
};
