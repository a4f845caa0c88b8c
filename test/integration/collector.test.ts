/**
 * The collector and worker against every CPython 3.8+ found on this machine.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeObject } from '../../protocol';
import { silentLogger } from '../../server/common/logger';
import { CollectorRequestError, Worker, WorkerError } from '../../server/cpython/worker';
import { tempDir, testPythons } from '../helpers/pythons';

const SAMPLE = `import os
def f(x):
    try:
        return os.path.join(x, "a")
    except OSError:
        return None
`;

function find(code: CodeObject, qualname: string): CodeObject | undefined {
  if (code.qualname === qualname) return code;
  for (const c of code.children) {
    const hit = find(c, qualname);
    if (hit) return hit;
  }
  return undefined;
}

describe('collector on every CPython 3.8+', function () {
  this.timeout(60_000);

  it('reports itself and compiles to structured instructions', async () => {
    for (const python of await testPythons()) {
      const worker = new Worker(python, silentLogger);
      try {
        const hello = await worker.request('hello', {});
        assert.deepEqual(hello.version, python.version);
        const { module } = await worker.request('compile', { source: SAMPLE, filename: '/x/sample.py' });
        const f = find(module, 'f');
        assert.ok(f, `f missing on ${python.versionText}`);
        assert.equal(f.argCount, 1);
        assert.deepEqual(f.varnames, ['x']);
        assert.ok(f.flags.includes('OPTIMIZED') && f.flags.includes('NEWLOCALS'), f.flags.join());
        // `from __future__` bits are named too, not left as a hex number.
        const future = await worker.request('compile', {
          source: 'from __future__ import annotations\ndef g(): pass\n',
          filename: '/x/g.py',
        });
        assert.ok(find(future.module, 'g')!.flags.includes('FUTURE_ANNOTATIONS'), find(future.module, 'g')!.flags.join());
        const line4 = f.instructions!.filter((i) => i.line === 4).map((i) => i.opname);
        assert.ok(line4.includes('LOAD_GLOBAL'), `${python.versionText}: ${line4.join()}`);
        const jumps = f.instructions!.filter((i) => i.jumpTarget !== null);
        assert.ok(jumps.length > 0, 'the try/except has jumps');
        for (const j of jumps) {
          assert.ok(
            f.instructions!.some((i) => i.offset === j.jumpTarget && i.isJumpTarget),
            `${python.versionText}: ${j.opname} targets ${j.jumpTarget}`,
          );
        }
        const minor = python.version[1];
        if (minor >= 11) {
          assert.ok(f.exceptionTable && f.exceptionTable.length > 0, `${python.versionText} has an exception table`);
          assert.ok(
            f.instructions!.every((i) => Array.isArray(i.positions)),
            'positions on 3.11+',
          );
        } else {
          assert.equal(f.exceptionTable, null);
        }
        // Code-object constants are shown without memory addresses.
        assert.ok(
          module.consts.some((c) => /^<code object f, line 2>$/.test(c)),
          module.consts.join(),
        );
      } finally {
        worker.dispose();
      }
    }
  });

  it('gives each line exactly its instructions with onlyLine, in any order of requests and repeated', async () => {
    // The worker keeps a compiled snippet and reads dis lazily per code object:
    // lines asked out of order, again, or with nothing on them must not disturb it.
    for (const python of await testPythons()) {
      const worker = new Worker(python, silentLogger);
      try {
        const filename = '/x/sample.py';
        const full = find((await worker.request('compile', { source: SAMPLE, filename })).module, 'f')!;
        for (const line of [6, 4, 4, 2, 5, 1, 3, 6, 99]) {
          const { module } = await worker.request('compile', { source: SAMPLE, filename, onlyLine: line });
          const f = find(module, 'f')!;
          assert.deepEqual(
            f.instructions,
            full.instructions!.filter((i) => i.line === line),
            `${python.versionText} line ${line}`,
          );
          assert.equal(f.instructionCount, full.instructions!.length, `${python.versionText} instruction count`);
          // A module-level line: the module alone, same instructions.
          const alone = (await worker.request('compile', { source: SAMPLE, filename, onlyLine: line, moduleOnly: true })).module;
          assert.deepEqual(alone.children, []);
          assert.deepEqual(alone.instructions, module.instructions, `${python.versionText} module line ${line}`);
          assert.deepEqual({ ...alone, children: [] }, { ...module, children: [] });
        }
      } finally {
        worker.dispose();
      }
    }
  });

  it('reports syntax errors, NUL bytes and deep nesting as errors and keeps serving', async () => {
    for (const python of await testPythons()) {
      const worker = new Worker(python, silentLogger);
      try {
        const syntax = await worker.request('compile', { source: 'def f(:\n  pass\n', filename: 'bad.py' }).catch((e: unknown) => e);
        assert.ok(syntax instanceof CollectorRequestError, String(syntax));
        assert.equal(syntax.detail.kind, 'syntax');
        assert.equal(syntax.detail.line, 1);
        const nul = await worker.request('compile', { source: 'x = 1\0\n', filename: 'nul.py' }).catch((e: unknown) => e);
        assert.ok(nul instanceof CollectorRequestError, String(nul));
        assert.match(nul.detail.message, /null/i);
        const deep = await worker
          .request('compile', { source: 'x = ' + '('.repeat(300) + ')'.repeat(300) + '\n', filename: 'deep.py' })
          .catch((e: unknown) => e);
        assert.ok(deep instanceof CollectorRequestError, `${python.versionText}: ${String(deep)}`);
        assert.match(deep.detail.message, /too many nested parentheses|RecursionError|MemoryError|too complex|parser stack overflow/i);
        const long = await worker
          .request('compile', { source: 'x = ' + '1 + '.repeat(100_000) + '1\n', filename: 'long.py' })
          .catch((e: unknown) => e);
        assert.ok(
          long instanceof CollectorRequestError || (typeof long === 'object' && long !== null && 'module' in long),
          `${python.versionText}: ${String(long)}`,
        );
        const ok = await worker.request('compile', { source: 'y = 2\n', filename: 'ok.py' });
        assert.equal(ok.module.name, '<module>');
      } finally {
        worker.dispose();
      }
    }
  });

  it('decodes files as CPython does: coding cookie, BOM, and a clear error otherwise', async () => {
    const [python] = await testPythons();
    const worker = new Worker(python!, silentLogger);
    try {
      const latin1 = Buffer.from('# -*- coding: latin-1 -*-\ns = "caf\xe9"\n', 'latin1');
      assert.equal((await worker.request('decode', { base64: latin1.toString('base64') })).text.split('\n')[1], 's = "café"');
      const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('x = 1\n')]);
      assert.equal((await worker.request('decode', { base64: bom.toString('base64') })).text, 'x = 1\n');
      const invalid = Buffer.from([0x78, 0x20, 0x3d, 0x20, 0x27, 0xff, 0xfe, 0x27, 0x0a]);
      const err = await worker.request('decode', { base64: invalid.toString('base64') }).catch((e: unknown) => e);
      assert.ok(err instanceof CollectorRequestError);
      assert.equal(err.detail.kind, 'encoding');
      assert.match(err.detail.message, /utf-8|decode/i);
    } finally {
      worker.dispose();
    }
  });

  it('restarts after the worker dies mid-request, and after a timeout', async () => {
    const [python] = await testPythons();
    const worker = new Worker(python!, silentLogger, 5_000);
    try {
      await worker.request('compile', { source: 'a = 1\n', filename: 'a.py' });
      const crashed = await worker.request('crash', { code: 3 }).catch((e: unknown) => e);
      assert.ok(crashed instanceof WorkerError && crashed.reason === 'crashed', String(crashed));
      // A request that kills CPython is tried once more on a fresh process, then reported;
      // the next process starts only when the next request arrives.
      assert.equal(worker.starts, 2);
      const again = await worker.request('compile', { source: 'b = 2\n', filename: 'b.py' });
      assert.equal(again.module.names[0], 'b');
      assert.equal(worker.starts, 3);
      const slow = await worker.request('sleep', { seconds: 30 }, { timeoutMs: 300 }).catch((e: unknown) => e);
      assert.ok(slow instanceof WorkerError && slow.reason === 'timeout', String(slow));
      const after = await worker.request('compile', { source: 'c = 3\n', filename: 'c.py' });
      assert.equal(after.module.names[0], 'c');
      assert.equal(worker.starts, 4);
      // A process killed from outside while idle is replaced by the next request.
      process.kill(worker.pid!, 'SIGKILL');
      const d = await worker.request('compile', { source: 'd = 4\n', filename: 'd.py' });
      assert.equal(d.module.names[0], 'd');
      assert.equal(worker.starts, 5);
      // Killed from outside mid-request: the request is sent once more to a fresh process, not lost.
      const inFlight = worker.request('sleep', { seconds: 0.5 });
      const victim = worker.pid!;
      setTimeout(() => process.kill(victim, 'SIGKILL'), 100);
      assert.deepEqual(await inFlight, { slept: true });
      assert.equal(worker.starts, 6);
      assert.notEqual(worker.pid, victim);
    } finally {
      worker.dispose();
    }
  });

  it('answers a cancelled request at once and drops queued ones', async () => {
    const [python] = await testPythons();
    const worker = new Worker(python!, silentLogger, 5_000);
    try {
      let cancel: () => void = () => {};
      const token = {
        isCancellationRequested: false,
        onCancellationRequested(listener: () => void) {
          cancel = () => {
            token.isCancellationRequested = true;
            listener();
          };
          return { dispose() {} };
        },
      };
      const slow = worker.request('sleep', { seconds: 0.5 });
      const queued = worker.request('compile', { source: 'q = 1\n', filename: 'q.py' }, { token });
      cancel();
      const err = await queued.catch((e: unknown) => e);
      assert.ok(err instanceof WorkerError && err.reason === 'cancelled');
      assert.deepEqual(await slow, { slept: true });
    } finally {
      worker.dispose();
    }
  });

  it('precompiles: each source answers what a full compile gives, later compiles of them too, and bad sources answer null', async () => {
    const sources = [SAMPLE, 'class C:\n    def m(self, a):\n        return [a for _ in self]\n', 'def broken(:\n    pass\n'];
    const lines = (source: string) => source.split('\n').map((_, i) => i + 1);
    for (const python of await testPythons()) {
      const warm = new Worker(python, silentLogger);
      const fresh = new Worker(python, silentLogger);
      try {
        const first = await warm.request('precompile', { sources, filename: '/x/p.py' });
        assert.deepEqual([first.compiled, first.failed], [2, 1]);
        assert.equal(first.modules[2], null);
        for (const [i, source] of sources.slice(0, 2).entries()) {
          // What the server keeps and answers hovers from: exactly a full compile's code objects.
          assert.deepEqual(first.modules[i], (await fresh.request('compile', { source, filename: '/x/p.py' })).module, python.versionText);
        }
        // Already compiled: nothing compiled the second time, the same answers.
        const second = await warm.request('precompile', { sources: sources.slice(0, 2), filename: '/x/p.py' });
        assert.deepEqual([second.compiled, second.failed], [0, 0]);
        assert.deepEqual(second.modules, first.modules.slice(0, 2));
        for (const source of sources.slice(0, 2)) {
          for (const onlyLine of lines(source)) {
            const params = { source, filename: '/x/p.py', onlyLine };
            assert.deepEqual(
              await warm.request('compile', params),
              await fresh.request('compile', params),
              `${python.versionText} line ${onlyLine}`,
            );
          }
        }
      } finally {
        warm.dispose();
        fresh.dispose();
      }
    }
  });

  it('runs background requests after every other queued request', async () => {
    const [python] = await testPythons();
    const worker = new Worker(python!, silentLogger);
    try {
      const order: string[] = [];
      const track = <T>(name: string, pending: Promise<T>) => pending.then(() => void order.push(name));
      const all = [
        track('sleep', worker.request('sleep', { seconds: 0.2 })),
        track('background 1', worker.request('precompile', { sources: ['a = 1\n'], filename: 'a.py' }, { background: true })),
        track('background 2', worker.request('precompile', { sources: ['b = 1\n'], filename: 'b.py' }, { background: true })),
        track('hover', worker.request('compile', { source: 'c = 1\n', filename: 'c.py', onlyLine: 1 })),
      ];
      await Promise.all(all);
      assert.deepEqual(order, ['sleep', 'hover', 'background 1', 'background 2']);
    } finally {
      worker.dispose();
    }
  });

  it('is not hijacked by workspace files named like standard-library modules', async () => {
    const workspace = tempDir('hijack');
    const marker = path.join(workspace, 'HIJACKED');
    for (const name of [
      'dis',
      'json',
      'ast',
      'types',
      'tokenize',
      'io',
      'base64',
      'os',
      'traceback',
      'opcode',
      'collections',
      'enum',
      're',
      'sitecustomize',
      'usercustomize',
    ]) {
      fs.writeFileSync(
        path.join(workspace, `${name}.py`),
        `open(${JSON.stringify(marker)}, "a").write(${JSON.stringify(name)} + "\\n")\nraise SystemExit(9)\n`,
      );
    }
    const saved = { cwd: process.cwd(), PYTHONPATH: process.env.PYTHONPATH };
    // Even a process started from inside the workspace with it on PYTHONPATH must not import them.
    process.chdir(workspace);
    process.env.PYTHONPATH = workspace;
    try {
      for (const python of await testPythons()) {
        const worker = new Worker(python, silentLogger);
        try {
          const { module } = await worker.request('compile', { source: SAMPLE, filename: path.join(workspace, 'main.py') });
          assert.ok(find(module, 'f'));
          await worker.request('decode', { base64: Buffer.from('x = 1\n').toString('base64') });
        } finally {
          worker.dispose();
        }
      }
    } finally {
      process.chdir(saved.cwd);
      if (saved.PYTHONPATH === undefined) delete process.env.PYTHONPATH;
      else process.env.PYTHONPATH = saved.PYTHONPATH;
    }
    assert.equal(fs.existsSync(marker), false, fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : '');
  });
});
