import { describe, expect, it, vi } from 'vitest';
import { type DropTarget, installFileDrop } from '../../../../electron/preload/file-drop';

function setup(pathForFile = (file: File) => `/dropped/${file.name}`) {
  const listeners = new Map<string, (event: DragEvent) => void>();
  const target: DropTarget = { addEventListener: (type, listener) => void listeners.set(type, listener) };
  const openDroppedPath = vi.fn(async () => null);
  installFileDrop(target, { pathForFile, openDroppedPath });
  return { listeners, openDroppedPath };
}

function dragEvent({ isTrusted = true, defaultPrevented = false, files = [new File(['{}'], 'lit.model.json')], types = ['Files'] } = {}) {
  const dataTransfer = { types, files, dropEffect: 'none' };
  return Object.assign({ isTrusted, defaultPrevented, dataTransfer, preventDefault: vi.fn() }, {}) as unknown as DragEvent & {
    preventDefault: ReturnType<typeof vi.fn>;
    dataTransfer: { dropEffect: string };
  };
}

describe('installFileDrop', () => {
  it('accepts file drags and opens the dropped file through main', () => {
    const { listeners, openDroppedPath } = setup();
    const over = dragEvent();
    listeners.get('dragover')!(over);
    expect(over.preventDefault).toHaveBeenCalled();
    expect(over.dataTransfer.dropEffect).toBe('copy');
    const drop = dragEvent();
    listeners.get('drop')!(drop);
    expect(drop.preventDefault).toHaveBeenCalled();
    expect(openDroppedPath).toHaveBeenCalledWith('/dropped/lit.model.json');
  });

  it('ignores synthetic drops from page script', () => {
    const { listeners, openDroppedPath } = setup();
    const drop = dragEvent({ isTrusted: false });
    listeners.get('drop')!(drop);
    // Still prevented, so the browser does not try to navigate to the file.
    expect(drop.preventDefault).toHaveBeenCalled();
    expect(openDroppedPath).not.toHaveBeenCalled();
  });

  it('ignores files without a path on disk, drags without files, and drops the page handled', () => {
    const { listeners, openDroppedPath } = setup(() => '');
    listeners.get('drop')!(dragEvent());
    const other = setup();
    other.listeners.get('drop')!(dragEvent({ types: ['text/plain'], files: [] }));
    const handled = dragEvent({ defaultPrevented: true });
    other.listeners.get('drop')!(handled);
    expect(handled.preventDefault).not.toHaveBeenCalled();
    expect(openDroppedPath).not.toHaveBeenCalled();
    expect(other.openDroppedPath).not.toHaveBeenCalled();
  });
});
