// Paths the user chose (open/save dialog, command line, Open Recent, drag-and-drop).
// model:save writes straight to a path only if it is granted here; any other path from
// the renderer goes through a Save dialog, so a compromised page cannot pick files to
// overwrite.
import { resolve } from 'node:path';

export type PathGrants = {
  grant(path: string): void;
  isGranted(path: string): boolean;
};

export function createPathGrants(): PathGrants {
  const granted = new Set<string>();
  const key = (path: string) => {
    const absolute = resolve(path);
    // Windows and macOS file systems are case-insensitive by default.
    return process.platform === 'linux' ? absolute : absolute.toLowerCase();
  };
  return {
    grant: (path) => void granted.add(key(path)),
    isGranted: (path) => granted.has(key(path)),
  };
}
