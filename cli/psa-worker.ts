/**
 * PSA worker thread (bundled by scripts/cli.mjs as psa-worker.mjs next to cli.mjs). It compiles
 * the model once, then evaluates the blocks of draws the main thread sends, replying with the
 * per-draw totals. Draw i depends only on (model, seed, i), so any split gives the same numbers;
 * the main thread folds them in draw order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import { parseModelText } from '../models/schema/parse-model';
import { ModelError } from '../models/schema/model-issue';
import { PsaEvaluator } from '../models/analyses/psa';

type Init = { modelText: string; variant: { scenario: string | null; subgroup: string | null }; seed: number; parameters: string[] };

z.config({ jitless: true }); // one parse per worker: see cli/io.ts

const port = parentPort;
if (port) {
  const init = workerData as Init;
  let evaluator: PsaEvaluator | null = null;
  const fail = (error: unknown) => {
    if (error instanceof ModelError) port.postMessage({ type: 'error', kind: 'model', issues: error.issues });
    else port.postMessage({ type: 'error', kind: 'internal', message: error instanceof Error ? error.message : String(error) });
  };
  try {
    const parsed = parseModelText(init.modelText);
    if (!parsed.ok) throw new ModelError(parsed.issues);
    evaluator = new PsaEvaluator(parsed.model, init.variant, init.parameters);
    port.postMessage({ type: 'ready' });
  } catch (error) {
    fail(error);
  }
  port.on('message', (message: { from: number; count: number }) => {
    if (!evaluator) return;
    try {
      const { values, params } = evaluator.evaluateBlock(init.seed, message.from, message.count);
      port.postMessage({ type: 'result', from: message.from, count: message.count, values, params }, [values.buffer as ArrayBuffer, params.buffer as ArrayBuffer]);
    } catch (error) {
      fail(error);
    }
  });
}
