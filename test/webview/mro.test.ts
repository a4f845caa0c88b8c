/**
 * The MRO panel's page (dist/webview/mro.js) in headless Chromium with a stub
 * `acquireVsCodeApi`, answered by the real static MRO (server/mro/) over the
 * corpus's diamond and a real runtime run of it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import {
  CursorNotification,
  MroPanelRequest,
  type MroPanelParams,
  MroRuntimeRequest,
  MroStateNotification,
  type MroPanelState,
  type SelectSourceParams,
} from '../../protocol';
import { DocumentStore } from '../../server/documents/documents';
import { createParser } from '../../server/documents/parser';
import { ModuleIndex } from '../../server/mro/modules';
import { MroService } from '../../server/mro/service';
import { runDocument } from '../../server/runtime/service';
import { launchBrowser } from '../e2e/codeServer';
import { waitFor } from '../helpers/deadline';
import { repoRoot, testPythons } from '../helpers/pythons';
import { PanelPage } from './harness';

const CORPUS = path.join(repoRoot, 'test', 'corpus', 'mro');
const shotDir = path.join(repoRoot, 'test-results', 'webview');

/** A corpus file open in a document store, answered by the real static MRO. */
async function openCorpus(name: string) {
  const file = path.join(CORPUS, name);
  const text = fs.readFileSync(file, 'utf8');
  const parser = await createParser();
  const docs = new DocumentStore(parser);
  const service = new MroService(
    new ModuleIndex(
      parser,
      () => docs.all(),
      () => [CORPUS],
    ),
  );
  const doc = docs.open(pathToFileURL(file).href, 1, text);
  return { text, docs, service, doc };
}

describe('MRO page in Chromium (stub acquireVsCodeApi, the real static MRO and a real run)', function () {
  this.timeout(120_000);
  let browser: Browser;

  before(async () => {
    fs.mkdirSync(shotDir, { recursive: true });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
  });

  it('follows the cursor into Diamond: linearization, graph, C3 steps, where who() resolves, then the runtime beside it', async () => {
    const python = (await testPythons())[0]!;
    const { text, docs, service, doc } = await openCorpus('diamond.py');
    const page = await PanelPage.open(browser, 'mro.js', async (method, params) => {
      if (method === MroPanelRequest.type.method) {
        const p = params as MroPanelParams;
        return service.request(doc, {
          textDocument: { uri: doc.uri },
          ...(p.position ? { position: p.position } : {}),
          ...(p.qualname ? { qualname: p.qualname } : {}),
        });
      }
      if (method === MroRuntimeRequest.type.method) {
        const result = await runDocument(
          doc,
          { textDocument: { uri: doc.uri }, view: 'mro', runId: 'w' },
          python,
          { trusted: true, timeoutMs: 30_000, memoryMb: 1024 },
          () => {},
          undefined,
          service.importedAs(doc),
        );
        return { result, version: 1 };
      }
      throw new Error(`unexpected ${method}`);
    });
    try {
      await page.nextNotification('panel/ready');
      const state: MroPanelState = {
        document: { uri: doc.uri, fileName: 'diamond.py', version: 1 },
        pinned: false,
        interpreters: [],
        trusted: true,
      };
      await page.notify(MroStateNotification.type.method, state);
      const line = text.split('\n').findIndex((l) => l.startsWith('class Diamond'));
      await page.notify(CursorNotification.type.method, { uri: doc.uri, selection: [line + 1, 4, line + 1, 4], active: [line + 1, 4] });
      const chips = page.page.locator('ol[aria-label="Static MRO"] .mro-chip');
      await waitFor(async () => (await chips.count()) === 5, 'the five classes of the static MRO');
      assert.deepEqual(
        (await chips.allInnerTexts()).map((t) => t.trim()),
        ['Diamond', 'Left', 'Right', 'Root', 'object'],
      );
      // The class following the cursor is current in the list.
      assert.equal(await page.page.locator('.mro-classes a[aria-current="true"]').innerText(), 'Diamond');
      // Graphviz drew every class once (the diamond's Root too), Diamond current.
      await page.page.locator('.mro-graph svg g.node').first().waitFor();
      assert.equal(await page.page.locator('.mro-graph svg g.node').count(), 5);
      assert.match((await page.page.locator('.mro-graph svg g.node[aria-current="true"]').getAttribute('aria-label')) ?? '', /^Diamond/);
      // The merge: four rounds; in the second Root is refused (in Right's tail).
      const steps = page.page.locator('.mro-steps tbody tr');
      assert.equal(await steps.count(), 4);
      assert.equal(await steps.nth(1).locator('.head.rejected').first().innerText(), 'Root');
      assert.equal(await steps.nth(1).locator('.head.chosen').first().innerText(), 'Right');
      const who = page.page
        .locator('.mro-attributes tbody tr')
        .filter({ has: page.page.locator('td:first-child code', { hasText: /^who$/ }) });
      const cells = (await who.locator('td').allInnerTexts()).map((t) => t.trim());
      assert.equal(cells[1], 'Left');
      assert.equal(cells[3], 'Right, Root');
      // Enter on a chip goes to that class's definition, exactly its name.
      const from = page.notifications.length;
      await chips.nth(2).focus();
      await page.page.keyboard.press('Enter');
      const select = await page.nextNotification<SelectSourceParams>('panel/selectSource', from);
      const rightLine = text.split('\n').findIndex((l) => l.startsWith('class Right'));
      assert.deepEqual(select, { uri: doc.uri, span: [rightLine, 6, rightLine, 11], focusEditor: true });
      await page.page.screenshot({ path: path.join(shotDir, 'mro.png'), fullPage: true });

      await page.page.locator('.run-mro').click();
      const runtimeChips = page.page.locator('ol[aria-label="Runtime MRO"] .mro-chip');
      await waitFor(async () => (await runtimeChips.count()) === 5, 'the runtime MRO', 30_000);
      assert.deepEqual(
        (await runtimeChips.allInnerTexts()).map((t) => t.trim()),
        ['Diamond', 'Left', 'Right', 'Root', 'object'],
      );
      assert.match(await page.page.locator('.mro-detail').innerText(), /The static MRO is CPython’s\./);
      assert.equal(await page.page.locator('.mro-attributes tr.differs').count(), 0);
      assert.match((await who.locator('td').nth(5).innerText()).trim(), /^Left · method/);
      assert.deepEqual(page.errors, []);
    } finally {
      await page.close();
      docs.close(doc.uri);
    }
  });

  it('shows a refused hierarchy as CPython words it, with the merge step that fails', async () => {
    const { text, docs, service, doc } = await openCorpus('bad_cross.py');
    const page = await PanelPage.open(browser, 'mro.js', (_method, params) =>
      service.request(doc, { textDocument: { uri: doc.uri }, ...(params as MroPanelParams) }),
    );
    try {
      await page.nextNotification('panel/ready');
      await page.notify(MroStateNotification.type.method, {
        document: { uri: doc.uri, fileName: 'bad_cross.py', version: 1 },
        pinned: false,
        interpreters: [],
        trusted: false,
        reveal: { line: text.split('\n').findIndex((l) => l.startsWith('class R')), character: 6, serial: 1 },
      });
      await page.page.locator('.mro-error').waitFor();
      assert.equal(
        (await page.page.locator('.mro-error').innerText()).trim(),
        'TypeError: Cannot create a consistent method resolution order (MRO) for bases X, Y',
      );
      assert.equal(await page.page.locator('.mro-steps tbody tr.failed').count(), 1);
      assert.equal(await page.page.locator('.mro-classes .flag.error').count(), 1);
      assert.deepEqual(page.errors, []);
    } finally {
      await page.close();
      docs.close(doc.uri);
    }
  });
});
