/** Commands beyond validate/run; each analysis adds its command here. */
import type { Command } from './types';
import { budgetImpactCommand } from './budget-impact';
import { reportCommand } from './report';

export const extraCommands: Command[] = [budgetImpactCommand, reportCommand];
