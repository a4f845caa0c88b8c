/**
 * The language server on CPython in WebAssembly, as any LSP client sees it:
 * `node dist/server.js --stdio` with initializationOptions.interpreterPath
 * "wasm:3.14" answers hovers from the bundled CPython 3.14, on a thread (no
 * CPython process), a panel can pick wasm:3.15, and the runtime lab refuses;
 * with no local CPython at all, the bundled one is used.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  type CodeNode,
  CodeObjectRequest,
  CodeObjectsRequest,
  interpreterLabel,
  ListInterpretersRequest,
  PipelineRequest,
  RunRequest,
  type StageData,
} from '../../protocol';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol';
import { waitFor } from '../helpers/deadline';
import { hoverText, LspClient } from '../helpers/lspClient';
import { repoRoot, tempDir } from '../helpers/pythons';

const shapesPath = path.join(repoRoot, 'examples', 'shapes.py');
const shapes = fs.readFileSync(shapesPath, 'utf8');
const TSTRING = 'def greet(name):\n    return t"hello {name}!"\n';
/** 0-based line of `return math.pi * self.radius ** 2` inside Circle.area. */
const areaLine = shapes.split('\n').findIndex((l) => l.includes('return math.pi * self.radius ** 2'));

describe('language server on CPython in WebAssembly (real JSON-RPC client)', function () {
  this.timeout(180_000);

  it('interpreterPath "wasm:3.14": hovers, the AST panel stages and the bytecode panel from the bundled CPython 3.14 on a thread; a panel picks wasm:3.15; the runtime lab refuses', async () => {
    const { client } = await LspClient.start({ interpreterPath: 'wasm:3.14', runtime: { trusted: true } });
    try {
      const status = await client.status();
      assert.equal(status.source, 'setting');
      assert.deepEqual(
        [status.interpreter?.executable, status.interpreter?.versionText, status.interpreter?.kind],
        ['wasm:3.14', '3.14.2', 'wasm'],
      );

      // Pyodide loads once the interpreter is chosen, before any document asks for it.
      await waitFor(() => client.log.some((line) => /\[wasm 3\.14\.2\] Pyodide loaded in \d+ ms/.test(line)), 'Pyodide loaded', 60_000);

      const uri = await client.open(shapesPath, shapes);
      const column = shapes.split('\n')[areaLine]!.indexOf('math');
      const text = hoverText(await client.hover(uri, areaLine, column));
      assert.match(text, /^```python-bytecode\n/);
      assert.ok(text.includes('`Circle.area`'), text);
      assert.ok(text.includes('CPython 3.14.2'), text);
      // 3.14's own instructions: self borrowed, the small int loaded as such.
      assert.match(text, /LOAD_FAST_BORROW\s+0 \(self\)/);
      assert.match(text, /LOAD_SMALL_INT\s+2/);
      // Compiled in the server's own thread: no CPython process was started.
      assert.deepEqual(client.childPids(), []);

      // The AST panel's stages, on 3.14's own front end: a template string (PEP 750) in every one.
      const tstring = await client.open(path.join(repoRoot, 'examples', 'tstring-wasm-test.py'), TSTRING);
      const stages = Object.fromEntries(
        await Promise.all(
          (['tokens', 'ast', 'optimizedAst', 'symtable'] as const).map(async (stage) => {
            const answer = await client.connection.sendRequest(PipelineRequest.type, { textDocument: { uri: tstring }, stage });
            assert.equal(answer.interpreter?.executable, 'wasm:3.14');
            assert.ok('data' in answer.result, `${stage}: ${JSON.stringify(answer.result).slice(0, 300)}`);
            return [stage, answer.result.data] as const;
          }),
        ),
      ) as { [S in 'tokens' | 'ast' | 'optimizedAst' | 'symtable']: StageData[S] };
      assert.deepEqual(
        stages.tokens.tokens.filter((t) => t[0].startsWith('TSTRING')).map((t) => [t[0], t[2]]),
        [
          ['TSTRING_START', 't"'],
          ['TSTRING_MIDDLE', 'hello '],
          ['TSTRING_MIDDLE', '!'],
          ['TSTRING_END', '"'],
        ],
      );
      for (const tree of [stages.ast, stages.optimizedAst])
        assert.ok(
          ['TemplateStr', 'Interpolation'].every((t) => tree.types.includes(t)),
          tree.types.join(),
        );
      // 3.14's symtable gives the module an __annotate__ scope (PEP 649) even with no annotations, as symtable.symtable does.
      assert.deepEqual(
        stages.symtable.children.map((c) => [c.type, c.name]),
        [
          ['annotation', '__annotate__'],
          ['function', 'greet'],
        ],
      );

      // The bytecode panel: every code object in full, on 3.14 and on a panel's pick of the development
      // alias (a second thread), at each optimization level; the stack depth along the control flow
      // (blocks and edges from 3.14's and 3.15's own opcode tables) must equal CPython's co_stacksize.
      let detailed = 0;
      for (const interpreterPath of [undefined, 'wasm:3.15']) {
        for (const optimize of [0, 2] as const) {
          const tree = await client.connection.sendRequest(CodeObjectsRequest.type, {
            textDocument: { uri },
            optimize,
            ...(interpreterPath ? { interpreterPath } : {}),
          });
          assert.equal(tree.interpreter.executable, interpreterPath ?? 'wasm:3.14');
          assert.ok('module' in tree.result, JSON.stringify(tree.result).slice(0, 300));
          const walk = async (node: CodeNode, at: number[]): Promise<void> => {
            const detail = await client.connection.sendRequest(CodeObjectRequest.type, {
              textDocument: { uri },
              path: at,
              optimize,
              ...(interpreterPath ? { interpreterPath } : {}),
            });
            assert.ok('code' in detail.result, JSON.stringify(detail.result).slice(0, 300));
            const where = `${tree.interpreter.versionText} -O${optimize} ${node.qualname}`;
            assert.equal(detail.result.instructions.length, node.instructionCount, where);
            assert.equal(detail.result.maxDepth, node.stackSize, where);
            assert.ok(detail.result.blocks.length > 0, where);
            detailed++;
            for (const [i, child] of node.children.entries()) await walk(child, [...at, i]);
          };
          await walk(tree.result.module, []);
        }
      }
      assert.ok(detailed >= 4 * 8, `only ${detailed} code objects in full`);

      const refused = await client.connection.sendRequest(RunRequest.type, { textDocument: { uri }, runId: 'wasm', view: 'gc' }).then(
        () => undefined,
        (err: unknown) => err,
      );
      assert.ok(refused instanceof Error, String(refused));
      assert.match(
        refused.message,
        /runtime lab needs a CPython installed on this machine.*wasm:3\.14 \(CPython 3\.14\.2 in WebAssembly\)/,
      );
      assert.deepEqual(client.childPids(), []);

      // PEP 765 (3.14): `return` in `finally` is a SyntaxWarning, published as a warning in CPython's words.
      const pep765 = 'def f():\n    try:\n        pass\n    finally:\n        return 1\n';
      const warnUri = await client.open(path.join(path.dirname(shapesPath), 'pep765.py'), pep765);
      const [warning, ...more] = (await client.diagnosticsFor(warnUri, 1)).diagnostics;
      assert.deepEqual(more, []);
      assert.deepEqual(
        [warning?.severity, warning?.code, warning?.source, warning?.message, warning?.range.start],
        [DiagnosticSeverity.Warning, 'SyntaxWarning', 'CPython 3.14.2', "'return' in a 'finally' block", { line: 4, character: 8 }],
      );
      // Shut down as asked: its threads end with it.
      const stopped = Date.now();
      assert.equal(await client.stop(), 0);
      assert.ok(Date.now() - stopped < 3_000, `the server took ${Date.now() - stopped} ms to exit`);
    } finally {
      await client.stop();
    }
  });

  it('no local CPython (PATH emptied, no setting): the bundled one is used, named as such, and listed last among the interpreters', async () => {
    const { client } = await LspClient.start({ pythonExtensionInterpreter: '/nope/python3' }, { PATH: tempDir('no-python') });
    try {
      const status = await client.status();
      assert.equal(status.source, 'bundled');
      assert.equal(status.interpreter && interpreterLabel(status.interpreter), 'CPython 3.14.2 (WebAssembly, bundled)');
      const uri = await client.open(shapesPath, shapes);
      const text = hoverText(await client.hover(uri, areaLine, shapes.split('\n')[areaLine]!.indexOf('math')));
      assert.ok(text.includes('`Circle.area`') && text.includes('CPython 3.14.2'), text);
      // The pickers' list: this machine's interpreters (found in the usual folders), then the bundled one.
      const listed = await client.connection.sendRequest(ListInterpretersRequest.type);
      assert.deepEqual(listed[listed.length - 1], status.interpreter);
      assert.ok(listed.slice(0, -1).every((i) => i.kind === undefined));
      assert.equal(await client.stop(), 0);
    } finally {
      await client.stop();
    }
  });
});
