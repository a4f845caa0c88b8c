/**
 * End to end in a real VS Code workbench (code-server 4.100.3, VS Code 1.100.3)
 * driven in Debian's Chromium: the packaged VSIX is installed and we check what
 * a person sees. Run by `npm run test:e2e` (installs code-server when missing).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { waitFor } from '../helpers/deadline';
import { repoRoot, tempDir, testPythons } from '../helpers/pythons';
import { CYCLES_SCRIPT, SPECIALIZE_SCRIPT, writeImportsWorkspace } from '../helpers/fixtures';
import { CodeServer, installVsix, launchBrowser, startCodeServer } from './codeServer';
import { UI_TIMEOUT, Workbench } from './workbench';

const vsix = path.join(repoRoot, 'python-internals.vsix');
const resultsDir = path.join(repoRoot, 'test-results', 'e2e');
/** Where the docs' screenshots go: `npm run screenshots` sets it to docs/. */
const screenshotDir = process.env.PYINTERNALS_SCREENSHOT_DIR ? path.resolve(process.env.PYINTERNALS_SCREENSHOT_DIR) : resultsDir;

/** Non-ASCII text before the code on the line of the augmented assignment. */
const GREETINGS = `"""Columns stay exact after non-ASCII text."""


def greet(names):
    count = 0
    for name in names:
        print("héllo, 🐍 世界", name); count += 1
    return count
`;

/** An augmented assignment to an attribute, with non-ASCII text before it on the line; a try/except for the exception table. */
const COUNTER = `class Counter:
    def __init__(self):
        self.x = 0

    def add(self, y):
        s = "é🐍 世界"; self.x += y
        try:
            return [v * 2 for v in range(y)]
        except ValueError:
            return None

    def bump(self):
        self.x += 1
`;

const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'editor.hover.delay': 150,
  'editor.minimap.enabled': false,
  'window.commandCenter': false,
  'chat.commandCenter.enabled': false,
  'workbench.colorTheme': 'Default Dark Modern',
};

interface Session {
  server: CodeServer;
  page: Page;
  wb: Workbench;
  metricsFile: string;
}

describe('in a real VS Code workbench (code-server + Chromium)', function () {
  this.timeout(240_000);
  let browser: Browser;
  let extensionsDir: string;
  let python: { requested: string; versionText: string };
  const sessions: Session[] = [];

  before(async function () {
    assert.ok(fs.existsSync(vsix), `${vsix} is missing: run "npm run package" first (npm run test:e2e does).`);
    fs.mkdirSync(resultsDir, { recursive: true });
    const pythons = await testPythons();
    python = pythons[0]!;
    extensionsDir = tempDir('e2e-ext');
    // Installed once, the way a user installs a VSIX.
    await installVsix(vsix, extensionsDir, tempDir('e2e-install'));
    const installed = fs.readdirSync(extensionsDir).filter((d) => d.startsWith('python-internals.python-internals-'));
    assert.equal(installed.length, 1, `installed: ${fs.readdirSync(extensionsDir).join(', ')}`);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
  });

  afterEach(async function () {
    const failed = this.currentTest?.state === 'failed';
    for (const s of sessions.splice(0)) {
      if (failed) {
        const name = (this.currentTest?.title ?? 'failure').replace(/[^\w]+/g, '-').slice(0, 60);
        await s.page.screenshot({ path: path.join(resultsDir, `FAILED-${name}.png`) }).catch(() => {});
        console.log(`  screenshot: test-results/e2e/FAILED-${name}.png\n  code-server output (tail):\n${s.server.output().slice(-3000)}`);
      }
      await s.page.close().catch(() => {});
      await s.server.stop();
    }
  });

  /** A code-server on `folder` with our VSIX, and a page on it. */
  async function open(folder: string, options: { trust: boolean | 'ask'; settings?: object }): Promise<Session> {
    const userDataDir = tempDir('e2e-user');
    const metricsFile = path.join(userDataDir, 'metrics.jsonl');
    const server = await startCodeServer({
      folder,
      userDataDir,
      extensionsDir,
      disableWorkspaceTrust: options.trust === true,
      settings: { ...BASE_SETTINGS, ...options.settings },
      env: { PYINTERNALS_METRICS_FILE: metricsFile },
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const session = { server, page, wb: new Workbench(page), metricsFile };
    sessions.push(session);
    await page.goto(server.url);
    await session.wb.ready();
    return session;
  }

  /** A session ended before the test's end (a loop over themes or interpreters): the next one starts clean. */
  async function closeSession(session: Session): Promise<void> {
    await session.page.close();
    await session.server.stop();
    sessions.splice(sessions.indexOf(session), 1);
  }

  /** For a picture: the side bar and the bottom panel out of the way. */
  async function editorAndPanelOnly({ wb, page }: Session): Promise<void> {
    await wb.runCommand('View: Toggle Primary Side Bar Visibility');
    await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: 10_000 });
    await wb.runCommand('View: Hide Panel');
  }

  function fixture(): string {
    const dir = tempDir('e2e-ws');
    fs.copyFileSync(path.join(repoRoot, 'examples', 'shapes.py'), path.join(dir, 'shapes.py'));
    fs.writeFileSync(path.join(dir, 'broken.py'), 'def ok():\n    return 1\n\n\ndef broken(:\n    return 2\n');
    fs.writeFileSync(path.join(dir, 'greetings.py'), GREETINGS);
    fs.writeFileSync(path.join(dir, 'counter.py'), COUNTER);
    fs.writeFileSync(path.join(dir, 'cycles.py'), CYCLES_SCRIPT);
    fs.writeFileSync(path.join(dir, 'hot.py'), SPECIALIZE_SCRIPT);
    fs.copyFileSync(path.join(repoRoot, 'examples', 'birds.py'), path.join(dir, 'birds.py'));
    writeImportsWorkspace(dir);
    fs.writeFileSync(
      path.join(dir, 'objects.py'),
      ['a = b = c = []', 'n = 7', 'def f(x):', '    y = z = [x]', '    return y', 'f(3)', ''].join('\n'),
    );
    return dir;
  }

  /** The AST panel's page: code-server nests each webview's content in an inner frame. */
  function astPanel(page: Page) {
    return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  }

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

  /** A workspace whose code, and whose interpreter, record in `marker` that they ran. */
  function hostileFixture(marker: string): string {
    const dir = fixture();
    const touch = `import pathlib; pathlib.Path(${JSON.stringify(marker)}).write_text(__name__)\n`;
    // Code that would run if anything imported or executed the workspace.
    for (const name of ['dis.py', 'ast.py', 'json.py', 'types.py', 'sitecustomize.py', 'usercustomize.py'])
      fs.writeFileSync(path.join(dir, name), touch);
    fs.writeFileSync(path.join(dir, 'shapes.py'), touch + fs.readFileSync(path.join(dir, 'shapes.py'), 'utf8'));
    // An interpreter the workspace offers: a script that records being run.
    const evil = path.join(dir, '.venv', 'bin', 'python');
    fs.mkdirSync(path.dirname(evil), { recursive: true });
    fs.writeFileSync(evil, `#!/bin/sh\necho "$@" > ${JSON.stringify(marker)}\nexec ${JSON.stringify(python.requested)} "$@"\n`, {
      mode: 0o755,
    });
    fs.mkdirSync(path.join(dir, '.vscode'));
    fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), JSON.stringify({ 'pythonInternals.interpreterPath': evil }));
    return dir;
  }

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

  it('in an untrusted folder no user code runs and the workspace cannot choose the interpreter', async () => {
    const marker = path.join(tempDir('e2e-marker'), 'user-code-ran');
    const { wb, page } = await open(hostileFixture(marker), {
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
    const { wb } = await open(hostileFixture(marker), { trust: true, settings: { 'pythonInternals.interpreterPath': python.requested } });
    const editor = await wb.openFile('shapes.py', 'class Circle');
    await wb.hover(editor, 'return math.pi', 'radius', /Circle\.area/);
    // The workspace's interpreter ran, and only as an interpreter: the workspace's
    // dis.py, sitecustomize.py and shapes.py were never imported or executed.
    const ran = await waitFor(() => fs.existsSync(marker) && fs.readFileSync(marker, 'utf8'), 'the workspace interpreter to run');
    assert.doesNotMatch(ran, /^(dis|ast|json|types|sitecustomize|usercustomize|shapes|__main__)$/);
  });
});
