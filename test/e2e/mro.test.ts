/**
 * End to end in a real VS Code workbench (code-server 4.100.3, VS Code 1.100.3)
 * driven in Debian's Chromium: the packaged VSIX is installed and we check what
 * a person sees. Run by `npm run test:e2e` (installs code-server when missing).
 *
 * The MRO: its code lens, the class hover, the MRO panel and the run beside it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { InterpreterInfo } from '../../protocol';
import { waitFor } from '../helpers/deadline';
import { repoRoot } from '../helpers/pythons';
import { astPanel, editorAndPanelOnly, fixture, screenshotDir, workbenches } from './session';
import { UI_TIMEOUT } from './workbench';

describe('in a real VS Code workbench (code-server + Chromium): the MRO', function () {
  this.timeout(240_000);
  const workbench = workbenches();
  const { open, closeSession } = workbench;
  let python: InterpreterInfo;
  before(() => {
    python = workbench.python;
  });

  it('the MRO code lens, the class hover and the MRO panel: the diamond linearized, speak() from Swimmer shadowing Flyer’s, the run agreeing', async () => {
    for (const theme of ['Default Dark Modern', 'Default Light Modern']) {
      const session = await open(fixture(), {
        trust: true,
        settings: { 'pythonInternals.interpreterPath': python.requested, 'workbench.colorTheme': theme },
      });
      const { wb, page } = session;
      await wb.openFile('birds.py', 'class Animal');
      const birds = fs.readFileSync(path.join(repoRoot, 'examples', 'birds.py'), 'utf8').split('\n');
      await wb.goTo(birds.findIndex((l) => l.startsWith('class Duck')) + 1, 7);
      const lens = page.locator('.codelens-decoration a', { hasText: 'MRO: Duck → Swimmer → Flyer → Animal → object' });
      await lens.waitFor({ timeout: UI_TIMEOUT });
      if (theme.includes('Dark')) {
        // The class name's hover: its MRO, then the class statement's bytecode.
        // (Scrolled to Duck: the editor is the one showing it now.)
        const editor = page.locator('.editor-instance .monaco-editor', { hasText: 'class Duck' }).first();
        const text = await wb.hover(editor, 'class Duck(Swimmer, Flyer)', 'Duck', /MRO of Duck/);
        assert.match(text, /MRO of Duck: Duck → Swimmer → Flyer → Animal → object/);
        assert.match(text, /STORE_NAME\s+\d+ \(__qualname__\)/);
        await page.mouse.move(5, 5);
      }
      await lens.click();
      const panel = astPanel(page);
      const chips = panel.locator('ol[aria-label="Static MRO"] .mro-chip');
      await waitFor(async () => (await chips.count().catch(() => 0)) === 5, 'the MRO panel on Duck', UI_TIMEOUT);
      assert.deepEqual(
        (await chips.allInnerTexts()).map((t) => t.trim()),
        ['Duck', 'Swimmer', 'Flyer', 'Animal', 'object'],
      );
      assert.equal((await panel.locator('.mro-classes a[aria-current="true"]').innerText()).trim(), 'Duck');
      await waitFor(async () => (await panel.locator('.mro-graph svg g.node').count()) === 5, 'the inheritance graph', UI_TIMEOUT);
      // speak is defined in both bases (and in Animal): Swimmer's wins, the others are shadowed.
      const speak = panel.locator('.mro-attributes tbody tr').filter({ has: panel.locator('td:first-child code', { hasText: /^speak$/ }) });
      const cells = (await speak.locator('td').allInnerTexts()).map((t) => t.trim());
      assert.equal(cells[1], 'Swimmer');
      assert.equal(cells[3], 'Flyer, Animal');
      const wingspan = panel
        .locator('.mro-attributes tbody tr')
        .filter({ has: panel.locator('td:first-child code', { hasText: /^wingspan$/ }) });
      assert.match(await wingspan.innerText(), /property[\s\S]*beats obj\.__dict__/);
      // The run: CPython's own __mro__ beside the static one.
      await panel.locator('.run-mro').click();
      await waitFor(
        async () => (await panel.locator('ol[aria-label="Runtime MRO"] .mro-chip').count()) === 5,
        'the runtime MRO',
        UI_TIMEOUT,
      );
      assert.match(await panel.locator('.mro-detail').innerText(), /The static MRO is CPython’s\./);
      assert.match(await speak.locator('td').nth(5).innerText(), /Swimmer · method/);
      // Clicking a class in the graph selects its name in the editor.
      await panel.locator('.mro-graph svg g.node', { hasText: 'Flyer' }).click();
      await wb.runCommand('View: Focus First Editor Group');
      await wb
        .statusBarItem(new RegExp(`Ln ${birds.findIndex((l) => l.startsWith('class Flyer')) + 1}, Col \\d+ \\(5 selected\\)`))
        .waitFor({ timeout: UI_TIMEOUT });
      // The panel follows the cursor there; back on Duck for the picture, the page at its top.
      await waitFor(
        async () => (await panel.locator('.mro-classes a[aria-current="true"]').innerText()).trim() === 'Flyer',
        'the panel on Flyer',
        UI_TIMEOUT,
      );
      await wb.goTo(birds.findIndex((l) => l.startsWith('class Duck')) + 1, 7);
      await waitFor(
        async () => (await panel.locator('.mro-classes a[aria-current="true"]').innerText()).trim() === 'Duck',
        'the panel back on Duck',
        UI_TIMEOUT,
      );
      await panel.locator('.report-scroll').evaluate((el) => (el as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
      await editorAndPanelOnly(session);
      await page.screenshot({ path: path.join(screenshotDir, theme.includes('Light') ? 'mro-panel-light.png' : 'mro-panel.png') });
      await closeSession(session);
    }
  });
});
