/**
 * End to end in a real VS Code workbench (code-server 4.100.3, VS Code 1.100.3)
 * driven in Debian's Chromium: the packaged VSIX is installed and we check what
 * a person sees. Run by `npm run test:e2e` (installs code-server when missing).
 *
 * The runtime lab's reports: GC, import trace, object inspector.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { InterpreterInfo } from '../../protocol';
import { waitFor } from '../helpers/deadline';
import { astPanel, editorAndPanelOnly, fixture, screenshotDir, workbenches } from './session';
import { UI_TIMEOUT } from './workbench';

describe('in a real VS Code workbench (code-server + Chromium): the runtime lab’s reports', function () {
  this.timeout(240_000);
  const workbench = workbenches();
  const { open, closeSession } = workbench;
  let python: InterpreterInfo;
  before(() => {
    python = workbench.python;
  });

  it('"GC Report" runs the file in a trusted workspace and shows its collections, the freed types and the largest cycle', async () => {
    for (const theme of ['Default Dark Modern', 'Default Light Modern']) {
      const session = await open(fixture(), {
        trust: true,
        settings: { 'pythonInternals.interpreterPath': python.requested, 'workbench.colorTheme': theme },
      });
      const { wb, page } = session;
      await wb.openFile('cycles.py', 'class Node');
      await wb.runCommand('Python Internals: GC Report');
      const panel = astPanel(page);
      await waitFor(
        async () =>
          /RuntimeError: after the cycles/.test(
            await panel
              .locator('.run-summary')
              .innerText({ timeout: 1_000 })
              .catch(() => ''),
          ),
        'the GC report',
        UI_TIMEOUT,
      );
      await panel.locator('.gc-table.types tbody tr', { hasText: 'Node' }).waitFor({ timeout: UI_TIMEOUT });
      await panel.locator('pi-timeline canvas').waitFor({ timeout: UI_TIMEOUT });
      await waitFor(async () => (await panel.locator('.cycle-graph svg').count()) >= 1, 'the largest cycle drawn', UI_TIMEOUT);
      // The program's own output went to its Output channel, apart from the report.
      await page.locator('.part.panel .monaco-editor', { hasText: 'RuntimeError' }).first().waitFor({ timeout: UI_TIMEOUT });
      await editorAndPanelOnly(session);
      await page.screenshot({ path: path.join(screenshotDir, theme.includes('Light') ? 'gc-report-light.png' : 'gc-report.png') });
      await closeSession(session);
    }
  });

  it('"Trace Imports" runs the file several times and shows who imported whom, with each module’s times and spec', async () => {
    const session = await open(fixture(), {
      trust: true,
      settings: { 'pythonInternals.interpreterPath': python.requested, 'pythonInternals.runtime.importRuns': 3 },
    });
    const { wb, page } = session;
    await wb.openFile('imports_main.py', 'import mypkg');
    await wb.runCommand('Python Internals: Trace Imports');
    const panel = astPanel(page);
    await waitFor(
      async () =>
        /3 runs/.test(
          await panel
            .locator('.toolbar .status')
            .innerText({ timeout: 1_000 })
            .catch(() => ''),
        ),
      'the import trace',
      UI_TIMEOUT,
    );
    await waitFor(async () => (await panel.locator('pi-flame svg g.frame').count()) > 5, 'the icicle chart', UI_TIMEOUT);
    const helper = panel
      .locator('.gc-table.imports tbody tr')
      .filter({ has: panel.locator('td:first-child code', { hasText: /^mypkg\.helper$/ }) });
    await helper.waitFor({ timeout: UI_TIMEOUT });
    await wb.runCommand('View: Hide Panel');
    await wb.runCommand('View: Toggle Primary Side Bar Visibility');
    await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: 10_000 });
    await page.screenshot({ path: path.join(screenshotDir, 'imports.png') });
    // A module with a file opens in the editor.
    await helper.click();
    await page.locator('.tab', { hasText: 'helper.py' }).first().waitFor({ timeout: UI_TIMEOUT });
  });

  it('"Inspect Objects" runs the file to the cursor’s line and shows each name’s references, sizes and what is special', async () => {
    const session = await open(fixture(), { trust: true, settings: { 'pythonInternals.interpreterPath': python.requested } });
    const { wb, page } = session;
    await wb.openFile('objects.py', 'def f');
    await wb.goTo(5, 5);
    await wb.runCommand('Python Internals: Inspect Objects');
    const panel = astPanel(page);
    await waitFor(
      async () =>
        /Stopped before line 5 ran, in f\(\)/.test(
          await panel
            .locator('.run-summary')
            .innerText({ timeout: 1_000 })
            .catch(() => ''),
        ),
      'stopped at the cursor',
      UI_TIMEOUT,
    );
    const row = (name: string) =>
      panel
        .locator('.gc-table.objects tbody tr')
        .filter({ has: panel.locator('td:first-child code', { hasText: new RegExp(`^${name}$`) }) });
    assert.equal((await row('a').locator('td').nth(2).innerText()).trim(), '3');
    assert.equal((await row('y').locator('td').nth(2).innerText()).trim(), '2');
    await wb.runCommand('View: Hide Panel');
    await wb.runCommand('View: Toggle Primary Side Bar Visibility');
    await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: 10_000 });
    await page.screenshot({ path: path.join(screenshotDir, 'objects.png') });
  });
});
