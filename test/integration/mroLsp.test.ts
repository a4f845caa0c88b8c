/**
 * The static MRO through a real JSON-RPC client against `node dist/server.js
 * --stdio`: code lenses (and their setting), the class-name hover joined with
 * the line's bytecode, pythonInternals/mro, and inconsistent hierarchies as
 * diagnostics, also when an edit in another open module causes them.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CancellationTokenSource,
  CodeLensRequest,
  DidChangeConfigurationNotification,
  LSPErrorCodes,
  type CodeLens,
  type MarkupContent,
} from 'vscode-languageserver-protocol';
import { type InterpreterInfo, MroRequest } from '../../protocol';
import { waitFor } from '../helpers/deadline';
import { LspClient } from '../helpers/lspClient';
import { repoRoot, tempDir, testPythons } from '../helpers/pythons';

const CORPUS = path.join(repoRoot, 'test', 'corpus', 'mro');
const read = (name: string) => fs.readFileSync(path.join(CORPUS, name), 'utf8');
/** A diagnostic's message as text (LSP 3.18 allows Markdown). */
const messageOf = (d: { message: string | MarkupContent }) => (typeof d.message === 'string' ? d.message : d.message.value);
const rowOf = (text: string, start: string) => text.split('\n').findIndex((l) => l.startsWith(start));

describe('static MRO over LSP (lenses, hover, request, diagnostics)', function () {
  this.timeout(120_000);
  let client: LspClient;
  let python: InterpreterInfo;

  before(async () => {
    python = (await testPythons())[0]!;
    ({ client } = await LspClient.start(
      { interpreterPath: python.executable, precompile: { enabled: false }, diagnostics: { enabled: true, debounceMs: 50 } },
      {},
      CORPUS,
    ));
  });

  after(async () => {
    await client?.stop();
  });

  const lenses = (uri: string) => client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }) as Promise<CodeLens[]>;

  it('a lens above each class names its MRO, across modules and packages, and says where a static MRO stops', async () => {
    const leaf = await client.open(path.join(CORPUS, 'pkg', 'sub', 'leaf.py'), read('pkg/sub/leaf.py'));
    const titles = (await lenses(leaf)).map((l) => l.command?.title);
    assert.deepEqual(titles, [
      'MRO: Leaf → Mid → Other → Base → object',
      'MRO: ViaPackage → Mid → Base → object',
      'MRO: ViaDotted → Other → Mid → Base → object',
      'MRO: ViaStar → Model → JsonMixin → LogMixin → Leaf → Mid → Other → … → object',
    ]);
    const lens = (await lenses(leaf))[0]!;
    assert.equal(lens.command?.command, 'pythonInternals.openMroPanel');
    assert.deepEqual(lens.range.start, { line: rowOf(read('pkg/sub/leaf.py'), 'class Leaf'), character: 6 });
    const generic = await client.open(path.join(CORPUS, 'generic.py'), read('generic.py'));
    const box = (await lenses(generic)).find((l) => l.command?.title.startsWith('MRO: Box'))!;
    assert.equal(box.command!.title, 'MRO: Box → Generic[T] → … (Generic[T] is known at run time)');
  });

  it('hovering a class name shows its MRO above the line’s bytecode; a base’s own MRO on the base', async () => {
    const text = read('pkg/sub/leaf.py');
    const uri = await client.open(path.join(CORPUS, 'pkg', 'sub', 'leaf.py'), text);
    const row = rowOf(text, 'class Leaf');
    const own = (await client.hover(uri, row, 8))!.contents as MarkupContent;
    assert.match(own.value, /^\*\*MRO of `Leaf`\*\*: `Leaf` → `pkg\.base\.Mid` → `pkg\.base\.Other` → `pkg\.base\.Base` → `object`/);
    assert.match(own.value, /```python-bytecode/);
    const base = (await client.hover(uri, row, text.split('\n')[row]!.indexOf('Mid') + 1))!.contents as MarkupContent;
    assert.match(base.value, /^\*\*MRO of `Mid`\*\*: `Mid` → `Base` → `object`/);
  });

  it('a parameter is the function’s own: no MRO on it in the body, the class’s MRO in a default', async () => {
    const text =
      read('pkg/sub/leaf.py') +
      '\n\ndef uses(Leaf=Leaf):\n    return Leaf\n\nlam = lambda Leaf: Leaf\n' +
      '\ndef assigns():\n    Leaf = 1\n    return Leaf\n' +
      '\ndef declares():\n    global Leaf\n    Leaf = Leaf\n' +
      '\ndef outer():\n    def inner():\n        Leaf = 2\n    return Leaf\n';
    const uri = await client.open(path.join(CORPUS, 'pkg', 'sub', 'params.py'), text);
    const lines = text.split('\n');
    const def = lines.findIndex((l) => l.startsWith('def uses'));
    const at = async (row: number, column: number) => ((await client.hover(uri, row, column))!.contents as MarkupContent).value;
    assert.match(await at(def, lines[def]!.lastIndexOf('Leaf') + 1), /^\*\*MRO of `Leaf`\*\*/, 'the default names the class');
    const body = await at(def + 1, 12);
    assert.doesNotMatch(body, /MRO of/, 'the parameter in the body is not the class');
    assert.match(body, /```python-bytecode/);
    const lam = def + 3;
    assert.doesNotMatch(await at(lam, lines[lam]!.lastIndexOf('Leaf') + 1), /MRO of/, 'a lambda’s parameter neither');
    const row = (prefix: string) => lines.findIndex((l) => l.startsWith(prefix));
    assert.doesNotMatch(await at(row('def assigns') + 2, 12), /MRO of/, 'a name the function assigns is its own');
    assert.match(await at(row('def declares') + 2, 12), /^\*\*MRO of `Leaf`\*\*/, 'unless it is declared global');
    assert.match(await at(row('def outer') + 3, 12), /^\*\*MRO of `Leaf`\*\*/, 'a nested function’s local does not hide the global');
    await client.close(uri);
  });

  it('a nested class’s hover links to itself (its column), and a module importing itself in a cycle still hovers', async () => {
    const dir = tempDir('mro-lsp');
    const text = 'from cyc import *\nfrom cyc import Loop\n\n\nclass Outer:\n    class Inner(Loop):\n        pass\n';
    const uri = await client.open(path.join(dir, 'cyc.py'), text);
    const hover = (await client.hover(uri, 5, 11))!.contents as MarkupContent;
    assert.match(hover.value, /^\*\*MRO of `Outer\.Inner`\*\*: `Outer\.Inner` → `cyc\.Loop` \*\(known at run time: .*(not defined|cycle)/);
    const link = /\[MRO panel\]\(command:pythonInternals\.openMroPanel\?([^)]+)\)/.exec(hover.value)![1]!;
    assert.deepEqual(JSON.parse(decodeURIComponent(link)), [{ uri, line: 5, character: 10 }]);
    assert.match(hover.value, /```python-bytecode/, 'the bytecode part is there too');
  });

  it('pythonInternals/mro answers the class at a position in full', async () => {
    const text = read('diamond.py');
    const uri = await client.open(path.join(CORPUS, 'diamond.py'), text);
    const result = await client.connection.sendRequest(MroRequest.type, {
      textDocument: { uri },
      position: { line: rowOf(text, 'class Diamond') + 1, character: 4 },
    });
    assert.equal(result.detail?.cls.qualname, 'Diamond');
    assert.deepEqual(
      result.detail?.mro.map((c) => c.name),
      ['Diamond', 'Left', 'Right', 'Root', 'object'],
    );
    assert.equal(result.classes.length, 7);
  });

  it('lenses are background work: asked while a hover is in flight, they come after it; a cancelled lens request ends', async () => {
    const text = read('diamond.py');
    const uri = await client.open(path.join(CORPUS, 'diamond.py'), text);
    await lenses(uri);
    const row = rowOf(text, 'class Diamond');
    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      // An edit, the user's hover, and the lenses the editor asks for the new version meanwhile
      // (the server answered lenses at once, ahead of the hover waiting for its worker, before they were background work).
      await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: `# edit ${i}\n` }]);
      const hover = client.hover(uri, row + i + 1, 8).then((h) => {
        order.push(`hover ${i}`);
        return h;
      });
      const lens = lenses(uri).then((l) => {
        order.push(`lenses ${i}`);
        return l;
      });
      const [answered, hovered] = await Promise.all([lens, hover]);
      assert.equal(
        answered.find((l) => l.command?.title.startsWith('MRO: Diamond'))?.range.start.line,
        row + i + 1,
        'lenses of the new version',
      );
      assert.match((hovered!.contents as MarkupContent).value, /MRO of `Diamond`/);
    }
    assert.deepEqual(order, ['hover 0', 'lenses 0', 'hover 1', 'lenses 1', 'hover 2', 'lenses 2']);
    // Cancelled while it waits behind a hover (the editor moved on to a newer version): it ends as cancelled.
    const hovering = client.hover(uri, row + 4, 8);
    const source = new CancellationTokenSource();
    const cancelled = client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }, source.token);
    source.cancel();
    await hovering;
    await assert.rejects(cancelled, (err: { code?: number }) => err.code === LSPErrorCodes.RequestCancelled);
  });

  it('an inconsistent hierarchy is a diagnostic, also when an edit in another open module causes it; lenses can be turned off', async () => {
    const mixinsText = read('mixins.py');
    const mixins = await client.open(path.join(CORPUS, 'mixins.py'), mixinsText);
    const diamondText = read('diamond.py');
    const diamond = path.join(CORPUS, 'diamond.py');
    const diamondUri = await client.open(diamond, diamondText);
    const row = rowOf(diamondText, 'class Right(Root)');
    // Right(Root) → Right(Left): Left then precedes Right in Right's MRO, and Both(Left, Right) cannot be ordered.
    await client.change(diamondUri, [{ range: { start: { line: row, character: 12 }, end: { line: row, character: 16 } }, text: 'Left' }]);
    await waitFor(
      () => client.diagnostics.get(mixins)?.diagnostics.some((d) => /consistent method resolution/.test(messageOf(d))),
      'the MRO diagnostic in mixins.py',
      30_000,
    );
    const found = client.diagnostics.get(mixins)!.diagnostics.find((d) => /consistent/.test(messageOf(d)))!;
    // As the server's interpreter words it: 3.8–3.12 break the line after "resolution".
    const expected = `TypeError: Cannot create a consistent method resolution${python.version[1] < 13 ? '\n' : ' '}order (MRO) for bases Left, Right`;
    assert.equal(messageOf(found), expected);
    assert.equal(found.range.start.line, rowOf(mixinsText, 'class Both'));
    // Mended: the diagnostic goes.
    await client.change(diamondUri, [{ range: { start: { line: row, character: 12 }, end: { line: row, character: 16 } }, text: 'Root' }]);
    await waitFor(
      () => !client.diagnostics.get(mixins)?.diagnostics.some((d) => /consistent/.test(messageOf(d))),
      'the diagnostic gone',
      30_000,
    );
    assert.ok((await lenses(mixins)).length > 0);
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { pythonInternals: { mro: { codeLens: false } } },
    });
    await waitFor(async () => (await lenses(mixins)).length === 0, 'no lenses once turned off', 10_000);
  });
});
