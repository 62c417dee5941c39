// @vitest-environment happy-dom
// The session hook wired into the real App: live validation, dirty flag → host, autosave to the
// recovery store, recovery offer, keyboard and menu undo/redo.
import '@testing-library/jest-dom/vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { App } from '../../../renderer/App';
import { syncValidator } from '../../../renderer/state/sync-validator';
import { CHANCELLOR_MODEL, fakeHost } from './fake-host';

const MODEL = CHANCELLOR_MODEL;

afterEach(cleanup);

describe('model session in the App', () => {
  test('edits set the dirty flag, autosave to recovery, and undo by keyboard and by menu', async () => {
    const { host, fire } = fakeHost();
    render(<App host={host} initialModel={MODEL} initialFileName="chancellor.model.json" validatorFactory={syncValidator} />);
    await waitFor(() => expect(screen.getByTestId('validity')).toHaveTextContent('Model valid'));
    expect(host.setDirty).toHaveBeenLastCalledWith(false);

    const name = screen.getByLabelText('Name of strategy mono') as HTMLInputElement;
    fireEvent.change(name, { target: { value: 'Monotherapy' } });
    await waitFor(() => expect(host.setDirty).toHaveBeenLastCalledWith(true));
    expect(screen.getByTestId('dirty-indicator')).toBeInTheDocument();
    await waitFor(() => expect(host.writeRecovery).toHaveBeenCalled(), { timeout: 4000 });
    const saved = JSON.parse(host.writeRecovery.mock.calls.at(-1)![0] as string);
    expect(JSON.parse(saved.text).strategies[0].name).toBe('Monotherapy');

    fireEvent.keyDown(window, { key: 'z', ctrlKey: true });
    await waitFor(() => expect(host.setDirty).toHaveBeenLastCalledWith(false));
    expect((screen.getByLabelText('Name of strategy mono') as HTMLInputElement).value).toBe('Zidovudine monotherapy');
    await waitFor(() => expect(host.clearRecovery).toHaveBeenCalled());

    fireEvent.keyDown(window, { key: 'Z', ctrlKey: true, shiftKey: true });
    await waitFor(() => expect((screen.getByLabelText('Name of strategy mono') as HTMLInputElement).value).toBe('Monotherapy'));
    act(() => fire('edit:undo'));
    await waitFor(() => expect((screen.getByLabelText('Name of strategy mono') as HTMLInputElement).value).toBe('Zidovudine monotherapy'));
    act(() => fire('edit:redo'));
    await waitFor(() => expect(host.setDirty).toHaveBeenLastCalledWith(true));

    // Save clears the dirty flag.
    fireEvent.click(screen.getByTestId('save'));
    await waitFor(() => expect(host.saveModelFile).toHaveBeenCalled());
    await waitFor(() => expect(host.setDirty).toHaveBeenLastCalledWith(false));
  });

  test('File > New and File > Open ask before discarding unsaved changes', async () => {
    const { host, fire } = fakeHost();
    render(<App host={host} initialModel={MODEL} initialFileName="chancellor.model.json" validatorFactory={syncValidator} />);
    await waitFor(() => expect(screen.getByTestId('validity')).toHaveTextContent('Model valid'));
    fireEvent.change(screen.getByLabelText('Name of strategy mono') as HTMLInputElement, { target: { value: 'Edited' } });
    await waitFor(() => expect(host.setDirty).toHaveBeenLastCalledWith(true));

    // happy-dom has no window.confirm; the browser and Electron do.
    const confirm = vi.fn(() => false);
    window.confirm = confirm;
    act(() => fire('file:new'));
    act(() => fire('file:open'));
    expect(confirm).toHaveBeenCalledTimes(2);
    expect(host.openModelFile).not.toHaveBeenCalled();
    expect((screen.getByLabelText('Name of strategy mono') as HTMLInputElement).value).toBe('Edited');

    confirm.mockReturnValue(true);
    act(() => fire('file:open'));
    await waitFor(() => expect(host.openModelFile).toHaveBeenCalledTimes(1));
  });

  test('an invalid value shows its issue next to the field', async () => {
    const { host } = fakeHost();
    render(<App host={host} initialModel={MODEL} initialFileName="chancellor.model.json" validatorFactory={syncValidator} />);
    await waitFor(() => expect(screen.getByTestId('validity')).toHaveTextContent('Model valid'));
    fireEvent.change(screen.getByLabelText('Discount rate for costs'), { target: { value: '3' } });
    await waitFor(() => expect(screen.getByTestId('validity')).toHaveTextContent('issue'));
    const field = document.querySelector('[data-path="/settings/discountRates/costs"]')!;
    expect(field.querySelector('[data-testid="field-issue"]')).toHaveTextContent(/1/);
  });

  test('a recovery copy is offered on start-up and restores as unsaved work', async () => {
    const text = JSON.stringify({ fileName: 'recovered.model.json', filePath: null, text: JSON.stringify({ ...MODEL, metadata: { ...MODEL.metadata, name: 'Recovered model' } }) });
    const { host } = fakeHost({ text, savedAt: '2026-01-01T10:00:00.000Z' });
    render(<App host={host} initialModel={MODEL} initialFileName="chancellor.model.json" validatorFactory={syncValidator} />);
    await waitFor(() => expect(screen.getByTestId('recovery-banner')).toBeInTheDocument());
    fireEvent.click(screen.getByTestId('recovery-restore'));
    await waitFor(() => expect(screen.getByTestId('file-name')).toHaveTextContent('recovered.model.json'));
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Recovered model');
    await waitFor(() => expect(host.setDirty).toHaveBeenLastCalledWith(true));
  });
});
