// File → New: a small valid starting model (two-state Markov model, one strategy); the toolbar's
// New: an empty model (settings and the cost and QALY outcomes only) to build from scratch.
import type { ModelJson } from './model-document';

export function newModel(): ModelJson {
  return {
    schemaVersion: 1,
    metadata: { name: 'Untitled model' },
    settings: {
      cycleLength: { value: 1, unit: 'years' },
      timeHorizon: { value: 10, unit: 'years' },
      discountRates: { costs: 0.03, effects: 0.03 },
      withinCycleCorrection: 'half-cycle',
      currency: 'EUR',
      wtpThresholds: [30000],
      costOutcome: 'cost',
      effectOutcome: 'qaly',
    },
    outcomes: [
      { id: 'cost', label: 'Total cost', unit: 'EUR', discount: 'costs' },
      { id: 'qaly', label: 'QALYs', unit: 'QALY', discount: 'effects' },
    ],
    parameters: [
      { id: 'p_death', label: 'Annual probability of death', unit: 'probability', value: 0.05, low: 0.03, high: 0.08, confidence: 'assumption' },
      { id: 'cost_alive', label: 'Annual cost while alive', unit: 'EUR', value: 1000, low: 800, high: 1200, confidence: 'assumption' },
      { id: 'u_alive', label: 'Utility while alive', unit: 'utility', value: 0.8, low: 0.7, high: 0.9, confidence: 'assumption' },
    ],
    markovModels: [
      {
        id: 'main',
        label: 'Main model',
        states: [
          { id: 'alive', label: 'Alive', rewards: { cost: 'cost_alive', qaly: 'u_alive' } },
          { id: 'dead', label: 'Dead', rewards: {} },
        ],
        transitions: [
          { from: 'alive', to: 'alive', probability: 'C' },
          { from: 'alive', to: 'dead', probability: 'p_death' },
          { from: 'dead', to: 'dead', probability: 1 },
        ],
        initial: { alive: 1 },
      },
    ],
    strategies: [{ id: 'usual_care', name: 'Usual care', entry: { kind: 'markov', model: 'main' } }],
  } as ModelJson;
}

/** Settings and the two usual outcomes, nothing else: the model reports what is missing (a strategy) until it is built. */
export function emptyModel(): ModelJson {
  const starter = newModel();
  return { schemaVersion: 1, metadata: { name: 'Untitled model' }, settings: starter.settings, outcomes: starter.outcomes, parameters: [], markovModels: [], strategies: [] } as ModelJson;
}
