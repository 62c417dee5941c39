import { describe, expect, it, vi } from 'vitest';
import { openModelPath, type OpenModelPathDeps } from '../../../../electron/main/open-model-path';
import { createPathGrants } from '../../../../electron/main/path-grants';

function deps(read: OpenModelPathDeps['readModelFile']) {
  return {
    readModelFile: vi.fn(read),
    grants: createPathGrants(),
    addRecent: vi.fn(async () => undefined),
    removeRecent: vi.fn(async () => undefined),
    deliver: vi.fn(),
    showError: vi.fn(),
  };
}

describe('openModelPath', () => {
  it('reads, grants, remembers and delivers the file', async () => {
    const d = deps(async (path) => ({ name: 'a.json', path, text: '{}' }));
    expect(await openModelPath('/m/a.json', d)).toBe(true);
    expect(d.deliver).toHaveBeenCalledWith({ name: 'a.json', path: '/m/a.json', text: '{}' });
    expect(d.grants.isGranted('/m/a.json')).toBe(true);
    expect(d.addRecent).toHaveBeenCalledWith('/m/a.json');
  });

  it('shows the reason and drops the recent entry when the file cannot be read', async () => {
    const d = deps(async () => {
      throw new Error('"a.json" no longer exists.');
    });
    expect(await openModelPath('/m/a.json', d)).toBe(false);
    expect(d.showError).toHaveBeenCalledWith('"a.json" no longer exists.');
    expect(d.removeRecent).toHaveBeenCalledWith('/m/a.json');
    expect(d.deliver).not.toHaveBeenCalled();
    expect(d.grants.isGranted('/m/a.json')).toBe(false);
  });

  it('refuses files that are not .json without reading them', async () => {
    const d = deps(async (path) => ({ name: 'x', path, text: '' }));
    expect(await openModelPath('/m/results.xlsx', d)).toBe(false);
    expect(d.readModelFile).not.toHaveBeenCalled();
    expect(d.showError).toHaveBeenCalledWith(expect.stringContaining('not a model file'));
  });
});
