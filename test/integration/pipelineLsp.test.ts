/**
 * The compiler-pipeline requests as any LSP client sees them: a real JSON-RPC
 * client against `node dist/server.js --stdio`, on every CPython 3.8+ found.
 * Positions are checked the strict way: every span, sliced out of the
 * document by its UTF-16 positions, must be the node's own source (as
 * CPython's `ast.get_source_segment` reads it) or the token's own string.
 */
import * as assert from 'node:assert/strict';
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  AstDumpRequest,
  NODE_STRIDE,
  InterpreterInfo,
  NodeTree,
  PIPELINE_STAGES,
  PipelineRequest,
  PipelineResult,
  PipelineStage,
  ScopeInfo,
  Span,
  StageData,
} from '../../protocol';
import { decodeInt32 } from '../../server/common/int32';
import { silentLogger } from '../../server/common/logger';
import { compareVersions } from '../../server/cpython/interpreter';
import { Worker } from '../../server/cpython/worker';
import { PositionMapper } from '../../server/documents/positions';
import { LineText } from '../../server/documents/text';
import { astTree } from '../../server/pipeline/astTree';
import { LspClient } from '../helpers/lspClient';
import { tempDir, testPythons } from '../helpers/pythons';
import { type Row, treeRows } from '../helpers/trees';

/** Non-ASCII before code and inside strings, on the same lines as the code; a tab-indented block. */
const SOURCE = [
  '# é ü 名前 🐍: comments count too',
  's = "é🐍"; total = 0; total += 1',
  '名前 = "値🐍"; total += len(名前)',
  'def f(a, *args, key="ü", **kw):',
  '\tdoc = """🐍',
  '\tstill 🐍 é""" ; x = [a for a in args if a != "é"]',
  '\treturn {k: (lambda v: v + "🐍")(k) for k in kw}, doc, x',
  'class C:',
  '    attr: int = 1  # ü',
  '    def m(self): return self.attr + 2 ** 3',
  'y = f"{total!r:>10} 🐍 {s}"',
  '',
].join('\n');

const CRLF_SOURCE = 'a = "é"\r\nb = """🐍\r\n🐍""" ; c = 1\r\nif a:\r\n    d = "ü" + a\r\n';

/** Slice a document by LSP positions (0-based lines split at \r\n, \r, \n; UTF-16 columns). */
function sliceSpan(text: string, span: Span): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  const at = (line: number, character: number) => Math.min(starts[line]! + character, starts[line + 1] ?? text.length);
  return text.slice(at(span[0], span[1]), at(span[2], span[3]));
}

/** CPython's own reading of each AST node's source, in the collector's preorder (null: no position). */
function sourceSegments(python: InterpreterInfo, source: string): Array<string | null> {
  const script = [
    'import ast, json, sys',
    'source = json.loads(sys.stdin.read())',
    'out, stack = [], [ast.parse(source)]',
    'while stack:',
    '    node = stack.pop()',
    '    has = getattr(node, "end_col_offset", None) is not None and getattr(node, "col_offset", None) is not None',
    '    out.append(ast.get_source_segment(source, node) if has else None)',
    '    stack.extend(reversed(list(ast.iter_child_nodes(node))))',
    'sys.stdout.write(json.dumps(out))',
  ].join('\n');
  return JSON.parse(
    cp.execFileSync(python.executable, ['-I', '-c', script], { input: JSON.stringify(source), encoding: 'utf8', maxBuffer: 1 << 28 }),
  ) as Array<string | null>;
}

function rowsOfType(tree: NodeTree, type: string): Row[] {
  const index = tree.types.indexOf(type);
  return treeRows(tree).filter((r) => r[0] === index);
}

function spanOf(row: Row): Span {
  return [row[4], row[5], row[6], row[7]];
}

function scalar(tree: NodeTree, row: Row, field: string): string | undefined {
  const index = tree.fields.indexOf(field);
  return row[8] === 0 ? undefined : row[8].find(([f]) => f === index)?.[1];
}

function allScopes(scope: ScopeInfo): ScopeInfo[] {
  return [scope, ...scope.children.flatMap(allScopes)];
}

describe('compiler pipeline over LSP (real JSON-RPC client)', function () {
  this.timeout(300_000);
  const clients: LspClient[] = [];
  const dir = tempDir('pipeline');
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.stop();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function start(python: InterpreterInfo, settings: Parameters<typeof LspClient.start>[0] = {}): Promise<LspClient> {
    // The panel's requests alone: no background compiles competing for the worker.
    const { client } = await LspClient.start({
      interpreterPath: python.requested,
      precompile: { enabled: false },
      diagnostics: { enabled: false },
      ...settings,
    });
    clients.push(client);
    return client;
  }

  async function stage<S extends PipelineStage>(
    client: LspClient,
    uri: string,
    name: S,
    interpreterPath?: string,
  ): Promise<PipelineResult & { data?: StageData[S] }> {
    const answer = await client.connection.sendRequest(PipelineRequest.type, {
      textDocument: { uri },
      stage: name,
      ...(interpreterPath ? { interpreterPath } : {}),
    });
    assert.equal(answer.result.stage, name);
    return { ...answer, ...('data' in answer.result ? { data: answer.result.data as StageData[S] } : {}) };
  }

  it('answers every stage on every interpreter, each span slicing to its own source', async () => {
    for (const python of await testPythons()) {
      const v = python.versionText;
      const client = await start(python);
      for (const [name, source] of [
        ['unicode.py', SOURCE],
        ['crlf.py', CRLF_SOURCE],
      ] as const) {
        const uri = await client.open(path.join(dir, name), source);
        const results = new Map<PipelineStage, PipelineResult>();
        for (const s of PIPELINE_STAGES) {
          const answer = await stage(client, uri, s);
          results.set(s, answer);
          assert.equal(answer.version, 1);
          assert.equal(answer.interpreter?.versionText, v);
          assert.ok(!('error' in answer.result), `${v} ${name} ${s}: ${JSON.stringify(answer.result)}`);
          assert.ok(answer.ms >= 0);
        }

        // AST: every node with a position is exactly its source.
        const ast = (results.get('ast')!.result as { data: NodeTree }).data;
        const segments = sourceSegments(python, source);
        assert.equal(treeRows(ast).length, segments.length, `${v} ${name}: one row per node`);
        let checked = 0;
        treeRows(ast).forEach((row, i) => {
          const expected = segments[i];
          if (expected === null || expected === undefined) return;
          assert.equal(sliceSpan(source, spanOf(row)), expected, `${v} ${name}: ${ast.types[row[0]]} (row ${i})`);
          checked++;
        });
        assert.ok(checked > (name === 'crlf.py' ? 10 : 40), `${v} ${name}: ${checked} nodes checked`);

        // Tokens: each span slices to the token's string (line breaks are not in the line).
        const tokens = (results.get('tokens')!.result as { data: StageData['tokens'] }).data;
        assert.equal(tokens.error, undefined);
        assert.ok(tokens.tokens.length > 20);
        for (const [type, , string, ...span] of tokens.tokens) {
          // 3.12+'s f-string middles have `{{` unescaped: not the source text.
          if (type === 'FSTRING_MIDDLE' && /[{}]/.test(string)) continue;
          const expected = type === 'NEWLINE' || type === 'NL' ? string.replace(/\r?\n$/, '') : string;
          assert.equal(sliceSpan(source, span), expected, `${v} ${name}: ${type} ${JSON.stringify(string)} at ${span.join()}`);
        }

        // symtable: occurrences of plain names slice to the name.
        const symtable = (results.get('symtable')!.result as { data: ScopeInfo }).data;
        assert.equal(symtable.type, 'module');
        let occurrences = 0;
        for (const scope of allScopes(symtable)) {
          for (const symbol of scope.symbols) {
            for (const span of symbol.occurrences) {
              if (symbol.name.startsWith('.')) continue; // `.0`, a comprehension's hidden argument
              // CPython 3.8 places names inside an f-string wrongly (`total` at col 5, not 7): its AST, not ours.
              if (compareVersions(python.version, [3, 9]) < 0 && source.split(/\r?\n/)[span[0]]!.includes('f"')) continue;
              assert.equal(sliceSpan(source, span), symbol.name, `${v} ${name}: ${scope.name}.${symbol.name}`);
              occurrences++;
            }
          }
        }
        assert.ok(occurrences > 5, `${v} ${name}: ${occurrences} occurrences`);

        // tree-sitter: one module root; every leaf's text is its span's.
        const tree = (results.get('syntaxTree')!.result as { data: NodeTree }).data;
        assert.equal(tree.types[treeRows(tree)[0]![0]], 'module');
        for (const row of treeRows(tree).slice(1)) {
          const text = scalar(tree, row, 'text');
          if (text !== undefined && !text.endsWith('…"'))
            assert.equal(sliceSpan(source, spanOf(row)), JSON.parse(text), `${v} ${name}: ${tree.types[row[0]]}`);
        }
        assert.equal(rowsOfType(tree, 'ERROR').length, 0);
        await client.close(uri);
      }

      // The AugAssign after non-ASCII text on its line: exactly `total += 1`.
      const uri = await client.open(path.join(dir, 'aug.py'), SOURCE);
      const ast = (await stage(client, uri, 'ast')).data!;
      const augs = rowsOfType(ast, 'AugAssign').map((r) => sliceSpan(SOURCE, spanOf(r)));
      assert.deepEqual(augs, ['total += 1', 'total += len(名前)'], v);
      const tokens = (await stage(client, uri, 'tokens')).data!;
      const plusEq = tokens.tokens.filter((t) => t[1] === 'PLUSEQUAL').map((t) => t.slice(3) as Span);
      const plusEqAt = SOURCE.split('\n')[1]!.lastIndexOf('+=');
      assert.deepEqual(plusEq[0], [1, plusEqAt, 1, plusEqAt + 2], `${v}: += after "é🐍"`);
      const syntax = (await stage(client, uri, 'syntaxTree')).data!;
      const augNode = rowsOfType(syntax, 'augmented_assignment')[0]!;
      assert.equal(sliceSpan(SOURCE, spanOf(augNode)), 'total += 1');
      assert.equal(scalar(syntax, augNode, 'operator'), '"+="');

      // ast.dump of one node, for the version it was taken from.
      const row = treeRows(ast).findIndex((r) => ast.types[r[0]] === 'AugAssign');
      const dump = await client.connection.sendRequest(AstDumpRequest.type, { textDocument: { uri }, stage: 'ast', node: row, version: 1 });
      assert.match(dump.text, /^AugAssign\(/, v);
      assert.match(dump.text, /id='total'/);
      await assert.rejects(
        client.connection.sendRequest(AstDumpRequest.type, { textDocument: { uri }, stage: 'ast', node: row, version: 0 }),
        /changed/,
      );
      await client.stop();
    }
  });

  it('analyses the unsaved text, reports syntax errors with a span, and stays up', async () => {
    const [python] = await testPythons();
    const client = await start(python!);
    const uri = await client.open(path.join(dir, 'edit.py'), 'x = 1\n');
    const before = await stage(client, uri, 'ast');
    assert.ok(before.data!.types.includes('Assign'));
    // The same version again comes from the cache.
    const again = await stage(client, uri, 'ast');
    assert.deepEqual(again.data, before.data);

    // An unsaved edit: what is analysed is the editor's text.
    const v2 = await client.change(uri, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } }, text: 'renamed_in_editor += "é"' },
    ]);
    const edited = await stage(client, uri, 'ast');
    assert.equal(edited.version, v2);
    assert.ok(edited.data!.types.includes('AugAssign'));
    const name = rowsOfType(edited.data!, 'Name')[0]!;
    assert.equal(scalar(edited.data!, name, 'id'), "'renamed_in_editor'");

    // A syntax error after non-ASCII text on the line: CPython's message, placed in UTF-16.
    const broken = 's = "é🐍"; x = (1 +\n';
    await client.change(uri, [{ text: broken }]);
    for (const s of ['ast', 'symtable', 'tokens'] as const) {
      const answer = await stage(client, uri, s);
      const error = 'error' in answer.result ? answer.result.error : answer.data && 'error' in answer.data ? answer.data.error : undefined;
      assert.ok(error, `${s}: ${JSON.stringify(answer.result).slice(0, 300)}`);
      assert.match(error.message, /Error/);
      assert.ok(error.span, `${s}: a span`);
    }
    const astError = ((await stage(client, uri, 'ast')).result as { error: { message: string; span: Span } }).error;
    const [line, character] = astError.span;
    assert.equal(line, 0);
    // 3.10+ point at the unclosed `(`, 3.8-3.9 at the end of the input.
    assert.ok(sliceSpan(broken, astError.span) === '(' || character >= broken.indexOf('+'), JSON.stringify(astError));

    // symtable's own errors count bytes: after "é🐍" the span still lands on `nonlocal`.
    const nonlocal = 's = "é🐍";   nonlocal x\n';
    await client.change(uri, [{ text: nonlocal }]);
    const symError = (await stage(client, uri, 'symtable')).result as { error: { message: string; span: Span } };
    assert.match(symError.error.message, /nonlocal declaration not allowed/);
    assert.equal(sliceSpan(nonlocal, symError.error.span), 'nonlocal x');

    // tree-sitter keeps going through errors, and shows them.
    await client.change(uri, [{ text: 'def f(:\n    return\nx = (1 +\nclass C(B): pass\n' }]);
    const tree = (await stage(client, uri, 'syntaxTree')).data!;
    assert.ok(rowsOfType(tree, 'ERROR').length > 0, JSON.stringify(tree.types));
    assert.ok(
      treeRows(tree).some((r) => tree.types[r[0]]!.startsWith('MISSING') || (r[8] !== 0 && r[8].some(([, v]) => v.startsWith('MISSING')))),
      'a MISSING node',
    );

    // Still alive: fixed code analyses again.
    await client.change(uri, [{ text: 'ok = 1\n' }]);
    assert.ok((await stage(client, uri, 'tokens')).data!.tokens.some((t) => t[2] === 'ok'));
    // A document that is not open: a clear failure, not a crash.
    await assert.rejects(stage(client, 'file:///not/open.py', 'ast'), /Not an open document/);
    await assert.rejects(stage(client, uri, 'ast', '/no/such/python3'), /not found|Cannot run/);
    assert.ok((await stage(client, uri, 'ast')).data);
  });

  it('runs on another interpreter given by interpreterPath; optimizedAst from 3.13 only', async () => {
    const pythons = await testPythons();
    const client = await start(pythons[0]!);
    const uri = await client.open(path.join(dir, 'fold.py'), 'x = 1 + 2\n');
    const errors = await client.open(path.join(dir, 'errors.py'), '');
    for (const python of pythons) {
      // SyntaxError offsets count code points or bytes depending on who raised them (and the version).
      for (const [source, s, expected] of [
        ['s = "é🐍"; None = 1\n', 'ast', 'None'], // the parser on 3.9+, 3.8's ast.c (bytes)
        ['s = "é🐍";   nonlocal x\n', 'symtable', 'nonlocal x'], // symtable: bytes on every version
        ['s = "é🐍"; x = """abc\n', 'tokens', '"""'], // tokenize: code points (the string's start)
      ] as const) {
        await client.change(errors, [{ text: source }]);
        const answer = await stage(client, errors, s, python.requested);
        const error = 'error' in answer.result ? answer.result.error : (answer.data as StageData['tokens'] | undefined)?.error;
        assert.ok(error?.span, `${python.versionText} ${s}: ${JSON.stringify(answer.result).slice(0, 300)}`);
        const text = sliceSpan(source, error.span);
        // 3.8 and 3.9 give no end: the span is then the first character.
        assert.ok(text.length > 0 && expected.startsWith(text), `${python.versionText} ${s}: ${JSON.stringify(text)} for ${error.message}`);
        if (compareVersions(python.version, [3, 10]) >= 0 && s !== 'tokens') assert.equal(text, expected);
      }
      const answer = await stage(client, uri, 'ast', python.requested);
      assert.equal(answer.interpreter?.versionText, python.versionText);
      assert.ok(answer.data!.types.includes('BinOp'));
      const optimized = await stage(client, uri, 'optimizedAst', python.requested);
      if (compareVersions(python.version, [3, 13]) < 0) {
        assert.ok('unavailable' in optimized.result, JSON.stringify(optimized.result));
        assert.match(optimized.result.unavailable, /3\.13/);
        assert.ok(!optimized.result.unavailable.includes('\n'));
      } else {
        const tree = optimized.data!;
        assert.ok(!tree.types.includes('BinOp'), `${python.versionText}: folded`);
        const constant = rowsOfType(tree, 'Constant')[0]!;
        assert.equal(scalar(tree, constant, 'value'), '3');
        assert.deepEqual(spanOf(constant), [0, 4, 0, 9]);
      }
    }
  });

  it("parses a large file chunk by chunk into exactly the whole file's AST, after edits too; a broken chunk gives the whole file's error", async () => {
    for (const python of await testPythons()) {
      const v = python.versionText;
      const client = await start(python);
      const worker = new Worker(python, silentLogger);
      try {
        // Stdlib code (many chunks) with non-ASCII lines at the end.
        // A mention of __future__ that is no import must not stop the chunked parse.
        let source = `${buildLargeFile(python, 2500)}\n\n${SOURCE}\n\nNOTE = "from __future__ import annotations, said no one"\n`;
        const file = path.join(dir, `chunks-${v}.py`);
        const uri = await client.open(file, source);
        const check = async (what: string) => {
          const answer = await stage(client, uri, 'ast');
          assert.ok('data' in answer.result, `${v} ${what}: ${JSON.stringify(answer.result).slice(0, 200)}`);
          assert.equal(answer.data!.parsedFrom, 'chunks', `${v} ${what}: parsed chunk by chunk`);
          const ours = treeRows(answer.data!);
          // The whole file parsed at once, converted by the same code the server uses for it.
          const whole = astTree(await worker.request('ast', { source, filename: file }), new PositionMapper(new LineText(source)));
          const theirs = treeRows(whole);
          assert.equal(ours.length, theirs.length, `${v} ${what}: node count`);
          const name = (tree: { types: string[]; fields: string[] }, r: Row) =>
            JSON.stringify([
              tree.types[r[0]],
              ...r.slice(1, 2),
              r[2] < 0 ? null : tree.fields[r[2]],
              ...r.slice(3, 8),
              r[8] === 0 ? [] : r[8].map(([f, t]) => [tree.fields[f], t]),
            ]);
          for (let i = 0; i < ours.length; i++)
            assert.equal(name(answer.data!, ours[i]!), name(whole, theirs[i]!), `${v} ${what}: node ${i}`);
          if (compareVersions(python.version, [3, 13]) >= 0) {
            // 3.13's optimized AST, chunk by chunk too.
            const optimized = await stage(client, uri, 'optimizedAst');
            const wholeOptimized = astTree(
              await worker.request('ast', { source, filename: file, optimize: true }),
              new PositionMapper(new LineText(source)),
            );
            const a = treeRows(optimized.data!);
            const b = treeRows(wholeOptimized);
            assert.equal(a.length, b.length, `${v} ${what}: optimized node count`);
            for (let i = 0; i < a.length; i++)
              assert.equal(name(optimized.data!, a[i]!), name(wholeOptimized, b[i]!), `${v} ${what}: optimized node ${i}`);
          }
        };
        await check('on open');
        // Lines added above (every chunk moves) and a statement added in the middle.
        const lines = source.split('\n');
        const middle = lines.findIndex((l, i) => i > lines.length / 2 && l.startsWith('def '));
        await client.change(uri, [
          { range: { start: { line: middle, character: 0 }, end: { line: middle, character: 0 } }, text: 'café = "☕"; total = 1 + 2\n' },
        ]);
        await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# moved\n\n' }]);
        lines.splice(middle, 0, 'café = "☕"; total = 1 + 2');
        lines.unshift('# moved', '');
        source = lines.join('\n');
        await check('after edits');
        // A broken chunk: CPython's error for the whole file.
        await client.change(uri, [
          { range: { start: { line: middle + 2, character: 0 }, end: { line: middle + 2, character: 0 } }, text: 'def broken(:\n' },
        ]);
        const broken = await stage(client, uri, 'ast');
        assert.ok('error' in broken.result, `${v}: ${JSON.stringify(broken.result).slice(0, 200)}`);
        assert.equal(broken.result.error.span?.[0], middle + 2, `${v}: ${broken.result.error.message}`);
      } finally {
        worker.dispose();
      }
    }
  });

  it('answers every stage of a 16k-line file, at each new version and from the cache (times printed; targets are in npm run bench)', async () => {
    const pythons = await testPythons();
    const python = pythons.find((p) => p.versionText.startsWith('3.11.')) ?? pythons[0]!;
    const big = buildLargeFile(python, 16_000);
    const lines = big.split('\n').length;
    const client = await start(python);
    const uri = await client.open(path.join(dir, 'big.py'), big);
    const timings: string[] = [];
    let version: number;
    // Warm the worker (process start, imports) with a small file first.
    const small = await client.open(path.join(dir, 'small.py'), 'x = 1\n');
    await stage(client, small, 'tokens');
    await stage(client, small, 'symtable');
    for (const s of PIPELINE_STAGES) {
      const runs: number[] = [];
      let serverMs = 0;
      let size = 0;
      for (let i = 0; i < 3; i++) {
        // A new version each time: nothing cached on either side.
        version = await client.change(uri, [
          { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: `# ${s} ${i}\n` },
        ]);
        const t = performance.now();
        const answer = await stage(client, uri, s);
        runs.push(performance.now() - t);
        serverMs = answer.ms;
        assert.equal(answer.version, version);
        const data = answer.data as { nodes?: string; tokens?: unknown[] } | undefined;
        size = data?.nodes !== undefined ? decodeInt32(data.nodes).length / NODE_STRIDE : (data?.tokens?.length ?? 0);
        if (s === 'optimizedAst' && compareVersions(python.version, [3, 13]) < 0) assert.ok('unavailable' in answer.result);
        else assert.ok('data' in answer.result, `${s}: ${JSON.stringify(answer.result).slice(0, 300)}`);
      }
      timings.push(`${s}: ${runs.map((r) => r.toFixed(0)).join(' / ')} ms (server ${serverMs} ms, ${size} rows)`);
    }
    // The cache: the same version again costs no worker round trip (the transfer remains).
    await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# again\n' }]);
    const first = await stage(client, uri, 'ast');
    const t = performance.now();
    const cached = await stage(client, uri, 'ast');
    timings.push(`ast again, same version (cached): ${(performance.now() - t).toFixed(0)} ms (server ${cached.ms} ms)`);
    assert.equal(cached.version, first.version);
    assert.deepEqual(cached.result, first.result);
    console.log(`      CPython ${python.versionText}, ${lines} lines:\n${timings.map((l) => `        ${l}`).join('\n')}`);
  });
});

/** About `target` lines of the interpreter's own standard library, in one module. */
function buildLargeFile(python: InterpreterInfo, target: number): string {
  const script = [
    'import os, sys, sysconfig',
    'stdlib = sysconfig.get_paths()["stdlib"]',
    'parts, count = [], 0',
    'for m in ["typing", "inspect", "argparse", "_pydecimal", "subprocess", "enum", "pathlib", "dataclasses"]:',
    '    path = os.path.join(stdlib, m + ".py")',
    '    if not os.path.exists(path):',
    '        continue',
    '    with open(path, encoding="utf-8") as f:',
    '        text = "".join(l for l in f if not l.startswith("from __future__"))',
    '    parts.append("# ---- " + m + ".py\\n" + text)',
    '    count += text.count("\\n") + 1',
    '    if count >= int(sys.argv[1]):',
    '        break',
    'sys.stdout.write("\\n".join(parts))',
  ].join('\n');
  return cp.execFileSync(python.executable, ['-I', '-c', script, String(target)], { encoding: 'utf8', maxBuffer: 1 << 28 });
}
