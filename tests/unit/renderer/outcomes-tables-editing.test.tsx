// @vitest-environment happy-dom
// Outcomes, lookup tables and scenario strategy overrides / settings changes edited in the UI:
// add, edit, remove, undo, and the engine's issue shown at the field (including references left
// behind by removing an outcome or a table that is still used).
import '@testing-library/jest-dom/vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { App } from '../../../renderer/App';
import { describePath, outcomeReferences } from '../../../renderer/features/overview/OutcomesPanel';
import { nextRow, tableUsers } from '../../../renderer/features/tables/TablesEditor';
import { syncValidator } from '../../../renderer/state/sync-validator';
import { CHANCELLOR_MODEL, fakeHost } from './fake-host';

const MODEL = CHANCELLOR_MODEL;

/** The Chancellor model with a lookup table that parameter cost_A reads. */
function withTable() {
  const parameters = MODEL.parameters.map((p: { id: string }) => (p.id === 'cost_A' ? { ...p, value: 'lookup(costs_by_year, 3)' } : p));
  return {
    ...MODEL,
    parameters,
    tables: [{ id: 'costs_by_year', label: 'Costs by year', keys: ['year'], match: 'floor', outOfRange: 'clamp', rows: [[0, 2000], [2, 2756], [5, 3000]] }],
  };
}

async function savedModel(host: ReturnType<typeof fakeHost>['host']) {
  const calls = host.saveModelFile.mock.calls.length;
  fireEvent.click(screen.getByTestId('save'));
  await waitFor(() => expect(host.saveModelFile.mock.calls.length).toBe(calls + 1));
  return JSON.parse((host.saveModelFile.mock.calls.at(-1)![0] as unknown as { text: string }).text);
}

async function start(model: unknown = MODEL) {
  const h = fakeHost();
  render(<App host={h.host} initialModel={model as typeof MODEL} initialFileName="chancellor.model.json" validatorFactory={syncValidator} />);
  await waitFor(() => expect(screen.getByTestId('validity')).toHaveTextContent('Model valid'));
  return h;
}

const input = (label: string) => screen.getByLabelText(label) as HTMLInputElement;
const issueAt = (pointer: string) => document.querySelector(`[data-path="${pointer}"] [data-testid="field-issue"]`);
const valid = () => waitFor(() => expect(screen.getByTestId('validity')).toHaveTextContent('Model valid'));
const invalid = () => waitFor(() => expect(screen.getByTestId('validity')).toHaveTextContent('issue'));

afterEach(cleanup);

describe('outcomes editor', () => {
  test('an outcome is added, edited and removed; each step undoable', async () => {
    const { host, fire } = await start();
    fireEvent.click(screen.getByTestId('outcome-add'));
    await waitFor(() => expect(input('Label of outcome outcome_5')).toBeInTheDocument());
    fireEvent.change(input('Label of outcome outcome_5'), { target: { value: 'Hospital days' } });
    fireEvent.change(input('Unit of outcome outcome_5'), { target: { value: 'days' } });
    fireEvent.change(screen.getByLabelText('Discounting of outcome outcome_5'), { target: { value: 'effects' } });
    fireEvent.change(input('Id of outcome 5'), { target: { value: 'hosp_days' } });
    let saved = await savedModel(host);
    expect(saved.outcomes[4]).toEqual({ id: 'hosp_days', label: 'Hospital days', unit: 'days', discount: 'effects' });
    await valid();

    // The id is edited as typed; a bad id shows the schema's issue at the field and keeps the text.
    fireEvent.change(input('Id of outcome 5'), { target: { value: '9days' } });
    await waitFor(() => expect(issueAt('/outcomes/4/id')).toBeInTheDocument());
    expect(input('Id of outcome 5').value).toBe('9days');
    // A duplicate id is the engine's issue, also at the field.
    fireEvent.change(input('Id of outcome 5'), { target: { value: 'ly' } });
    await waitFor(() => expect(issueAt('/outcomes/4/id')).toHaveTextContent("duplicate outcome id 'ly'"));
    act(() => fire('edit:undo'));
    await waitFor(() => expect(input('Id of outcome 5').value).toBe('hosp_days'));
    await valid();

    fireEvent.click(screen.getByLabelText('Remove outcome hosp_days'));
    await waitFor(() => expect(screen.queryByLabelText('Label of outcome hosp_days')).not.toBeInTheDocument());
    saved = await savedModel(host);
    expect(saved.outcomes.map((o: { id: string }) => o.id)).toEqual(['cost', 'cost_health', 'cost_drugs', 'ly']);
    act(() => fire('edit:undo'));
    await waitFor(() => expect(input('Label of outcome hosp_days')).toBeInTheDocument());
  });

  test('the primary cost and effect are chosen by radio button or in the settings, undoably', async () => {
    const { host, fire } = await start();
    const costRadio = screen.getByLabelText('cost_health is the primary cost') as HTMLInputElement;
    expect((screen.getByLabelText('cost is the primary cost') as HTMLInputElement).checked).toBe(true);
    fireEvent.click(costRadio);
    await waitFor(() => expect(costRadio.checked).toBe(true));
    expect((await savedModel(host)).settings.costOutcome).toBe('cost_health');
    expect((screen.getByLabelText('Cost outcome') as HTMLSelectElement).value).toBe('cost_health');
    act(() => fire('edit:undo'));
    await waitFor(() => expect((screen.getByLabelText('cost is the primary cost') as HTMLInputElement).checked).toBe(true));

    fireEvent.change(screen.getByLabelText('Effect outcome'), { target: { value: 'cost_drugs' } });
    await waitFor(() => expect((screen.getByLabelText('cost_drugs is the primary effect') as HTMLInputElement).checked).toBe(true));
    expect((await savedModel(host)).settings.effectOutcome).toBe('cost_drugs');
  });

  test('removing an outcome still used shows the engine issue at each field that uses it; undo restores', async () => {
    const { host, fire } = await start();
    fireEvent.click(screen.getByLabelText('Remove outcome cost_drugs'));
    await invalid();
    // Listed under the outcomes, each with its own field and the engine's message.
    const refs = await waitFor(() => screen.getByTestId('outcome-references'));
    await waitFor(() => expect(refs.querySelector('[data-path="/markovModels/0/states/0/rewards/cost_drugs"] [data-testid="field-issue"]')).toHaveTextContent("unknown outcome 'cost_drugs'"));
    expect(refs).toHaveTextContent('Markov model');
    expect(refs).toHaveTextContent('state A › rewards › cost_drugs');
    // The Markov editor keeps a column for the values, each showing the issue.
    fireEvent.click(screen.getByRole('button', { name: /Markov models/ }));
    await waitFor(() => expect(screen.getByTestId('state-rewards')).toBeInTheDocument());
    expect(issueAt('/markovModels/0/states/1/rewards/cost_drugs')).toHaveTextContent("unknown outcome 'cost_drugs'");
    expect(input('cost_drugs in state B').value).toBe('cost_drugs_per_year');
    // Undo brings the outcome back and the model is valid again.
    act(() => fire('edit:undo'));
    await valid();
    expect(issueAt('/markovModels/0/states/1/rewards/cost_drugs')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: /Overview/ }));

    // Removing the primary effect: the issue shows at the effect-outcome setting.
    fireEvent.click(await waitFor(() => screen.getByLabelText('Remove outcome ly')));
    await waitFor(() => expect(issueAt('/settings/effectOutcome')).toHaveTextContent("unknown outcome 'ly'"));
    // Dropping the left-behind values one by one from the list is undoable too.
    const drop = screen.getAllByRole('button', { name: /^Remove this value: / });
    expect(drop.length).toBe(3);
    fireEvent.click(drop[0]);
    const saved = await savedModel(host);
    expect('ly' in saved.markovModels[0].states[0].rewards).toBe(false);
    expect(saved.markovModels[0].states[1].rewards.ly).toBe(1);
  });

  test('renaming an outcome: its values are listed, then moved to the new id in one undoable step', async () => {
    const { host, fire } = await start();
    fireEvent.change(input('Id of outcome 4'), { target: { value: 'life_years' } });
    await invalid();
    await waitFor(() => expect(screen.getByTestId('move-outcome-ly')).toBeInTheDocument());
    expect(issueAt('/settings/effectOutcome')).toHaveTextContent("unknown outcome 'ly'");
    expect((screen.getByLabelText('Outcome to move the values of ly to') as HTMLSelectElement).value).toBe('life_years');
    fireEvent.click(screen.getByLabelText('Move the values of ly to the chosen outcome'));
    await valid();
    const saved = await savedModel(host);
    expect(saved.settings.effectOutcome).toBe('life_years');
    expect(saved.markovModels[0].states[0].rewards).toEqual({ cost_health: 'cost_A', cost_drugs: 'cost_drugs_per_year', cost: 'cost_A + cost_drugs_per_year', life_years: 1 });
    act(() => fire('edit:undo'));
    await invalid();
    expect((await savedModel(host)).markovModels[0].states[0].rewards.ly).toBe(1);
  });

  test('outcome references are counted and paths described', () => {
    const refs = outcomeReferences(MODEL);
    expect(refs.get('cost_drugs')).toBe(3);
    expect(refs.get('cost')).toBe(4); // three states and the cost setting
    expect(describePath(MODEL, ['markovModels', 0, 'transitions', 0, 'rewards', 'x'])).toMatch(/^Markov model \S+ › transition A → \w › rewards › x$/);
  });
});

describe('lookup tables editor', () => {
  const openTables = async () => {
    fireEvent.click(screen.getByTestId('nav-tables'));
    await waitFor(() => expect(screen.getByTestId('screen-tables')).toBeInTheDocument());
  };

  test('rows, keys and settings are edited; a bad value keeps its text and shows the issue at the row', async () => {
    const { host, fire } = await start(withTable());
    await openTables();
    expect(screen.getByTestId('table-users')).toHaveTextContent('cost_A');
    expect(input('Value in row 2 of costs_by_year').value).toBe('2756');
    fireEvent.change(input('Value in row 2 of costs_by_year'), { target: { value: '2800' } });
    let saved = await savedModel(host);
    expect(saved.tables[0].rows[1]).toEqual([2, 2800]);
    act(() => fire('edit:undo'));
    await waitFor(() => expect(input('Value in row 2 of costs_by_year').value).toBe('2756'));

    // A value that is not a number: the text stays, the row is marked, the engine says why.
    fireEvent.change(input('Value in row 3 of costs_by_year'), { target: { value: '3000x' } });
    await invalid();
    expect(input('Value in row 3 of costs_by_year').value).toBe('3000x');
    await waitFor(() => expect(issueAt('/tables/0/rows')).toHaveTextContent('rows[2]: the value (last entry) must be a finite number'));
    expect(document.querySelector('tr[data-row="2"]')).toHaveClass('bad-row');
    fireEvent.change(input('Value in row 3 of costs_by_year'), { target: { value: '3000' } });
    await valid();

    // Add a row (the next key), remove one; settings by select.
    fireEvent.click(screen.getByTestId('table-add-row'));
    await waitFor(() => expect(input('Value in row 4 of costs_by_year')).toBeInTheDocument());
    saved = await savedModel(host);
    expect(saved.tables[0].rows[3]).toEqual([6, 3000]);
    await valid();
    fireEvent.click(screen.getByLabelText('Remove row 1 of costs_by_year'));
    await waitFor(() => expect(screen.queryByLabelText('Value in row 4 of costs_by_year')).not.toBeInTheDocument());
    fireEvent.change(screen.getByLabelText('Key matching of lookup table costs_by_year'), { target: { value: 'linear' } });
    fireEvent.change(input('Label of lookup table costs_by_year'), { target: { value: 'Annual cost' } });
    saved = await savedModel(host);
    expect(saved.tables[0]).toMatchObject({ match: 'linear', label: 'Annual cost', rows: [[2, 2756], [5, 3000], [6, 3000]] });
    act(() => fire('edit:undo'));
    act(() => fire('edit:undo'));
    act(() => fire('edit:undo'));
    saved = await savedModel(host);
    expect(saved.tables[0]).toMatchObject({ match: 'floor', label: 'Costs by year', rows: [[0, 2000], [2, 2756], [5, 3000], [6, 3000]] });

    // A second key column is added to every row and renamed; a text key is kept as text.
    fireEvent.click(screen.getByRole('button', { name: 'Add key column' }));
    await waitFor(() => expect(input('Name of key column 2 of costs_by_year')).toBeInTheDocument());
    fireEvent.change(input('Name of key column 2 of costs_by_year'), { target: { value: 'sex' } });
    fireEvent.change(input('sex in row 1 of costs_by_year'), { target: { value: 'female' } });
    saved = await savedModel(host);
    expect(saved.tables[0].keys).toEqual(['year', 'sex']);
    expect(saved.tables[0].rows[0]).toEqual([0, 'female', 2000]);
    expect(saved.tables[0].rows[1]).toEqual([2, 0, 2756]);
    // Mixed key kinds in a column are the engine's issue, at the rows.
    await waitFor(() => expect(issueAt('/tables/0/rows')).toBeInTheDocument());
    fireEvent.click(screen.getByLabelText('Remove key column sex of costs_by_year'));
    saved = await savedModel(host);
    expect(saved.tables[0].keys).toEqual(['year']);
    expect(saved.tables[0].rows[0]).toEqual([0, 2000]);
  });

  test('removing a table still used shows the unknown-table issue with the parameter field; undo restores', async () => {
    const { host, fire } = await start(withTable());
    await openTables();
    fireEvent.click(screen.getByLabelText('Remove lookup table costs_by_year'));
    await invalid();
    const refs = await waitFor(() => screen.getByTestId('table-references'));
    const field = refs.querySelector('[data-path="/parameters/9/value"]');
    expect(field).not.toBeNull();
    await waitFor(() => expect(field!.querySelector('[data-testid="field-issue"]')).toHaveTextContent("unknown lookup table 'costs_by_year'"));
    expect(refs).toHaveTextContent('parameter cost_A');
    // Fix it right there: give the parameter a number.
    fireEvent.change(input('parameter cost_A › value'), { target: { value: '2756' } });
    await valid();
    expect((await savedModel(host)).tables).toEqual([]);
    act(() => fire('edit:undo'));
    act(() => fire('edit:undo'));
    await valid();
    await waitFor(() => expect(screen.getByTestId('table-users')).toHaveTextContent('cost_A'));

    // A new table: next free id, one row, selected.
    fireEvent.click(screen.getByTestId('table-add'));
    await waitFor(() => expect(input('Label of lookup table table_2')).toBeInTheDocument());
    const saved = await savedModel(host);
    expect(saved.tables[1]).toEqual({ id: 'table_2', label: 'Table 2', keys: ['age'], match: 'floor', outOfRange: 'clamp', rows: [[0, 0]] });
  });

  test('helpers: users of a table and the next row', () => {
    expect(tableUsers([{ id: 'a', value: 'lookup(t, age)' }, { id: 'b', value: 'lookup(tt, age)' }, { id: 'c', value: 2 }], 't')).toEqual(['a']);
    expect(nextRow([40, 'female', 0.01], 2)).toEqual([41, 'female', 0.01]);
    expect(nextRow(['x', 'y', 1], 2)).toEqual(['x', 'y', 1]);
    expect(nextRow(undefined, 1)).toEqual([0, 0]);
  });
});

describe('scenario strategy overrides and settings changes', () => {
  test('strategy-specific overrides are added, edited, moved to another strategy and removed', async () => {
    const model = { ...MODEL, scenarios: [{ id: 'cheap', name: 'Cheap', overrides: {} }] };
    const { host, fire } = await start(model);
    fireEvent.click(screen.getByLabelText('Add strategy-specific overrides to scenario cheap'));
    await waitFor(() => expect(screen.getByLabelText('Add an override to scenario cheap, strategy mono')).toBeInTheDocument());
    fireEvent.click(screen.getByLabelText('Add an override to scenario cheap, strategy mono'));
    await waitFor(() => expect(input('Override of tp_AB in scenario cheap, strategy mono')).toBeInTheDocument());
    fireEvent.change(input('Override of tp_AB in scenario cheap, strategy mono'), { target: { value: '0.1' } });
    let saved = await savedModel(host);
    expect(saved.scenarios[0].strategyOverrides).toEqual({ mono: { tp_AB: 0.1 } });
    await valid();

    // Move the block to the other strategy; undo moves it back.
    fireEvent.change(screen.getByLabelText('Strategy of the overrides in scenario cheap: mono'), { target: { value: 'comb' } });
    saved = await savedModel(host);
    expect(saved.scenarios[0].strategyOverrides).toEqual({ comb: { tp_AB: 0.1 } });
    act(() => fire('edit:undo'));
    await waitFor(() => expect(input('Override of tp_AB in scenario cheap, strategy mono')).toBeInTheDocument());

    // Removing the last block leaves no strategyOverrides key.
    fireEvent.click(screen.getByLabelText('Remove the overrides for strategy mono from scenario cheap'));
    saved = await savedModel(host);
    expect('strategyOverrides' in saved.scenarios[0]).toBe(false);
    act(() => fire('edit:undo'));
    expect((await savedModel(host)).scenarios[0].strategyOverrides).toEqual({ mono: { tp_AB: 0.1 } });
  });

  test("a strategy's own overrides are edited with the same table", async () => {
    const { host, fire } = await start();
    fireEvent.click(screen.getByLabelText('Add an override to strategy comb'));
    await waitFor(() => expect(input('Override of tp_AB in strategy comb')).toBeInTheDocument());
    fireEvent.change(input('Override of tp_AB in strategy comb'), { target: { value: 'tp_AB * 0.9' } });
    const saved = await savedModel(host);
    expect(saved.strategies[1].overrides.tp_AB).toBe('tp_AB * 0.9');
    // An override referring to itself is the engine's issue, shown at the field; undo clears it.
    await waitFor(() => expect(issueAt('/strategies/1/overrides/tp_AB')).toBeInTheDocument());
    act(() => fire('edit:undo'));
    await valid();
  });

  test('an unknown strategy from the file shows its issue at the block', async () => {
    const model = { ...MODEL, scenarios: [{ id: 's', name: 'S', overrides: {}, strategyOverrides: { nope: { rr: 1 } } }] };
    const h = fakeHost();
    render(<App host={h.host} initialModel={model} initialFileName="m.json" validatorFactory={syncValidator} />);
    await invalid();
    await waitFor(() => expect(document.querySelector('[data-path="/scenarios/0/strategyOverrides/nope"] [data-testid="field-issue"]')).toHaveTextContent("unknown strategy 'nope'"));
    fireEvent.change(screen.getByLabelText('Strategy of the overrides in scenario s: nope'), { target: { value: 'comb' } });
    await valid();
  });

  test('a scenario changes the horizon and discount rates; each step undoable, bad values at the field', async () => {
    const model = { ...MODEL, scenarios: [{ id: 'long', name: 'Long', overrides: {} }] };
    const { host, fire } = await start(model);
    const choose = screen.getByLabelText('Setting to change in scenario long') as HTMLSelectElement;
    expect(choose.value).toBe('timeHorizon');
    fireEvent.click(screen.getByLabelText('Change a setting in scenario long'));
    await waitFor(() => expect(input('Time horizon in scenario long')).toBeInTheDocument());
    // Starts from the model's value.
    expect(input('Time horizon in scenario long').value).toBe('20');
    fireEvent.change(input('Time horizon in scenario long'), { target: { value: '40' } });
    fireEvent.change(screen.getByLabelText('Setting to change in scenario long'), { target: { value: 'discountRates' } });
    fireEvent.click(screen.getByLabelText('Change a setting in scenario long'));
    await waitFor(() => expect(input('Discount rate for costs in scenario long')).toBeInTheDocument());
    fireEvent.change(input('Discount rate for effects in scenario long'), { target: { value: '0.035' } });
    let saved = await savedModel(host);
    expect(saved.scenarios[0].settings).toEqual({ timeHorizon: { value: 40, unit: 'years' }, discountRates: { costs: 0.06, effects: 0.035 } });
    await valid();

    // A negative rate is reported at its field and the text is kept.
    fireEvent.change(input('Discount rate for costs in scenario long'), { target: { value: '-0.1' } });
    await waitFor(() => expect(issueAt('/scenarios/0/settings/discountRates/costs')).toBeInTheDocument());
    expect(input('Discount rate for costs in scenario long').value).toBe('-0.1');
    act(() => fire('edit:undo'));
    await valid();

    // Stop changing the horizon; undo puts it back.
    fireEvent.click(screen.getByLabelText('Stop changing Time horizon in scenario long'));
    saved = await savedModel(host);
    expect(saved.scenarios[0].settings).toEqual({ discountRates: { costs: 0.06, effects: 0.035 } });
    act(() => fire('edit:undo'));
    await waitFor(() => expect(input('Time horizon in scenario long').value).toBe('40'));

    // The effect outcome of a scenario is chosen from the outcomes.
    fireEvent.change(screen.getByLabelText('Setting to change in scenario long'), { target: { value: 'effectOutcome' } });
    fireEvent.click(screen.getByLabelText('Change a setting in scenario long'));
    await waitFor(() => expect(screen.getByLabelText('Effect outcome in scenario long')).toBeInTheDocument());
    expect((screen.getByLabelText('Effect outcome in scenario long') as HTMLSelectElement).value).toBe('ly');
  });
});

describe('Italian catalogue', () => {
  test('has every English key, none left in English by mistake, and the HTA terms', async () => {
    const { en } = await import('../../../renderer/i18n/en');
    const { it: itCatalogue } = await import('../../../renderer/i18n/it');
    const missing = Object.keys(en).filter((k) => !(k in itCatalogue));
    expect(missing).toEqual([]);
    // Only names and abbreviations may read the same in both languages.
    const same = Object.entries(en).filter(([k, v]) => itCatalogue[k as keyof typeof en] === v).map(([k]) => k);
    expect(same.sort()).toEqual(['app.title', 'common.exportPng', 'common.icer', 'outcomes.id', 'params.id', 'status.browser', 'tables.id'].sort());
    // Placeholders survive translation.
    for (const [k, v] of Object.entries(en)) {
      const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(vars(itCatalogue[k as keyof typeof en]!), k).toEqual(vars(v));
    }
    expect(Object.values(itCatalogue).join(' ')).toMatch(/anni di vita aggiustati per la qualità \(QALY\)/);
    expect(Object.values(itCatalogue).join(' ')).toMatch(/rapporto incrementale di costo-efficacia \(ICER\)/);
    expect(Object.values(itCatalogue).join(' ')).toMatch(/[Ss]oglie di disponibilità a pagare/);
  });

  test('the overview and the new editors read in Italian', async () => {
    await start();
    fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'it' } });
    await waitFor(() => expect(screen.getByTestId('outcomes-panel')).toHaveTextContent('Esiti (4)'));
    expect(screen.getByText('Orizzonte temporale')).toBeInTheDocument();
    expect(screen.getByText('Soglie di disponibilità a pagare (WTP)')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('nav-tables'));
    await waitFor(() => expect(screen.getByText('Questo modello non ha tabelle di consultazione.')).toBeInTheDocument());
  });
});
