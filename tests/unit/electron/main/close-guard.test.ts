import { describe, expect, it, vi } from 'vitest';
import {
  type CloseChoice,
  choiceFromResponse,
  createCloseController,
  decideCloseAction,
  unsavedChangesPrompt,
} from '../../../../electron/main/close-guard';

describe('decideCloseAction', () => {
  it.each([
    [{ dirty: false, approved: false, prompting: false }, 'close'],
    [{ dirty: true, approved: true, prompting: false }, 'close'],
    [{ dirty: true, approved: false, prompting: false }, 'prompt'],
    [{ dirty: true, approved: false, prompting: true }, 'wait'],
  ] as const)('%o → %s', (state, expected) => {
    expect(decideCloseAction(state)).toBe(expected);
  });
});

describe('prompt buttons', () => {
  it('maps Save / Don’t Save / Cancel and treats Escape as Cancel', () => {
    const prompt = unsavedChangesPrompt();
    expect(prompt.buttons).toEqual(['Save', "Don't Save", 'Cancel']);
    expect(prompt.cancelId).toBe(2);
    expect([0, 1, 2, 7].map(choiceFromResponse)).toEqual(['save', 'discard', 'cancel', 'cancel']);
  });
});

function setup(choice: CloseChoice) {
  let resolvePrompt: (choice: CloseChoice) => void = () => undefined;
  const effects = {
    prompt: vi.fn(() => new Promise<CloseChoice>((resolve) => (resolvePrompt = resolve))),
    requestSave: vi.fn(),
    closeApproved: vi.fn(),
    closeCancelled: vi.fn(),
    clearRecovery: vi.fn(async () => undefined),
  };
  const controller = createCloseController(effects);
  return { controller, effects, answer: async () => { resolvePrompt(choice); await flush(); } };
}
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('close controller', () => {
  it('closes a clean window straight away', () => {
    const { controller, effects } = setup('cancel');
    expect(controller.onCloseRequested()).toBe(true);
    expect(effects.prompt).not.toHaveBeenCalled();
  });

  it("Don't Save: clears the autosave and closes", async () => {
    const { controller, effects, answer } = setup('discard');
    controller.setDirty(true);
    expect(controller.onCloseRequested()).toBe(false);
    expect(controller.onCloseRequested()).toBe(false);
    expect(effects.prompt).toHaveBeenCalledTimes(1);
    await answer();
    expect(effects.clearRecovery).toHaveBeenCalled();
    expect(effects.closeApproved).toHaveBeenCalled();
    expect(controller.onCloseRequested()).toBe(true);
  });

  it('Cancel: stays open and cancels a quit', async () => {
    const { controller, effects, answer } = setup('cancel');
    controller.setDirty(true);
    controller.onCloseRequested();
    await answer();
    expect(effects.closeCancelled).toHaveBeenCalled();
    expect(effects.closeApproved).not.toHaveBeenCalled();
    expect(controller.onCloseRequested()).toBe(false);
  });

  it('Save: asks the page to save and closes once the save went through', async () => {
    const { controller, effects, answer } = setup('save');
    controller.setDirty(true);
    controller.onCloseRequested();
    await answer();
    expect(effects.requestSave).toHaveBeenCalled();
    expect(effects.closeApproved).not.toHaveBeenCalled();
    controller.onSaveFinished(true);
    await flush();
    expect(effects.clearRecovery).toHaveBeenCalled();
    expect(effects.closeApproved).toHaveBeenCalled();
    expect(controller.isDirty()).toBe(false);
  });

  it('Save that is cancelled or fails keeps the window open', async () => {
    const { controller, effects, answer } = setup('save');
    controller.setDirty(true);
    controller.onCloseRequested();
    await answer();
    controller.onSaveFinished(false);
    expect(effects.closeCancelled).toHaveBeenCalled();
    expect(effects.closeApproved).not.toHaveBeenCalled();
    // A later ordinary save must not close the window.
    controller.onSaveFinished(true);
    await flush();
    expect(effects.closeApproved).not.toHaveBeenCalled();
  });

  it('a failing prompt counts as Cancel', async () => {
    const effects = {
      prompt: vi.fn(async (): Promise<CloseChoice> => {
        throw new Error('no dialog');
      }),
      requestSave: vi.fn(),
      closeApproved: vi.fn(),
      closeCancelled: vi.fn(),
      clearRecovery: vi.fn(async () => undefined),
    };
    const controller = createCloseController(effects);
    controller.setDirty(true);
    controller.onCloseRequested();
    await flush();
    expect(effects.closeCancelled).toHaveBeenCalled();
  });
});
