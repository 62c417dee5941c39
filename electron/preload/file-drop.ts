// Drag-and-drop of a model file onto the window. The page never learns file paths:
// the preload reads the path of a genuinely dropped file (webUtils.getPathForFile
// returns '' for files made in script) and asks main to open it, which then arrives
// through onOpenFile like any other externally opened file. Drops the page handles
// itself (defaultPrevented) are left alone.

export type DropTarget = {
  addEventListener(type: 'dragover' | 'drop', listener: (event: DragEvent) => void): void;
};

export type FileDropDeps = {
  pathForFile(file: File): string;
  openDroppedPath(path: string): Promise<unknown>;
};

export function installFileDrop(target: DropTarget, deps: FileDropDeps): void {
  target.addEventListener('dragover', (event) => {
    if (event.defaultPrevented || !carriesFiles(event)) return;
    // Without this the drop is refused and the cursor shows "not allowed".
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  });
  target.addEventListener('drop', (event) => {
    if (event.defaultPrevented || !carriesFiles(event)) return;
    event.preventDefault();
    // Synthetic events from page script are not trusted input.
    if (!event.isTrusted) return;
    const file = event.dataTransfer?.files[0];
    if (!file) return;
    const path = deps.pathForFile(file);
    // Main shows the error dialog itself; nothing to report here.
    if (path) void deps.openDroppedPath(path).catch(() => undefined);
  });
}

function carriesFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}
