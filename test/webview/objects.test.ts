/**
 * The object inspector's page (dist/webview/objects.js) in headless Chromium
 * with a stub `acquireVsCodeApi`, showing a real run stopped inside a function.
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
import { PanelPage } from './harness';

const TEXT = ['a = b = c = []', 'n = 7', 'def f(x):', '    y = z = [x]', '    return y', 'f(3)', ''].join('\n');
const shotDir = path.join(repoRoot, 'test-results', 'webview');

describe('object inspector page in Chromium (stub acquireVsCodeApi, a real run)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let result: RunResult;

  before(async () => {
    fs.mkdirSync(shotDir, { recursive: true });
    const python = (await testPythons())[0]!;
    const file = path.join(tempDir('objects-page'), 'insp.py');
    fs.writeFileSync(file, TEXT);
    result = await runOnce(python.executable, file, TEXT, { view: 'inspect', line: 5 });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
  });

  it('lists the names with their references, sizes and what is special, and filters them', async () => {
    const page = await PanelPage.open(browser, 'objects.js', () => {
      throw new Error('the page asks for nothing');
    });
    try {
      await page.nextNotification('panel/ready');
      await page.notify(RuntimeReportNotification.type.method, { result, fileName: 'insp.py', line: 5 });
      await page.page.locator('.run-summary').waitFor();
      assert.match(await page.page.locator('.run-summary').innerText(), /Stopped before line 5 ran, in f\(\)/);
      const row = (name: string) =>
        page.page
          .locator('.gc-table.objects tbody tr')
          .filter({ has: page.page.locator('td:first-child code', { hasText: new RegExp(`^${name}$`) }) });
      await waitFor(async () => (await row('a').count()) === 1, 'the row of a');
      const a = (await row('a').locator('td').allInnerTexts()).map((t) => t.trim());
      assert.equal(a[2], '3');
      assert.match(a[5]!, /also b, c/);
      assert.match(await row('y').innerText(), /local/);
      assert.equal((await row('y').locator('td').nth(2).innerText()).trim(), '2');
      await page.page.screenshot({ path: path.join(shotDir, 'objects.png'), fullPage: true });
      await page.page.locator('.type-filter input').fill('list');
      await waitFor(async () => (await page.page.locator('.gc-table.objects tbody tr').count()) === 5, 'the lists only (a, b, c, y, z)');
      assert.deepEqual(page.errors, []);
    } finally {
      await page.close();
    }
  });
});
