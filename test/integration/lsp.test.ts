/**
 * The language server as any LSP client sees it: `node dist/server.js --stdio`
 * driven by a real JSON-RPC client, on every CPython 3.8+ found.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Diagnostic, DiagnosticSeverity, DidChangeConfigurationNotification } from 'vscode-languageserver-protocol';
import { BytecodeListingRequest, LineBytecodeRequest } from '../../protocol';
import { waitFor } from '../helpers/deadline';
import { hoverText, LspClient } from '../helpers/lspClient';
import { oldPythons, repoRoot, tempDir, testPythons } from '../helpers/pythons';

const shapesPath = path.join(repoRoot, 'examples', 'shapes.py');
const shapes = fs.readFileSync(shapesPath, 'utf8');
/** 0-based line of `return math.pi * self.radius ** 2` inside Circle.area. */
const areaLine = shapes.split('\n').findIndex((l) => l.includes('return math.pi * self.radius ** 2'));

describe('language server over stdio (real JSON-RPC client)', function () {
  this.timeout(120_000);
  const clients: LspClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.stop();
  });
  async function start(settings: Parameters<typeof LspClient.start>[0]) {
    const started = await LspClient.start({ diagnostics: { debounceMs: 20 }, ...settings });
    clients.push(started.client);
    return started;
  }

  it('answers a hover inside a function on every interpreter chosen by initializationOptions.interpreterPath', async () => {
    assert.ok(areaLine > 0);
    for (const python of await testPythons()) {
      const { client, init } = await start({ interpreterPath: python.requested });
      assert.equal(init.capabilities.hoverProvider, true);
      assert.deepEqual(init.capabilities.textDocumentSync, { openClose: true, change: 2 });
      const status = await client.status();
      assert.equal(status.source, 'setting');
      assert.equal(status.interpreter?.versionText, python.versionText);

      const uri = await client.open(shapesPath, shapes);
      const column = shapes.split('\n')[areaLine]!.indexOf('math');
      const text = hoverText(await client.hover(uri, areaLine, column));
      const line = await client.connection.sendRequest(LineBytecodeRequest.type, {
        textDocument: { uri },
        position: { line: areaLine, character: column },
      });
      assert.equal(line.codeObject.qualname, 'Circle.area');
      assert.equal(line.line, areaLine + 1);
      assert.ok(line.instructions.length >= 4, `${python.versionText}: ${line.instructions.length} instructions`);
      assert.ok(line.instructions.every((i) => i.line === areaLine + 1));
      // The hover shows exactly those instructions, the code object and the interpreter.
      assert.match(text, /^```python-bytecode\n/);
      for (const ins of line.instructions)
        assert.ok(text.includes(ins.opname), `${python.versionText}: ${ins.opname} missing from hover:\n${text}`);
      assert.ok(text.includes('`Circle.area`'), text);
      assert.ok(text.includes(`CPython ${python.versionText}`), text);
      assert.ok(text.includes('command:pythonInternals.showBytecode?'), text);
      // The attribute `pi` of the imported module is loaded on that line.
      assert.match(text, /\bpi\b/);
      await client.stop();
    }
  });

  it('shows a line whole: a generator expression inside a method, and its first iterable loaded by the method, on every interpreter', async () => {
    const source = [
      'class Console:',
      '    def render(self):',
      '        return "".join(text.upper() for text, style, _ in self._buffer)',
      '',
      'def helper(x=[1, 2]):',
      '    return x',
      '',
    ].join('\n');
    for (const python of await testPythons()) {
      const { client } = await start({ interpreterPath: python.requested, precompile: { enabled: false } });
      const uri = await client.open(path.join(path.dirname(shapesPath), 'console.py'), source);
      const column = source.split('\n')[2]!.indexOf('text.upper');
      const line = await client.connection.sendRequest(LineBytecodeRequest.type, {
        textDocument: { uri },
        position: { line: 2, character: column },
      });
      // Innermost first: the generator expression, then the method that builds and iterates it.
      assert.equal(line.codeObject.qualname, 'Console.render.<locals>.<genexpr>', python.versionText);
      assert.deepEqual(
        line.alsoIn?.map((a) => a.qualname),
        ['Console.render'],
        python.versionText,
      );
      const render = line.alsoIn[0]!.instructions;
      assert.ok(
        render.some((i) => i.opname === 'LOAD_ATTR' && i.argrepr.includes('_buffer')),
        JSON.stringify(render),
      );
      assert.ok(
        render.some((i) => i.opname === 'GET_ITER'),
        JSON.stringify(render),
      );
      const text = hoverText(await client.hover(uri, 2, column));
      assert.ok(text.indexOf('`Console.render.<locals>.<genexpr>`') < text.indexOf('`Console.render` · line 3'), text);
      assert.match(text, /_buffer/);
      // A module-level def: its defaults run in the module. 3.11+ give the function a RESUME on that
      // line too: the hover shows it and says the module's code runs there (its offsets are the file's).
      const def = await client.connection.sendRequest(LineBytecodeRequest.type, {
        textDocument: { uri },
        position: { line: 4, character: 4 },
      });
      if (python.version[1] >= 11) {
        assert.equal(def.codeObject.qualname, 'helper', python.versionText);
        assert.equal(def.moduleAlso, true, python.versionText);
        assert.match(hoverText(await client.hover(uri, 4, 4)), /Module-level code runs on this line too/);
      } else {
        assert.equal(def.codeObject.qualname, '<module>', python.versionText);
        assert.ok(
          def.instructions.some((i) => i.opname === 'MAKE_FUNCTION'),
          JSON.stringify(def.instructions),
        );
        assert.equal(def.moduleAlso, undefined);
      }
      await client.stop();
    }
  });

  it('places syntax errors exactly after non-ASCII text on the line, parser (code points) and symtable (UTF-8 bytes) alike, on every interpreter', async () => {
    const dir = tempDir('lsp-wide');
    for (const python of await testPythons()) {
      const { client } = await start({ interpreterPath: python.requested });
      // symtable's error, its offset in UTF-8 bytes: at `nonlocal`, after 🐍 (4 bytes, 2 UTF-16 units) and é (2 bytes, 1 unit).
      const symtable = 's = "🐍é"; nonlocal x\n';
      const uri = await client.open(path.join(dir, 'symtable.py'), symtable);
      const [diag] = (await client.diagnosticsFor(uri, 1)).diagnostics;
      assert.match(
        Diagnostic.getMessageString(diag!),
        /nonlocal declaration not allowed/,
        `${python.versionText}: ${JSON.stringify(diag)}`,
      );
      assert.deepEqual(diag!.range.start, { line: 0, character: symtable.indexOf('nonlocal') }, python.versionText);
      // The parser's error, its offset in code points: at the `)` with nothing to close.
      const parser = 's = "🐍é世界"; y = 1 + )\n';
      const version = await client.change(uri, [{ text: parser }]);
      const [paren] = (await client.diagnosticsFor(uri, version)).diagnostics;
      if (python.version[1] >= 9)
        assert.deepEqual(
          paren!.range.start,
          { line: 0, character: parser.indexOf(')') },
          `${python.versionText}: ${JSON.stringify(paren)}`,
        );
      else assert.equal(paren!.range.start.line, 0, python.versionText);
      await client.stop();
    }
  });

  it('publishes the compiler’s warnings as warnings, in CPython’s words, on their lines, on every interpreter', async () => {
    const dir = tempDir('lsp-warnings');
    const text = 'x = 1\nif x is 1:\n    pass\n';
    for (const python of await testPythons()) {
      const { client } = await start({ interpreterPath: python.requested });
      const uri = await client.open(path.join(dir, 'warn.py'), text);
      const published = (await client.diagnosticsFor(uri, 1)).diagnostics;
      assert.equal(published.length, 1, `${python.versionText}: ${JSON.stringify(published)}`);
      const [warning] = published;
      assert.equal(warning!.severity, DiagnosticSeverity.Warning);
      assert.equal(warning!.code, 'SyntaxWarning');
      assert.match(Diagnostic.getMessageString(warning!), /"is" with .*literal/, python.versionText);
      assert.equal(warning!.source, `CPython ${python.versionText}`);
      assert.deepEqual(warning!.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 'if x is 1:'.length } });
      // Fixed: the warning goes.
      const version = await client.change(uri, [{ text: text.replace('is 1', '== 1') }]);
      assert.deepEqual((await client.diagnosticsFor(uri, version)).diagnostics, [], python.versionText);
      await client.stop();
    }
  });

  it('follows incremental edits, publishes syntax errors, and still hovers elsewhere in a broken file', async () => {
    const [python] = await testPythons();
    const { client } = await start({ interpreterPath: python!.requested });
    const uri = await client.open(shapesPath, shapes);
    assert.deepEqual((await client.diagnosticsFor(uri, 1)).diagnostics, []);

    // Insert two lines after the __future__ import: the function moves down by two.
    const importLine = shapes.split('\n').indexOf('import math');
    await client.change(uri, [
      { range: { start: { line: importLine, character: 0 }, end: { line: importLine, character: 0 } }, text: 'x = 1\ny = 2\n' },
    ]);
    const moved = areaLine + 2;
    let text = hoverText(await client.hover(uri, moved, 12));
    assert.ok(text.includes('`Circle.area`') && text.includes(`line ${moved + 1}:`), text);

    // Change `** 2` to `** 3` inside the function: the hover shows the new constant.
    const col = shapes.split('\n')[areaLine]!.indexOf('** 2') + 3;
    await client.change(uri, [{ range: { start: { line: moved, character: col }, end: { line: moved, character: col + 1 } }, text: '3' }]);
    text = hoverText(await client.hover(uri, moved, 12));
    assert.match(text, /\(3\)/, text);
    assert.doesNotMatch(text, /\(2\)/, text);

    // Break a line inside another function: CPython's SyntaxError becomes a diagnostic on that line.
    const totalLine = shapes.split('\n').findIndex((l) => l.includes('total = 0.0')) + 2;
    let version = await client.change(uri, [
      { range: { start: { line: totalLine, character: 0 }, end: { line: totalLine, character: 0 } }, text: '    total = = 1\n' },
    ]);
    const published = await client.diagnosticsFor(uri, version);
    assert.equal(published.diagnostics.length, 1, JSON.stringify(published));
    const diag = published.diagnostics[0]!;
    assert.equal(diag.range.start.line, totalLine);
    assert.match(Diagnostic.getMessageString(diag), /invalid syntax|expected/i);
    assert.equal(diag.source, `CPython ${python!.versionText}`);

    // Hover in the unbroken function still answers, from its own statement.
    text = hoverText(await client.hover(uri, moved, 12));
    assert.ok(text.includes('`Circle.area`'), text);
    // Hover on the broken line says why, clearly.
    text = hoverText(await client.hover(uri, totalLine, 6));
    assert.match(text, /SyntaxError|invalid syntax/i);

    // Undo the break: diagnostics clear.
    version = await client.change(uri, [
      { range: { start: { line: totalLine, character: 0 }, end: { line: totalLine + 1, character: 0 } }, text: '' },
    ]);
    assert.deepEqual((await client.diagnosticsFor(uri, version)).diagnostics, []);

    // The full listing reveals the hovered code object.
    const listing = await client.connection.sendRequest(BytecodeListingRequest.type, { textDocument: { uri }, line: moved });
    assert.match(listing.text.split('\n')[listing.revealLine!]!, /Disassembly of Circle\.area/);
    assert.equal(await client.stop(), 0);
  });

  it('survives its CPython worker being killed mid-session', async () => {
    const [python] = await testPythons();
    const { client } = await start({ interpreterPath: python!.requested });
    const uri = await client.open(shapesPath, shapes);
    assert.ok(hoverText(await client.hover(uri, areaLine, 12)).includes('`Circle.area`'));
    const workers = await waitFor(() => (client.childPids().length > 0 ? client.childPids() : undefined), 'a worker process');
    for (const pid of workers) process.kill(-pid, 'SIGKILL');
    // An edit inside the function forces a fresh compile, on the replacement worker.
    const col = shapes.split('\n')[areaLine]!.indexOf('** 2') + 3;
    await client.change(uri, [
      { range: { start: { line: areaLine, character: col }, end: { line: areaLine, character: col + 1 } }, text: '4' },
    ]);
    const text = hoverText(await client.hover(uri, areaLine, 12));
    assert.ok(text.includes('`Circle.area`') && text.includes('(4)'), text);
    const after = client.childPids();
    assert.ok(after.length > 0 && after.every((pid) => !workers.includes(pid)), `${workers.join()} → ${after.join()}`);
  });

  it('answers bad input with a clear message and stays alive', async () => {
    const [python] = await testPythons();
    const { client } = await start({ interpreterPath: python!.requested });
    const dir = tempDir('lsp-bad');

    // NUL bytes.
    const nul = await client.open(path.join(dir, 'nul.py'), 'def f():\n    return 1\x00\n');
    assert.match(hoverText(await client.hover(nul, 1, 4)), /null/i);

    // Too deep to compile: CPython's own limits surface as messages.
    const deep = await client.open(path.join(dir, 'deep.py'), `def f():\n    return ${'('.repeat(250)}1${')'.repeat(250)}\n`);
    assert.match(hoverText(await client.hover(deep, 1, 4)), /too many nested parentheses|recursion|memory|too complex/i);
    const deepList = await client.open(path.join(dir, 'deep2.py'), `x = ${'['.repeat(1000)}${']'.repeat(1000)}\n`);
    assert.match(hoverText(await client.hover(deepList, 0, 0)), /too many nested parentheses|out of memory/i);
    const deepUnary = await client.open(path.join(dir, 'deep3.py'), `x = ${'-'.repeat(100_000)}1\n`);
    assert.match(hoverText(await client.hover(deepUnary, 0, 0)), /out of memory|recursion/i);

    // A 5 MB file: a hover inside its last function answers from that statement alone.
    const body = Array.from({ length: 100_000 }, (_, i) => `def f${i}(a, b):\n    return a * ${i} + b + len('padding')\n`).join('');
    assert.ok(body.length > 5_000_000, String(body.length));
    const big = await client.open(path.join(dir, 'big.py'), body);
    const lines = body.split('\n').length;
    const bigText = hoverText(await client.hover(big, lines - 2, 6));
    assert.ok(bigText.includes('`f99999`'), bigText.slice(0, 500));

    // Everything still works afterwards.
    const uri = await client.open(shapesPath, shapes);
    assert.ok(hoverText(await client.hover(uri, areaLine, 12)).includes('`Circle.area`'));
  });

  it('says clearly when the interpreter is missing or too old, and recovers when it is changed', async () => {
    const { client } = await start({ interpreterPath: '/nonexistent/bin/python3' });
    const status = await client.status();
    assert.equal(status.interpreter, undefined);
    assert.match(status.error!, /nonexistent/);
    const uri = await client.open(shapesPath, shapes);
    assert.match(hoverText(await client.hover(uri, areaLine, 12)), /nonexistent/);

    for (const old of oldPythons()) {
      const before = client.statuses.length;
      await client.connection.sendNotification(DidChangeConfigurationNotification.type, {
        settings: { pythonInternals: { interpreterPath: old } },
      });
      const s = await client.status(before);
      assert.match(s.error!, /not supported.*3\.8 or newer/, s.error);
      assert.match(hoverText(await client.hover(uri, areaLine, 12)), /3\.8 or newer/);
    }

    const [python] = await testPythons();
    const before = client.statuses.length;
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { pythonInternals: { interpreterPath: python!.requested } },
    });
    assert.equal((await client.status(before)).interpreter?.versionText, python!.versionText);
    assert.ok(hoverText(await client.hover(uri, areaLine, 12)).includes('`Circle.area`'));
    // Without an interpreter the precompile waited quietly; with one it runs.
    assert.equal((await client.precompiledFor(uri, 1)).functions, 6);
    assert.deepEqual(
      client.log.filter((line) => /precompile/i.test(line)),
      [],
    );
  });

  it('turns hovers off and on through settings', async () => {
    const [python] = await testPythons();
    const { client } = await start({ interpreterPath: python!.requested, hover: { enabled: false } });
    const uri = await client.open(shapesPath, shapes);
    assert.equal(await client.hover(uri, areaLine, 12), null);
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { pythonInternals: { hover: { enabled: true, mode: 'detailed' } } },
    });
    const text = hoverText(await client.hover(uri, areaLine, 12));
    assert.ok(text.includes('`Circle.area`'), text);
    assert.match(text, /args 1 · .*stack \d+ · flags OPTIMIZED/);
  });

  it('precompiles every function after open, only what changed after an edit, and not at all when turned off', async () => {
    const [python] = await testPythons();
    const { client } = await start({ interpreterPath: python!.requested });
    const uri = await client.open(shapesPath, shapes);
    // Circle.area and Circle.scaled (each with the class header only), total_area, make_counter, squares, fetch_all.
    const opened = await client.precompiledFor(uri, 1);
    assert.deepEqual([opened.functions, opened.compiled], [6, 6]);
    const version = await client.change(uri, [
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '# a comment moves every function down\n' },
    ]);
    const edited = await client.precompiledFor(uri, version);
    assert.deepEqual([edited.functions, edited.compiled], [6, 0], 'snippets do not depend on where the function is');
    const text = hoverText(await client.hover(uri, areaLine + 1, 12));
    assert.ok(text.includes('`Circle.area`'), text);

    const off = (await start({ interpreterPath: python!.requested, precompile: { enabled: false } })).client;
    const offUri = await off.open(shapesPath, shapes);
    assert.ok(hoverText(await off.hover(offUri, areaLine, 12)).includes('`Circle.area`'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(off.precompiled, []);
    await off.connection.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { pythonInternals: { precompile: { enabled: true } } },
    });
    const late = await off.precompiledFor(offUri, 1);
    // Circle.area was compiled by the hover already.
    assert.deepEqual([late.functions, late.compiled], [6, 5]);
  });
});
