// zod schemas for every channel's payload (see channels.ts). Main parses each
// incoming argument with these; pushes are checked in tests. Objects are strict, so
// extra keys are refused rather than ignored.
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import {
  MAX_EXPORT_BYTES,
  MAX_MODEL_FILE_BYTES,
  MENU_COMMANDS,
  type OpenedFile,
} from '../../renderer/host/host-api';
import type { InvokeChannel, InvokeRequest, PushChannel, PushChannels } from './channels';

const MAX_PATH_CHARS = 4096;

// UTF-8 bytes, not string length, so a saved file can always be opened again.
const modelText = z
  .string()
  .max(MAX_MODEL_FILE_BYTES)
  .refine((text) => Buffer.byteLength(text, 'utf8') <= MAX_MODEL_FILE_BYTES, {
    message: `Model text is larger than ${MAX_MODEL_FILE_BYTES / (1024 * 1024)} MB.`,
  });

const absolutePath = z
  .string()
  .min(1)
  .max(MAX_PATH_CHARS)
  .refine((path) => !path.includes('\0') && isAbsolute(path), { message: 'Expected an absolute file path.' });

/** A bare file name for a save dialog: no folders, no control characters. */
const fileName = z
  .string()
  .min(1)
  .max(255)
  .refine((name) => !/[/\\\0-\x1f]/.test(name) && name !== '.' && name !== '..', {
    message: 'Expected a file name without folders.',
  });

const exportBytes = z
  .instanceof(Uint8Array)
  .refine((bytes) => bytes.byteLength <= MAX_EXPORT_BYTES, {
    message: `Export is larger than ${MAX_EXPORT_BYTES / (1024 * 1024)} MB.`,
  });

const noPayload = z.undefined();

export const invokeSchemas: { readonly [C in InvokeChannel]: z.ZodType<InvokeRequest<C>> } = {
  'model:open': noPayload,
  'model:save': z.strictObject({
    text: modelText,
    path: absolutePath.nullable(),
    suggestedName: fileName,
    saveAs: z.boolean(),
  }),
  'model:open-dropped': z.strictObject({ path: absolutePath }),
  'export:save': z.strictObject({
    bytes: exportBytes,
    suggestedName: fileName,
    kind: z.enum(['xlsx', 'csv', 'png']),
  }),
  'recovery:write': modelText,
  'recovery:read': noPayload,
  'recovery:clear': noPayload,
  'window:set-dirty': z.boolean(),
};

const openedFile = z.strictObject({
  name: z.string(),
  path: absolutePath.nullable(),
  text: z.string(),
}) satisfies z.ZodType<OpenedFile>;

export const pushSchemas: { readonly [C in PushChannel]: z.ZodType<PushChannels[C]> } = {
  'menu:command': z.enum(MENU_COMMANDS),
  'file:opened': openedFile,
};
