/**
 * A superseded request, seen from the extension's side of a real page
 * (dist/webview/pipeline.js in headless Chromium): the AST panel asks for the
 * AST at version 1, the document moves to version 2 before the answer, and
 * the page asks again. The harness must receive `$/cancelRequest` for the
 * first request (webview/shared/latest.ts cancels it over the page's
 * jsonrpc connection), and the first answer, arriving late, must be
 * dropped: the page shows version 2's tree only. The answers are the real
 * server's, for two texts.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import {
  type InterpreterInfo,
  PipelineRequest,
  type PipelineResult,
  type PipelinePanelState,
  PipelineStateNotification,
  StageRequest,
  type StageParams,
} from '../../protocol';
import { launchBrowser } from '../e2e/codeServer';
import { waitFor } from '../helpers/deadline';
import { LspClient } from '../helpers/lspClient';
import { tempDir, testPythons } from '../helpers/pythons';
import { PanelPage } from './harness';

const VERSION_1 = 'class Alpha:\n    pass\n';
const VERSION_2 = 'def beta():\n    return 1\n';

describe('a superseded request in a page (stub acquireVsCodeApi, real server answers)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let client: LspClient;
  let python: InterpreterInfo;
  const answers = new Map<number, PipelineResult>();
  const uri = 'file:///work/edited.py';

  before(async () => {
    python = (await testPythons()).at(-1)!;
    ({ client } = await LspClient.start({ interpreterPath: python.executable, precompile: { enabled: false } }));
    // The server's AST of each text, as it would answer the page at that version.
    for (const [version, text] of [VERSION_1, VERSION_2].entries()) {
      const file = await client.open(path.join(tempDir('latest'), `v${version + 1}.py`), text);
      const result = await client.connection.sendRequest(PipelineRequest.type, { textDocument: { uri: file }, stage: 'ast' });
      answers.set(version + 1, { ...result, uri, version: version + 1 });
    }
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await client?.stop();
  });

  it('cancels the request for version 1 over the connection once version 2 is asked for, and drops its late answer', async () => {
    /** The answers the test lets go, by version. */
    const release = new Map<number, () => void>();
    const page = await PanelPage.open(browser, 'pipeline.js', (method, params) => {
      assert.equal(method, StageRequest.type.method);
      const { version } = params as StageParams;
      return new Promise<PipelineResult>((resolve) => release.set(version, () => resolve(answers.get(version)!)));
    });
    const state = (version: number): PipelinePanelState => ({
      document: { uri, fileName: 'edited.py', version },
      pinned: false,
      interpreter: python,
      defaultInterpreter: python,
      interpreters: [python],
    });
    const asked = (version: number) => page.requests.find((r) => (r.params as StageParams).version === version);
    try {
      await page.nextNotification('panel/ready');
      // The responses the page receives, in order (listening after the page's own connection, so each is handled when recorded).
      await page.page.evaluate(`window.__responses = [];
        window.addEventListener('message', (e) => {
          if (e.data && e.data.id !== undefined && !e.data.method) window.__responses.push(e.data.id);
        });`);
      await page.notify(PipelineStateNotification.type.method, state(1));
      const first = await waitFor(() => asked(1), 'the request for version 1');
      await page.notify(PipelineStateNotification.type.method, state(2));
      await waitFor(() => asked(2), 'the request for version 2');

      // The superseded request is cancelled by its jsonrpc id.
      const cancel = await page.nextNotification<{ id: number }>('$/cancelRequest');
      assert.equal(cancel.id, first.id);
      assert.equal(page.notifications.filter((n) => n.method === '$/cancelRequest').length, 1, 'the current request is not cancelled');

      // Its answer comes anyway, before version 2's: the page drops it (it still waits for version 2).
      release.get(1)!();
      await waitFor(() => page.page.evaluate(`window.__responses.includes(${JSON.stringify(first.id)})`), 'the late answer delivered');
      await page.page.evaluate('new Promise((resolve) => requestAnimationFrame(resolve))');
      const loading = await page.page.locator('pi-pipeline .message').innerText();
      assert.match(loading, /Loading AST/);
      assert.equal(await page.page.locator('pi-tree').count(), 0, 'no tree from the dropped answer');

      // Version 2's answer is shown.
      release.get(2)!();
      const rows = page.page.locator('[role="treeitem"]');
      await waitFor(async () => (await rows.allInnerTexts()).some((t) => t.includes('beta')), "version 2's tree");
      assert.ok(!(await rows.allInnerTexts()).some((t) => t.includes('Alpha')), "nothing of version 1's tree");
      assert.deepEqual(page.errors, []);
    } finally {
      await page.close();
    }
  });
});
