/**
 * The import trace panel's page (dist/webview/imports.js) in headless
 * Chromium with a stub `acquireVsCodeApi`, showing the trace of a real run
 * (the real server, a trusted-workspace setting, three runs).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { type RunResult, RuntimeReportNotification } from '../../protocol';
import { launchBrowser } from '../e2e/codeServer';
import { waitFor } from '../helpers/deadline';
import { IMPORTS_SCRIPT, writeImportsWorkspace } from '../helpers/fixtures';
import { runOnce } from '../helpers/lspClient';
import { repoRoot, tempDir, testPythons } from '../helpers/pythons';
import { PanelPage } from './harness';

const shotDir = path.join(repoRoot, 'test-results', 'webview');

describe('import trace page in Chromium (stub acquireVsCodeApi, a real run)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let result: RunResult;
  let file: string;

  before(async () => {
    fs.mkdirSync(shotDir, { recursive: true });
    const python = (await testPythons())[0]!;
    file = writeImportsWorkspace(tempDir('imports-page'));
    result = await runOnce(python.executable, file, IMPORTS_SCRIPT, { view: 'imports' }, { importRuns: 3 });
    assert.equal(result.uri, pathToFileURL(file).href);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
  });

  it('draws who imported whom, lists each module with its times and spec, sorts, filters and opens a module', async () => {
    // As narrow as a panel beside the editor.
    const page = await PanelPage.open(
      browser,
      'imports.js',
      () => {
        throw new Error('the page asks for nothing');
      },
      { width: 600, height: 700 },
    );
    try {
      await page.nextNotification('panel/ready');
      await page.notify(RuntimeReportNotification.type.method, { result, fileName: 'imports_main.py' });
      await page.page.locator('.run-summary').waitFor();
      assert.match(await page.page.locator('.toolbar .status').innerText(), /3 runs/);
      // The icicle: one frame per module, and the script at the root.
      const frames = page.page.locator('pi-flame svg g.frame');
      await waitFor(async () => (await frames.count()) === result.imports!.modules.length + 1, 'a frame per module');
      const mypkg = page.page
        .locator('.gc-table.imports tbody tr')
        .filter({ has: page.page.locator('td:first-child code', { hasText: /^mypkg$/ }) });
      assert.match(await mypkg.innerText(), /package/);
      assert.match(await mypkg.innerText(), /PathFinder · SourceFileLoader/);
      const helper = page.page
        .locator('.gc-table.imports tbody tr')
        .filter({ has: page.page.locator('td:first-child code', { hasText: /^mypkg\.helper$/ }) });
      const csv = page.page
        .locator('.gc-table.imports tbody tr')
        .filter({ has: page.page.locator('td:first-child code', { hasText: /^csv$/ }) });
      assert.match(await csv.innerText(), /mypkg\.helper/);
      const row = (name: string) =>
        page.page
          .locator('.gc-table.imports tbody tr')
          .filter({ has: page.page.locator('td:first-child code', { hasText: new RegExp(`^${name.replace(/\./g, '\\.')}$`) }) });
      assert.equal(await row('nspkg').locator('.flag').innerText(), 'namespace');
      // Sorted by cumulative time, largest first; by name on request.
      await page.page.locator('th a', { hasText: 'Module' }).click();
      const names = await page.page.locator('.gc-table.imports tbody tr td:first-child code').allInnerTexts();
      assert.deepEqual(
        names,
        [...names].sort((a, b) => a.localeCompare(b)),
      );
      await page.page.locator('.type-filter input').fill('mypkg');
      await waitFor(async () => (await page.page.locator('.gc-table.imports tbody tr').count()) === 2, 'the filter');
      await page.page.screenshot({ path: path.join(shotDir, 'imports.png'), fullPage: true });
      // The script's frame spans the chart and every module's frame lies inside it, also after the panel is resized.
      const checkLayout = async () => {
        const boxes = await frames.evaluateAll((gs) =>
          gs.map((g) => {
            const r = (g as unknown as { querySelector(s: string): { getBoundingClientRect(): { left: number; right: number } } })
              .querySelector('rect')
              .getBoundingClientRect();
            return [r.left, r.right];
          }),
        );
        const root = boxes.reduce((a, b) => (b[1]! - b[0]! > a[1]! - a[0]! ? b : a));
        const chart = await page.page.locator('pi-flame').boundingBox();
        assert.ok(root[1]! - root[0]! > chart!.width * 0.9, `the root frame ${JSON.stringify(root)} in a chart ${chart!.width} wide`);
        assert.ok(
          boxes.every(([l, r]) => l! >= root[0]! - 1 && r! <= root[1]! + 1),
          JSON.stringify(boxes),
        );
      };
      await checkLayout();
      await page.page.setViewportSize({ width: 820, height: 700 });
      await waitFor(
        async () =>
          Math.abs(
            ((await page.page.locator('pi-flame svg').boundingBox())?.width ?? 0) -
              ((await page.page.locator('pi-flame').boundingBox())?.width ?? 0),
          ) < 2,
        'the chart redrawn',
      );
      await checkLayout();
      const from = page.notifications.length;
      await helper.focus();
      await page.page.keyboard.press('Enter');
      const open = await page.nextNotification<{ file: string }>('runtime/openLocation', from);
      assert.equal(open.file, path.join(path.dirname(file), 'mypkg', 'helper.py'));
      assert.deepEqual(page.errors, []);
    } finally {
      await page.close();
    }
  });
});
