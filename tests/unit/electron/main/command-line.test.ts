import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findModelFileArgument } from '../../../../electron/main/command-line';

describe('findModelFileArgument', () => {
  const cwd = resolve('/home/user/models');

  it('finds the model file among Electron and Chromium arguments', () => {
    expect(findModelFileArgument(['/opt/HTA Modeller/hta', 'lit.model.json'], cwd)).toBe(resolve(cwd, 'lit.model.json'));
    expect(
      findModelFileArgument(['electron', '.', '--allow-file-access-from-files', '/data/x.HTAMODEL.JSON', '--inspect=0'], cwd),
    ).toBe(resolve('/data/x.HTAMODEL.JSON'));
  });

  it('returns null without a .json argument and ignores flags ending in .json', () => {
    expect(findModelFileArgument(['electron', '.'], cwd)).toBeNull();
    expect(findModelFileArgument(['hta', '--config=x.json'], cwd)).toBeNull();
    expect(findModelFileArgument([], cwd)).toBeNull();
  });
});
