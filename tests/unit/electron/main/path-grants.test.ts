import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPathGrants } from '../../../../electron/main/path-grants';

describe('path grants', () => {
  it('grants exact resolved paths only', () => {
    const grants = createPathGrants();
    const path = resolve('/home/u/model.json');
    expect(grants.isGranted(path)).toBe(false);
    grants.grant(path);
    expect(grants.isGranted(path)).toBe(true);
    expect(grants.isGranted(resolve('/home/u/sub/../model.json'))).toBe(true);
    expect(grants.isGranted(resolve('/home/u/other.json'))).toBe(false);
    expect(grants.isGranted(resolve('/home/u/model.json.bak'))).toBe(false);
  });
});
