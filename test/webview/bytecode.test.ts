/**
 * The bytecode panel's page (dist/webview/bytecode.js) in headless Chromium
 * with a stub `acquireVsCodeApi`; the harness plays the extension and
 * forwards the page's requests to the real language server over stdio, on
 * the newest and the oldest CPython found (3.11+ give column positions,
 * 3.8-3.10 whole lines).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import {
  BytecodeStateNotification,
  type BytecodePanelState,
  CodeObjectPanelRequest,
  CodeObjectRequest,
  CodeObjectsPanelRequest,
  CodeObjectsRequest,
  type CompileChoice,
  CursorNotification,
  type CursorParams,
  type InterpreterInfo,
  LineBandsNotification,
  type LineBand,
  SelectSourceNotification,
  RunRequest,
  type SelectSourceParams,
  type Span,
  SpecializeRequest,
} from '../../protocol';
import { launchBrowser } from '../e2e/codeServer';
import { waitFor } from '../helpers/deadline';
import { LspClient } from '../helpers/lspClient';
import { repoRoot, tempDir, testPythons } from '../helpers/pythons';
import { PanelPage } from './harness';

/** Non-ASCII text before the augmented assignment on its line: the spans the page sends must still be exact (UTF-16). */
export const BYTECODE_SAMPLE = `# café ☕ 🐍
class Counter:
    def __init__(self):
        self.x = 0

    def add(self, y):
        s = "é🐍"; self.x += y
        try:
            return [v * 2 for v in range(y)]
        except ValueError:
            return None

assert Counter, "module-level assert: gone under -O"
`;
const LINES = BYTECODE_SAMPLE.split('\n');
const AUG_LINE = 6;
const ATTR_START = LINES[AUG_LINE]!.indexOf('self.x');
/** `self.x`: what STORE_ATTR's positions cover on 3.11+. */
const ATTR_SPAN: Span = [AUG_LINE, ATTR_START, AUG_LINE, ATTR_START + 'self.x'.length];
/** The whole line from its first non-blank character: all 3.8-3.10 know. */
const LINE_SPAN: Span = [AUG_LINE, 8, AUG_LINE, LINES[AUG_LINE]!.length];

const shotDir = path.join(repoRoot, 'test-results', 'webview');
/** What the pages asked Specialize to call. */
const specializeCalls: Array<{ call?: string; times?: number; callArgs?: string }> = [];

describe('bytecode panel page in Chromium (stub acquireVsCodeApi, real server)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let pythons: InterpreterInfo[];

  before(async () => {
    fs.mkdirSync(shotDir, { recursive: true });
    const found = await testPythons();
    const sorted = [...found].sort((a, b) => a.version[1] - b.version[1]);
    // The newest and the oldest: column positions and whole lines.
    pythons = sorted.length > 1 ? [sorted[sorted.length - 1]!, sorted[0]!] : sorted;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
  });

  /** A page on its own server with `python`, the sample open, the state sent. */
  async function openPage(
    python: InterpreterInfo,
    text = BYTECODE_SAMPLE,
  ): Promise<{ page: PanelPage; client: LspClient; uri: string; state: () => BytecodePanelState }> {
    const { client } = await LspClient.start({
      interpreterPath: python.executable,
      precompile: { enabled: false },
      runtime: { trusted: true },
    });
    const file = path.join(tempDir('webview-bc'), 'counter.py');
    fs.writeFileSync(file, text);
    const uri = await client.open(file, text);
    const page = await PanelPage.open(browser, 'bytecode.js', (method, params) => {
      const choice = params as CompileChoice & { path?: number[] };
      const common = {
        textDocument: { uri },
        optimize: choice.optimize,
        ...(choice.interpreterPath ? { interpreterPath: choice.interpreterPath } : {}),
      };
      if (method === CodeObjectsPanelRequest.type.method) return client.connection.sendRequest(CodeObjectsRequest.type, common);
      if (method === CodeObjectPanelRequest.type.method)
        return client.connection.sendRequest(CodeObjectRequest.type, { ...common, path: choice.path! });
      if (method === SpecializeRequest.type.method) {
        // What the extension does: run the file under the specialize view with the panel's interpreter.
        const { call, times, callArgs } = params as { call?: string; times?: number; callArgs?: string };
        specializeCalls.push({ call, times, callArgs });
        return client.connection
          .sendRequest(RunRequest.type, {
            textDocument: { uri },
            view: 'specialize',
            runId: 'spec',
            ...(call ? { call, times, ...(callArgs ? { callArgs } : {}) } : {}),
          })
          .then((result) => ({ result, version: 1 }));
      }
      throw new Error(`unexpected request ${method}`);
    });
    const state = (): BytecodePanelState => ({
      document: { uri, fileName: 'counter.py', version: 1 },
      pinned: false,
      interpreter: python,
      defaultInterpreter: python,
      interpreters: [python],
    });
    await page.nextNotification('panel/ready');
    await page.notify(BytecodeStateNotification.type.method, state());
    return { page, client, uri, state };
  }

  async function close(page: PanelPage, client: LspClient, title: string): Promise<void> {
    if (page.errors.length) await page.page.screenshot({ path: path.join(shotDir, `FAILED-bytecode-${title}.png`) });
    assert.deepEqual(page.errors, [], 'no errors in the page');
    await page.close();
    await client.stop();
  }

  const cursor = (page: PanelPage, uri: string, line: number, character: number) =>
    page.notify(CursorNotification.type.method, {
      uri,
      selection: [line, character, line, character],
      active: [line, character],
    } satisfies CursorParams);

  it('follows the cursor into the method, marks the instructions there (aria-current) and selects exactly their source', async () => {
    for (const python of pythons) {
      const { page, client, uri } = await openPage(python);
      try {
        await waitFor(async () => (await page.page.locator('pi-tree.code-tree [role="treeitem"]').count()) >= 3, 'code objects');
        await cursor(page, uri, AUG_LINE, ATTR_START + 'self.'.length);
        const selected = page.page.locator('pi-tree.code-tree [role="treeitem"][aria-selected="true"]');
        await waitFor(async () => /Counter\.add/.test(await selected.innerText().catch(() => '')), 'Counter.add selected');
        const current = page.page.locator('pi-tree.instructions [role="row"][aria-current="true"]');
        const storeAttr = current.filter({ hasText: 'STORE_ATTR' });
        await waitFor(async () => (await storeAttr.count()) === 1, `STORE_ATTR marked on ${python.versionText}`);
        const marked = await current.allInnerTexts();
        // 3.11+: only what covers `x` of self.x (not `y`, not `s = ...`); before: the whole line.
        if (python.version[1] >= 11)
          assert.ok(
            marked.every((t) => !/LOAD_FAST\s+\d+\s+y\b/.test(t) && !/STORE_FAST.*\bs\b/.test(t)),
            marked.join('\n'),
          );
        else
          assert.ok(
            marked.some((t) => /STORE_FAST/.test(t)),
            marked.join('\n'),
          );

        const from = page.notifications.length;
        await storeAttr.click();
        const select = await page.nextNotification<SelectSourceParams>(SelectSourceNotification.type.method, from);
        const span = python.version[1] >= 11 ? ATTR_SPAN : LINE_SPAN;
        assert.deepEqual(select, { uri, span, focusEditor: false }, python.versionText);
        assert.equal(LINES[AUG_LINE]!.slice(span[1], span[3]), python.version[1] >= 11 ? 'self.x' : 's = "é🐍"; self.x += y');

        // Enter on the focused row goes to the source, focus included.
        const enterFrom = page.notifications.length;
        await page.page.keyboard.press('Enter');
        const enter = await page.nextNotification<SelectSourceParams>(SelectSourceNotification.type.method, enterFrom);
        assert.equal(enter.focusEditor, true);

        // The editor's lines get the colour bands of the code object's lines (its own lines only).
        const bands = await page.nextNotification<{ uri: string; bands: LineBand[] }>(LineBandsNotification.type.method, 0, 10_000, (p) =>
          p.bands.some(([line]) => line === AUG_LINE),
        );
        assert.ok(
          bands.bands.every(([line, band]) => line >= 5 && line <= 10 && band >= 0 && band < 6),
          JSON.stringify(bands.bands),
        );
        await page.page.screenshot({ path: path.join(shotDir, `bytecode-${python.versionText}.png`) });
      } finally {
        await close(page, client, python.versionText);
      }
    }
  });

  it('draws the control-flow graph with Graphviz, exception edges dashed, and selects a block', async () => {
    const python = pythons[0]!;
    const { page, client, uri } = await openPage(python);
    try {
      await cursor(page, uri, AUG_LINE, ATTR_START);
      const current = page.page.locator('pi-tree.instructions [role="row"][aria-current="true"]');
      await waitFor(async () => (await current.count()) > 0, 'instructions marked');
      const detail = await client.connection.sendRequest(CodeObjectRequest.type, { textDocument: { uri }, path: [0, 1], optimize: 0 });
      assert.ok('blocks' in detail.result, JSON.stringify(detail.result));
      const blocks = detail.result.blocks;
      await page.page.locator('vscode-tab-header', { hasText: 'Control flow' }).click();
      const nodes = page.page.locator('.cfg-graph g.node');
      await waitFor(async () => (await nodes.count()) === blocks.length, `${blocks.length} blocks drawn`, 30_000);
      const exceptionEdges = blocks.reduce((n, b) => n + b.edges.filter((e) => e.kind === 'exception').length, 0);
      assert.ok(exceptionEdges > 0, 'a try/except has exception edges');
      assert.equal(await page.page.locator('.cfg-graph g.edge.exception').count(), exceptionEdges);
      assert.ok(
        (await page.page.locator('.cfg-graph g.edge.exception path[stroke-dasharray]').count()) === exceptionEdges,
        'exception edges dashed',
      );
      // The block of the marked instructions is marked too.
      assert.ok((await page.page.locator('.cfg-graph g.node[aria-current="true"]').count()) >= 1);
      await page.page.screenshot({ path: path.join(shotDir, `bytecode-cfg-${python.versionText}.png`) });

      const from = page.notifications.length;
      await nodes.nth(0).focus();
      await page.page.keyboard.press('Enter');
      const select = await page.nextNotification<SelectSourceParams>(SelectSourceNotification.type.method, from);
      assert.equal(select.focusEditor, true);
    } finally {
      await close(page, client, 'cfg');
    }
  });

  it('shows the exception table (3.11+) or says why not, and the code object fields', async () => {
    for (const python of pythons) {
      const { page, client, uri } = await openPage(python);
      try {
        // On `try:`: code of Counter.add alone (the comprehension's line has its own code object before 3.12).
        await cursor(page, uri, AUG_LINE + 1, 9);
        await waitFor(async () => (await page.page.locator('pi-tree.instructions [role="row"]').count()) > 5, 'instructions');
        await page.page.locator('vscode-tab-header', { hasText: 'Exception table' }).click();
        if (python.version[1] >= 11) {
          const rows = page.page.locator('.exception-table tbody tr');
          await waitFor(async () => (await rows.count()) >= 1, 'exception table rows');
          const from = page.notifications.length;
          await rows.first().click();
          const select = await page.nextNotification<SelectSourceParams>(SelectSourceNotification.type.method, from);
          assert.ok(select.span[0] >= AUG_LINE, JSON.stringify(select.span));
        } else {
          await page.page.locator('.unavailable').waitFor();
          assert.match(await page.page.locator('.unavailable').innerText(), /3\.11/);
        }
        await page.page.locator('vscode-tab-header', { hasText: 'Code object' }).click();
        const fields = page.page.locator('.fields');
        await fields.waitFor();
        const text = await fields.innerText();
        assert.match(text, /co_stacksize/);
        assert.match(text, /co_varnames[\s\S]*self[\s\S]*y/);
      } finally {
        await close(page, client, `tables-${python.versionText}`);
      }
    }
  });

  it('compares the code object with another interpreter (or -O) as an aligned diff with a summary', async () => {
    const python = pythons[0]!;
    const { page, client, uri, state } = await openPage(python);
    try {
      // Every interpreter found is offered; the farthest version is the default target.
      await page.notify(BytecodeStateNotification.type.method, { ...state(), interpreters: pythons });
      await cursor(page, uri, AUG_LINE, ATTR_START);
      await waitFor(
        async () => (await page.page.locator('pi-tree.instructions [role="row"][aria-current="true"]').count()) > 0,
        'instructions marked',
      );
      await page.page.locator('vscode-tab-header', { hasText: 'Compare' }).click();
      const summary = page.page.locator('.compare-summary');
      await summary.waitFor({ timeout: 30_000 });
      const text = await summary.innerText();
      const other = pythons.length > 1 ? pythons[pythons.length - 1]! : python;
      assert.match(
        text,
        new RegExp(`CPython ${python.versionText.replace(/\./g, '\\.')} → CPython ${other.versionText.replace(/\./g, '\\.')}`),
      );
      assert.match(text, /\d+ → \d+ instructions \(\+\d+ −\d+\)/);
      const rows = page.page.locator('pi-tree.compare [role="row"]');
      assert.ok((await rows.count()) > 5);
      if (pythons.length > 1)
        assert.ok((await page.page.locator('pi-tree.compare .diff-added, pi-tree.compare .diff-removed').count()) > 0, 'versions differ');
      await page.page.screenshot({ path: path.join(shotDir, 'bytecode-compare.png') });
      // A row of the panel's own side selects its source.
      const from = page.notifications.length;
      await rows.filter({ hasText: 'STORE_ATTR' }).first().click();
      const select = await page.nextNotification<SelectSourceParams>(SelectSourceNotification.type.method, from);
      assert.equal(select.span[0], AUG_LINE);
    } finally {
      await close(page, client, 'compare');
    }
  });

  it('names every code object the cursor line runs in, innermost first, and switches to one', async () => {
    for (const python of pythons) {
      const { page, client, uri } = await openPage(python);
      try {
        // `class Counter:` runs in the class body (its first line) and in the module (which builds the class).
        await cursor(page, uri, 1, 0);
        const chips = page.page.locator('.also-on-line .code-chip');
        await waitFor(async () => (await chips.count()) === 2, `two code objects on line 2 (${python.versionText})`);
        assert.deepEqual(await chips.allInnerTexts(), ['Counter', '<module>']);
        assert.equal(await chips.nth(0).getAttribute('aria-current'), 'true');
        await chips.nth(1).click();
        await waitFor(async () => (await page.page.locator('.code-title').innerText()) === '<module>', 'the module shown');
        await waitFor(
          async () => (await page.page.locator('pi-tree.instructions [role="row"]', { hasText: 'LOAD_BUILD_CLASS' }).count()) === 1,
          'the module builds the class',
        );
        // The cursor moving on the same line keeps the code object picked.
        await cursor(page, uri, 1, 3);
        await waitFor(async () => (await chips.nth(1).getAttribute('aria-current')) === 'true', 'the module still shown');
      } finally {
        await close(page, client, `also-${python.versionText}`);
      }
    }
  });

  it('follows edits: a def inserted above moves the method, a syntax error keeps the last listing greyed', async () => {
    const python = pythons[0]!;
    const { page, client, uri, state } = await openPage(python);
    try {
      await cursor(page, uri, AUG_LINE, ATTR_START + 5);
      const storeAttr = page.page.locator('pi-tree.instructions [role="row"][aria-current="true"]', { hasText: 'STORE_ATTR' });
      await waitFor(async () => (await storeAttr.count()) === 1, 'STORE_ATTR marked');
      // A function inserted above the class: every line moves down 3, the tree is new.
      const v2 = await client.change(uri, [
        { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'def first():\n    return 1\n\n' },
      ]);
      // The cursor moves first (as the editor's 40 ms beats the state's 120 ms), then the new version is announced.
      await cursor(page, uri, AUG_LINE + 3, ATTR_START + 5);
      await page.notify(BytecodeStateNotification.type.method, { ...state(), document: { uri, fileName: 'counter.py', version: v2 } });
      const selected = page.page.locator('pi-tree.code-tree [role="treeitem"][aria-selected="true"]');
      await waitFor(
        async () => /Counter\.add/.test(await selected.innerText().catch(() => '')) && (await storeAttr.count()) === 1,
        'Counter.add and its STORE_ATTR after the edit',
      );
      const from = page.notifications.length;
      await storeAttr.click();
      const select = await page.nextNotification<SelectSourceParams>(SelectSourceNotification.type.method, from);
      assert.equal(select.span[0], AUG_LINE + 3);
      // A syntax error: CPython's message, the last listing kept and greyed.
      const v3 = await client.change(uri, [{ range: { start: { line: 2, character: 15 }, end: { line: 2, character: 15 } }, text: ' +' }]);
      await page.notify(BytecodeStateNotification.type.method, { ...state(), document: { uri, fileName: 'counter.py', version: v3 } });
      await page.page.locator('.error-banner').waitFor();
      assert.match(await page.page.locator('.error-banner').innerText(), /SyntaxError/);
      await waitFor(async () => (await page.page.locator('pi-tree.instructions[stale]').count()) === 1, 'the listing greyed');
      await page.nextNotification<{ bands: LineBand[] }>(LineBandsNotification.type.method, from, 10_000, (p) => p.bands.length === 0);
    } finally {
      await close(page, client, 'edits');
    }
  });

  it('shows the specialized bytecode a run leaves in each instruction (3.11+), or says why not', async () => {
    const text = [
      'class P:',
      '    def __init__(self, x):',
      '        self.x = x',
      '    def get(self):',
      '        return self.x + 1',
      '',
      'def work(n):',
      '    t = 0',
      '    for i in range(n):',
      '        t += P(i).get()',
      '    return t',
      '',
      'work(2000)',
      '',
    ].join('\n');
    for (const python of pythons) {
      const { page, client, uri } = await openPage(python, text);
      try {
        await cursor(page, uri, 4, 10);
        await waitFor(async () => /P\.get/.test(await page.page.locator('.code-title').innerText()), 'P.get shown');
        await page.page.locator('vscode-toolbar-button.specialize').click();
        if (python.version[1] >= 11) {
          const specialized = page.page
            .locator('pi-tree.instructions [role="row"]', { hasText: 'LOAD_ATTR' })
            .locator('.adaptive.specialized');
          await waitFor(
            async () => /→ LOAD_ATTR_INSTANCE_VALUE/.test(await specialized.innerText().catch(() => '')),
            `${python.versionText}: LOAD_ATTR specialized`,
            30_000,
          );
          assert.match(
            await page.page.locator('.specialize-summary').innerText(),
            /After a run: \d+ of \d+ specializable instructions specialized/,
          );
          await page.page.screenshot({ path: path.join(shotDir, `bytecode-specialized-${python.versionText}.png`) });
          // A module that only defines: the call given after the run specializes the method.
          const before = specializeCalls.length;
          await page.page.locator('.specialize-call input').fill('work(300) * 20');
          await page.page.locator('vscode-toolbar-button.specialize').click();
          await waitFor(() => specializeCalls.length > before, 'a Specialize request with the call');
          assert.deepEqual(specializeCalls.at(-1), { call: 'work', times: 20, callArgs: '300' });
          await waitFor(
            async () =>
              /After a run: \d+ of \d+/.test(
                await page.page
                  .locator('.specialize-summary')
                  .innerText()
                  .catch(() => ''),
              ),
            'the report after the call',
          );
        } else {
          await waitFor(
            async () =>
              /no adaptive bytecode: specialization is new in 3\.11/.test(
                await page.page
                  .locator('.specialize-line')
                  .innerText()
                  .catch(() => ''),
              ),
            'why not',
          );
        }
      } finally {
        await close(page, client, `specialize-${python.versionText}`);
      }
    }
  });

  it('picks a code object in the tree and asks for it; the optimization level asks for the tree again', async () => {
    const python = pythons[0]!;
    const { page, client } = await openPage(python);
    try {
      const items = page.page.locator('pi-tree.code-tree [role="treeitem"]');
      await waitFor(async () => (await items.count()) >= 3, 'code objects');
      const init = items.filter({ hasText: '__init__' });
      const from = page.requests.length;
      await init.click();
      await waitFor(() => page.requests.slice(from).some((r) => r.method === CodeObjectPanelRequest.type.method), 'a codeObject request');
      await waitFor(async () => /__init__/.test(await page.page.locator('.code-title').innerText()), 'the __init__ listing');
      await waitFor(
        async () => (await page.page.locator('pi-tree.instructions [role="row"]', { hasText: 'STORE_ATTR' }).count()) === 1,
        '__init__ instructions',
      );

      // The module's assert is there at level 0 and gone under -O.
      await items.filter({ hasText: '<module>' }).click();
      const assertRows = page.page.locator('pi-tree.instructions [role="row"]', { hasText: /LOAD_ASSERTION_ERROR|AssertionError/ });
      await waitFor(async () => (await assertRows.count()) === 1, 'the assert in the module');
      const before = page.requests.length;
      await page.page.evaluate(() => {
        // Runs in the page: choose -O in the picker as a user would, then tell the page.
        const select = (
          globalThis as unknown as { document: { querySelector(s: string): { value: string; dispatchEvent(e: unknown): void } } }
        ).document.querySelector('vscode-single-select.optimize');
        select.value = '1';
        select.dispatchEvent(new (globalThis as unknown as { Event: new (t: string) => unknown }).Event('change'));
      });
      await waitFor(
        () =>
          page.requests
            .slice(before)
            .some((r) => r.method === CodeObjectsPanelRequest.type.method && (r.params as CompileChoice).optimize === 1),
        'a codeObjects request at -O',
      );
      await items.filter({ hasText: '<module>' }).click();
      await waitFor(
        async () => /RETURN/.test(await page.page.locator('pi-tree.instructions').innerText()) && (await assertRows.count()) === 0,
        'no assert under -O',
      );
    } finally {
      await close(page, client, 'picker');
    }
  });
});
