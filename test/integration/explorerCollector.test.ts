/**
 * The bytecode explorer's collector methods (codeTree, codeDetail) against
 * every CPython 3.8+ found on this machine, on modules of that interpreter's
 * own standard library and a fixture of the statements with control flow of
 * their own, each checked against what the same interpreter's dis says (run
 * separately, with `python -I`, on the same text). The stack depth along the
 * flow must come out as the compiler's own co_stacksize for every code object.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeDetailResult } from '../../protocol';
import { silentLogger } from '../../server/common/logger';
import { CollectorRequestError, Worker } from '../../server/cpython/worker';
import { checkDetail, explorerReference, fixtureFor, preorder, type ReferenceCode, STDLIB } from '../helpers/explorerReference';
import { tempDir, testPythons } from '../helpers/pythons';

const dir = tempDir('explorer-collector');
const reference = explorerReference(dir);

describe('bytecode explorer collector on every CPython 3.8+', function () {
  this.timeout(300_000);

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gives the tree and every code object in full as dis does, with co_stacksize as the deepest stack', async () => {
    for (const python of await testPythons()) {
      const minor = python.version[1];
      const started = Date.now();
      const fixture = path.join(dir, `fixture-${minor}.py`);
      fs.writeFileSync(fixture, fixtureFor(minor), 'utf8');
      const files = [...(await reference<string[]>(python, 'paths', JSON.stringify(STDLIB))), fixture];
      const theirs = await reference<Record<string, ReferenceCode[]>>(python, 'codes', ...files);
      const worker = new Worker(python, silentLogger);
      let codeObjects = 0;
      try {
        for (const file of files) {
          const source = fs.readFileSync(file, 'utf8');
          const tag = `${python.versionText} ${path.basename(file)}`;
          const { module } = await worker.request('codeTree', { source, filename: file });
          const nodes = preorder(module);
          const refs = theirs[file]!;
          assert.equal(nodes.length, refs.length, `${tag}: code objects`);
          for (let k = 0; k < nodes.length; k++) {
            const { node, path: at } = nodes[k]!;
            const ref = refs[k]!;
            const where = `${tag} ${ref.qualname} (path ${JSON.stringify(at)})`;
            assert.deepEqual(
              [node.qualname, node.firstLine, node.instructionCount, node.stackSize, node.lines],
              [ref.qualname, ref.firstLine, ref.count, ref.stackSize, ref.lines],
              where,
            );
            const detail = await worker.request('codeDetail', { source, filename: file, path: at });
            checkDetail(detail, ref, minor, where);
            codeObjects++;
          }
        }
        assert.equal(worker.starts, 1, `${python.versionText}: the worker was restarted`);
      } finally {
        worker.dispose();
      }
      console.log(`      ${python.versionText}: ${codeObjects} code objects, maxDepth = co_stacksize for all, ${Date.now() - started} ms`);
    }
  });

  it('names each kind of code object', async () => {
    for (const python of await testPythons()) {
      const minor = python.version[1];
      const worker = new Worker(python, silentLogger);
      try {
        const { module } = await worker.request('codeTree', { source: fixtureFor(minor), filename: '/x/fixture.py' });
        const kinds = new Map(preorder(module).map(({ node }) => [node.qualname, node.kind]));
        const expect: Record<string, string> = {
          '<module>': 'module',
          plain: 'function',
          coro: 'async function',
          agen: 'async generator',
          gen: 'generator',
          Base: 'class',
          'Base.Nested': 'class',
          'Base.method': 'function',
          'comprehensions.<locals>.<lambda>': 'lambda',
          'comprehensions.<locals>.<genexpr>': 'generator expression',
          'outer.<locals>.middle.<locals>.inner': 'function',
        };
        // 3.12 inlines list, set and dict comprehensions into their scope (PEP 709).
        if (minor < 12) expect['comprehensions.<locals>.<listcomp>'] = 'comprehension';
        if (minor >= 12) {
          Object.assign(expect, {
            '<generic parameters of Alias>': 'annotation scope',
            Alias: 'annotation scope',
            '<generic parameters of generic>': 'annotation scope',
            T: 'annotation scope',
            generic: 'function',
            Box: 'class',
            'Box.V': 'annotation scope',
            'Box.get': 'function',
          });
        }
        for (const [qualname, kind] of Object.entries(expect)) {
          assert.equal(kinds.get(qualname), kind, `${python.versionText} ${qualname}: ${[...kinds].join(' ')}`);
        }
      } finally {
        worker.dispose();
      }
    }
  });

  it('compiles with the optimize level asked: -O drops asserts, -OO docstrings too; hovers keep the default', async () => {
    const source = 'def f(x):\n    """Doc of f."""\n    assert x, "no x"\n    return x\n';
    const filename = '/x/opt.py';
    const asserts = (detail: CodeDetailResult) =>
      detail.instructions.some(
        (i) => i.opname === 'RAISE_VARARGS' || i.opname === 'LOAD_ASSERTION_ERROR' || i.argrepr === 'AssertionError',
      );
    const documented = (detail: CodeDetailResult) => detail.code.consts.includes("'Doc of f.'");
    for (const python of await testPythons()) {
      const worker = new Worker(python, silentLogger);
      try {
        const tag = python.versionText;
        const plain = await worker.request('codeDetail', { source, filename, path: [0] });
        const zero = await worker.request('codeDetail', { source, filename, path: [0], optimize: 0 });
        const one = await worker.request('codeDetail', { source, filename, path: [0], optimize: 1 });
        const two = await worker.request('codeDetail', { source, filename, path: [0], optimize: 2 });
        assert.deepEqual(zero, plain, `${tag}: optimize 0 is the interpreter's default`);
        assert.ok(asserts(zero) && documented(zero), `${tag}: ${zero.instructions.map((i) => i.opname).join()}`);
        assert.ok(!asserts(one) && documented(one), `${tag} -O: ${one.instructions.map((i) => i.opname).join()} ${one.code.consts.join()}`);
        assert.ok(!asserts(two) && !documented(two), `${tag} -OO: ${two.code.consts.join()}`);
        assert.ok(one.instructions.length < zero.instructions.length, tag);
        for (const detail of [zero, one, two]) assert.equal(detail.maxDepth, detail.code.stackSize, tag);
        const tree = await worker.request('codeTree', { source, filename, optimize: 1 });
        assert.equal(tree.module.children[0]!.instructionCount, one.instructions.length, tag);
        // The cache keeps the levels apart: a hover after -O still sees the assert.
        const { module } = await worker.request('compile', { source, filename });
        assert.ok(
          module.children[0]!.instructions!.some((i) => i.opname === 'RAISE_VARARGS'),
          tag,
        );
      } finally {
        worker.dispose();
      }
    }
  });

  it('reports a syntax error with its line and a bad path or level as a protocol error, and keeps serving', async () => {
    for (const python of await testPythons()) {
      const worker = new Worker(python, silentLogger);
      try {
        const tag = python.versionText;
        const bad = 'x = 1\ndef f(:\n    pass\n';
        for (const request of [
          worker.request('codeTree', { source: bad, filename: '/x/bad.py' }),
          worker.request('codeDetail', { source: bad, filename: '/x/bad.py', path: [] }),
        ]) {
          const err = await request.catch((e: unknown) => e);
          assert.ok(err instanceof CollectorRequestError, `${tag}: ${String(err)}`);
          assert.equal(err.detail.kind, 'syntax', tag);
          assert.match(err.detail.message, /^SyntaxError: /, tag);
          assert.equal(err.detail.line, 2, tag);
        }
        const source = 'def f():\n    return lambda: 1\n';
        for (const at of [[1], [0, 1], [0, 0, 0], [-1]]) {
          const err = await worker.request('codeDetail', { source, filename: '/x/ok.py', path: at }).catch((e: unknown) => e);
          assert.ok(err instanceof CollectorRequestError, `${tag} ${JSON.stringify(at)}: ${String(err)}`);
          assert.equal(err.detail.kind, 'protocol', tag);
          assert.match(err.detail.message, /no code object at path/, tag);
        }
        const notAPath = await worker
          .request('codeDetail', { source, filename: '/x/ok.py', path: 'x' as unknown as number[] })
          .catch((e: unknown) => e);
        assert.ok(notAPath instanceof CollectorRequestError && notAPath.detail.kind === 'protocol', `${tag}: ${String(notAPath)}`);
        const level = await worker.request('codeTree', { source, filename: '/x/ok.py', optimize: 3 as 0 }).catch((e: unknown) => e);
        assert.ok(level instanceof CollectorRequestError && level.detail.kind === 'protocol', `${tag}: ${String(level)}`);

        const lambda = await worker.request('codeDetail', { source, filename: '/x/ok.py', path: [0, 0] });
        assert.equal(lambda.code.name, '<lambda>', tag);
        assert.equal(lambda.code.qualname, 'f.<locals>.<lambda>', tag);
        assert.equal(worker.starts, 1, `${tag}: the worker was restarted`);
      } finally {
        worker.dispose();
      }
    }
  });
});
