/**
 * End to end in a real VS Code workbench (code-server 4.100.3, VS Code 1.100.3)
 * driven in Debian's Chromium: the packaged VSIX is installed and we check what
 * a person sees. Run by `npm run test:e2e` (installs code-server when missing).
 *
 * In the editor: the bytecode hover and the status bar, the highlighted
 * listing, CPython's syntax errors as problems; and workspace trust (no user
 * code runs in an untrusted folder).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { InterpreterInfo } from '../../protocol';
import { waitFor } from '../helpers/deadline';
import { tempDir } from '../helpers/pythons';
import { fixture, hostileFixture, resultsDir, screenshotDir, workbenches } from './session';
import { UI_TIMEOUT } from './workbench';

describe('in a real VS Code workbench (code-server + Chromium): the editor', function () {
  this.timeout(240_000);
  const workbench = workbenches();
  const { open } = workbench;
  let python: InterpreterInfo;
  before(() => {
    python = workbench.python;
  });

  it('hovering a line inside a function shows its bytecode; the status bar names the interpreter', async () => {
    const { wb, page, metricsFile } = await open(fixture(), {
      trust: true,
      settings: { 'pythonInternals.interpreterPath': python.requested },
    });
    const editor = await wb.openFile('shapes.py', 'class Circle');
    const text = await wb.hover(editor, 'return math.pi', 'radius', /Circle\.area/);
    assert.match(text, /LOAD_ATTR/);
    assert.match(text, /\(pi\)/);
    assert.match(text, new RegExp(`CPython ${python.versionText.replace(/\./g, '\\.')}`));
    assert.match(text, /Full listing/);
    assert.match(text, /Bytecode panel/);
    await page.screenshot({ path: path.join(screenshotDir, 'hover.png'), clip: { x: 0, y: 0, width: 1280, height: 560 } });

    await wb.statusBarItem(new RegExp(`CPython ${python.versionText.replace(/\./g, '\\.')}`)).waitFor({ timeout: UI_TIMEOUT });
    // The extension reports how long it took to start, for the benchmark.
    const metrics = await waitFor(() => fs.existsSync(metricsFile) && fs.readFileSync(metricsFile, 'utf8'), 'activation metrics');
    const activation = metrics
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { name: string; ms: number })
      .find((m) => m.name === 'activation (language server running)');
    assert.ok(activation && activation.ms > 0, metrics);
    fs.writeFileSync(path.join(resultsDir, 'activation.json'), JSON.stringify({ ms: activation.ms, measuredAt: new Date().toISOString() }));
  });

  it('"Show Bytecode" from the command palette opens the highlighted listing at the code object', async () => {
    const { wb, page } = await open(fixture(), { trust: true, settings: { 'pythonInternals.interpreterPath': python.requested } });
    const editor = await wb.openFile('shapes.py', 'class Circle');
    // Put the cursor inside Circle.area, then ask for the listing.
    await wb.line(editor, 'return math.pi').click();
    await wb.runCommand('Python Internals: Show Bytecode');
    const listing = page.locator('.editor-instance .monaco-editor', { hasText: 'Disassembly of' }).first();
    await listing.locator('.view-line', { hasText: 'Disassembly of Circle.area' }).waitFor({ timeout: UI_TIMEOUT });
    // Its tab says what it is; the language mode (shown once it has focus) is our grammar's.
    await page
      .locator('.tab', { hasText: /shapes.*bytecode|bytecode.*shapes/i })
      .first()
      .waitFor({ timeout: UI_TIMEOUT });
    await listing.locator('.view-line', { hasText: 'Disassembly of Circle.area' }).click();
    await page.locator('.statusbar-item', { hasText: 'Python Bytecode' }).first().waitFor({ timeout: UI_TIMEOUT });
    // Highlighted: opnames, offsets and arguments are drawn in several token colours.
    const colours = await waitFor(
      async () => {
        const found = await listing.locator('.view-line span span').evaluateAll((spans) => {
          // Runs in the page (tsconfig has no DOM lib, hence the cast).
          const win = globalThis as unknown as { getComputedStyle(e: unknown): { color: string } };
          const set = new Set<string>();
          for (const s of spans) set.add(win.getComputedStyle(s).color);
          return [...set];
        });
        return found.length >= 4 ? found : undefined;
      },
      'a highlighted listing (4+ token colours)',
      UI_TIMEOUT,
    );
    assert.ok(colours.length >= 4, colours.join(' '));
    // Room for the listing's argument column in the picture.
    await wb.runCommand('View: Toggle Primary Side Bar Visibility');
    await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: 10_000 });
    await page.screenshot({ path: path.join(screenshotDir, 'listing.png'), clip: { x: 0, y: 0, width: 1280, height: 560 } });
  });

  it('a syntax error appears in the Problems panel, as the selected CPython reports it', async () => {
    const { wb, page } = await open(fixture(), { trust: true, settings: { 'pythonInternals.interpreterPath': python.requested } });
    await wb.openFile('broken.py', 'def broken');
    await wb.runCommand('View: Focus Problems');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: /invalid syntax|expected/i }).first();
    await problem.waitFor({ timeout: UI_TIMEOUT });
    const text = await problem.innerText();
    assert.match(text, new RegExp(`CPython ${python.versionText.replace(/\./g, '\\.')}`));
    assert.match(text, /\[Ln 5, Col \d+\]/);
  });

  it('in an untrusted folder no user code runs and the workspace cannot choose the interpreter', async () => {
    const marker = path.join(tempDir('e2e-marker'), 'user-code-ran');
    const { wb, page } = await open(hostileFixture(marker, python.requested), {
      trust: 'ask',
      settings: {
        'security.workspace.trust.enabled': true,
        'security.workspace.trust.startupPrompt': 'always',
        'pythonInternals.interpreterPath': python.requested,
      },
    });
    await wb.answerTrust(false);
    const editor = await wb.openFile('shapes.py', 'class Circle');
    // Static views still work, with the interpreter from the user's own settings.
    const text = await wb.hover(editor, 'return math.pi', 'radius', /Circle\.area/);
    assert.match(text, new RegExp(`CPython ${python.versionText.replace(/\./g, '\\.')}`));
    await wb.statusBarItem(new RegExp(`CPython ${python.versionText.replace(/\./g, '\\.')}`)).waitFor({ timeout: UI_TIMEOUT });
    // The command that runs code is refused, and says why.
    await wb.runCommand('Python Internals: GC Report');
    await page
      .locator('.notifications-toasts', { hasText: /only in a trusted workspace/ })
      .first()
      .waitFor({ timeout: UI_TIMEOUT });
    assert.equal(fs.existsSync(marker), false, `user code ran: ${fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : ''}`);
  });

  it('(control for the test above) once trusted, the workspace setting is honoured, and the marker is written', async () => {
    const marker = path.join(tempDir('e2e-marker'), 'user-code-ran');
    const { wb } = await open(hostileFixture(marker, python.requested), {
      trust: true,
      settings: { 'pythonInternals.interpreterPath': python.requested },
    });
    const editor = await wb.openFile('shapes.py', 'class Circle');
    await wb.hover(editor, 'return math.pi', 'radius', /Circle\.area/);
    // The workspace's interpreter ran, and only as an interpreter: the workspace's
    // dis.py, sitecustomize.py and shapes.py were never imported or executed.
    const ran = await waitFor(() => fs.existsSync(marker) && fs.readFileSync(marker, 'utf8'), 'the workspace interpreter to run');
    assert.doesNotMatch(ran, /^(dis|ast|json|types|sitecustomize|usercustomize|shapes|__main__)$/);
  });
});
