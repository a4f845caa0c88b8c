/**
 * The GC report panel's page (dist/webview/gc.js) in headless Chromium with
 * a stub `acquireVsCodeApi`, showing the report of a real run (the real
 * server, a trusted-workspace setting, a script that makes reference cycles
 * and then fails).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { type RunResult, RuntimeReportNotification } from '../../protocol';
import { launchBrowser } from '../e2e/codeServer';
import { waitFor } from '../helpers/deadline';
import { runOnce } from '../helpers/lspClient';
import { repoRoot, tempDir, testPythons } from '../helpers/pythons';
import { CYCLES_SCRIPT } from '../helpers/fixtures';
import { PanelPage } from './harness';

const shotDir = path.join(repoRoot, 'test-results', 'webview');

describe('GC report page in Chromium (stub acquireVsCodeApi, a real run)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let result: RunResult;

  before(async () => {
    fs.mkdirSync(shotDir, { recursive: true });
    const python = (await testPythons())[0]!;
    const file = path.join(tempDir('gc-page'), 'cycles.py');
    fs.writeFileSync(file, CYCLES_SCRIPT);
    result = await runOnce(python.executable, file, CYCLES_SCRIPT, { view: 'gc' });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
  });

  it('shows how the run ended, totals per generation, the timeline, the freed types and the largest cycles', async () => {
    const page = await PanelPage.open(browser, 'gc.js', () => {
      throw new Error('the GC page asks for nothing');
    });
    try {
      await page.nextNotification('panel/ready');
      await page.notify(RuntimeReportNotification.type.method, { result, fileName: 'cycles.py' });
      await page.page.locator('.run-summary').waitFor();
      assert.match(await page.page.locator('.run-summary').innerText(), /finished with status 1 · RuntimeError: after the cycles/);
      const gc = result.gc!;
      // One totals row per generation this interpreter has.
      const totals = page.page.locator('section[aria-label="Totals"] tbody tr');
      assert.equal(await totals.count(), gc.generations);
      // The timeline is drawn (uPlot's canvas), with a legend entry per generation.
      await page.page.locator('pi-timeline canvas').waitFor();
      assert.equal(await page.page.locator('pi-timeline .u-legend .u-series').count(), gc.generations + 1);
      const nodeRow = page.page.locator('.gc-table.types tbody tr', { hasText: 'Node' });
      await nodeRow.waitFor();
      // Each of the 10,000 Nodes once (a collection that finds a kept object again does not count it twice).
      assert.match(await nodeRow.innerText(), /\b10,000\b/);
      // The type filter narrows the table.
      await page.page.locator('.type-filter input').fill('list');
      await waitFor(
        async () => (await page.page.locator('.gc-table.types tbody tr').count()) >= 1 && (await nodeRow.count()) === 0,
        'the filter',
      );
      await page.page.locator('.type-filter input').fill('');
      // The largest cycle, the ring of four lists, drawn by Graphviz with its edges named by index.
      await waitFor(async () => (await page.page.locator('.cycle-graph svg').count()) >= 1, 'a cycle drawn', 30_000);
      const ring = gc.cycles.find((c) => c.objects === 4 && c.nodes.every((n) => n.type === 'list'));
      assert.ok(ring, JSON.stringify(gc.cycles.map((c) => c.objects)));
      assert.match(await page.page.locator('.cycle figcaption').first().innerText(), /4 objects: list ×4/);
      assert.equal(await page.page.locator('.cycle-graph').first().locator('g.edge').count(), 4);
      await page.page.screenshot({ path: path.join(shotDir, 'gc-report.png'), fullPage: true });

      // The exception's frames open the source; Run again asks the extension.
      let from = page.notifications.length;
      await page.page.locator('.frames a').last().click();
      const open = await page.nextNotification<{ file: string; line: number }>('runtime/openLocation', from);
      assert.equal(open.line, 18);
      assert.ok(open.file.endsWith('cycles.py'));
      from = page.notifications.length;
      await page.page.locator('vscode-toolbar-button[label="Run again"]').click();
      await page.nextNotification('runtime/rerun', from);
      assert.deepEqual(page.errors, []);
    } finally {
      await page.close();
    }
  });
});
