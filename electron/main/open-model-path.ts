// Opening a model that did not come from the Open dialog: command line, second
// instance, macOS open-file, Open Recent, drag-and-drop. On success the path is granted
// for saving, goes to the recent list and is pushed to the page as 'file:opened'.
import { basename } from 'node:path';
import type { OpenedFile } from '../../renderer/host/host-api';
import { isModelFileName } from './command-line';
import type { PathGrants } from './path-grants';

export type OpenModelPathDeps = {
  readModelFile(path: string): Promise<OpenedFile>;
  grants: PathGrants;
  addRecent(path: string): Promise<unknown>;
  /** A recent entry that no longer opens is dropped from the list. */
  removeRecent(path: string): Promise<unknown>;
  deliver(file: OpenedFile): void;
  showError(message: string): void;
};

export async function openModelPath(path: string, deps: OpenModelPathDeps): Promise<boolean> {
  if (!isModelFileName(path)) {
    deps.showError(`"${basename(path)}" is not a model file. Model files end in .json.`);
    return false;
  }
  let file: OpenedFile;
  try {
    file = await deps.readModelFile(path);
  } catch (error) {
    deps.showError(error instanceof Error ? error.message : `"${basename(path)}" could not be opened.`);
    void deps.removeRecent(path).catch(() => undefined);
    return false;
  }
  deps.grants.grant(path);
  void deps.addRecent(path).catch(() => undefined);
  deps.deliver({ name: file.name, path, text: file.text });
  return true;
}
