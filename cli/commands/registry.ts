/** Commands beyond validate/run; each analysis adds its command here. */
import type { Command } from './types';

export const extraCommands: Command[] = [];
