// Closing a window (or quitting) with unsaved changes asks Save / Don't Save / Cancel.
// The decisions are plain functions and a small controller with injected effects, so
// they are tested without Electron.

export type CloseChoice = 'save' | 'discard' | 'cancel';
export type CloseDecision = 'close' | 'prompt' | 'wait';

export type CloseState = {
  dirty: boolean;
  /** The user already answered Save (and it succeeded) or Don't Save. */
  approved: boolean;
  /** The prompt is on screen: a second close click must not open another. */
  prompting: boolean;
};

export function decideCloseAction({ dirty, approved, prompting }: CloseState): CloseDecision {
  if (approved || !dirty) return 'close';
  return prompting ? 'wait' : 'prompt';
}

/** Options for dialog.showMessageBox; button order matches choiceFromResponse. */
export function unsavedChangesPrompt() {
  return {
    type: 'warning' as const,
    buttons: ['Save', "Don't Save", 'Cancel'],
    defaultId: 0,
    cancelId: 2,
    noLink: true,
    message: 'Do you want to save the changes to your model?',
    detail: "Your changes will be lost if you don't save them.",
  };
}

export function choiceFromResponse(response: number): CloseChoice {
  if (response === 0) return 'save';
  if (response === 1) return 'discard';
  return 'cancel';
}

export type CloseEffects = {
  prompt(): Promise<CloseChoice>;
  /** Ask the renderer to run its normal save (it calls model:save, which reports back). */
  requestSave(): void;
  /** Close for real (or continue quitting); called once the user has approved. */
  closeApproved(): void;
  /** The user cancelled, or the save before closing failed or was cancelled. */
  closeCancelled(): void;
  /** Work was saved or deliberately discarded, so its autosave is no longer wanted. */
  clearRecovery(): Promise<void>;
};

export type CloseController = {
  setDirty(dirty: boolean): void;
  isDirty(): boolean;
  /** From the window 'close' event: true lets the close go ahead, false means preventDefault. */
  onCloseRequested(): boolean;
  /** From the model:save handler, with whether the file was written. */
  onSaveFinished(saved: boolean): void;
};

export function createCloseController(effects: CloseEffects): CloseController {
  const state: CloseState = { dirty: false, approved: false, prompting: false };
  let savingBeforeClose = false;

  async function approve(): Promise<void> {
    state.approved = true;
    await effects.clearRecovery().catch(() => undefined);
    effects.closeApproved();
  }

  async function ask(): Promise<void> {
    state.prompting = true;
    let choice: CloseChoice;
    try {
      choice = await effects.prompt();
    } catch {
      choice = 'cancel';
    } finally {
      state.prompting = false;
    }
    if (choice === 'discard') return approve();
    if (choice === 'save') {
      savingBeforeClose = true;
      effects.requestSave();
      return;
    }
    savingBeforeClose = false;
    effects.closeCancelled();
  }

  return {
    setDirty(dirty) {
      state.dirty = dirty;
    },
    isDirty: () => state.dirty,
    onCloseRequested() {
      const decision = decideCloseAction(state);
      if (decision === 'close') return true;
      // A close click while a save-before-close is pending asks again rather than
      // waiting for a renderer that may never answer.
      if (decision === 'prompt') {
        savingBeforeClose = false;
        void ask();
      }
      return false;
    },
    onSaveFinished(saved) {
      if (!savingBeforeClose) return;
      savingBeforeClose = false;
      if (saved) {
        state.dirty = false;
        void approve();
      } else {
        effects.closeCancelled();
      }
    },
  };
}
