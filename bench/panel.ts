/**
 * The AST panel's numbers on the 16k-line file: the server's answer to a
 * stage request (after an edit, so nothing is cached), the page's first
 * paint in headless Chromium (request sent → data in → rows painted), the
 * cursor → marked node update, the rows in the DOM and the page's JS heap.
 */
import { performance } from 'node:perf_hooks';
import type { InterpreterInfo, PipelineStage } from '../protocol';
import { CursorNotification, PipelineRequest, PipelineStateNotification, StageRequest, type StageParams } from '../protocol';
import { launchBrowser } from '../test/e2e/codeServer';
import { waitFor } from '../test/helpers/deadline';
import { LspClient } from '../test/helpers/lspClient';
import { PanelPage } from '../test/webview/harness';

export interface PanelTimes {
  /** Server: the first AST request after open (every chunk parsed; the worker already running). */
  firstAst: number;
  /** Server: stage request → answer, per stage, after an edit. */
  server: Record<PipelineStage, number[]>;
  /** Page: request → data received → painted, the AST tab, after an edit. */
  paint: number[];
  data: number[];
  /** Page: cursor notification received → the marked node painted. */
  cursor: number[];
  domRows: number;
  heapMb: number;
  nodes: number;
}

interface Mark {
  name: string;
  t: number;
}

export async function panelTimes(
  python: InterpreterInfo,
  file: string,
  text: string,
  repeats: number,
  cursorMoves: number,
  random: () => number,
): Promise<PanelTimes> {
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
        { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: `# panel edit ${i}\n` },
      ]);
    };
    const stages: PipelineStage[] = ['tokens', 'ast', 'optimizedAst', 'symtable', 'syntaxTree'];
    const server = Object.fromEntries(stages.map((s) => [s, [] as number[]])) as Record<PipelineStage, number[]>;
    // The worker started on a small file first; then the big file's first AST parses every chunk (no cache yet).
    const small = await client.open(file.replace(/\.py$/, '-small.py'), 'x = 1\n');
    await client.connection.sendRequest(PipelineRequest.type, { textDocument: { uri: small }, stage: 'ast' });
    const t0 = performance.now();
    await client.connection.sendRequest(PipelineRequest.type, { textDocument: { uri }, stage: 'ast' });
    const firstAst = performance.now() - t0;
    for (let i = 0; i < repeats; i++) {
      await edit(i);
      for (const stage of stages) {
        const t0 = performance.now();
        await client.connection.sendRequest(PipelineRequest.type, { textDocument: { uri }, stage });
        server[stage].push(performance.now() - t0);
      }
    }

    const page = await PanelPage.open(browser, 'pipeline.js', (method, params) => {
      if (method !== StageRequest.type.method) throw new Error(`unexpected ${method}`);
      return client.connection.sendRequest(PipelineRequest.type, { textDocument: { uri }, stage: (params as StageParams).stage });
    });
    const marks = () =>
      page.page.evaluate(() => (globalThis as unknown as { __pythonInternalsMetrics: Mark[] }).__pythonInternalsMetrics.slice());
    const paint: number[] = [];
    const data: number[] = [];
    await page.nextNotification('panel/ready');
    const lines = text.split('\n');
    for (let i = 0; i < repeats; i++) {
      await edit(100 + i);
      const before = (await marks()).length;
      await page.notify(PipelineStateNotification.type.method, {
        document: { uri, fileName: 'corpus-16k.py', version },
        pinned: false,
        interpreter: python,
        defaultInterpreter: python,
        interpreters: [python],
      });
      const m = await waitFor(
        async () => {
          const all = (await marks()).slice(before);
          const req = all.find((x) => x.name === 'request:ast');
          const got = all.find((x) => x.name === 'data:ast');
          const painted = all.find((x) => x.name === 'paint:ast');
          return req && got && painted ? { req, got, painted } : undefined;
        },
        'the AST painted',
        60_000,
      );
      data.push(m.got.t - m.req.t);
      paint.push(m.painted.t - m.req.t);
    }
    const cursor: number[] = [];
    for (let i = 0; i < cursorMoves; i++) {
      const line = Math.floor(random() * lines.length);
      const character = Math.floor(random() * Math.max(1, lines[line]!.length));
      const before = (await marks()).length;
      await page.notify(CursorNotification.type.method, { uri, selection: [line, character, line, character], active: [line, character] });
      const m = await waitFor(
        async () => {
          const all = (await marks()).slice(before);
          const got = all.find((x) => x.name === 'cursor');
          const done = all.find((x) => x.name === 'cursor-marked');
          return got && done ? done.t - got.t : undefined;
        },
        'the cursor marked',
        10_000,
      );
      cursor.push(m);
    }
    const domRows = await page.page.locator('.tree-row').count();
    // Runs in the page: its own `performance`, not Node's.
    const heap = await page.page.evaluate(
      () => (globalThis as unknown as { performance: { memory?: { usedJSHeapSize: number } } }).performance.memory?.usedJSHeapSize ?? 0,
    );
    const nodesText = await page.page.locator('.status').innerText();
    await page.close();
    return {
      firstAst,
      server,
      paint,
      data,
      cursor,
      domRows,
      heapMb: heap / 2 ** 20,
      nodes: Number(/([\d,]+) nodes/.exec(nodesText)?.[1]?.replace(/,/g, '') ?? 0),
    };
  } finally {
    await browser.close();
    await client.stop();
  }
}
