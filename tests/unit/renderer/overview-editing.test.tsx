// @vitest-environment happy-dom
// Overview and Markov editing: WTP thresholds, scenarios and their overrides, subgroups, the
// initial distribution and tunnel length. Each edit is one undoable change; issues show by the field.
import '@testing-library/jest-dom/vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { App } from '../../../renderer/App';
import { syncValidator } from '../../../renderer/state/sync-validator';
import { CHANCELLOR_MODEL, fakeHost } from './fake-host';

const MODEL = CHANCELLOR_MODEL;

/** The document as saved: Save hands the serialised model to the host. */
async function savedModel(host: ReturnType<typeof fakeHost>['host']) {
  const calls = host.saveModelFile.mock.calls.length;
  fireEvent.click(screen.getByTestId('save'));
  await waitFor(() => expect(host.saveModelFile.mock.calls.length).toBe(calls + 1));
  return JSON.parse((host.saveModelFile.mock.calls.at(-1)![0] as unknown as { text: string }).text);
}

async function start(model = MODEL) {
  const h = fakeHost();
  render(<App host={h.host} initialModel={model} initialFileName="chancellor.model.json" validatorFactory={syncValidator} />);
  await waitFor(() => expect(screen.getByTestId('validity')).toHaveTextContent('Model valid'));
  return h;
}

const input = (label: string) => screen.getByLabelText(label) as HTMLInputElement;

afterEach(cleanup);

describe('overview editing', () => {
  test('a WTP threshold is edited, added and removed, each undoable', async () => {
    const { host, fire } = await start();
    expect(input('WTP threshold 1').value).toBe('20000');
    fireEvent.change(input('WTP threshold 1'), { target: { value: '25000' } });
    expect((await savedModel(host)).settings.wtpThresholds).toEqual([25000, 30000]);

    act(() => fire('edit:undo'));
    await waitFor(() => expect(input('WTP threshold 1').value).toBe('20000'));
    expect((await savedModel(host)).settings.wtpThresholds).toEqual([20000, 30000]);

    fireEvent.click(screen.getByTestId('wtp-add'));
    expect((await savedModel(host)).settings.wtpThresholds).toEqual([20000, 30000, 30000]);
    fireEvent.click(screen.getByLabelText('Remove WTP threshold 1'));
    expect((await savedModel(host)).settings.wtpThresholds).toEqual([30000, 30000]);
    act(() => fire('edit:undo'));
    act(() => fire('edit:undo'));
    expect((await savedModel(host)).settings.wtpThresholds).toEqual([20000, 30000]);

    // A negative threshold is reported next to it.
    fireEvent.change(input('WTP threshold 2'), { target: { value: '-1' } });
    await waitFor(() => expect(document.querySelector('[data-path="/settings/wtpThresholds/1"] [data-testid="field-issue"]')).toBeInTheDocument());
  });

  test('a scenario is added, named, given overrides; an unknown parameter shows an issue next to the field', async () => {
    const { host, fire } = await start();
    fireEvent.click(screen.getByTestId('scenario-add'));
    await waitFor(() => expect(input('Name of scenario scenario_1')).toBeInTheDocument());
    fireEvent.change(input('Name of scenario scenario_1'), { target: { value: 'Cheaper drugs' } });
    fireEvent.change(input('Description of scenario scenario_1'), { target: { value: 'Lower prices' } });
    fireEvent.click(screen.getByLabelText('Add an override to scenario scenario_1'));
    await waitFor(() => expect(input('Override of tp_AB in scenario scenario_1')).toBeInTheDocument());
    // Choose a different parameter, then give it a value.
    fireEvent.change(screen.getByLabelText('Parameter overridden in scenario scenario_1: tp_AB'), { target: { value: 'cost_zido' } });
    await waitFor(() => expect(input('Override of cost_zido in scenario scenario_1')).toBeInTheDocument());
    fireEvent.change(input('Override of cost_zido in scenario scenario_1'), { target: { value: '1000' } });
    let saved = await savedModel(host);
    expect(saved.scenarios).toEqual([{ id: 'scenario_1', name: 'Cheaper drugs', description: 'Lower prices', overrides: { cost_zido: 1000 } }]);
    await waitFor(() => expect(screen.getByTestId('validity')).toHaveTextContent('Model valid'));

    // Undo the value edit: the override keeps the parameter's value it was created with.
    act(() => fire('edit:undo'));
    saved = await savedModel(host);
    expect(Object.keys(saved.scenarios[0].overrides)).toEqual(['cost_zido']);
    expect(saved.scenarios[0].overrides.cost_zido).not.toBe(1000);

    // A second scenario gets the next free id; removing it is one undoable step.
    fireEvent.click(screen.getByTestId('scenario-add'));
    await waitFor(() => expect(input('Name of scenario scenario_2')).toBeInTheDocument());
    fireEvent.click(screen.getByLabelText('Remove scenario scenario_2'));
    await waitFor(() => expect(screen.queryByLabelText('Name of scenario scenario_2')).not.toBeInTheDocument());
    act(() => fire('edit:undo'));
    await waitFor(() => expect(input('Name of scenario scenario_2')).toBeInTheDocument());

    // An override of a parameter that does not exist (e.g. from a file) is flagged at its field.
    const withUnknown = { ...MODEL, scenarios: [{ id: 'bad', name: 'Bad', overrides: { no_such_parameter: 1 } }] };
    cleanup();
    const h = fakeHost();
    render(<App host={h.host} initialModel={withUnknown} initialFileName="bad.model.json" validatorFactory={syncValidator} />);
    await waitFor(() => expect(screen.getByTestId('validity')).toHaveTextContent('issue'));
    const field = await waitFor(() => {
      const f = document.querySelector('[data-path="/scenarios/0/overrides/no_such_parameter"]');
      expect(f).not.toBeNull();
      return f!;
    });
    await waitFor(() => expect(field.querySelector('[data-testid="field-issue"]')).toHaveTextContent("unknown parameter 'no_such_parameter'"));
    // Choosing a real parameter fixes it.
    fireEvent.change(screen.getByLabelText('Parameter overridden in scenario bad: no_such_parameter'), { target: { value: 'rr' } });
    await waitFor(() => expect(screen.getByTestId('validity')).toHaveTextContent('Model valid'));
  });

  test('a subgroup weight is edited and undone', async () => {
    const model = { ...MODEL, subgroups: [{ id: 'young', name: 'Young', weight: 0.4, overrides: {} }, { id: 'old', name: 'Old', weight: 0.6, overrides: { rr: 0.6 } }] };
    const { host, fire } = await start(model);
    expect(input('Weight of subgroup young').value).toBe('0.4');
    fireEvent.change(input('Weight of subgroup young'), { target: { value: '0.5' } });
    expect((await savedModel(host)).subgroups[0].weight).toBe(0.5);
    act(() => fire('edit:undo'));
    await waitFor(() => expect(input('Weight of subgroup young').value).toBe('0.4'));
    expect((await savedModel(host)).subgroups[0].weight).toBe(0.4);

    // Same overrides table as scenarios; a negative weight shows its issue.
    expect(input('Override of rr in subgroup old').value).toBe('0.6');
    fireEvent.change(input('Weight of subgroup old'), { target: { value: '-2' } });
    await waitFor(() => expect(document.querySelector('[data-path="/subgroups/1/weight"] [data-testid="field-issue"]')).toBeInTheDocument());

    fireEvent.click(screen.getByTestId('subgroup-add'));
    await waitFor(() => expect(input('Name of subgroup subgroup_3')).toBeInTheDocument());
    expect((await savedModel(host)).subgroups[2]).toEqual({ id: 'subgroup_3', name: 'Subgroup 3', weight: 1, overrides: {} });
  });
});

describe('Markov editing', () => {
  test('initial distribution and tunnel length', async () => {
    const { host, fire } = await start();
    fireEvent.click(screen.getByRole('button', { name: /Markov models/ }));
    await waitFor(() => expect(screen.getByTestId('initial-distribution')).toBeInTheDocument());
    expect(input('Initial share of state A').value).toBe('1');
    fireEvent.change(input('Initial share of state A'), { target: { value: '0.9' } });
    fireEvent.change(input('Initial share of state B'), { target: { value: '1 - 0.9' } });
    let saved = await savedModel(host);
    expect(saved.markovModels[0].initial).toEqual({ A: 0.9, B: '1 - 0.9' });
    fireEvent.change(input('Initial share of state B'), { target: { value: '' } });
    saved = await savedModel(host);
    expect(saved.markovModels[0].initial).toEqual({ A: 0.9 });

    fireEvent.change(input('Tunnel length of state B'), { target: { value: '3' } });
    saved = await savedModel(host);
    expect(saved.markovModels[0].states[1].tunnelLength).toBe(3);
    fireEvent.change(input('Tunnel length of state B'), { target: { value: '' } });
    saved = await savedModel(host);
    expect('tunnelLength' in saved.markovModels[0].states[1]).toBe(false);
    act(() => fire('edit:undo'));
    saved = await savedModel(host);
    expect(saved.markovModels[0].states[1].tunnelLength).toBe(3);
  });
});
