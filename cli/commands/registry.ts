/** Commands beyond validate/run; each analysis adds its command here. */
import type { Command } from './types';
import { psaCommand } from './psa';
import { psaSampleCommand } from './psa-sample';
import { dsaCommand } from './dsa';
import { mergeCommand } from './merge';
import { scenariosCommand } from './scenarios';
import { benchCommand } from './bench';
import { budgetImpactCommand } from './budget-impact';
import { reportCommand } from './report';

export const extraCommands: Command[] = [psaCommand, psaSampleCommand, dsaCommand, mergeCommand, scenariosCommand, benchCommand, budgetImpactCommand, reportCommand];
