/**
 * The collector in CPython compiled to WebAssembly (wasm:3.14 bundled,
 * wasm:3.15 the development alias), on its worker thread: named and resolved
 * without starting it; the same answers as the collector's handlers called
 * directly in Pyodide; loaded off the main thread; timed out, cancelled and
 * restarted as the process worker is; refused by the runtime lab.
 */
import * as assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { CollectorMethod } from '../../protocol';
import { silentLogger } from '../../server/common/logger';
import { CollectorRequestError, WorkerError } from '../../server/cpython/collectorWorker';
import { probeInterpreter, resolveInterpreter } from '../../server/cpython/interpreter';
import { WorkerPool } from '../../server/cpython/pool';
import { WasmWorker } from '../../server/cpython/wasmWorker';
import { NotRunnableError, runScript } from '../../server/runtime/runner';
import { directCollector, wasmPythons } from '../helpers/wasm';

const SOURCE = `import os
from dataclasses import dataclass


@dataclass
class Point:
    x: int = 0
    y: int = 0

    def norm(self, scale=2):
        total = sum(v * v for v in (self.x, self.y))
        return [total ** 0.5 * scale for _ in range(1)], lambda: self.x


def reader(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError as exc:
        return str(exc)
    finally:
        print(f"read {path!r}")


def template(name):
    return t"hello {name}!"
`;

const BROKEN = 'def broken(:\n    pass\n';

/** Every compile-only method, with its errors: what the server sends the collector. */
function requests(source: string): Array<[CollectorMethod, unknown]> {
  const filename = '/work/example.py';
  const sourceLines = source.split('\n').length;
  return [
    ['compile', { source, filename }],
    ...Array.from({ length: sourceLines }, (_, i): [CollectorMethod, unknown] => ['compile', { source, filename, onlyLine: i + 1 }]),
    ['compile', { source, filename, moduleOnly: true }],
    ['compile', { source: BROKEN, filename }],
    ['compile', { source: 'x = "\0"\n', filename }],
    ['compile', { source: '('.repeat(300) + ')'.repeat(300) + '\n', filename }],
    // Pyodide's parser runs out of stack as a native one does: a MemoryError, answered as a limit.
    ['compile', { source: 'x = ' + '-'.repeat(100_000) + '1\n', filename }],
    ['check', { source, filename }],
    ['check', { source: BROKEN, filename }],
    ['precompile', { sources: [source, BROKEN, 'def g():\n    return 1\n'], filename }],
    ['precompile', { sources: [source], filename }],
    ['decode', { base64: Buffer.from('# -*- coding: latin-1 -*-\ns = "caf\xe9"\n', 'latin1').toString('base64') }],
    ['decode', { base64: Buffer.from([0x78, 0x20, 0x3d, 0x20, 0x27, 0xff, 0xfe, 0x27, 0x0a]).toString('base64') }],
    ['tokens', { source, filename }],
    ['tokens', { source: BROKEN, filename }],
    ['ast', { source, filename }],
    ['ast', { source, filename, optimize: true }],
    ['ast', { source: BROKEN, filename }],
    ['astChunks', { sources: source.split('\n\n\n'), filename }],
    ['astDump', { source, filename, node: 5 }],
    ['astDump', { source, filename, optimize: true, node: 12 }],
    ['symtable', { source, filename }],
    ['symtable', { source: BROKEN, filename }],
    ['codeTree', { source, filename }],
    ['codeTree', { source, filename, optimize: 2 }],
    ['codeDetail', { source, filename, path: [] }],
    ['codeDetail', { source, filename, path: [0] }],
    ['codeDetail', { source, filename, path: [1, 0], optimize: 1 }],
    ['codeDetail', { source, filename, path: [2] }],
    ['codeDetail', { source, filename, path: [3] }],
    ['codeDetail', { source, filename, path: [99] }],
  ];
}

function cancellable() {
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
  return { token, cancel: () => cancel() };
}

describe('collector in CPython compiled to WebAssembly (Pyodide), on a worker thread', function () {
  this.timeout(300_000);

  it('names wasm:3.14 (bundled) and wasm:3.15 (dev alias) without starting them, and refuses other names clearly', async () => {
    const [py314, py315] = await wasmPythons();
    assert.deepEqual(py314, {
      requested: 'wasm:3.14',
      executable: 'wasm:3.14',
      version: [3, 14, 2],
      versionText: '3.14.2',
      implementation: 'cpython',
      kind: 'wasm',
    });
    assert.deepEqual([py315!.version, py315!.versionText, py315!.kind], [[3, 15, 0], '3.15.0rc1', 'wasm']);
    const fromSetting = await resolveInterpreter({ interpreterPath: ' wasm:3.14 ' });
    assert.deepEqual([fromSetting.source, fromSetting.interpreter], ['setting', py314]);
    await assert.rejects(probeInterpreter('wasm:3.9'), /Unknown WebAssembly interpreter "wasm:3.9": the bundled one is wasm:3.14\./);
    const pool = new WorkerPool(silentLogger, 10_000);
    try {
      assert.ok(pool.get(py314) instanceof WasmWorker);
    } finally {
      pool.dispose();
    }
  });

  for (const name of ['wasm:3.14', 'wasm:3.15']) {
    it(`${name}: loads off the main thread, and answers every compile-only request as the handlers do called directly in Pyodide`, async () => {
      const python = await probeInterpreter(name);
      const delay = monitorEventLoopDelay({ resolution: 10 });
      delay.enable();
      const started = Date.now();
      const worker = new WasmWorker(python, silentLogger, 60_000);
      try {
        // The thread starts with the worker, before any request.
        assert.equal(worker.starts, 1);
        assert.ok(worker.threadId! > 0);
        const hello = await worker.request('hello', {});
        const loadMs = Date.now() - started;
        delay.disable();
        assert.deepEqual([hello.version, hello.implementation], [python.version, 'cpython']);
        // Seconds of loading, and the main thread never blocked for more than a fraction of that.
        const maxDelayMs = delay.max / 1e6;
        assert.ok(maxDelayMs < Math.max(500, loadMs / 4), `the main thread was blocked ${maxDelayMs} ms during a ${loadMs} ms load`);

        const direct = await directCollector(python);
        let compared = 0;
        const errors = new Set<string>();
        for (const [method, params] of requests(SOURCE)) {
          const expected = direct.call(method, params);
          const got = await worker
            .request(method, params as never)
            .then((result: unknown) => ({ result }))
            .catch((err: unknown) => {
              if (err instanceof CollectorRequestError) return { error: err.detail };
              throw err;
            });
          assert.deepEqual(got, expected, `${name} ${method} ${JSON.stringify(params).slice(0, 120)}`);
          if ('error' in got) errors.add(`${method}:${got.error.kind}`);
          compared++;
        }
        // The requests meant to fail did, as CPython's errors, never the collector's own.
        assert.deepEqual(
          [...errors].sort(),
          [
            'check:syntax',
            'codeDetail:protocol',
            'compile:limit',
            'compile:syntax',
            'decode:encoding',
            'symtable:syntax',
            'ast:syntax',
          ].sort(),
        );
        assert.equal(worker.starts, 1, 'the thread was restarted');
        console.log(
          `      ${name} (CPython ${python.versionText}): ${compared} answers equal, first load ${loadMs} ms, main thread blocked at most ${maxDelayMs.toFixed(0)} ms`,
        );
      } finally {
        delay.disable();
        worker.dispose();
      }
    });
  }

  it('times out by terminating the thread, restarts after Pyodide dies mid-request, and answers from a fresh thread', async () => {
    const [python] = await wasmPythons();
    const worker = new WasmWorker(python!, silentLogger, 60_000);
    try {
      const first = await worker.request('compile', { source: 'a = 1\n', filename: 'a.py' });
      assert.equal(first.module.names[0], 'a');
      const thread = worker.threadId;
      const t0 = Date.now();
      const slow = await worker.request('sleep', { seconds: 60 }, { timeoutMs: 500 }).catch((e: unknown) => e);
      assert.ok(slow instanceof WorkerError && slow.reason === 'timeout', String(slow));
      assert.ok(Date.now() - t0 < 5_000, `the timeout took ${Date.now() - t0} ms`);
      const after = await worker.request('compile', { source: 'b = 2\n', filename: 'b.py' });
      assert.equal(after.module.names[0], 'b');
      assert.equal(worker.starts, 2);
      assert.notEqual(worker.threadId, thread);
      // os._exit ends Pyodide: the request is tried once more on a fresh thread, then reported.
      const crashed = await worker.request('crash', { code: 3 }).catch((e: unknown) => e);
      assert.ok(crashed instanceof WorkerError && crashed.reason === 'crashed', String(crashed));
      assert.match(crashed.message, /Pyodide|exit/i);
      assert.equal(worker.starts, 3);
      const again = await worker.request('compile', { source: 'c = 3\n', filename: 'c.py' });
      assert.equal(again.module.names[0], 'c');
      assert.equal(worker.starts, 4);
    } finally {
      worker.dispose();
    }
  });

  it('answers a cancelled request at once, drops queued ones, runs background requests last, and rejects all on dispose', async () => {
    const [python] = await wasmPythons();
    const worker = new WasmWorker(python!, silentLogger, 60_000);
    try {
      // Queued while Pyodide loads: cancelled before it costs anything.
      const early = cancellable();
      const queued = worker.request('compile', { source: 'q = 1\n', filename: 'q.py' }, { token: early.token });
      early.cancel();
      const err = await queued.catch((e: unknown) => e);
      assert.ok(err instanceof WorkerError && err.reason === 'cancelled');
      // In flight: answered at once; the thread finishes it, and goes on.
      await worker.request('hello', {});
      const late = cancellable();
      const inFlight = worker.request('sleep', { seconds: 1 }, { token: late.token });
      let cancelledAt = 0;
      setTimeout(() => {
        cancelledAt = Date.now();
        late.cancel();
      }, 100);
      const err2 = await inFlight.catch((e: unknown) => e);
      assert.ok(err2 instanceof WorkerError && err2.reason === 'cancelled');
      assert.ok(Date.now() - cancelledAt < 500, `answered ${Date.now() - cancelledAt} ms after the cancellation`);

      const order: string[] = [];
      const track = <T>(name: string, pending: Promise<T>) => pending.then(() => void order.push(name));
      await Promise.all([
        track('sleep', worker.request('sleep', { seconds: 0.2 })),
        track('background 1', worker.request('precompile', { sources: ['a = 1\n'], filename: 'a.py' }, { background: true })),
        track('background 2', worker.request('precompile', { sources: ['b = 1\n'], filename: 'b.py' }, { background: true })),
        track('hover', worker.request('compile', { source: 'c = 1\n', filename: 'c.py', onlyLine: 1 })),
      ]);
      assert.deepEqual(order, ['sleep', 'hover', 'background 1', 'background 2']);
      assert.equal(worker.starts, 1);

      const pending = [worker.request('sleep', { seconds: 5 }), worker.request('compile', { source: 'd = 1\n', filename: 'd.py' })];
      worker.dispose();
      for (const p of pending) {
        const e = await p.catch((x: unknown) => x);
        assert.ok(e instanceof WorkerError && e.reason === 'disposed', String(e));
      }
    } finally {
      worker.dispose();
    }
  });

  it('is refused by the runtime lab, which says why', async () => {
    const [python] = await wasmPythons();
    const err = await runScript({
      python: python!,
      script: '/tmp/x.py',
      source: 'print(1)\n',
      cwd: '/tmp',
      args: [],
      view: 'gc',
      timeoutMs: 5_000,
      memoryMb: 0,
    }).catch((e: unknown) => e);
    assert.ok(err instanceof NotRunnableError, String(err));
    assert.match(err.message, /wasm:3\.14 \(CPython 3\.14\.2 in WebAssembly\).*js module reaches Node's globals/);
  });
});
