// The PSA form (draws, seed, variant as typed) → a worker request.
import type { AnalysisRequest } from './analysis-protocol';
import type { PsaForm } from './analysis-store';

/** The PSA request for the form's values, or null when draws or seed are not valid. */
export function psaRequest(form: PsaForm, modelText: string): Extract<AnalysisRequest, { kind: 'psa' }> | null {
  const n = Number(form.draws);
  const seed = Number(form.seed);
  if (!(Number.isInteger(n) && n >= 1 && n <= 1_000_000 && Number.isInteger(seed) && seed >= 0 && seed <= 4294967295)) return null;
  const [kind, id] = form.variant.split(':');
  return { kind: 'psa', modelText, n, seed, scenario: kind === 's' ? id : null, subgroup: kind === 'g' ? id : null };
}
