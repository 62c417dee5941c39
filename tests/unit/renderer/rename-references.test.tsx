// @vitest-environment happy-dom
// Renaming a strategy or a decision option: the strategy overrides of scenarios and subgroups, the
// budget-impact market shares and the strategies' tree choices that name it follow, in one
// undoable edit; an id already in use is refused with the reason at the field.
import '@testing-library/jest-dom/vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { App } from '../../../renderer/App';
import { otherOptionIds, otherStrategyIds, renameDecisionOption, renameStrategy } from '../../../renderer/state/rename-references';
import { syncValidator } from '../../../renderer/state/sync-validator';
import { CHANCELLOR_MODEL, fakeHost } from './fake-host';

const MODEL = CHANCELLOR_MODEL;

/** The reference model with a scenario, a subgroup and budget impact naming strategy `comb`, and a tree whose option `treat` two strategies choose. */
function model() {
  return {
    ...MODEL,
    scenarios: [{ id: 'cheap', name: 'Cheap', overrides: {}, strategyOverrides: { comb: { rr: 0.4 }, mono: { rr: 1 } } }],
    subgroups: [
      { id: 'young', name: 'Young', weight: 1, overrides: {}, strategyOverrides: { comb: { rr: 0.6 } } },
      { id: 'old', name: 'Old', weight: 1, overrides: {} },
    ],
    budgetImpact: { years: 2, eligiblePopulation: [1000, 1100], sharesWithout: { mono: [1, 1], comb: [0, 0] }, sharesWith: { mono: [0.5, 0.4], comb: [0.5, 0.6] } },
    trees: [
      {
        id: 'start',
        label: 'Start',
        root: {
          kind: 'decision',
          id: 'choose',
          label: 'Choose',
          branches: [
            { id: 'treat', label: 'Treat', node: { kind: 'terminal', id: 'treated', markov: { model: 'hiv', state: 'A' } } },
            { id: 'wait', label: 'Wait', node: { kind: 'terminal', id: 'waited', markov: { model: 'hiv', state: 'B' } } },
          ],
        },
      },
    ],
    strategies: [
      ...MODEL.strategies,
      { id: 'tree_a', name: 'Tree A', entry: { kind: 'tree', tree: 'start', choices: { choose: 'treat' } } },
      { id: 'tree_b', name: 'Tree B', entry: { kind: 'tree', tree: 'start', choices: { choose: 'treat' } } },
      { id: 'tree_c', name: 'Tree C', entry: { kind: 'tree', tree: 'start', choices: { choose: 'wait' } } },
    ],
  };
}

async function savedModel(host: ReturnType<typeof fakeHost>['host']) {
  const calls = host.saveModelFile.mock.calls.length;
  fireEvent.click(screen.getByTestId('save'));
  await waitFor(() => expect(host.saveModelFile.mock.calls.length).toBe(calls + 1));
  return JSON.parse((host.saveModelFile.mock.calls.at(-1)![0] as unknown as { text: string }).text);
}

async function start(m: unknown) {
  const h = fakeHost();
  render(<App host={h.host} initialModel={m as typeof MODEL} initialFileName="chancellor.model.json" validatorFactory={syncValidator} />);
  await waitFor(() => expect(screen.getByTestId('validity')).toHaveTextContent('Model valid'));
  return h;
}

const input = (label: string) => screen.getByLabelText(label) as HTMLInputElement;
const issueAt = (pointer: string) => document.querySelector(`[data-path="${pointer}"] [data-testid="field-issue"]`);
const valid = () => waitFor(() => expect(screen.getByTestId('validity')).toHaveTextContent('Model valid'));
const nav = async (id: string) => {
  fireEvent.click(screen.getByTestId(`nav-${id}`));
  await waitFor(() => expect(screen.getByTestId(`screen-${id}`)).toBeInTheDocument());
};

afterEach(cleanup);

describe('rewriting the model', () => {
  test('renaming a strategy renames its strategy-override keys and budget-impact shares, nothing else', () => {
    const m = model();
    const next = renameStrategy(m as never, 1, 'combination') as unknown as ReturnType<typeof model>;
    expect(next.strategies.map((s: { id: string }) => s.id)).toEqual(['mono', 'combination', 'tree_a', 'tree_b', 'tree_c']);
    expect(next.scenarios[0].strategyOverrides).toEqual({ combination: { rr: 0.4 }, mono: { rr: 1 } });
    expect(Object.keys(next.scenarios[0].strategyOverrides)).toEqual(['combination', 'mono']); // order kept
    expect(next.subgroups[0].strategyOverrides).toEqual({ combination: { rr: 0.6 } });
    expect(next.subgroups[1]).toBe(m.subgroups[1]);
    expect(next.budgetImpact.sharesWithout).toEqual({ mono: [1, 1], combination: [0, 0] });
    expect(next.budgetImpact.sharesWith).toEqual({ mono: [0.5, 0.4], combination: [0.5, 0.6] });
    expect(next.budgetImpact.eligiblePopulation).toEqual([1000, 1100]);
    // The input is not changed.
    expect(m.scenarios[0].strategyOverrides).toHaveProperty('comb');
    expect(otherStrategyIds(m as never, 1)).toEqual(['mono', 'tree_a', 'tree_b', 'tree_c']);
    // A model without scenarios, subgroups or budget impact gets none.
    const plain = renameStrategy(MODEL, 0, 'm') as typeof MODEL;
    expect(plain.strategies[0].id).toBe('m');
    expect('scenarios' in plain || 'subgroups' in plain || 'budgetImpact' in plain).toBe(false);
  });

  test('renaming a decision option renames the choices of every strategy that takes it in that tree', () => {
    const m = model();
    const next = renameDecisionOption(m as never, ['trees', 0, 'root'], 0, 'treat_now') as unknown as ReturnType<typeof model>;
    expect(next.trees[0].root.branches.map((b: { id: string }) => b.id)).toEqual(['treat_now', 'wait']);
    expect(next.strategies.map((s: { entry: unknown }) => (s.entry as { choices?: unknown }).choices)).toEqual([undefined, undefined, { choose: 'treat_now' }, { choose: 'treat_now' }, { choose: 'wait' }]);
    expect(otherOptionIds(m as never, ['trees', 0, 'root'], 0)).toEqual(['wait']);
    expect(m.trees[0].root.branches[0].id).toBe('treat');
  });
});

describe('renaming in the UI', () => {
  test('a strategy rename carries its references in one undoable step; an id in use is refused at the field', async () => {
    const { host, fire } = await start(model());
    fireEvent.change(input('Id of strategy 2'), { target: { value: 'mono' } });
    fireEvent.keyDown(input('Id of strategy 2'), { key: 'Enter' });
    await waitFor(() => expect(issueAt('/strategies/1/id')).toHaveTextContent('already in use'));
    let saved = await savedModel(host);
    expect(saved.strategies[1].id).toBe('comb');

    fireEvent.change(input('Id of strategy 2'), { target: { value: 'combination' } });
    fireEvent.keyDown(input('Id of strategy 2'), { key: 'Enter' });
    await valid();
    expect(issueAt('/strategies/1/id')).toBeNull();
    saved = await savedModel(host);
    expect(saved.strategies[1].id).toBe('combination');
    expect(Object.keys(saved.scenarios[0].strategyOverrides)).toEqual(['combination', 'mono']);
    expect(Object.keys(saved.subgroups[0].strategyOverrides)).toEqual(['combination']);
    expect(Object.keys(saved.budgetImpact.sharesWithout)).toEqual(['mono', 'combination']);
    expect(Object.keys(saved.budgetImpact.sharesWith)).toEqual(['mono', 'combination']);

    act(() => fire('edit:undo'));
    saved = await savedModel(host);
    expect(saved.strategies[1].id).toBe('comb');
    expect(Object.keys(saved.scenarios[0].strategyOverrides)).toEqual(['comb', 'mono']);
    expect(Object.keys(saved.subgroups[0].strategyOverrides)).toEqual(['comb']);
    expect(Object.keys(saved.budgetImpact.sharesWithout)).toEqual(['mono', 'comb']);
    expect(Object.keys(saved.budgetImpact.sharesWith)).toEqual(['mono', 'comb']);
    await valid();
  });

  test('a decision option rename carries the strategies choosing it in one undoable step; a sibling id is refused', async () => {
    const { host, fire } = await start(model());
    await nav('tree');
    fireEvent.click(document.querySelector('[data-node="treated"]')!);
    await waitFor(() => expect(input('Option id')).toBeInTheDocument());
    fireEvent.change(input('Option id'), { target: { value: 'wait' } });
    fireEvent.blur(input('Option id'));
    await waitFor(() => expect(issueAt('/trees/0/root/branches/0/id')).toHaveTextContent('already in use'));
    fireEvent.keyDown(input('Option id'), { key: 'Escape' });
    expect(input('Option id').value).toBe('treat');

    fireEvent.change(input('Option id'), { target: { value: 'treat_now' } });
    fireEvent.blur(input('Option id'));
    await valid();
    let saved = await savedModel(host);
    expect(saved.trees[0].root.branches[0].id).toBe('treat_now');
    expect(saved.strategies.slice(2).map((s: { entry: { choices: unknown } }) => s.entry.choices)).toEqual([{ choose: 'treat_now' }, { choose: 'treat_now' }, { choose: 'wait' }]);

    act(() => fire('edit:undo'));
    saved = await savedModel(host);
    expect(saved.trees[0].root.branches[0].id).toBe('treat');
    expect(saved.strategies.slice(2).map((s: { entry: { choices: unknown } }) => s.entry.choices)).toEqual([{ choose: 'treat' }, { choose: 'treat' }, { choose: 'wait' }]);
    await waitFor(() => expect(input('Option id').value).toBe('treat'));
    await valid();
  });
});
