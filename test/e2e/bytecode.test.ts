/**
 * End to end in a real VS Code workbench (code-server 4.100.3, VS Code 1.100.3)
 * driven in Debian's Chromium: the packaged VSIX is installed and we check what
 * a person sees. Run by `npm run test:e2e` (installs code-server when missing).
 *
 * The bytecode panel: its instructions linked to the source on every CPython,
 * the control-flow graph, a comparison, the specialized bytecode a run leaves.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import type { InterpreterInfo } from '../../protocol';
import { waitFor } from '../helpers/deadline';
import { testPythons } from '../helpers/pythons';
import { astPanel, COUNTER, fixture, screenshotDir, type Session, workbenches } from './session';
import { UI_TIMEOUT } from './workbench';

describe('in a real VS Code workbench (code-server + Chromium): the bytecode panel', function () {
  this.timeout(240_000);
  const workbench = workbenches();
  const { open, closeSession } = workbench;
  let python: InterpreterInfo;
  before(() => {
    python = workbench.python;
  });

  /**
   * Put the cursor on the `x` of `self.x +=` on 1-based line `lineNumber` of
   * counter.py, open the bytecode panel from the palette, check the panel
   * marks STORE_ATTR (aria-current) in `qualname`, click it and check the
   * editor's selection: exactly `self.x` on 3.11+ (CPython's columns), the
   * line from its first non-blank character before.
   */
  async function storeAttrRoundTrip(s: Session, editor: Locator, version: string, lineNumber: number, qualname: string): Promise<void> {
    const { wb } = s;
    const text = COUNTER.split('\n')[lineNumber - 1]!;
    await wb.line(editor, text.trim()).waitFor({ timeout: UI_TIMEOUT });
    await wb.goTo(lineNumber, text.indexOf('self.x') + 'self.'.length + 1);
    await wb.runCommand('Python Internals: Show Bytecode Panel');
    const panel = astPanel(s.page);
    const selected = panel.locator('pi-tree.code-tree [role="treeitem"][aria-selected="true"]');
    await waitFor(
      async () => (await selected.innerText({ timeout: 1_000 }).catch(() => '')).includes(qualname),
      `${qualname} selected in the bytecode panel`,
      UI_TIMEOUT,
    );
    const storeAttr = panel.locator('pi-tree.instructions [role="row"][aria-current="true"]', { hasText: 'STORE_ATTR' });
    await waitFor(async () => (await storeAttr.count()) === 1, 'STORE_ATTR marked', UI_TIMEOUT);
    await storeAttr.click();
    const minor = Number(version.split('.')[1]);
    const selectedText = minor >= 11 ? 'self.x' : text.trim();
    // The selection ends after self.x (3.11+) or at the end of the line; the status bar counts
    // code points (🐍 is one) for both its column and the selection's length, so a UTF-8 or
    // UTF-16 slip anywhere before the code would move the column.
    const end = minor >= 11 ? text.indexOf('self.x') + 'self.x'.length : text.length;
    const column = [...text.slice(0, end)].length + 1;
    await wb.runCommand('View: Focus First Editor Group');
    await wb
      .statusBarItem(new RegExp(`Ln ${lineNumber}, Col ${column} \\(${[...selectedText].length} selected\\)`))
      .waitFor({ timeout: UI_TIMEOUT });
  }

  it('"Show Bytecode Panel" marks the instructions under the cursor; clicking STORE_ATTR selects exactly self.x after non-ASCII text', async () => {
    const session = await open(fixture(), { trust: true, settings: { 'pythonInternals.interpreterPath': python.requested } });
    const { wb, page } = session;
    const editor = await wb.openFile('counter.py', 'class Counter');
    // An ASCII line first, then one with é, 🐍 and 世界 before the code.
    await storeAttrRoundTrip(session, editor, python.versionText, 13, 'Counter.bump');
    await storeAttrRoundTrip(session, editor, python.versionText, 6, 'Counter.add');
    const panel = astPanel(page);
    await wb.runCommand('View: Toggle Primary Side Bar Visibility');
    await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: 10_000 });
    // For the picture: the cursor back on `x` (Escape, which runs commands, collapsed the selection).
    await wb.goTo(6, COUNTER.split('\n')[5]!.indexOf('self.x') + 'self.'.length + 1);
    await waitFor(
      async () => (await panel.locator('pi-tree.instructions [role="row"][aria-current="true"]').count()) >= 2,
      'the instructions at x marked',
      UI_TIMEOUT,
    );
    await page.screenshot({ path: path.join(screenshotDir, 'bytecode-panel.png') });
    // The control-flow graph, laid out by Graphviz in the page: exception edges included.
    await panel.locator('vscode-tab-header', { hasText: 'Control flow' }).first().click();
    await waitFor(async () => (await panel.locator('.cfg-graph g.node').count()) > 2, 'the control-flow graph', UI_TIMEOUT);
    if (Number(python.versionText.split('.')[1]) >= 11)
      assert.ok((await panel.locator('.cfg-graph g.edge.exception').count()) > 0, 'exception edges');
    await page.screenshot({ path: path.join(screenshotDir, 'bytecode-cfg.png') });
  });

  it('the bytecode panel in a light theme', async () => {
    const session = await open(fixture(), {
      trust: true,
      settings: { 'pythonInternals.interpreterPath': python.requested, 'workbench.colorTheme': 'Default Light Modern' },
    });
    const editor = await session.wb.openFile('counter.py', 'class Counter');
    await storeAttrRoundTrip(session, editor, python.versionText, 6, 'Counter.add');
    await session.wb.runCommand('View: Toggle Primary Side Bar Visibility');
    await session.page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: 10_000 });
    await session.page.screenshot({ path: path.join(screenshotDir, 'bytecode-panel-light.png') });
    // Compare: the same method under the farthest other interpreter found (or at -O when there is only one).
    const panel = astPanel(session.page);
    await panel.locator('vscode-tab-header', { hasText: 'Compare' }).first().click();
    await panel.locator('.compare-summary').waitFor({ timeout: UI_TIMEOUT });
    assert.match(await panel.locator('.compare-summary').innerText(), /\d+ → \d+ instructions/);
    await session.page.screenshot({ path: path.join(screenshotDir, 'bytecode-compare.png') });
  });

  it('the bytecode panel marks and selects STORE_ATTR on every other CPython found (3.8+)', async function () {
    const others = (await testPythons()).filter((p) => p.versionText !== python.versionText);
    // Reported as pending, not as passing, on a machine with one interpreter.
    if (others.length === 0) this.skip();
    for (const other of others) {
      const session = await open(fixture(), { trust: true, settings: { 'pythonInternals.interpreterPath': other.requested } });
      const editor = await session.wb.openFile('counter.py', 'class Counter');
      await storeAttrRoundTrip(session, editor, other.versionText, 6, 'Counter.add');
      await waitFor(
        async () =>
          new RegExp(`CPython ${other.versionText.replace(/\./g, '\\.')}`).test(
            await astPanel(session.page)
              .locator('.pane-title .status')
              .innerText({ timeout: 1_000 })
              .catch(() => ''),
          ),
        `CPython ${other.versionText} in the panel`,
        UI_TIMEOUT,
      );
      await closeSession(session);
    }
  });

  it('the bytecode panel shows the specialized bytecode a run of the file leaves (3.11+)', async function () {
    if (Number(python.versionText.split('.')[1]) < 11) this.skip();
    const session = await open(fixture(), { trust: true, settings: { 'pythonInternals.interpreterPath': python.requested } });
    const { wb, page } = session;
    await wb.openFile('hot.py', 'class P');
    await wb.goTo(6, 16);
    await wb.runCommand('Python Internals: Show Bytecode Panel');
    const panel = astPanel(page);
    await waitFor(
      async () =>
        /P\.get/.test(
          await panel
            .locator('.code-title')
            .innerText({ timeout: 1_000 })
            .catch(() => ''),
        ),
      'P.get in the panel',
      UI_TIMEOUT,
    );
    await panel.locator('vscode-toolbar-button.specialize').click();
    const loadAttr = panel.locator('pi-tree.instructions [role="row"]', { hasText: 'LOAD_ATTR' }).locator('.adaptive.specialized');
    await waitFor(
      async () => /→ LOAD_ATTR_/.test(await loadAttr.innerText({ timeout: 1_000 }).catch(() => '')),
      'LOAD_ATTR specialized',
      UI_TIMEOUT,
    );
    // The program's output (work's result) went to its channel.
    await page.locator('.part.panel .monaco-editor', { hasText: '2001000' }).first().waitFor({ timeout: UI_TIMEOUT });
    // For the picture, the bottom panel and the side bar out of the way (the focus back in the editor first:
    // keys sent while a webview has it do not reach the command palette).
    await wb.runCommand('View: Focus First Editor Group');
    await wb.runCommand('View: Hide Panel');
    await wb.runCommand('View: Toggle Primary Side Bar Visibility');
    await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: 10_000 });
    await page.screenshot({ path: path.join(screenshotDir, 'bytecode-specialized.png') });
  });
});
