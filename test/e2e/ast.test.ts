/**
 * End to end in a real VS Code workbench (code-server 4.100.3, VS Code 1.100.3)
 * driven in Debian's Chromium: the packaged VSIX is installed and we check what
 * a person sees. Run by `npm run test:e2e` (installs code-server when missing).
 *
 * The AST panel: the node under the cursor and the source it selects, its tabs,
 * a window reload, every CPython.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import type { InterpreterInfo } from '../../protocol';
import { waitFor } from '../helpers/deadline';
import { testPythons } from '../helpers/pythons';
import { astPanel, fixture, screenshotDir, type Session, workbenches } from './session';
import { UI_TIMEOUT } from './workbench';

describe('in a real VS Code workbench (code-server + Chromium): the AST panel', function () {
  this.timeout(240_000);
  const workbench = workbenches();
  const { open, closeSession } = workbench;
  let python: InterpreterInfo;
  before(() => {
    python = workbench.python;
  });

  /**
   * Put the cursor just before the `+=` on the line holding `lineText`, open the
   * AST panel from the palette, check the marked node is the AugAssign, click it
   * and check the editor's selection is exactly the statement (`length` characters).
   */
  async function augAssignRoundTrip(s: Session, editor: Locator, lineText: string, statement: string, lineNumber: number): Promise<void> {
    const { wb, page } = s;
    const op = wb.line(editor, lineText).locator('span span', { hasText: /^\+=$/ }).first();
    await op.waitFor({ timeout: UI_TIMEOUT });
    const box = (await op.boundingBox())!;
    await page.mouse.click(box.x + 1, box.y + box.height / 2);
    await wb.runCommand('Python Internals: Show AST');
    const panel = astPanel(page);
    const marked = panel.locator('[role="treeitem"][aria-selected="true"]');
    await waitFor(
      async () => /AugAssign/.test(await marked.innerText({ timeout: 1_000 }).catch(() => '')),
      'the AugAssign marked in the AST panel',
      UI_TIMEOUT,
    );
    assert.equal(await marked.count(), 1);
    await marked.click();
    // The editor selects exactly the statement: VS Code's status bar counts the selected characters.
    // It shows them for the focused text editor only; the click left the focus in the panel (as it should).
    await wb.runCommand('View: Focus First Editor Group');
    await wb.statusBarItem(new RegExp(`Ln ${lineNumber}, Col \\d+ \\(${statement.length} selected\\)`)).waitFor({ timeout: UI_TIMEOUT });
  }

  it('"Show AST" opens the panel beside the editor on the node under the cursor; clicking a node selects exactly its source', async () => {
    const session = await open(fixture(), { trust: true, settings: { 'pythonInternals.interpreterPath': python.requested } });
    const { wb, page } = session;
    const editor = await wb.openFile('shapes.py', 'class Circle');
    await augAssignRoundTrip(session, editor, 'total += shape.area()', 'total += shape.area()', 24);
    // Every tab renders in the workbench too.
    const panel = astPanel(page);
    for (const [tab, expect] of [
      ['Tokens', /NAME/],
      ['Symbol table', /total_area/],
      ['Syntax tree', /augmented_assignment|module/],
      ['AST', /AugAssign/],
    ] as const) {
      await panel.locator('vscode-tab-header', { hasText: tab }).first().click();
      await waitFor(
        async () =>
          expect.test(
            await panel
              .locator('pi-tree')
              .innerText({ timeout: 1_000 })
              .catch(() => ''),
          ),
        `the ${tab} tab`,
        UI_TIMEOUT,
      );
    }
    await wb.runCommand('View: Toggle Primary Side Bar Visibility');
    await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: 10_000 });
    await waitFor(
      async () =>
        /AugAssign/.test(
          await panel
            .locator('[role="treeitem"][aria-selected="true"]')
            .innerText({ timeout: 1_000 })
            .catch(() => ''),
        ),
      'the AugAssign still marked',
      UI_TIMEOUT,
    );
    await page.screenshot({ path: path.join(screenshotDir, 'ast-panel.png') });
  });

  it('the AST panel selects exactly after non-ASCII text on the line (UTF-8 columns to UTF-16), in a light theme', async () => {
    const session = await open(fixture(), {
      trust: true,
      settings: { 'pythonInternals.interpreterPath': python.requested, 'workbench.colorTheme': 'Default Light Modern' },
    });
    const editor = await session.wb.openFile('greetings.py', 'def greet');
    await augAssignRoundTrip(session, editor, 'count += 1', 'count += 1', 7);
    await session.wb.runCommand('View: Toggle Primary Side Bar Visibility');
    await session.page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: 10_000 });
    await session.page.screenshot({ path: path.join(screenshotDir, 'ast-panel-light.png') });
  });

  it('the AST panel comes back after a window reload, on its file and tab, pinned as it was', async () => {
    const session = await open(fixture(), { trust: true, settings: { 'pythonInternals.interpreterPath': python.requested } });
    const { wb, page } = session;
    await wb.openFile('shapes.py', 'class Circle');
    await wb.runCommand('Python Internals: Show AST');
    let panel = astPanel(page);
    await panel.locator('vscode-tab-header', { hasText: 'Symbol table' }).first().click();
    await waitFor(
      async () =>
        /total_area/.test(
          await panel
            .locator('pi-tree')
            .innerText({ timeout: 1_000 })
            .catch(() => ''),
        ),
      'the symbol table',
      UI_TIMEOUT,
    );
    await panel.locator('vscode-toolbar-button.pin').click();
    await waitFor(
      async () =>
        (await panel
          .locator('vscode-toolbar-button.pin')
          .getAttribute('aria-pressed', { timeout: 1_000 })
          .catch(() => '')) === 'true',
      'pinned',
      UI_TIMEOUT,
    );
    // As a user reloads: the workbench saves its state (open editors, the page's setState) first.
    await wb.runCommand('Developer: Reload Window');
    await page.waitForEvent('load', { timeout: UI_TIMEOUT });
    await wb.ready();
    panel = astPanel(page);
    // Restored by the serializer: same file, same tab, still pinned.
    await page.locator('.tab', { hasText: 'AST · shapes.py' }).first().waitFor({ timeout: UI_TIMEOUT });
    await waitFor(
      async () =>
        /total_area/.test(
          await panel
            .locator('pi-tree')
            .innerText({ timeout: 1_000 })
            .catch(() => ''),
        ),
      'the symbol table after the reload',
      UI_TIMEOUT,
    );
    await waitFor(
      async () =>
        (await panel
          .locator('vscode-toolbar-button.pin')
          .getAttribute('aria-pressed', { timeout: 1_000 })
          .catch(() => '')) === 'true',
      'still pinned',
      UI_TIMEOUT,
    );
  });

  it('the AST panel marks and selects the augmented assignment on every other CPython found (3.8+)', async () => {
    const others = (await testPythons()).filter((p) => p.versionText !== python.versionText);
    for (const other of others) {
      const session = await open(fixture(), { trust: true, settings: { 'pythonInternals.interpreterPath': other.requested } });
      const editor = await session.wb.openFile('greetings.py', 'def greet');
      await augAssignRoundTrip(session, editor, 'count += 1', 'count += 1', 7);
      // The panel says which interpreter made the tree.
      await waitFor(
        async () =>
          new RegExp(`CPython ${other.versionText.replace(/\./g, '\\.')}`).test(
            await astPanel(session.page)
              .locator('.status')
              .innerText({ timeout: 1_000 })
              .catch(() => ''),
          ),
        `CPython ${other.versionText} in the panel`,
        UI_TIMEOUT,
      );
      await closeSession(session);
    }
  });
});
