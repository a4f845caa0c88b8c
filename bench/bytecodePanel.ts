/**
 * The bytecode panel's numbers on the 16k-line file: the server's answer for
 * the tree of code objects and for the largest function (after an edit, so
 * nothing is cached), the cursor → marked instructions update in headless
 * Chromium, and the Graphviz layout of that function's control-flow graph.
 */
import { performance } from 'node:perf_hooks';
import type { CodeNode, InterpreterInfo } from '../protocol';
import {
  BytecodeStateNotification,
  CodeObjectPanelRequest,
  CodeObjectRequest,
  CodeObjectsPanelRequest,
  CodeObjectsRequest,
  type CompileChoice,
  CursorNotification,
} from '../protocol';
import { launchBrowser } from '../test/e2e/codeServer';
import { waitFor } from '../test/helpers/deadline';
import { LspClient } from '../test/helpers/lspClient';
import { PanelPage } from '../test/webview/harness';

export interface BytecodePanelTimes {
  /** Server: codeObjects after an edit (the whole file compiled), per repeat. */
  tree: number[];
  /** Server: codeObject of the largest function after an edit, per repeat. */
  largest: number[];
  largestName: string;
  largestInstructions: number;
  codeObjects: number;
  /** Page: cursor notification received → the marked instructions painted, inside the largest function. */
  cursor: number[];
  /** Page: Graphviz layout of the largest function's CFG (the first includes loading the wasm). */
  cfg: number[];
  blocks: number;
  domRows: number;
}

interface Mark {
  name: string;
  t: number;
}

function walk(
  node: CodeNode,
  path: number[] = [],
  out: Array<{ node: CodeNode; path: number[] }> = [],
): Array<{ node: CodeNode; path: number[] }> {
  out.push({ node, path });
  node.children.forEach((c, i) => walk(c, [...path, i], out));
  return out;
}

export async function bytecodePanelTimes(
  python: InterpreterInfo,
  file: string,
  text: string,
  repeats: number,
  cursorMoves: number,
  random: () => number,
): Promise<BytecodePanelTimes> {
  const { client } = await LspClient.start({
    interpreterPath: python.executable,
    precompile: { enabled: false },
    diagnostics: { enabled: false },
  });
  const browser = await launchBrowser();
  try {
    const uri = await client.open(file, text);
    let version = 1;
    const edit = async (i: number) => {
      version = await client.change(uri, [
        { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: `# bytecode edit ${i}\n` },
      ]);
    };
    const first = await client.connection.sendRequest(CodeObjectsRequest.type, { textDocument: { uri } });
    if (!('module' in first.result)) throw new Error(`the corpus does not compile: ${JSON.stringify(first.result)}`);
    const all = walk(first.result.module);
    const functions = all.filter((c) => c.node.kind !== 'module' && c.node.kind !== 'class');
    const largest = functions.reduce((a, b) => (b.node.instructionCount > a.node.instructionCount ? b : a));
    const tree: number[] = [];
    const detail: number[] = [];
    for (let i = 0; i < repeats; i++) {
      await edit(i);
      let t0 = performance.now();
      const answer = await client.connection.sendRequest(CodeObjectsRequest.type, { textDocument: { uri } });
      tree.push(performance.now() - t0);
      // The same function after the edit: one line further down, same place in the tree.
      if (!('module' in answer.result)) throw new Error('the corpus stopped compiling');
      t0 = performance.now();
      await client.connection.sendRequest(CodeObjectRequest.type, { textDocument: { uri }, path: largest.path });
      detail.push(performance.now() - t0);
    }

    const page = await PanelPage.open(browser, 'bytecode.js', (method, params) => {
      const choice = params as CompileChoice & { path?: number[] };
      const common = { textDocument: { uri }, optimize: choice.optimize };
      if (method === CodeObjectsPanelRequest.type.method) return client.connection.sendRequest(CodeObjectsRequest.type, common);
      if (method === CodeObjectPanelRequest.type.method)
        return client.connection.sendRequest(CodeObjectRequest.type, { ...common, path: choice.path! });
      throw new Error(`unexpected ${method}`);
    });
    const marks = () =>
      page.page.evaluate(() => (globalThis as unknown as { __pythonInternalsMetrics: Mark[] }).__pythonInternalsMetrics.slice());
    await page.nextNotification('panel/ready');
    // Lines are 1-based in the tree; the edits above moved everything down by `repeats` lines.
    const lines = [...new Set(largest.node.lines)].filter((l) => l >= 1).map((l) => l - 1 + repeats);
    const row = lines[0]!;
    await page.notify(CursorNotification.type.method, { uri, selection: [row, 0, row, 0], active: [row, 0] });
    await page.notify(BytecodeStateNotification.type.method, {
      document: { uri, fileName: 'corpus-16k.py', version },
      pinned: false,
      interpreter: python,
      defaultInterpreter: python,
      interpreters: [python],
    });
    await waitFor(async () => (await marks()).some((m) => m.name === 'paint:codeObject'), 'the largest function painted', 60_000);
    const textLines = text.split('\n');
    const cursor: number[] = [];
    for (let i = 0; i < cursorMoves; i++) {
      const line = lines[Math.floor(random() * lines.length)]!;
      const length = textLines[line - repeats]?.length ?? 1;
      const character = Math.floor(random() * Math.max(1, length));
      const before = (await marks()).length;
      await page.notify(CursorNotification.type.method, { uri, selection: [line, character, line, character], active: [line, character] });
      cursor.push(
        await waitFor(
          async () => {
            const after = (await marks()).slice(before);
            const got = after.find((x) => x.name === 'cursor');
            const done = after.find((x) => x.name === 'cursor-marked');
            return got && done ? done.t - got.t : undefined;
          },
          'the cursor marked',
          10_000,
        ),
      );
    }
    const domRows = await page.page.locator('.tree-row').count();
    const cfg: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = (await marks()).length;
      await page.page.locator('vscode-tab-header', { hasText: i % 2 === 0 ? 'Control flow' : 'Instructions' }).click();
      if (i % 2 === 1) continue;
      cfg.push(
        await waitFor(
          async () => {
            const after = (await marks()).slice(before);
            const start = after.find((x) => x.name === 'cfg:layout-start');
            const done = after.find((x) => x.name === 'cfg:layout-done');
            return start && done ? done.t - start.t : undefined;
          },
          'the CFG laid out',
          60_000,
        ),
      );
    }
    const blocks = await page.page.locator('.cfg-graph g.node').count();
    await page.close();
    return {
      tree,
      largest: detail,
      largestName: largest.node.qualname,
      largestInstructions: largest.node.instructionCount,
      codeObjects: all.length,
      cursor,
      cfg,
      blocks,
      domRows,
    };
  } finally {
    await browser.close();
    await client.stop();
  }
}
