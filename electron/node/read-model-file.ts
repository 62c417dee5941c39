// Reads a model file as text with the checks a user needs explained, not a stack:
// too large, not a file, binary, or not UTF-8. Plain Node, shared by main and the CLI.
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { MAX_MODEL_FILE_BYTES } from '../../renderer/host/host-api';

export type ReadModelFileResult = { name: string; path: string; text: string };

export class ModelFileReadError extends Error {
  override readonly name = 'ModelFileReadError';
}

export async function readModelFile(
  path: string,
  { maxBytes = MAX_MODEL_FILE_BYTES }: { maxBytes?: number } = {},
): Promise<ReadModelFileResult> {
  const name = basename(path);
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new ModelFileReadError(describeOpenError(name, error));
  }
  try {
    // Check the size on the open handle, so the file cannot be swapped after the check.
    const info = await handle.stat();
    if (!info.isFile()) throw new ModelFileReadError(`"${name}" is not a file.`);
    if (info.size > maxBytes) {
      throw new ModelFileReadError(
        `"${name}" is ${formatMegabytes(info.size)}; model files larger than ${formatMegabytes(maxBytes)} are refused.`,
      );
    }
    // Read one byte past the limit in case the file grew since stat().
    const buffer = Buffer.alloc(Math.min(info.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) break;
    }
    if (length > maxBytes) {
      throw new ModelFileReadError(`"${name}" is larger than ${formatMegabytes(maxBytes)}; model files that large are refused.`);
    }
    return { name, path, text: decodeModelText(name, buffer.subarray(0, length)) };
  } finally {
    await handle.close();
  }
}

/** Strict UTF-8 decoding; exported for the browser-free tests and the CLI. */
export function decodeModelText(name: string, bytes: Uint8Array): string {
  if (bytes.includes(0)) {
    throw new ModelFileReadError(`"${name}" looks like a binary file, not a model file (JSON text).`);
  }
  try {
    // ignoreBOM: false drops a leading byte-order mark, which editors on Windows add.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ModelFileReadError(`"${name}" is not UTF-8 text. Save it as UTF-8 JSON and open it again.`);
  }
}

function describeOpenError(name: string, error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (code === 'ENOENT') return `"${name}" no longer exists.`;
  if (code === 'EACCES' || code === 'EPERM') return `You do not have permission to read "${name}".`;
  if (code === 'EISDIR') return `"${name}" is a folder, not a model file.`;
  return `"${name}" could not be opened.`;
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
