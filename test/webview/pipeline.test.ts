/**
 * The AST panel's page (dist/webview/pipeline.js) in headless Chromium with
 * a stub `acquireVsCodeApi`; the harness plays the extension and forwards the
 * page's stage requests to the real language server over stdio.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import {
  CopyAstDumpRequest,
  type CopyAstDumpParams,
  CursorNotification,
  type CursorParams,
  type NodeTree,
  SetInterpreterNotification,
  SetPinnedNotification,
  HighlightNotification,
  type HighlightParams,
  type InterpreterInfo,
  PipelineRequest,
  type PipelinePanelState,
  PipelineStateNotification,
  SelectSourceNotification,
  type SelectSourceParams,
  type Span,
  StageRequest,
  type StageParams,
} from '../../protocol';
import { launchBrowser } from '../e2e/codeServer';
import { waitFor } from '../helpers/deadline';
import { LspClient } from '../helpers/lspClient';
import { repoRoot, tempDir, testPythons } from '../helpers/pythons';
import { treeRows } from '../helpers/trees';
import { PanelPage } from './harness';

/** Non-ASCII text before code on the same line: the spans the page sends must still be exact (UTF-16). */
export const SAMPLE = `# café ☕ 🐍
def f(values, scale=2):
    total = 0
    for v in values:
        s = "é🐍"; total += v * scale
    return total


class C:
    x = 1 + 2
`;
const LINES = SAMPLE.split('\n');
const AUG_LINE = 4;
const AUG_START = LINES[AUG_LINE]!.indexOf('total +=');
const AUG_SPAN: Span = [AUG_LINE, AUG_START, AUG_LINE, LINES[AUG_LINE]!.length];

const shotDir = path.join(repoRoot, 'test-results', 'webview');

describe('AST panel page in Chromium (stub acquireVsCodeApi, real server)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let client: LspClient;
  let uri: string;
  let python: InterpreterInfo;
  let page: PanelPage;
  let version = 1;

  const state = (): PipelinePanelState => ({
    document: { uri, fileName: 'sample.py', version },
    pinned: false,
    interpreter: python,
    defaultInterpreter: python,
    interpreters: [python],
  });

  before(async () => {
    fs.mkdirSync(shotDir, { recursive: true });
    const pythons = await testPythons();
    python = pythons[pythons.length - 1]!;
    for (const p of pythons) if (p.version[1] > python.version[1]) python = p;
    ({ client } = await LspClient.start({ interpreterPath: python.executable, precompile: { enabled: false } }));
    uri = await client.open(path.join(tempDir('webview'), 'sample.py'), SAMPLE);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await client?.stop();
  });

  beforeEach(async () => {
    page = await PanelPage.open(browser, 'pipeline.js', (method, params) => {
      if (method === StageRequest.type.method) {
        const { stage } = params as StageParams;
        return client.connection.sendRequest(PipelineRequest.type, { textDocument: { uri }, stage });
      }
      throw new Error(`unexpected request ${method}`);
    });
    await page.nextNotification('panel/ready');
    await page.notify(PipelineStateNotification.type.method, state());
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await page.page.screenshot({ path: path.join(shotDir, `FAILED-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 50)}.png`) });
    }
    assert.deepEqual(page.errors, [], 'no errors in the page');
    await page.close();
  });

  const rows = (selector = '[role="treeitem"], [role="row"]') => page.page.locator(selector);

  async function showTab(label: string): Promise<void> {
    await page.page.locator('vscode-tab-header', { hasText: label }).first().click();
  }

  async function cursor(line: number, character: number, selection?: Span): Promise<void> {
    const params: CursorParams = { uri, selection: selection ?? [line, character, line, character], active: [line, character] };
    await page.notify(CursorNotification.type.method, params);
  }

  it('renders every tab from the server: tokens, AST, optimized AST, symbol table, syntax tree', async () => {
    await waitFor(async () => (await rows().count()) >= 3, 'AST rows');
    assert.match(await rows().first().innerText(), /Module/);

    await showTab('Tokens');
    await waitFor(async () => (await page.page.locator('[role="grid"] [role="row"]').count()) > 5, 'token rows');
    assert.match(await page.page.locator('[role="row"]').nth(0).innerText(), /COMMENT/);

    await showTab('Optimized AST');
    if (python.version[1] >= 13) {
      await waitFor(async () => (await rows().count()) >= 3, 'optimized AST rows');
    } else {
      await page.page.locator('.unavailable').waitFor();
      assert.match(await page.page.locator('.unavailable').innerText(), /3\.13/);
    }

    await showTab('Symbol table');
    await waitFor(async () => (await rows().count()) > 1, 'scopes');
    const text = await page.page.locator('pi-tree').innerText();
    assert.match(text, /module/);

    await showTab('Syntax tree');
    await waitFor(async () => (await rows().count()) >= 2, 'tree-sitter rows');
    assert.match(await rows().first().innerText(), /module/);
    await page.page.screenshot({ path: path.join(shotDir, 'syntax-tree.png') });
  });

  it('marks the node under the editor cursor (aria-selected) and moves it when the cursor moves', async () => {
    await waitFor(async () => (await rows().count()) >= 3, 'AST rows');
    const plus = LINES[AUG_LINE]!.indexOf('+=');
    await cursor(AUG_LINE, plus);
    const marked = page.page.locator('[role="treeitem"][aria-selected="true"]');
    await waitFor(async () => /^\s*\S*\s*AugAssign/.test((await marked.innerText().catch(() => '')) ?? ''), 'AugAssign marked');
    assert.equal(await marked.count(), 1);
    await page.page.screenshot({ path: path.join(shotDir, 'ast-augassign.png') });

    // On `scale` in the same line: the Name node.
    await cursor(AUG_LINE, LINES[AUG_LINE]!.indexOf('scale') + 1);
    await waitFor(
      async () => /Name/.test(await marked.innerText().catch(() => '')) && /scale/.test(await marked.innerText()),
      'Name scale marked',
    );
  });

  it('sends typed messages: a click selects the exact source, Enter goes to it, hovering outlines it', async () => {
    await waitFor(async () => (await rows().count()) >= 3, 'AST rows');
    await cursor(AUG_LINE, LINES[AUG_LINE]!.indexOf('+='));
    const marked = page.page.locator('[role="treeitem"][aria-selected="true"]');
    await waitFor(async () => /AugAssign/.test(await marked.innerText().catch(() => '')), 'AugAssign marked');

    let from = page.notifications.length;
    await marked.click();
    const select = await page.nextNotification<SelectSourceParams>(SelectSourceNotification.type.method, from);
    assert.deepEqual(select, { uri, span: AUG_SPAN, focusEditor: false });
    // The editor's text at that span is the statement, whatever the 🐍 before it.
    assert.equal(LINES[AUG_LINE]!.slice(AUG_SPAN[1], AUG_SPAN[3]), 'total += v * scale');

    from = page.notifications.length;
    await page.page.keyboard.press('Enter');
    const enter = await page.nextNotification<SelectSourceParams>(SelectSourceNotification.type.method, from);
    assert.equal(enter.focusEditor, true);
    assert.deepEqual(enter.span, AUG_SPAN);

    // → opens the AugAssign, → again steps into its first child.
    from = page.notifications.length;
    await page.page.keyboard.press('ArrowRight');
    await page.page.keyboard.press('ArrowRight');
    const outline = await page.nextNotification<HighlightParams>(
      HighlightNotification.type.method,
      from,
      10_000,
      (p) => p.kind === 'node' && p.spans.length > 0 && p.spans[0]!.join() !== AUG_SPAN.join(),
    );
    assert.equal(outline.spans.length, 1);
    // The first child of the AugAssign: its target, `total`.
    assert.deepEqual(outline.spans[0], [AUG_LINE, AUG_START, AUG_LINE, AUG_START + 'total'.length]);
  });

  it('selects a symbol: its occurrences are outlined in the editor', async () => {
    await showTab('Symbol table');
    await waitFor(async () => (await rows().count()) > 1, 'scopes');
    await cursor(AUG_LINE, AUG_START + 1);
    const marked = page.page.locator('[role="treeitem"][aria-selected="true"]');
    await waitFor(async () => /total/.test(await marked.innerText().catch(() => '')), 'symbol total marked');
    const from = page.notifications.length;
    await marked.click();
    // (Moving the mouse there outlined the row's first occurrence on the way: kind 'node'.)
    const occurrences = await page.nextNotification<HighlightParams>(
      HighlightNotification.type.method,
      from,
      10_000,
      (p) => p.kind === 'occurrences',
    );
    const texts = occurrences.spans.map((s) => LINES[s[0]]!.slice(s[1], s[3]));
    assert.ok(texts.length >= 3, JSON.stringify(occurrences.spans));
    assert.ok(
      texts.every((t) => t === 'total'),
      texts.join(),
    );
  });

  it('marks the token under the cursor (aria-current) in the token table', async () => {
    await showTab('Tokens');
    await waitFor(async () => (await rows('[role="row"]').count()) > 5, 'token rows');
    await cursor(AUG_LINE, LINES[AUG_LINE]!.indexOf('scale') + 2);
    const current = page.page.locator('[role="row"][aria-current="true"]');
    await waitFor(async () => /"scale"/.test(await current.innerText().catch(() => '')), 'token scale current');
  });

  it('copies a node as ast.dump, pins the panel and picks another interpreter by typed messages', async () => {
    await waitFor(async () => (await rows().count()) >= 3, 'AST rows');
    await cursor(AUG_LINE, LINES[AUG_LINE]!.indexOf('+='));
    const marked = page.page.locator('[role="treeitem"][aria-selected="true"]');
    await waitFor(async () => /AugAssign/.test(await marked.innerText().catch(() => '')), 'AugAssign marked');
    await marked.click();
    const dumps: CopyAstDumpParams[] = [];
    page.setHandler((method, params) => {
      if (method === CopyAstDumpRequest.type.method) {
        dumps.push(params as CopyAstDumpParams);
        return { text: 'AugAssign(...)' };
      }
      const { stage } = params as StageParams;
      return client.connection.sendRequest(PipelineRequest.type, { textDocument: { uri }, stage });
    });
    await page.page.locator('vscode-toolbar-button[label="Copy as ast.dump"]').click();
    await waitFor(() => dumps.length === 1, 'a copyAstDump request');
    // The node the page asks for is the AugAssign's row in the server's tree.
    const ast = await client.connection.sendRequest(PipelineRequest.type, { textDocument: { uri }, stage: 'ast' });
    const tree = (ast.result as { data: NodeTree }).data;
    assert.equal(tree.types[treeRows(tree)[dumps[0]!.node]![0]], 'AugAssign');
    assert.equal(dumps[0]!.stage, 'ast');
    await page.page.locator('.notice', { hasText: 'Copied' }).waitFor();

    let from = page.notifications.length;
    await page.page.locator('vscode-toolbar-button.pin').click();
    assert.deepEqual(await page.nextNotification(SetPinnedNotification.type.method, from), { pinned: true });

    // Two interpreters offered: picking the other one asks the extension for it.
    const other = { ...python, executable: '/opt/other/python3', versionText: '3.99.0' };
    await page.notify(PipelineStateNotification.type.method, { ...state(), interpreters: [python, other] });
    from = page.notifications.length;
    await page.page.evaluate((exe) => {
      // Runs in the page: set the picker's value as a user's choice would, then tell the page.
      const select = (
        globalThis as unknown as { document: { querySelector(s: string): { value: string; dispatchEvent(e: unknown): void } } }
      ).document.querySelector('vscode-single-select');
      select.value = exe;
      select.dispatchEvent(new (globalThis as unknown as { Event: new (t: string) => unknown }).Event('change'));
    }, other.executable);
    assert.deepEqual(await page.nextNotification(SetInterpreterNotification.type.method, from), { executable: other.executable });
  });

  it('keeps what the user opened in the tree across an edit', async () => {
    await waitFor(async () => (await rows().count()) >= 3, 'AST rows');
    const classRow = page.page.locator('[role="treeitem"]', { hasText: "ClassDef name='C'" });
    await classRow.locator('.twisty').click();
    assert.equal(await classRow.getAttribute('aria-expanded'), 'true');
    // A comment added above: every line moves, the tree is new, the class stays open.
    version = await client.change(uri, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# moved\n' },
    ]);
    await page.notify(PipelineStateNotification.type.method, state());
    await waitFor(async () => /10:1–11:14/.test(await classRow.innerText().catch(() => '')), 'the class on its new line');
    assert.equal(await classRow.getAttribute('aria-expanded'), 'true');
    version = await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '' }]);
  });

  it('keeps the last good tree, greyed, under the syntax error after a bad edit', async () => {
    await waitFor(async () => (await rows().count()) >= 3, 'AST rows');
    version = await client.change(uri, [{ range: { start: { line: 2, character: 11 }, end: { line: 2, character: 11 } }, text: ' =' }]);
    await page.notify(PipelineStateNotification.type.method, state());
    await page.page.locator('.error-banner').waitFor();
    assert.match(await page.page.locator('.error-banner').innerText(), /SyntaxError/);
    assert.equal(await page.page.locator('pi-tree[stale]').count(), 1);
    await page.page.screenshot({ path: path.join(shotDir, 'ast-syntax-error.png') });
    // Back to good text: the banner goes, the tree is live again.
    version = await client.change(uri, [{ range: { start: { line: 2, character: 11 }, end: { line: 2, character: 13 } }, text: '' }]);
    await page.notify(PipelineStateNotification.type.method, state());
    await waitFor(
      async () => (await page.page.locator('.error-banner').count()) === 0 && (await page.page.locator('pi-tree[stale]').count()) === 0,
      'fresh tree',
    );
  });
});
