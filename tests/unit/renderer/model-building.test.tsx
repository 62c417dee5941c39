// @vitest-environment happy-dom
// Building a model in the UI rather than in the JSON file: parameters (add, edit, rename with the
// references updated, remove), strategies, Markov models, tree → Markov links and the metadata.
// Each edit is undoable and the engine's issues show at the field.
import '@testing-library/jest-dom/vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { App } from '../../../renderer/App';
import { countParameterReferences, renameInExpression, renameParameter } from '../../../renderer/state/rename-parameter';
import { syncValidator } from '../../../renderer/state/sync-validator';
import { CHANCELLOR_MODEL, fakeHost } from './fake-host';

const MODEL = CHANCELLOR_MODEL;

async function savedModel(host: ReturnType<typeof fakeHost>['host']) {
  const calls = host.saveModelFile.mock.calls.length;
  fireEvent.click(screen.getByTestId('save'));
  await waitFor(() => expect(host.saveModelFile.mock.calls.length).toBe(calls + 1));
  return JSON.parse((host.saveModelFile.mock.calls.at(-1)![0] as unknown as { text: string }).text);
}

async function start(model: unknown = MODEL, validity = 'Model valid') {
  const h = fakeHost();
  render(<App host={h.host} initialModel={model as typeof MODEL} initialFileName="chancellor.model.json" validatorFactory={syncValidator} />);
  await waitFor(() => expect(screen.getByTestId('validity')).toHaveTextContent(validity));
  return h;
}

const input = (label: string) => screen.getByLabelText(label) as HTMLInputElement;
const issueAt = (pointer: string) => document.querySelector(`[data-path="${pointer}"] [data-testid="field-issue"]`);
const valid = () => waitFor(() => expect(screen.getByTestId('validity')).toHaveTextContent('Model valid'));
const invalid = () => waitFor(() => expect(screen.getByTestId('validity')).toHaveTextContent('issue'));
const nav = async (id: string) => {
  fireEvent.click(screen.getByTestId(`nav-${id}`));
  await waitFor(() => expect(screen.getByTestId(`screen-${id}`)).toBeInTheDocument());
};

afterEach(cleanup);

describe('renaming inside expressions', () => {
  test('whole identifiers only, found by the expression tokenizer', () => {
    expect(renameInExpression('p_death + p_death_2 * 2', 'p_death', 'q')).toBe('q + p_death_2 * 2');
    expect(renameInExpression('if(p_death > 0, "p_death", p_death)', 'p_death', 'q')).toBe('if(q > 0, "p_death", q)');
    expect(renameInExpression('max(max, 1)', 'max', 'm')).toBe('max(m, 1)');
    expect(renameInExpression('x_p_death', 'p_death', 'q')).toBe('x_p_death');
    // Text the tokenizer cannot read is left alone.
    expect(renameInExpression('p_death + "open', 'p_death', 'q')).toBe('p_death + "open');
  });

  test('every expression, override key and correlation naming the parameter is renamed', () => {
    const model = { ...MODEL, correlations: [{ parameters: ['rr', 'rr_comb'], rho: 0.5 }] };
    expect(countParameterReferences(model, 'rr')).toBe(6 + 1 + 1); // six transitions, the override key, the correlation
    const index = MODEL.parameters.findIndex((p: { id: string }) => p.id === 'rr');
    const next = renameParameter(model, index, 'relative_risk', true) as typeof model;
    expect(next.parameters[index].id).toBe('relative_risk');
    expect(next.markovModels[0].transitions[1].probability).toBe('tp_AB * relative_risk');
    expect(Object.keys(next.strategies[1].overrides)).toEqual(['relative_risk', 'cost_drugs_per_year']);
    expect(next.strategies[1].overrides.relative_risk).toBe('if(cycle <= treatment_years, rr_comb, 1)');
    expect(next.correlations[0].parameters).toEqual(['relative_risk', 'rr_comb']);
    // Without updating, only the id changes.
    const only = renameParameter(model, index, 'relative_risk', false) as typeof model;
    expect(only.markovModels[0].transitions[1].probability).toBe('tp_AB * rr');
  });
});

describe('parameters editor', () => {
  test('a parameter is added (an assumption until it has a source), edited and used; each step undoable', async () => {
    const { host, fire } = await start();
    await nav('parameters');
    fireEvent.click(screen.getByTestId('param-add'));
    await waitFor(() => expect(screen.getByTestId('param-details-param_16')).toBeInTheDocument());
    const row = document.querySelector('tr[data-param="param_16"]')!;
    expect(row).toHaveClass('assumption');
    expect(row).toHaveTextContent('assumption');
    fireEvent.change(input('Value of param_16'), { target: { value: 'cost_A * 2' } });
    fireEvent.change(input('Label of param_16'), { target: { value: 'Double cost' } });
    fireEvent.change(input('Group of param_16'), { target: { value: 'Costs' } });
    fireEvent.change(input('Source of param_16'), { target: { value: 'Expert opinion' } });
    fireEvent.change(input('Notes on param_16'), { target: { value: '2 × cost_A' } });
    fireEvent.change(input('Description of param_16'), { target: { value: 'Twice the cost of state A' } });
    fireEvent.change(screen.getByLabelText('Confidence of param_16'), { target: { value: 'derived' } });
    let saved = await savedModel(host);
    expect(saved.parameters[15]).toEqual({
      id: 'param_16', value: 'cost_A * 2', confidence: 'derived', label: 'Double cost', group: 'Costs', source: 'Expert opinion', notes: '2 × cost_A', description: 'Twice the cost of state A',
    });
    await valid();
    // A bad expression keeps its text and shows the engine's issue at the field.
    fireEvent.change(input('Value of param_16'), { target: { value: 'cost_A *' } });
    await waitFor(() => expect(issueAt('/parameters/15/value')).toBeInTheDocument());
    expect(input('Value of param_16').value).toBe('cost_A *');
    act(() => fire('edit:undo'));
    await valid();
    expect(input('Value of param_16').value).toBe('cost_A * 2');
    // Undo all the way back: no new parameter.
    for (let i = 0; i < 8; i++) act(() => fire('edit:undo'));
    await waitFor(() => expect(screen.queryByTestId('param-details-param_16')).not.toBeInTheDocument());
    saved = await savedModel(host);
    expect(saved.parameters).toHaveLength(15);
  });

  test('renaming updates every expression that uses it in one undoable step; a bad id is kept with its reason', async () => {
    const { host, fire } = await start();
    await nav('parameters');
    fireEvent.click(screen.getByLabelText('Details of cost_zido'));
    const id = input('Id of parameter 13');
    expect(screen.getByTestId('param-details-cost_zido')).toHaveTextContent('also update the 2 expression(s)');
    fireEvent.change(id, { target: { value: '2zido' } });
    fireEvent.keyDown(id, { key: 'Enter' });
    await waitFor(() => expect(issueAt('/parameters/12/id')).toHaveTextContent('must start with a letter'));
    expect(id.value).toBe('2zido');
    expect((await savedModel(host)).parameters[12].id).toBe('cost_zido');

    fireEvent.change(id, { target: { value: 'cost_zidovudine' } });
    fireEvent.blur(id);
    await valid();
    let saved = await savedModel(host);
    expect(saved.parameters[12].id).toBe('cost_zidovudine');
    expect(saved.parameters[14].value).toBe('cost_zidovudine');
    expect(saved.strategies[1].overrides.cost_drugs_per_year).toBe('cost_zidovudine + if(cycle <= treatment_years, cost_lami, 0)');
    act(() => fire('edit:undo'));
    saved = await savedModel(host);
    expect(saved.parameters[12].id).toBe('cost_zido');
    expect(saved.parameters[14].value).toBe('cost_zido');
    expect(saved.strategies[1].overrides.cost_drugs_per_year).toMatch(/^cost_zido \+/);
    await valid();

    // Renaming without updating the references: the engine reports each use at its field.
    await waitFor(() => expect(screen.getByTestId('param-details-cost_zido')).toBeInTheDocument());
    fireEvent.click(screen.getByLabelText('Update the references to cost_zido when renaming'));
    fireEvent.change(input('Id of parameter 13'), { target: { value: 'zido' } });
    fireEvent.keyDown(input('Id of parameter 13'), { key: 'Enter' });
    await invalid();
    await waitFor(() => expect(issueAt('/parameters/14/value')).toHaveTextContent("unknown name 'cost_zido'"));
  });

  test('removing a parameter still used shows the unknown-name issues at the fields that use it; undo restores', async () => {
    const { host, fire } = await start();
    await nav('parameters');
    fireEvent.click(screen.getByLabelText('Details of rr'));
    fireEvent.click(screen.getByLabelText('Remove parameter rr'));
    await invalid();
    const refs = await waitFor(() => screen.getByTestId('parameter-references'));
    await waitFor(() => expect(refs.querySelector('[data-path="/markovModels/0/transitions/1/probability"] [data-testid="field-issue"]')).toHaveTextContent("unknown name 'rr'"));
    expect(refs.querySelector('[data-path="/strategies/1/overrides/rr"] [data-testid="field-issue"]')).toHaveTextContent("unknown parameter 'rr'");
    expect((await savedModel(host)).parameters.some((p: { id: string }) => p.id === 'rr')).toBe(false);
    // The Markov editor shows it at the cell too.
    await nav('markov');
    expect(issueAt('/markovModels/0/transitions/1/probability')).toHaveTextContent("unknown name 'rr'");
    act(() => fire('edit:undo'));
    await valid();
    expect((await savedModel(host)).parameters.some((p: { id: string }) => p.id === 'rr')).toBe(true);
  });
});

/** The Chancellor model with a decision tree whose first option enters the Markov model. */
function withTree() {
  return {
    ...MODEL,
    trees: [
      {
        id: 'start',
        label: 'Start',
        root: {
          kind: 'decision',
          id: 'choose',
          label: 'Choose',
          branches: [
            { id: 'treat', label: 'Treat', node: { kind: 'terminal', id: 'treated', rewards: { cost: 100 } } },
            { id: 'wait', label: 'Wait', node: { kind: 'terminal', id: 'waited' } },
          ],
        },
      },
    ],
  };
}

describe('strategies editor', () => {
  test('a strategy is added, renamed, pointed at another entry and removed; each step undoable', async () => {
    const { host, fire } = await start();
    fireEvent.click(screen.getByTestId('strategy-add'));
    await waitFor(() => expect(input('Name of strategy strategy_3')).toBeInTheDocument());
    let saved = await savedModel(host);
    expect(saved.strategies[2]).toEqual({ id: 'strategy_3', name: 'Strategy 3', entry: { kind: 'markov', model: 'hiv' } });
    await valid();
    fireEvent.change(input('Name of strategy strategy_3'), { target: { value: 'Triple therapy' } });
    fireEvent.change(input('Id of strategy 3'), { target: { value: 'triple' } });
    fireEvent.blur(input('Id of strategy 3'));
    saved = await savedModel(host);
    expect(saved.strategies[2]).toMatchObject({ id: 'triple', name: 'Triple therapy' });
    // An id already in use is refused, with the reason at the field; Escape restores the id.
    fireEvent.change(input('Id of strategy 3'), { target: { value: 'mono' } });
    fireEvent.blur(input('Id of strategy 3'));
    await waitFor(() => expect(issueAt('/strategies/2/id')).toBeInTheDocument());
    expect((await savedModel(host)).strategies[2].id).toBe('triple');
    fireEvent.keyDown(input('Id of strategy 3'), { key: 'Escape' });
    await valid();

    // No tree in the model: choosing a tree entry shows the issue at the entry.
    fireEvent.change(screen.getByLabelText('Entry kind of strategy triple'), { target: { value: 'tree' } });
    await waitFor(() => expect(issueAt('/strategies/2/entry')).toBeInTheDocument());
    act(() => fire('edit:undo'));
    await valid();

    fireEvent.click(screen.getByLabelText('Remove strategy triple'));
    await waitFor(() => expect(screen.queryByLabelText('Name of strategy triple')).not.toBeInTheDocument());
    expect((await savedModel(host)).strategies).toHaveLength(2);
    act(() => fire('edit:undo'));
    await waitFor(() => expect(input('Name of strategy triple')).toBeInTheDocument());
  });

  test('a tree entry and its decision choices are chosen from the tree', async () => {
    const { host, fire } = await start(withTree());
    fireEvent.change(screen.getByLabelText('Entry kind of strategy mono'), { target: { value: 'tree' } });
    await waitFor(() => expect(screen.getByLabelText('Choice at choose for strategy mono')).toBeInTheDocument());
    fireEvent.change(screen.getByLabelText('Choice at choose for strategy mono'), { target: { value: 'wait' } });
    let saved = await savedModel(host);
    expect(saved.strategies[0].entry).toEqual({ kind: 'tree', tree: 'start', choices: { choose: 'wait' } });
    fireEvent.change(screen.getByLabelText('Choice at choose for strategy mono'), { target: { value: '' } });
    saved = await savedModel(host);
    expect(saved.strategies[0].entry).toEqual({ kind: 'tree', tree: 'start' });
    act(() => fire('edit:undo'));
    act(() => fire('edit:undo'));
    act(() => fire('edit:undo'));
    saved = await savedModel(host);
    expect(saved.strategies[0].entry).toEqual({ kind: 'markov', model: 'hiv' });
    expect((screen.getByLabelText('Markov model of strategy mono') as HTMLSelectElement).value).toBe('hiv');
  });
});

describe('Markov models and tree → Markov links', () => {
  test('a Markov model is added, renamed and removed; removing one still used shows the issue at the strategy entry', async () => {
    const { host, fire } = await start();
    await nav('markov');
    fireEvent.click(screen.getByTestId('markov-add'));
    await waitFor(() => expect(input('Label of Markov model markov_2')).toBeInTheDocument());
    let saved = await savedModel(host);
    expect(saved.markovModels[1]).toEqual({ id: 'markov_2', label: 'Markov model 2', states: [{ id: 'S1', label: 'State 1', rewards: {} }], transitions: [{ from: 'S1', to: 'S1', probability: 1 }], initial: { S1: 1 } });
    await valid();
    fireEvent.change(input('Label of Markov model markov_2'), { target: { value: 'Post-progression' } });
    // A second state, renamed: its transitions and the initial distribution follow, in one step.
    fireEvent.click(screen.getByRole('button', { name: 'Add state' }));
    await waitFor(() => expect(input('Id of state 2 of markov_2')).toBeInTheDocument());
    fireEvent.change(input('Id of state 1 of markov_2'), { target: { value: 'alive' } });
    fireEvent.keyDown(input('Id of state 1 of markov_2'), { key: 'Enter' });
    saved = await savedModel(host);
    expect(saved.markovModels[1].states.map((s: { id: string }) => s.id)).toEqual(['alive', 'S2']);
    expect(saved.markovModels[1].transitions).toEqual([{ from: 'alive', to: 'alive', probability: 1 }]);
    expect(saved.markovModels[1].initial).toEqual({ alive: 1 });
    act(() => fire('edit:undo'));
    await waitFor(() => expect(input('Id of state 1 of markov_2').value).toBe('S1'));

    // Remove the model the strategies start in: the issue shows at each strategy's entry.
    fireEvent.click(within(screen.getByRole('group', { name: 'Markov models' })).getAllByRole('button')[0]);
    await waitFor(() => expect(screen.getByTestId('markov-settings')).toHaveTextContent('hiv'));
    fireEvent.click(screen.getByLabelText('Remove Markov model hiv'));
    await invalid();
    await nav('overview');
    await waitFor(() => expect(issueAt('/strategies/0/entry')).toHaveTextContent('hiv'));
    // Point the strategy at the other model instead: that issue goes.
    fireEvent.change(screen.getByLabelText('Markov model of strategy mono'), { target: { value: 'markov_2' } });
    await waitFor(() => expect(issueAt('/strategies/0/entry')).toBeNull());
    act(() => fire('edit:undo'));
    act(() => fire('edit:undo'));
    await valid();
    expect((await savedModel(host)).markovModels.map((m: { id: string }) => m.id)).toEqual(['hiv', 'markov_2']);
  });

  test('a terminal node is linked to a Markov model state in the side panel; undo unlinks', async () => {
    const { host, fire } = await start(withTree());
    await nav('tree');
    fireEvent.click(document.querySelector('[data-node="treated"]')!);
    await waitFor(() => expect(screen.getByLabelText('Markov model entered at treated')).toBeInTheDocument());
    fireEvent.change(screen.getByLabelText('Markov model entered at treated'), { target: { value: 'hiv' } });
    await waitFor(() => expect(screen.getByLabelText('State entered at treated')).toBeInTheDocument());
    let saved = await savedModel(host);
    expect(saved.trees[0].root.branches[0].node.markov).toEqual({ model: 'hiv', state: 'A' });
    fireEvent.change(screen.getByLabelText('State entered at treated'), { target: { value: 'B' } });
    saved = await savedModel(host);
    expect(saved.trees[0].root.branches[0].node.markov).toEqual({ model: 'hiv', state: 'B' });
    fireEvent.change(screen.getByLabelText('Markov model entered at treated'), { target: { value: '' } });
    saved = await savedModel(host);
    expect('markov' in saved.trees[0].root.branches[0].node).toBe(false);
    act(() => fire('edit:undo'));
    await waitFor(() => expect((screen.getByLabelText('State entered at treated') as HTMLSelectElement).value).toBe('B'));
  });
});

describe('model metadata', () => {
  test('name, description, version, authors, references and limitations are edited; an empty name is reported at the field', async () => {
    const { host, fire } = await start();
    const refs = MODEL.metadata.references?.length ?? 0;
    fireEvent.change(input('Model name'), { target: { value: '' } });
    await waitFor(() => expect(issueAt('/metadata/name')).toBeInTheDocument());
    expect(input('Model name').value).toBe('');
    fireEvent.change(input('Model name'), { target: { value: 'HIV model' } });
    await valid();
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('HIV model');
    fireEvent.change(input('Model version'), { target: { value: '1.1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add author' }));
    await waitFor(() => expect(input('Author 1')).toBeInTheDocument());
    fireEvent.change(input('Author 1'), { target: { value: 'A. Briggs' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add limitation' }));
    await waitFor(() => expect(input('Limitation 1')).toBeInTheDocument());
    fireEvent.change(input('Limitation 1'), { target: { value: 'No adverse events' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add reference' }));
    await waitFor(() => expect(input(`Reference ${refs + 1}`)).toBeInTheDocument());
    fireEvent.change(input(`Reference ${refs + 1}`), { target: { value: 'Chancellor 1997' } });
    let saved = await savedModel(host);
    expect(saved.metadata).toMatchObject({ name: 'HIV model', version: '1.1', authors: ['A. Briggs'], limitations: ['No adverse events'] });
    expect(saved.metadata.references.at(-1)).toBe('Chancellor 1997');
    await valid();
    // Removing the only limitation leaves no list in the file; undo brings it back.
    fireEvent.click(screen.getByLabelText('Remove limitation 1'));
    saved = await savedModel(host);
    expect('limitations' in saved.metadata).toBe(false);
    act(() => fire('edit:undo'));
    await waitFor(() => expect(input('Limitation 1').value).toBe('No adverse events'));
  });
});

describe('a new empty model', () => {
  test('New starts an empty model that reports the missing strategy at the strategies panel until one is added', async () => {
    const { host } = await start();
    fireEvent.click(screen.getByTestId('new-model'));
    await invalid();
    await waitFor(() => expect(issueAt('/strategies')).toBeInTheDocument());
    let saved = await savedModel(host);
    expect(saved).toMatchObject({ parameters: [], markovModels: [], strategies: [], outcomes: [{ id: 'cost' }, { id: 'qaly' }] });
    // A strategy with no Markov model to start in: the issue moves to its entry.
    fireEvent.click(screen.getByTestId('strategy-add'));
    await waitFor(() => expect(issueAt('/strategies/0/entry')).toBeInTheDocument());
    saved = await savedModel(host);
    expect(saved.strategies).toEqual([{ id: 'strategy_1', name: 'Strategy 1', entry: { kind: 'markov', model: '' } }]);
  });
});

describe('screens in Italian', () => {
  test('the cycle and horizon sentences, the base case and the new editors read in Italian', async () => {
    await start();
    fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'it' } });
    await waitFor(() => expect(screen.getByText('Cicli di 1 anno su un orizzonte di 20 anni.')).toBeInTheDocument());
    expect(screen.getByText('20 cicli')).toBeInTheDocument();
    expect(screen.getByText('Informazioni sul modello')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Aggiungi strategia' })).toBeInTheDocument();
    await nav('base-case');
    expect(screen.getByTestId('screen-base-case')).toHaveTextContent('20 cicli di 1 anno; tasso di sconto 6% sui costi, 0% sugli effetti; correzione intra-ciclo');
    expect(screen.getByTestId('screen-base-case')).toHaveTextContent('Ottimale');
    await nav('parameters');
    expect(screen.getByRole('button', { name: 'Aggiungi parametro' })).toBeInTheDocument();
    await nav('markov');
    expect(screen.getByRole('button', { name: 'Aggiungi modello di Markov' })).toBeInTheDocument();
    await nav('budget');
    expect(screen.getByTestId('screen-budget')).toHaveTextContent("Questo modello non ha una specifica per l'analisi di impatto sul budget.");
  });
});

describe('decision trees', () => {
  test('a tree is added, its id, label, node and option ids edited, and removed; each step undoable', async () => {
    const { host, fire } = await start(withTree());
    await nav('tree');
    fireEvent.click(screen.getByTestId('tree-add'));
    await waitFor(() => expect(input('Label of decision tree tree_2')).toBeInTheDocument());
    fireEvent.change(input('Label of decision tree tree_2'), { target: { value: 'Second' } });
    let saved = await savedModel(host);
    expect(saved.trees[1]).toMatchObject({ id: 'tree_2', label: 'Second', root: { kind: 'decision' } });
    fireEvent.click(screen.getByLabelText('Remove decision tree tree_2'));
    await waitFor(() => expect(input('Label of decision tree start')).toBeInTheDocument());
    expect((await savedModel(host)).trees).toHaveLength(1);
    act(() => fire('edit:undo'));
    expect((await savedModel(host)).trees).toHaveLength(2);

    fireEvent.click(within(screen.getByRole('group', { name: 'Decision trees' })).getAllByRole('button')[0]);
    await waitFor(() => expect(input('Label of decision tree start')).toBeInTheDocument());
    fireEvent.click(document.querySelector('[data-node="treated"]')!);
    await waitFor(() => expect(input('Option id')).toBeInTheDocument());
    fireEvent.change(input('Node id'), { target: { value: 'treated_end' } });
    await waitFor(() => expect(document.querySelector('[data-node="treated_end"]')).not.toBeNull());
    // An option id that is no valid id is not committed: the text stays with the reason next to it.
    fireEvent.change(input('Option id'), { target: { value: 'treat now' } });
    fireEvent.blur(input('Option id'));
    await waitFor(() => expect(issueAt('/trees/0/root/branches/0/id')).toBeInTheDocument());
    expect(input('Option id').value).toBe('treat now');
    saved = await savedModel(host);
    expect(saved.trees[0].root.branches[0]).toMatchObject({ id: 'treat', node: { id: 'treated_end' } });
    fireEvent.change(input('Option id'), { target: { value: 'treat_now' } });
    fireEvent.keyDown(input('Option id'), { key: 'Enter' });
    saved = await savedModel(host);
    expect(saved.trees[0].root.branches[0]).toMatchObject({ id: 'treat_now', node: { id: 'treated_end' } });
    act(() => fire('edit:undo'));
    await waitFor(() => expect(input('Option id').value).toBe('treat'));
  });
});

describe('renaming Markov models and trees', () => {
  test('the strategies and tree terminals that enter them follow, in one undoable step', async () => {
    const model = withTree();
    model.trees[0].root.branches[0].node = { kind: 'terminal', id: 'treated', markov: { model: 'hiv', state: 'A' } } as never;
    model.strategies = [...MODEL.strategies, { id: 'tree_entry', name: 'Tree', entry: { kind: 'tree', tree: 'start', choices: { choose: 'treat' } } }];
    const { host, fire } = await start(model);
    await nav('markov');
    fireEvent.change(input('Id of Markov model 1'), { target: { value: 'hiv_model' } });
    fireEvent.keyDown(input('Id of Markov model 1'), { key: 'Enter' });
    await valid();
    let saved = await savedModel(host);
    expect(saved.markovModels[0].id).toBe('hiv_model');
    expect(saved.strategies.map((s: { entry: unknown }) => s.entry)).toEqual([
      { kind: 'markov', model: 'hiv_model' },
      { kind: 'markov', model: 'hiv_model' },
      { kind: 'tree', tree: 'start', choices: { choose: 'treat' } },
    ]);
    expect(saved.trees[0].root.branches[0].node.markov).toEqual({ model: 'hiv_model', state: 'A' });

    await nav('tree');
    fireEvent.change(input('Id of decision tree 1'), { target: { value: 'start_tree' } });
    fireEvent.blur(input('Id of decision tree 1'));
    await valid();
    saved = await savedModel(host);
    expect(saved.trees[0].id).toBe('start_tree');
    expect(saved.strategies[2].entry).toEqual({ kind: 'tree', tree: 'start_tree', choices: { choose: 'treat' } });
    act(() => fire('edit:undo'));
    act(() => fire('edit:undo'));
    saved = await savedModel(host);
    expect(saved.strategies[2].entry.tree).toBe('start');
    expect(saved.strategies[0].entry.model).toBe('hiv');
    await valid();
  });
});
