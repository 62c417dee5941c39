// Turns file-system errors into sentences for the user (no codes, no stacks).

export function describeWriteError(error: unknown, fileName: string): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `"${fileName}" could not be saved: you do not have permission to write there.`;
    case 'ENOSPC':
      return `"${fileName}" could not be saved: the disk is full.`;
    case 'EROFS':
      return `"${fileName}" could not be saved: the disk is read-only.`;
    case 'ENOENT':
      return `"${fileName}" could not be saved: the folder no longer exists.`;
    case 'EBUSY':
      return `"${fileName}" could not be saved: another program is using it.`;
    default:
      return `"${fileName}" could not be saved${error instanceof Error ? `: ${error.message}` : '.'}`;
  }
}
