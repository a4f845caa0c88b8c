/**
 * The collector's compiler-pipeline methods (tokens, ast, astDump, symtable)
 * against every CPython 3.8+ found on this machine, each checked against what
 * the same interpreter's own tokenize / ast / symtable say (run separately,
 * with `python -I`, on the same text).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AstResult, RawScope, RawToken } from '../../protocol';
import { silentLogger } from '../../server/common/logger';
import { CollectorRequestError, Worker } from '../../server/cpython/worker';
import { tempDir, testPythons } from '../helpers/pythons';
import {
  codepoints,
  findScope,
  minorOf,
  named,
  pipelineReference,
  type ReferenceAst,
  type ReferenceScope,
  sameTokens,
  sampleFor,
  slice,
  symbolOf,
  utf8,
  WIDE,
} from '../helpers/pipelineReference';
import { treeRows } from '../helpers/trees';

const dir = tempDir('pipeline-collector');
const reference = pipelineReference(dir);

describe('compiler pipeline collector on every CPython 3.8+', function () {
  this.timeout(300_000);

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('tokenizes exactly as tokenize does, columns in code points', async () => {
    for (const python of await testPythons()) {
      const minor = minorOf(python);
      const worker = new Worker(python, silentLogger);
      try {
        for (const [label, source] of [
          ['sample', sampleFor(minor)],
          ['wide', WIDE],
          ['strings', 'a = """é\n🐍ü""" + b; c = f"""x{y!r}\n{z:>{w}}é"""\nd = \'\'\'\n\'\'\' # end\n'],
          ['crlf', 'if x:\r\n\ty = 1\r\n'],
        ] as const) {
          const ours = await worker.request('tokens', { source, filename: `/x/${label}.py` });
          const theirs = await reference<{ tokens: RawToken[]; error: string | null }>(python, source, 'tokens');
          assert.equal(theirs.error, null, `${python.versionText} ${label}: ${theirs.error}`);
          assert.equal(ours.error, undefined, `${python.versionText} ${label}: ${JSON.stringify(ours.error)}`);
          assert.equal(ours.columns, 'codepoint', python.versionText);
          sameTokens(ours.tokens, theirs.tokens, minor, `${python.versionText} ${label}`);
        }
        // No ENCODING token: the source is text.
        const { tokens } = await worker.request('tokens', { source: 'x\n', filename: 'x.py' });
        assert.deepEqual(
          tokens.map((t) => t[0]),
          ['NAME', 'NEWLINE', 'ENDMARKER'],
        );
      } finally {
        worker.dispose();
      }
    }
  });

  it('counts token columns in code points and AST columns in UTF-8 bytes on non-ASCII lines', async () => {
    const lines = WIDE.split('\n');
    for (const python of await testPythons()) {
      const worker = new Worker(python, silentLogger);
      try {
        const { tokens, columns } = await worker.request('tokens', { source: WIDE, filename: 'wide.py' });
        assert.equal(columns, 'codepoint');
        const token = (line: number, text: string) => {
          const hit = tokens.find((t) => t[3] === line && t[2] === text);
          assert.ok(hit, `${python.versionText}: token ${text} on line ${line}`);
          return hit;
        };
        // Line 1: é = "ü🐍"; x = 1 — x is at code point 10, UTF-8 byte 15 (UTF-16 unit 11).
        assert.deepEqual(token(1, 'x').slice(3), [1, 10, 1, 11]);
        assert.deepEqual(token(1, '"ü🐍"').slice(3), [1, 4, 1, 8]);
        assert.deepEqual(token(2, 'é').slice(3), [2, 11, 2, 12]);
        const comment = token(2, '# 注释 🐍');
        assert.equal(comment[4], codepoints(lines[1]!.slice(0, lines[1]!.indexOf('#'))));
        assert.equal(comment[6], codepoints(lines[1]!));
        // A tab is one column.
        assert.deepEqual(token(4, 'return').slice(3), [4, 1, 4, 7]);
        assert.deepEqual(token(4, '"🐍"').slice(3), [4, 15, 4, 18]);

        const ast = await worker.request('ast', { source: WIDE, filename: 'wide.py' });
        const named = (type: string, repr: string) =>
          treeRows(ast)
            .filter((n) => ast.types[n[0]] === type && n[8] !== 0 && n[8].some((s) => s[1] === repr))
            .map((n) => n.slice(4, 8));
        assert.deepEqual(named('Name', "'x'"), [
          [1, 15, 1, 16],
          [4, utf8('\treturn a + 变量["🐍"] + '), 4, utf8('\treturn a + 变量["🐍"] + x')],
        ]);
        assert.deepEqual(named('Name', "'é'"), [
          [1, 0, 1, 2],
          [2, 18, 2, 20],
        ]);
        assert.deepEqual(named('Constant', "'🐍'"), [
          [2, 10, 2, 16],
          [4, 19, 4, 25],
        ]);
      } finally {
        worker.dispose();
      }
    }
  });

  it('walks every node ast.walk yields, in preorder, with the positions and scalars CPython gives', async () => {
    for (const python of await testPythons()) {
      const minor = minorOf(python);
      const worker = new Worker(python, silentLogger);
      try {
        for (const [label, source] of [
          ['sample', sampleFor(minor)],
          ['wide', WIDE],
          ['long constant', `s = ${JSON.stringify('z'.repeat(500))}\nn = None\nglobal_names = 1\ndef g():\n    global n, s\n`],
        ] as const) {
          const ours = await worker.request('ast', { source, filename: `/x/${label}.py` });
          const dumpAt = [0, 1, Math.floor(treeRows(ours).length / 2), treeRows(ours).length - 1];
          const theirs = await reference<ReferenceAst>(python, source, 'ast', JSON.stringify(dumpAt), '0');
          const tag = `${python.versionText} ${label}`;
          assert.equal(treeRows(ours).length, theirs.walkCount, `${tag}: node count`);
          const multiset: Record<string, number> = {};
          for (const n of treeRows(ours)) multiset[ours.types[n[0]]!] = (multiset[ours.types[n[0]]!] ?? 0) + 1;
          assert.deepEqual(multiset, theirs.walk, `${tag}: node types`);
          const rows = named(ours);
          for (let i = 0; i < rows.length; i++) assert.deepEqual(rows[i], theirs.rows[i], `${tag}: node ${i}`);
          // Preorder: a parent comes before its children.
          treeRows(ours).forEach((n, i) => assert.ok(n[1] < i, `${tag}: node ${i} after its parent`));
          for (const k of dumpAt) {
            const { text } = await worker.request('astDump', { source, filename: `/x/${label}.py`, node: k });
            assert.equal(text, theirs.dumps[String(k)], `${tag}: dump of node ${k}`);
          }
          if (label === 'long constant') {
            const long = rows.find((r) => r[0] === 'Constant')!;
            assert.equal(long[8][0]![1].length, 203);
            assert.ok(long[8][0]![1].endsWith('...'));
            const global = rows.find((r) => r[0] === 'Global')!;
            assert.deepEqual(global[8], [['names', "['n', 's']"]]);
          }
        }
        // Version-specific nodes, by the interpreter's own names.
        const { types } = await worker.request('ast', { source: sampleFor(minor), filename: 's.py' });
        assert.equal(types.includes('Index'), minor === 8, `${python.versionText}: Index`);
        assert.equal(types.includes('Match'), minor >= 10, `${python.versionText}: Match`);
        assert.equal(types.includes('TryStar'), minor >= 11, `${python.versionText}: TryStar`);
        for (const t of ['TypeAlias', 'TypeVar', 'TypeVarTuple', 'ParamSpec']) {
          assert.equal(types.includes(t), minor >= 12, `${python.versionText}: ${t}`);
        }
        for (const t of ['Load', 'Store', 'Del', 'Add', 'USub', 'Lt', 'LtE', 'Not', 'Mult']) {
          assert.ok(types.includes(t), `${python.versionText}: ${t}`);
        }
      } finally {
        worker.dispose();
      }
    }
  });

  it('folds constants in the optimized AST on 3.13+ and says it cannot before', async () => {
    const source = 'x = 1 + 2\n';
    for (const python of await testPythons()) {
      const worker = new Worker(python, silentLogger);
      try {
        const plain = await worker.request('ast', { source, filename: 'o.py' });
        assert.ok(plain.types.includes('BinOp'));
        const optimized = await worker.request('ast', { source, filename: 'o.py', optimize: true }).catch((e: unknown) => e);
        if (minorOf(python) >= 13) {
          assert.ok(!(optimized instanceof Error), String(optimized));
          const result = optimized as AstResult;
          assert.ok(!result.types.includes('BinOp'), result.types.join());
          const constants = treeRows(result).filter((n) => result.types[n[0]] === 'Constant');
          assert.equal(constants.length, 1);
          assert.ok(constants[0]![8] !== 0 && constants[0]![8].some(([f, repr]) => result.fields[f] === 'value' && repr === '3'));
          const theirs = await reference<ReferenceAst>(python, source, 'ast', '[0]', '1');
          assert.deepEqual(named(result), theirs.rows);
          const dump = await worker.request('astDump', { source, filename: 'o.py', optimize: true, node: 0 });
          assert.equal(dump.text, theirs.dumps['0']);
          // A set display folded into a frozenset constant reads the same in every process (sorted).
          const sets = 'y = "q" in {"alpha", "beta", "gamma", "delta"}\n';
          const folded = await worker.request('ast', { source: sets, filename: 'o.py', optimize: true });
          assert.ok(
            treeRows(folded).some((n) => n[8] !== 0 && n[8].some(([, repr]) => repr === "frozenset({'alpha', 'beta', 'delta', 'gamma'})")),
          );
          assert.deepEqual(named(folded), (await reference<ReferenceAst>(python, sets, 'ast', '[]', '1')).rows);
        } else {
          assert.ok(optimized instanceof CollectorRequestError, String(optimized));
          assert.equal(optimized.detail.kind, 'unsupported');
          assert.match(optimized.detail.message, /3\.13/);
        }
      } finally {
        worker.dispose();
      }
    }
  });

  it('gives the tokens before a tokenize error and the error; syntax errors in ast, astDump and symtable keep the worker up', async () => {
    for (const python of await testPythons()) {
      const minor = minorOf(python);
      const worker = new Worker(python, silentLogger);
      try {
        // An unclosed bracket: tokenize stops at the end of the file.
        const unclosed = 'x = (1,\n     2\ny = 3 +\n';
        const ours = await worker.request('tokens', { source: unclosed, filename: 'bad.py' });
        const theirs = await reference<{ tokens: RawToken[]; error: string | null }>(python, unclosed, 'tokens');
        assert.equal(theirs.error, 'TokenError');
        assert.ok(ours.tokens.length > 0);
        sameTokens(ours.tokens, theirs.tokens, minor, `${python.versionText} unclosed`);
        assert.equal(ours.error?.kind, 'syntax');
        assert.match(ours.error.message, /^TokenError: .*EOF in multi-line statement/);
        assert.ok(ours.error.line === 2 || ours.error.line === 3 || ours.error.line === 4, String(ours.error.line));

        // An unterminated triple-quoted string: line 1, column 5 (1-based) on every version.
        const open = 'x = """abc\n';
        const string = await worker.request('tokens', { source: open, filename: 'bad.py' });
        assert.deepEqual(
          string.tokens.map((t) => t[2]),
          ['x', '='],
        );
        assert.deepEqual(string.error, { kind: 'syntax', message: 'TokenError: EOF in multi-line string', line: 1, column: 5 });

        // A dedent to no known level.
        const dedent = 'if 1:\n  pass\n pass\n';
        const indentation = await worker.request('tokens', { source: dedent, filename: 'bad.py' });
        assert.equal(indentation.error?.kind, 'syntax');
        assert.match(indentation.error.message, /^IndentationError: unindent does not match/);
        assert.equal(indentation.error.line, 3);
        sameTokens(indentation.tokens, (await reference<{ tokens: RawToken[] }>(python, dedent, 'tokens')).tokens, minor, 'dedent');

        for (const method of ['ast', 'astDump', 'symtable'] as const) {
          const err = await worker.request(method, { source: 'def f(:\n    pass\n', filename: 'bad.py', node: 0 }).catch((e: unknown) => e);
          assert.ok(err instanceof CollectorRequestError, `${python.versionText} ${method}: ${String(err)}`);
          assert.equal(err.detail.kind, 'syntax');
          assert.match(err.detail.message, /^SyntaxError: /);
          assert.equal(err.detail.line, 1);
        }
        const scoping = await worker
          .request('symtable', { source: 'def f():\n    nonlocal q\n', filename: 'bad.py' })
          .catch((e: unknown) => e);
        assert.ok(scoping instanceof CollectorRequestError, String(scoping));
        assert.equal(scoping.detail.kind, 'syntax');
        assert.match(scoping.detail.message, /nonlocal/);
        assert.equal(scoping.detail.line, 2);
        const nul = await worker.request('ast', { source: 'x = 1\0\n', filename: 'nul.py' }).catch((e: unknown) => e);
        assert.ok(nul instanceof CollectorRequestError && nul.detail.kind === 'syntax', String(nul));
        const range = await worker.request('astDump', { source: 'x = 1\n', filename: 'ok.py', node: 99 }).catch((e: unknown) => e);
        assert.ok(range instanceof CollectorRequestError && range.detail.kind === 'protocol', String(range));

        const fine = await worker.request('ast', { source: 'y = 2\n', filename: 'ok.py' });
        assert.equal(fine.types[0], 'Module');
        assert.equal(worker.starts, 1, `${python.versionText}: the worker was restarted`);
      } finally {
        worker.dispose();
      }
    }
  });

  it('classifies symbols as symtable does and places each occurrence in its own scope', async () => {
    for (const python of await testPythons()) {
      const minor = minorOf(python);
      const worker = new Worker(python, silentLogger);
      try {
        for (const [label, source] of [
          ['sample', sampleFor(minor)],
          ['wide', WIDE],
        ] as const) {
          const { module } = await worker.request('symtable', { source, filename: `/x/${label}.py` });
          const theirs = await reference<ReferenceScope>(python, source, 'symtable');
          const compare = (a: RawScope, b: ReferenceScope, where: string): void => {
            const here = `${python.versionText} ${label} ${where}/${b.type} ${b.name}@${b.line}`;
            assert.deepEqual([a.type, a.name, a.line], [b.type, b.name, b.line], here);
            assert.deepEqual(
              a.symbols.map((s) => [s.name, s.flags]),
              b.symbols,
              here,
            );
            // Every scope but the module is found in the AST, and opens on its line.
            if (a.type === 'module') assert.equal(a.range, null);
            else assert.ok(a.range && a.range[0] <= a.line && a.line <= a.range[2], `${here}: ${JSON.stringify(a.range)}`);
            // Every occurrence is the name itself (the bare name for a mangled __private).
            for (const symbol of a.symbols) {
              for (const occurrence of symbol.occurrences) {
                // 3.8 places names inside f-strings wrongly (its AST does); occurrences are AST positions.
                if (minor === 8 && source.split('\n')[occurrence[0] - 1]!.includes('f"')) continue;
                const text = slice(source, occurrence);
                const bare = symbol.name.replace(/^_[^_]\w*?(?=__)/, '');
                assert.ok(
                  text === symbol.name || text === bare,
                  `${here}: ${symbol.name} at ${JSON.stringify(occurrence)} is ${JSON.stringify(text)}`,
                );
              }
            }
            assert.equal(a.children.length, b.children.length, here);
            a.children.forEach((child, i) => compare(child, b.children[i]!, `${where}/${b.name}`));
          };
          compare(module, theirs, '');
        }

        const { module } = await worker.request('symtable', { source: sampleFor(minor), filename: '/x/sample.py' });
        const lines = sampleFor(minor).split('\n');
        const lineOf = (text: string) => lines.findIndex((l) => l.includes(text)) + 1;
        const outer = findScope(module, 'outer', 'function')!;
        const inner = findScope(outer, 'inner', 'function')!;
        // x: inner's default reads it in outer, and so does the first iterable of {s for s in x}.
        assert.deepEqual(
          symbolOf(outer, 'x').occurrences.map((r) => r[0]),
          [lineOf('x = a[1]'), lineOf('y = {**kwargs'), lineOf('del x'), lineOf('def inner(p, /, q=x)')],
        );
        assert.ok(!symbolOf(inner, 'q').flags.includes('free'));
        // y: bound in outer, nonlocal in inner, so a cell in outer and free in inner.
        assert.ok(symbolOf(outer, 'y').flags.includes('cell'), symbolOf(outer, 'y').flags.join());
        assert.ok(symbolOf(inner, 'y').flags.includes('free'), symbolOf(inner, 'y').flags.join());
        assert.deepEqual(
          symbolOf(inner, 'y').occurrences.map((r) => r[0]),
          [lineOf('nonlocal y'), lineOf('y = p if q'), lineOf('return (y, z')],
        );
        assert.ok(symbolOf(outer, 'counter').flags.includes('global-explicit'));
        assert.ok(symbolOf(inner, 'p').flags.includes('parameter'));
        // Parameters are the name only, not their annotations or defaults.
        assert.equal(slice(sampleFor(minor), symbolOf(inner, 'q').occurrences[0]!), 'q');
        // Decorators and defaults belong to the enclosing scope; so does the
        // first iterable of a comprehension ('args' in outer, 'v' in the comprehension).
        assert.ok(symbolOf(module, 'decorator').occurrences.length === 1);
        const defaultLambda = module.children.find((c) => c.name === 'lambda' && c.line === lineOf('def outer('))!;
        assert.deepEqual(
          symbolOf(defaultLambda, 'counter').occurrences.map((r) => r[0]),
          [lineOf('def outer(')],
        );
        assert.deepEqual(
          symbolOf(module, 'counter').occurrences.map((r) => r[0]),
          [lineOf('counter = 0'), lineOf('print(outer if')],
        );
        assert.ok(symbolOf(outer, 'args').occurrences.some((r) => r[0] === lineOf('y = {**kwargs')));
        const gen = findScope(outer, 'genexpr')!;
        assert.deepEqual(
          symbolOf(outer, 'range').occurrences.map((r) => r[0]),
          [lineOf('gen = (i * j')],
        );
        assert.deepEqual(
          symbolOf(gen, 'range').occurrences.map((r) => r[0]),
          [lineOf('gen = (i * j')],
        );
        assert.ok(symbolOf(gen, 'i').occurrences.length >= 4);
        // 3.12+ inlines list/set/dict comprehensions into their scope: their names are outer's.
        assert.equal(findScope(outer, 'listcomp') === undefined, minor >= 12);
        if (minor >= 12) assert.equal(symbolOf(outer, 'v').occurrences.length, 5);
        else assert.equal(symbolOf(findScope(outer, 'listcomp')!, 'v').occurrences.length, 3);
        // Import bindings, def and class names, except/as, mangled names.
        assert.equal(slice(sampleFor(minor), symbolOf(module, 'system').occurrences[0]!), 'system');
        assert.equal(slice(sampleFor(minor), symbolOf(module, 'os').occurrences[0]!), 'os');
        assert.equal(slice(sampleFor(minor), symbolOf(module, 'OD').occurrences[0]!), 'OD');
        assert.equal(slice(sampleFor(minor), symbolOf(outer, 'err').occurrences[0]!), 'err');
        assert.equal(slice(sampleFor(minor), symbolOf(module, 'Base').occurrences[0]!), 'Base');
        const base = findScope(module, 'Base', 'class')!;
        assert.deepEqual(
          symbolOf(base, '_Base__private').occurrences.map((r) => r[0]),
          [lineOf('__private = 1')],
        );
        assert.equal(slice(sampleFor(minor), symbolOf(findScope(base, 'method')!, '_Base__private').occurrences[0]!), '__private');
        // A walrus in a generator binds in the enclosing scope.
        assert.ok(symbolOf(module, 'last').occurrences.length === 1);
        if (minor >= 10) {
          for (const name of ['others', 'extra', 'value', 'py', 'text']) {
            const symbol = symbolOf(module, name);
            assert.ok(symbol.occurrences.length >= 1, name);
            assert.ok(
              symbol.occurrences.every((r) => slice(sampleFor(minor), r) === name),
              name,
            );
          }
        }
        if (minor >= 12) {
          const params = module.children.find((c) => c.name === 'generic' && c.type.startsWith('type param'))!;
          assert.ok(params, module.children.map((c) => `${c.type} ${c.name}`).join());
          assert.deepEqual(symbolOf(params, 'T').occurrences.length, 3);
          const alias = findScope(module, 'Alias', 'type alias')!;
          assert.equal(symbolOf(alias, 'list').occurrences.length, 1);
        }
      } finally {
        worker.dispose();
      }
    }
  });

  it('handles a 16,000-line file in every stage, as CPython counts it', async () => {
    const timings: string[] = [];
    for (const python of await testPythons()) {
      const file = path.join(dir, `corpus-${python.versionText}.py`);
      const { lines } = await reference<{ lines: number }>(python, '', 'corpus', file);
      assert.ok(lines >= 16000, String(lines));
      const source = fs.readFileSync(file, 'utf8');
      const worker = new Worker(python, silentLogger, 60_000);
      try {
        await worker.request('hello', {});
        const params = { source, filename: file };
        let start = performance.now();
        const tokens = await worker.request('tokens', params);
        const tTokens = performance.now() - start;
        start = performance.now();
        const ast = await worker.request('ast', params);
        const tAst = performance.now() - start;
        start = performance.now();
        const symtable = await worker.request('symtable', params);
        const tSymtable = performance.now() - start;
        timings.push(
          `${python.versionText}: tokens ${tTokens.toFixed(0)} ms, ast ${tAst.toFixed(0)} ms, symtable ${tSymtable.toFixed(0)} ms (${treeRows(ast).length} nodes)`,
        );
        assert.equal(tokens.error, undefined);
        const refTokens = await reference<{ tokens: RawToken[] }>(python, source, 'tokens');
        sameTokens(tokens.tokens, refTokens.tokens, minorOf(python), `${python.versionText} corpus`);
        const refAst = await reference<ReferenceAst>(python, source, 'ast', '[]', '0');
        assert.equal(treeRows(ast).length, refAst.walkCount);
        assert.deepEqual(
          treeRows(ast).map((n) => ast.types[n[0]]),
          refAst.rows.map((r) => r[0]),
        );
        assert.ok(symtable.module.children.length > 100);
      } finally {
        worker.dispose();
      }
    }
    console.log(`      ${timings.join('\n      ')}`);
  });
});
