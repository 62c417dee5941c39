// End-to-end: the built renderer in Debian's headless Chromium, driven by playwright-core.
// Build once (Vite JS API), serve with `vite preview` on 127.0.0.1, fresh browser profile.
// Numbers in the exported workbook are compared with the CLI's JSON for the same model and seed.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Browser, ROOT, buildRenderer, launch, requireChromium, screenshot, startPreview } from './harness';

const FLAGSHIP = join(ROOT, 'models', 'examples', 'lit-vs-systemic.model.json');
const MODEL = JSON.parse(readFileSync(FLAGSHIP, 'utf8')) as {
  metadata: { name: string };
  parameters: { id: string; value: number | string; unit?: string }[];
  markovModels: { transitions: { from: string; to: string; probability: string | number }[] }[];
  strategies: { id: string; name: string }[];
  tables: { id: string; keys: string[]; rows: (number | string)[][] }[];
  outcomes: { id: string; discount: string }[];
};
const PSA_DRAWS = 10_000;
const PSA_SEED = 2026;
const LONG = 240_000;

let server: PreviewServer;
let url: string;
let browser: Browser;
let page: Page;

function cli(args: string[]): unknown {
  const out = execFileSync(process.execPath, [join(ROOT, 'scripts', 'cli.mjs'), ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out);
}

async function readWorkbook(path: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb;
}

/** Rows of a sheet's table as objects keyed by header text (the first row containing `headerHas`). */
function sheetTable(wb: ExcelJS.Workbook, sheetName: string, headerHas: string): Record<string, unknown>[] {
  const ws = wb.getWorksheet(sheetName);
  if (!ws) throw new Error(`sheet "${sheetName}" missing; sheets: ${wb.worksheets.map((w) => w.name).join(', ')}`);
  let header: string[] | null = null;
  const rows: Record<string, unknown>[] = [];
  ws.eachRow((row) => {
    const values = (row.values as unknown[]).slice(1).map((v) => (v && typeof v === 'object' && 'result' in (v as object) ? (v as { result: unknown }).result : v));
    if (!header) {
      if (values.some((v) => v === headerHas)) header = values.map((v) => String(v ?? ''));
      return;
    }
    if (values.every((v) => v === null || v === undefined || v === '')) {
      header = header ? header : null;
      return;
    }
    rows.push(Object.fromEntries(header.map((h, i) => [h, values[i]])));
  });
  return rows;
}

function close(a: unknown, b: number): boolean {
  return typeof a === 'number' && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
}

async function download(page: Page, action: () => Promise<void>): Promise<string> {
  const waiting = page.waitForEvent('download', { timeout: 120_000 });
  await action();
  const failure = page.locator('[data-testid="notice"].error, .banner.error');
  const dl = await Promise.race([
    waiting,
    failure.waitFor({ timeout: 120_000 }).then(async () => {
      throw new Error(`download failed: ${await failure.first().textContent()}`);
    }),
  ]);
  const path = join(browser.downloads, dl.suggestedFilename());
  await dl.saveAs(path);
  return path;
}

async function go(screen: string): Promise<void> {
  await page.getByTestId(`nav-${screen}`).click();
  await page.getByTestId(`screen-${screen}`).waitFor();
}

async function summaryValue(outcome: string, strategy: string): Promise<number> {
  const cell = page.locator(`[data-testid="summary-table"] tr[data-outcome="${outcome}"] td[data-strategy="${strategy}"]`);
  return Number(await cell.getAttribute('data-value'));
}

async function waitForValid(): Promise<void> {
  await expect.poll(async () => (await page.getByTestId('validity').textContent()) ?? '', { timeout: 60_000 }).toContain('Model valid');
}

describe('renderer in headless Chromium', () => {
  beforeAll(async () => {
    requireChromium();
    await buildRenderer();
    ({ server, url } = await startPreview());
    browser = await launch(url);
    page = browser.page;
  }, LONG);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('opens on the flagship model', async () => {
    await expect.poll(() => page.getByTestId('file-name').textContent()).toContain('lit-vs-systemic.model.json');
    await expect.poll(() => page.locator('.screen-head h1').textContent()).toBe(MODEL.metadata.name);
    await waitForValid();
    await screenshot(page, '01-overview');
    await go('parameters');
    expect(await page.locator('[data-testid="parameter-table"] tbody tr').count()).toBe(MODEL.parameters.length);
    await screenshot(page, '02-parameters');
  }, LONG);

  test('changing a parameter updates the base case; undo restores it', async () => {
    const param = MODEL.parameters.find((p) => p.id === 'cost_gp_visit') ?? MODEL.parameters.find((p) => typeof p.value === 'number' && p.unit === 'EUR')!;
    const strategy = MODEL.strategies[0].id;
    await go('base-case');
    const before = await summaryValue('cost', strategy);
    const cli0 = cli(['run', FLAGSHIP, '--json']) as { strategies: { id: string; cost: number }[] };
    expect(close(before, cli0.strategies.find((s) => s.id === strategy)!.cost)).toBe(true);
    await go('parameters');
    const input = page.getByTestId(`param-value-${param.id}`);
    await input.fill(String(Number(param.value) * 10));
    await expect.poll(() => page.getByTestId('dirty-indicator').count()).toBe(1);
    await go('base-case');
    await expect.poll(() => summaryValue('cost', strategy), { timeout: 30_000 }).not.toBe(before);
    const after = await summaryValue('cost', strategy);
    expect(after).toBeGreaterThan(before);
    await screenshot(page, '03-base-case');
    await page.keyboard.press('Control+z');
    await expect.poll(() => summaryValue('cost', strategy), { timeout: 30_000 }).toBe(before);
    await expect.poll(() => page.getByTestId('dirty-indicator').count()).toBe(0);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => summaryValue('cost', strategy), { timeout: 30_000 }).toBe(after);
    await page.getByTestId('undo').click();
    await expect.poll(() => summaryValue('cost', strategy), { timeout: 30_000 }).toBe(before);
  }, LONG);

  test('editing a lookup-table value and an outcome changes the base case; undo restores it', async () => {
    const strategy = MODEL.strategies[0].id;
    const table = MODEL.tables[0];
    const startAge = Number(MODEL.parameters.find((p) => p.id === 'start_age')?.value ?? 45);
    const row = table.rows.findIndex((r) => r[0] === startAge && r[1] === 'female');
    expect(row).toBeGreaterThanOrEqual(0);
    await go('base-case');
    const before = await summaryValue('qaly', strategy);
    await go('tables');
    await expect.poll(() => page.getByTestId('table-users').textContent()).toContain('q_annual');
    const cell = page.getByTestId(`table-value-${row}`);
    await cell.scrollIntoViewIfNeeded();
    await cell.fill('0.5');
    await expect.poll(() => page.getByTestId('dirty-indicator').count()).toBe(1);
    await screenshot(page, '03b-lookup-table');
    await go('base-case');
    await expect.poll(() => summaryValue('qaly', strategy), { timeout: 30_000 }).toBeLessThan(before);
    await page.keyboard.press('Control+z');
    await expect.poll(() => summaryValue('qaly', strategy), { timeout: 30_000 }).toBe(before);

    // An outcome counted without discounting: its discounted total goes up.
    const cost = MODEL.outcomes.findIndex((o) => o.id === 'cost');
    const costBefore = await summaryValue('cost', strategy);
    await go('overview');
    await page.getByLabel('Discounting of outcome cost', { exact: true }).selectOption('none');
    await page.getByTestId('outcomes-panel').scrollIntoViewIfNeeded();
    await screenshot(page, '03c-outcomes');
    await go('base-case');
    await expect.poll(() => summaryValue('cost', strategy), { timeout: 30_000 }).toBeGreaterThan(costBefore);
    await page.getByTestId('undo').click();
    await expect.poll(() => summaryValue('cost', strategy), { timeout: 30_000 }).toBe(costBefore);
    expect(cost).toBeGreaterThanOrEqual(0);
    await expect.poll(() => page.getByTestId('dirty-indicator').count()).toBe(0);

    // The scenarios with their strategy overrides and settings changes, for a look.
    await go('overview');
    await page.locator('[data-scenario="horizon_5y"]').scrollIntoViewIfNeeded();
    await page.locator('[data-scenario="horizon_5y"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    expect(await page.getByLabel('Time horizon in scenario horizon_5y', { exact: true }).inputValue()).toBe('5');
    await screenshot(page, '03d-scenarios-editing');

    // Removing an outcome still in use: the engine's issues are listed with their fields; undo.
    await page.getByLabel('Remove outcome recurrences').click();
    await page.getByTestId('outcome-references').locator('[data-testid="field-issue"]').first().waitFor({ timeout: 30_000 });
    await page.getByTestId('outcomes-panel').scrollIntoViewIfNeeded();
    await screenshot(page, '03e-outcome-references');
    await page.keyboard.press('Control+z');
    await waitForValid();
    expect(await page.getByTestId('outcome-references').count()).toBe(0);

    // The same screens in Italian, for a look at the longer labels; back to English.
    await page.getByLabel('Language').selectOption('it');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator('.content').evaluate((el) => el.scrollTo(0, 0));
    await expect.poll(() => page.getByTestId('outcomes-panel').textContent()).toContain('Esiti');
    await screenshot(page, '03f-overview-it');
    await go('tables');
    await screenshot(page, '03g-tables-it');
    await page.getByLabel('Language').selectOption('en');
  }, LONG);

  test('a broken transition row shows the error next to the field', async () => {
    const transitions = MODEL.markovModels[0].transitions;
    const index = transitions.findIndex((t) => t.probability !== 'C' && t.from !== t.to && transitions.some((u) => u.from === t.from && u.probability === 'C'));
    const t = transitions[index];
    await go('markov');
    const cell = page.getByTestId(`tp-${t.from}-${t.to}`);
    await cell.fill('1.5');
    const field = page.locator(`[data-path="/markovModels/0/transitions/${index}/probability"]`);
    await expect.poll(() => field.getByTestId('field-issue').textContent(), { timeout: 30_000 }).toMatch(/1\.5.*between 0 and 1/);
    expect(await field.locator('input').getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.getByTestId('validity').textContent()).toMatch(/issue/);
    await screenshot(page, '04-markov-error');
    await page.keyboard.press('Control+z');
    await expect.poll(() => field.getByTestId('field-issue').count(), { timeout: 30_000 }).toBe(0);
    await waitForValid();
  }, LONG);

  test('a parameter distribution is edited inline, with its issue next to the field', async () => {
    const param = MODEL.parameters.find((p) => (p as { distribution?: { type: string; alpha?: number } }).distribution?.type === 'beta' && (p as { distribution?: { alpha?: number } }).distribution?.alpha !== undefined)!;
    await go('parameters');
    await page.getByTestId(`dist-${param.id}`).click();
    const editor = page.getByTestId(`dist-editor-${param.id}`);
    await editor.waitFor();
    const alpha = editor.getByLabel(`alpha of the distribution of ${param.id}`);
    await alpha.fill('-2');
    await expect.poll(() => editor.getByTestId('field-issue').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await screenshot(page, '02b-distribution-editor');
    await page.keyboard.press('Control+z');
    await expect.poll(() => editor.getByTestId('field-issue').count(), { timeout: 30_000 }).toBe(0);
    await page.getByTestId(`dist-${param.id}`).click();
    await waitForValid();
  }, LONG);

  test('the decision tree is drawn and editable', async () => {
    await go('tree');
    const nodes = page.locator('[data-testid="tree-svg"] .tree-node-group');
    const count = await nodes.count();
    expect(count).toBeGreaterThan(3);
    expect(await page.locator('[data-testid="tree-svg"] rect.tree-node, [data-testid="tree-svg"] circle.tree-node').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="tree-svg"] polygon.tree-node').count()).toBeGreaterThan(0);
    // Add a branch to the first chance node, then undo it.
    const chance = page.locator('[data-testid="tree-svg"] .tree-node-group circle').first();
    await chance.click();
    await page.getByTestId('tree-inspector').getByRole('button', { name: 'Add branch' }).click();
    await expect.poll(() => nodes.count()).toBe(count + 1);
    await screenshot(page, '05-tree');
    await page.keyboard.press('Control+z');
    await expect.poll(() => nodes.count()).toBe(count);
    await waitForValid();
  }, LONG);

  test('PSA: progress, cancel, and a 10,000-draw run without long main-thread tasks; workbook numbers equal the CLI', async () => {
    await go('psa');
    await page.getByTestId('psa-draws').fill(String(PSA_DRAWS));
    await page.getByTestId('psa-seed').fill(String(PSA_SEED));
    // Run and cancel.
    await page.getByTestId('psa-run').click();
    await page.getByTestId('psa-progress').waitFor();
    await expect.poll(async () => Number(await page.getByTestId('psa-progress').getAttribute('value')), { timeout: 60_000 }).toBeGreaterThan(0);
    await screenshot(page, '06-psa-running');
    await page.getByTestId('psa-cancel').click();
    await page.getByTestId('psa-cancelled').waitFor();
    // Run to the end while recording long tasks on the main thread.
    await page.evaluate(() => {
      const w = window as unknown as { __longTasks: number[] };
      w.__longTasks = [];
      (w as unknown as { __longTaskLog: string[] }).__longTaskLog = [`start ${performance.now().toFixed(0)}`];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          w.__longTasks.push(entry.duration);
          (w as unknown as { __longTaskLog: string[] }).__longTaskLog.push(`${entry.startTime.toFixed(0)}+${entry.duration.toFixed(0)}`);
        }
      }).observe({ type: 'longtask' });
    });
    await page.getByTestId('psa-run').click();
    await page.getByTestId('psa-done').waitFor({ timeout: 180_000 });
    // Let the result render (charts) before reading the long tasks.
    await page.locator('[data-testid="chart-psa-evpi"] canvas').waitFor();
    await page.waitForTimeout(500);
    const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
    const worst = longTasks.length ? Math.max(...longTasks) : 0;
    const log = await page.evaluate(() => (window as unknown as { __longTaskLog: string[] }).__longTaskLog);
    writeFileSync(join(ROOT, 'artifacts', 'psa-longtasks.json'), JSON.stringify({ draws: PSA_DRAWS, seed: PSA_SEED, longTasks, worstMs: worst, log }, null, 2));
    console.log(`PSA ${PSA_DRAWS} draws: ${longTasks.length} long task(s) on the main thread, worst ${worst.toFixed(1)} ms`);
    expect(worst).toBeLessThan(100);
    await screenshot(page, '07-psa-results');

    // Workbook export vs the CLI for the same model and seed.
    const expected = cli(['psa', FLAGSHIP, '--n', String(PSA_DRAWS), '--seed', String(PSA_SEED), '--workers', '1', '--json']) as {
      strategies: { id: string; meanCost: number; meanEffect: number }[];
      incremental: { id: string; cost: number; effect: number; icer: number | null }[];
      ceac: { wtp: number; probabilities: Record<string, number> }[];
    };
    // The UI shows the same means.
    for (const s of expected.strategies) {
      const row = page.locator(`[data-testid="psa-summary"] tr[data-strategy="${s.id}"] td[data-value]`);
      expect(close(Number(await row.nth(0).getAttribute('data-value')), s.meanCost)).toBe(true);
      expect(close(Number(await row.nth(1).getAttribute('data-value')), s.meanEffect)).toBe(true);
    }
    const path = await download(page, () => page.getByTestId('export-psa').click());
    const wb = await readWorkbook(path);
    const rows = sheetTable(wb, 'Incremental', 'Id');
    for (const inc of expected.incremental) {
      const row = rows.find((r) => r.Id === inc.id);
      expect(row, `strategy ${inc.id} in the workbook`).toBeTruthy();
      expect(close(row!.Cost, inc.cost), `cost of ${inc.id}: ${String(row!.Cost)} vs CLI ${inc.cost}`).toBe(true);
      expect(close(row!.Effect, inc.effect), `effect of ${inc.id}`).toBe(true);
      if (inc.icer !== null) expect(close(row!.ICER, inc.icer), `ICER of ${inc.id}`).toBe(true);
    }
    // The charts are embedded.
    const images = wb.worksheets.reduce((n, ws) => n + ws.getImages().length, 0);
    expect(images).toBeGreaterThan(0);
  }, LONG);

  test('every chart is drawn (canvas not blank)', async () => {
    const charts: string[] = [];
    await go('base-case');
    charts.push('markov-trace');
    await assertChartsDrawn(['markov-trace']);
    await go('psa');
    await assertChartsDrawn(['psa-ce-plane', 'psa-ceac', 'psa-ceaf', 'psa-evpi']);
    await go('dsa');
    await page.getByTestId('dsa-run').click();
    await page.locator('[data-testid="chart-dsa-tornado"] canvas').waitFor({ timeout: 60_000 });
    await assertChartsDrawn(['dsa-tornado']);
    // Two-way grid and threshold search on the two widest tornado parameters.
    const widest = await page.locator('[data-testid="tornado-table"] tbody tr td:first-child').allTextContents();
    await page.getByLabel('Parameter 1 (rows)').selectOption(widest[0].trim());
    await page.getByLabel('Parameter 2 (columns)').selectOption(widest[1].trim());
    await page.getByRole('button', { name: '▶ Run two-way' }).click();
    await page.locator('table.grid-table tbody tr').first().waitFor({ timeout: 60_000 });
    await page.getByLabel('Parameter', { exact: true }).selectOption(widest[0].trim());
    await page.getByRole('button', { name: '▶ Find threshold' }).click();
    await page.getByTestId('threshold-result').waitFor({ timeout: 60_000 });
    await screenshot(page, '08-dsa');
    // The threshold workbook holds the CLI's threshold value.
    const expected = cli(['dsa', FLAGSHIP, '--threshold', widest[0].trim(), '--json']) as { thresholds: { value: number }[] };
    const path = await download(page, () => page.getByTestId('export-threshold').click());
    const wb = await readWorkbook(path);
    const numbers: number[] = [];
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((cell) => {
      const v = cell.value as unknown;
      const n = typeof v === 'number' ? v : v && typeof v === 'object' && typeof (v as { result?: unknown }).result === 'number' ? (v as { result: number }).result : null;
      if (n !== null) numbers.push(n);
    })));
    for (const t of expected.thresholds) expect(numbers.some((n) => close(n, t.value)), `threshold ${t.value} in the workbook`).toBe(true);
    await go('budget');
    if (await page.getByTestId('budget-run').isEnabled()) {
      await page.getByTestId('budget-run').click();
      await page.locator('[data-testid="chart-budget-impact"] canvas').waitFor({ timeout: 60_000 });
      await assertChartsDrawn(['budget-impact']);
      await screenshot(page, '09-budget-impact');
    }
    await go('scenarios');
    await page.getByTestId('scenarios-run').click();
    await page.locator('[data-testid="screen-scenarios"] table.data').first().waitFor({ timeout: 60_000 });
    await screenshot(page, '10-scenarios');
  }, LONG);

  test('base-case workbook numbers equal the CLI', async () => {
    await go('base-case');
    const expected = cli(['run', FLAGSHIP, '--json']) as { incremental: { id: string; cost: number; effect: number }[] };
    const path = await download(page, () => page.getByTestId('export-base-case').click());
    const wb = await readWorkbook(path);
    const rows = sheetTable(wb, 'Incremental', 'Id');
    for (const inc of expected.incremental) {
      const row = rows.find((r) => r.Id === inc.id);
      expect(row, `strategy ${inc.id}`).toBeTruthy();
      expect(close(row!.Cost, inc.cost)).toBe(true);
      expect(close(row!.Effect, inc.effect)).toBe(true);
    }
  }, LONG);

  test('save, reload, open the saved file: the same model comes back', async () => {
    const param = MODEL.parameters.find((p) => typeof p.value === 'number')!;
    await go('parameters');
    const input = page.getByTestId(`param-value-${param.id}`);
    const edited = String(Number(param.value) + 1);
    await input.fill(edited);
    await expect.poll(() => page.getByTestId('dirty-indicator').count()).toBe(1);
    const saved = await download(page, () => page.getByTestId('save').click());
    await expect.poll(() => page.getByTestId('dirty-indicator').count()).toBe(0);
    const savedText = readFileSync(saved, 'utf8');
    expect(JSON.parse(savedText).parameters.find((p: { id: string }) => p.id === param.id).value).toBe(Number(edited));

    await page.reload();
    await page.getByTestId('screen-overview').waitFor();
    await go('parameters');
    await expect.poll(() => page.getByTestId(`param-value-${param.id}`).inputValue()).toBe(String(param.value));
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('open').click()]);
    await chooser.setFiles(saved);
    await expect.poll(() => page.getByTestId('file-name').textContent()).toContain(saved.split('/').pop()!);
    await expect.poll(() => page.getByTestId(`param-value-${param.id}`).inputValue()).toBe(edited);
    await waitForValid();
    const again = await download(page, () => page.getByTestId('save').click());
    expect(readFileSync(again, 'utf8')).toBe(savedText);
  }, LONG);

  test('unsaved work is offered for recovery after a reload', async () => {
    const param = MODEL.parameters.find((p) => typeof p.value === 'number')!;
    await go('parameters');
    await page.getByTestId(`param-value-${param.id}`).fill('123');
    await page.waitForTimeout(2500); // autosave debounce
    await page.reload();
    await page.getByTestId('recovery-banner').waitFor({ timeout: 30_000 });
    await screenshot(page, '11-recovery');
    await page.getByTestId('recovery-restore').click();
    await go('parameters');
    await expect.poll(() => page.getByTestId(`param-value-${param.id}`).inputValue()).toBe('123');
    expect(await page.getByTestId('dirty-indicator').count()).toBe(1);
  }, LONG);

  test('a tiny model is built from a new empty model in the UI and its base case equals the hand-computed value', async () => {
    // The recovery test left unsaved changes: accept the "discard?" question.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('new-model').click();
    await go('overview');
    await expect.poll(() => page.locator('.screen-head h1').textContent()).toBe('Untitled model');
    await expect.poll(() => page.getByTestId('validity').textContent()).toContain('issue'); // no strategy yet

    // Settings: 2 annual cycles, no discounting, end-of-cycle counting (no within-cycle correction).
    await page.getByLabel('Time horizon', { exact: true }).fill('2');
    await page.getByLabel('Discount rate for costs', { exact: true }).fill('0');
    await page.getByLabel('Discount rate for effects', { exact: true }).fill('0');
    await page.getByLabel('Within-cycle correction', { exact: true }).selectOption('none');

    // A parameter: p_death = 0.1.
    await go('parameters');
    await page.getByTestId('param-add').click();
    await page.getByLabel('Id of parameter 1').fill('p_death');
    await page.getByLabel('Id of parameter 1').press('Enter');
    await page.getByTestId('param-value-p_death').fill('0.1');
    await screenshot(page, '12a-build-parameter');

    // A two-state Markov model: alive → dead with p_death, alive costs 1000 and gives 1 QALY a cycle.
    await go('markov');
    await page.getByTestId('markov-add').click();
    await page.getByRole('button', { name: 'Add state' }).click();
    await page.getByLabel('Id of state 1 of markov_1').fill('alive');
    await page.getByLabel('Id of state 1 of markov_1').press('Enter');
    await page.getByLabel('Id of state 2 of markov_1').fill('dead');
    await page.getByLabel('Id of state 2 of markov_1').press('Enter');
    await page.getByTestId('tp-alive-alive').fill('C');
    await page.getByLabel('Add a transition alive → dead').click();
    await page.getByTestId('tp-alive-dead').fill('p_death');
    await page.getByLabel('Add a transition dead → dead').click();
    await page.getByTestId('tp-dead-dead').fill('1');
    await page.getByLabel('Total cost in state alive').fill('1000');
    await page.getByLabel('QALYs in state alive').fill('1');
    await screenshot(page, '12b-build-markov');

    // Two strategies starting in it; the second doubles the risk of death.
    await go('overview');
    await page.getByTestId('strategy-add').click();
    await page.getByTestId('strategy-add').click();
    await page.getByLabel('Name of strategy strategy_2').fill('Double risk');
    await page.getByLabel('Add an override to strategy strategy_2').click();
    await page.getByLabel('Override of p_death in strategy strategy_2').fill('0.2');
    await waitForValid();
    await screenshot(page, '12c-build-overview');
    await page.getByLabel('Model name', { exact: true }).fill('Tiny two-state model');
    await page.getByRole('button', { name: 'Add author' }).click();
    await page.getByLabel('Author 1', { exact: true }).fill('E2E test');
    await page.getByTestId('metadata-panel').scrollIntoViewIfNeeded();
    await expect.poll(() => page.locator('.screen-head h1').textContent()).toBe('Tiny two-state model');
    await screenshot(page, '12e-build-metadata');

    // By hand: end-of-cycle counting sums the alive share after cycles 1 and 2, undiscounted.
    // strategy_1: 0.9 + 0.9² = 1.71 QALYs, 1000 × 1.71 = 1710; strategy_2: 0.8 + 0.8² = 1.44 QALYs, 1440.
    await go('base-case');
    await expect.poll(() => summaryValue('qaly', 'strategy_1'), { timeout: 30_000 }).toBeCloseTo(1.71, 9);
    expect(await summaryValue('cost', 'strategy_1')).toBeCloseTo(1710, 6);
    expect(await summaryValue('qaly', 'strategy_2')).toBeCloseTo(1.44, 9);
    expect(await summaryValue('cost', 'strategy_2')).toBeCloseTo(1440, 6);
    await screenshot(page, '12d-build-base-case');
  }, LONG);

  test('no Content-Security-Policy violations or page errors', () => {
    const bad = browser.consoleErrors.filter((m) => /Content Security Policy|Refused to|Uncaught|TypeError|ReferenceError/i.test(m));
    expect(bad).toEqual([]);
  });
});

async function assertChartsDrawn(names: string[]): Promise<void> {
  for (const name of names) {
    const canvas = page.locator(`[data-testid="chart-${name}"] canvas`);
    await canvas.waitFor();
    const inked = await canvas.evaluate((el) => {
      const c = el as HTMLCanvasElement;
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235)) n++;
      return n;
    });
    expect(inked, `chart ${name} has drawn pixels`).toBeGreaterThan(500);
  }
}
