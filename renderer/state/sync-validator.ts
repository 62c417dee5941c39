// Synchronous validation for unit tests (and pages without workers). It imports the engine, so
// the UI bundle must not import this file: the app uses workerValidator.
import { validateBasePhase, validateFullPhase } from '../worker/validate-model-text';
import type { ValidatorFactory } from './validator';

/** Runs both phases synchronously (unit tests, or a page without workers). */
export const syncValidator: ValidatorFactory = (onUpdate) => ({
  validate(model) {
    const started = performance.now();
    const base = validateBasePhase(JSON.stringify(model));
    onUpdate({ phase: 'base', checked: model, ...base, ms: performance.now() - started });
    if (base.model) onUpdate({ phase: 'full', checked: model, issues: validateFullPhase(base.model, base.issues.filter((i) => i.severity === 'warning')), ms: performance.now() - started });
  },
  dispose() {},
});

