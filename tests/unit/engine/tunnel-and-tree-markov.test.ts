/**
 * Tunnel states and tree-then-Markov models, each checked against the same model written another
 * way by hand: tunnels as explicit states, and the tree's path probabilities as a Markov initial
 * distribution plus the tree's one-off values.
 */
import { describe, expect, it } from 'vitest';
import { runBaseCase } from '../../../models/analyses/base-case';
import { buildModel } from '../../helpers/model-builder';

describe('tunnel states', () => {
  // Recovery from 'post' depends on time already spent there: 0.1, 0.3, then 0.5 from the third cycle on.
  const tunnel = buildModel({
    parameters: [{ id: 'p_event', value: 0.2 }, { id: 'p_die', value: 0.03 }],
    markovModels: [
      {
        id: 'm',
        states: [
          { id: 'well', rewards: { cost: 10, qaly: 0.9 } },
          { id: 'post', tunnelLength: 3, rewards: { cost: 'if(state_time == 1, 500, 50)', qaly: 0.6 } },
          { id: 'dead' },
        ],
        transitions: [
          { from: 'well', to: 'post', probability: 'p_event' },
          { from: 'well', to: 'dead', probability: 'p_die' },
          { from: 'well', to: 'well', probability: 'C' },
          { from: 'post', to: 'well', probability: 'if(state_time == 1, 0.1, if(state_time == 2, 0.3, 0.5))' },
          { from: 'post', to: 'dead', probability: 'p_die * 2' },
          { from: 'post', to: 'post', probability: 'C' },
        ],
        initial: { well: 1 },
      },
    ],
    strategies: [{ id: 's', name: 's', entry: { kind: 'markov', model: 'm' } }],
  });
  const explicit = buildModel({
    parameters: [{ id: 'p_event', value: 0.2 }, { id: 'p_die', value: 0.03 }],
    markovModels: [
      {
        id: 'm',
        states: [
          { id: 'well', rewards: { cost: 10, qaly: 0.9 } },
          { id: 'post1', rewards: { cost: 500, qaly: 0.6 } },
          { id: 'post2', rewards: { cost: 50, qaly: 0.6 } },
          { id: 'post3', rewards: { cost: 50, qaly: 0.6 } },
          { id: 'dead' },
        ],
        transitions: [
          { from: 'well', to: 'post1', probability: 'p_event' },
          { from: 'well', to: 'dead', probability: 'p_die' },
          { from: 'well', to: 'well', probability: 'C' },
          { from: 'post1', to: 'well', probability: 0.1 },
          { from: 'post1', to: 'dead', probability: 'p_die * 2' },
          { from: 'post1', to: 'post2', probability: 'C' },
          { from: 'post2', to: 'well', probability: 0.3 },
          { from: 'post2', to: 'dead', probability: 'p_die * 2' },
          { from: 'post2', to: 'post3', probability: 'C' },
          { from: 'post3', to: 'well', probability: 0.5 },
          { from: 'post3', to: 'dead', probability: 'p_die * 2' },
          { from: 'post3', to: 'post3', probability: 'C' },
        ],
        initial: { well: 1 },
      },
    ],
    strategies: [{ id: 's', name: 's', entry: { kind: 'markov', model: 'm' } }],
  });

  it('gives the same totals and trace as the explicitly expanded model', () => {
    const a = runBaseCase(tunnel).strategies[0];
    const b = runBaseCase(explicit).strategies[0];
    expect(a.outcomes.cost).toBeCloseTo(b.outcomes.cost, 10);
    expect(a.outcomes.qaly).toBeCloseTo(b.outcomes.qaly, 12);
    const ta = a.markov![0].trace;
    const tb = b.markov![0].trace;
    ta.forEach((row, k) => {
      expect(row[0]).toBeCloseTo(tb[k][0], 13);
      expect(row[1]).toBeCloseTo(tb[k][1] + tb[k][2] + tb[k][3], 13);
      expect(row[2]).toBeCloseTo(tb[k][4], 13);
    });
  });

  it('reports state_time used outside a tunnel state as an error naming the state', () => {
    expect(() =>
      runBaseCase(
        buildModel({
          markovModels: [
            {
              id: 'm',
              states: [{ id: 'a', rewards: { cost: 'state_time' } }],
              transitions: [{ from: 'a', to: 'a', probability: 1 }],
              initial: { a: 1 },
            },
          ],
          strategies: [{ id: 's', name: 's', entry: { kind: 'markov', model: 'm' } }],
        }),
      ),
    ).toThrow(/state 'a' use state_time/);
  });
});

describe('decision tree leading into a Markov model', () => {
  const markov = {
    id: 'after',
    states: [
      { id: 'resolved', rewards: { cost: 5, qaly: 0.95 } },
      { id: 'pain', rewards: { cost: 120, qaly: 0.7 } },
      { id: 'dead' },
    ],
    transitions: [
      { from: 'resolved', to: 'pain', probability: 0.05 },
      { from: 'resolved', to: 'dead', probability: 0.01 },
      { from: 'resolved', to: 'resolved', probability: 'C' },
      { from: 'pain', to: 'resolved', probability: 0.25 },
      { from: 'pain', to: 'dead', probability: 0.02 },
      { from: 'pain', to: 'pain', probability: 'C' },
    ],
  };
  const treeModel = buildModel({
    settings: {
      cycleLength: { value: 1, unit: 'months' },
      timeHorizon: { value: 2, unit: 'years' },
      discountRates: { costs: 0.03, effects: 0.03 },
      withinCycleCorrection: 'half-cycle',
      wtpThresholds: [30000],
      costOutcome: 'cost',
      effectOutcome: 'qaly',
    },
    parameters: [{ id: 'p_response', value: 0.62 }, { id: 'p_ae', value: 0.13 }],
    markovModels: [markov],
    trees: [
      {
        id: 't',
        root: {
          kind: 'chance',
          id: 'response',
          branches: [
            {
              probability: 'p_response',
              node: {
                kind: 'chance',
                id: 'ae',
                branches: [
                  { probability: 'p_ae', rewards: { cost: 300, qaly: -0.01 }, node: { kind: 'terminal', id: 'r_ae', rewards: { cost: 40 }, markov: { model: 'after', state: 'resolved' } } },
                  { probability: 'C', node: { kind: 'terminal', id: 'r_no_ae', rewards: { cost: 40 }, markov: { model: 'after', state: 'resolved' } } },
                ],
              },
            },
            { probability: 'C', node: { kind: 'terminal', id: 'nr', rewards: { cost: 40 }, markov: { model: 'after', state: 'pain' } } },
          ],
        },
      },
    ],
    strategies: [{ id: 's', name: 's', entry: { kind: 'tree', tree: 't' } }],
  });
  // The same cohort as a pure Markov model: initial shares from the path probabilities.
  const pResolved = 0.62;
  const markovOnly = buildModel({
    settings: treeModel.settings,
    markovModels: [{ ...markov, initial: { resolved: pResolved, pain: 1 - pResolved } }],
    strategies: [{ id: 's', name: 's', entry: { kind: 'markov', model: 'after' } }],
  });

  it('equals the Markov model started from the tree’s path probabilities plus the tree’s one-off values', () => {
    const a = runBaseCase(treeModel).strategies[0];
    const b = runBaseCase(markovOnly).strategies[0];
    const treeCost = 40 + 0.62 * 0.13 * 300;
    const treeQaly = 0.62 * 0.13 * -0.01;
    expect(a.outcomes.cost).toBeCloseTo(b.outcomes.cost + treeCost, 10);
    expect(a.outcomes.qaly).toBeCloseTo(b.outcomes.qaly + treeQaly, 12);
  });

  it('rolls back node values that include the Markov model entered below each terminal', () => {
    const a = runBaseCase(treeModel).strategies[0];
    const root = a.tree!.find((n) => n.id === 'response')!;
    expect(root.expected.cost).toBeCloseTo(a.outcomes.cost, 9);
    expect(root.expected.qaly).toBeCloseTo(a.outcomes.qaly, 12);
    const nr = a.tree!.find((n) => n.id === 'nr')!;
    expect(nr.markovEntry).toEqual({ model: 'after', state: 'pain' });
    expect(nr.pathProbability).toBeCloseTo(0.38, 15);
  });
});
