/**
 * The runtime lab's runner (server/runtime/runner.ts + server/python/runner.py)
 * with real processes on every CPython 3.8+ found: what it must survive and
 * what it must clean up. Nothing here is mocked.
 */
import * as assert from 'node:assert/strict';
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type InterpreterInfo, RunOutputNotification, type RunOutputParams, RunRequest } from '../../protocol';
import { exitSummary, runScript } from '../../server/runtime/runner';
import { waitFor } from '../helpers/deadline';
import { LspClient } from '../helpers/lspClient';
import { tempDir, testPythons } from '../helpers/pythons';
import { helloOf, runSpec, writeScript } from '../helpers/runs';

describe('runtime runner: real processes on every CPython 3.8+', function () {
  this.timeout(180_000);
  let pythons: InterpreterInfo[];

  before(async () => {
    pythons = await testPythons();
  });

  it('keeps its channel whole under 100 MB of prints, and shows only the first part of them', async () => {
    const python = pythons[0]!;
    const dir = tempDir('run-print');
    const file = writeScript(
      dir,
      'noisy.py',
      'import sys\nline = "x" * 1023 + "\\n"\nfor _ in range(100 * 1024):\n    sys.stdout.write(line)\nclass A: pass\nfor _ in range(2000):\n    a = A(); a.me = a\n',
    );
    let shown = 0;
    const outcome = await runScript(runSpec(python, file, { onOutput: (_s, t) => (shown += Buffer.byteLength(t)), outputLimit: 1 << 20 }));
    assert.equal(outcome.exit.status, 0);
    assert.equal(outcome.output.stdout, 100 * 1024 * 1024);
    assert.equal(outcome.output.truncated, true);
    assert.ok(shown <= 1 << 20, `${shown} bytes shown`);
    const gc = outcome.messages.find((m) => m.kind === 'gc');
    assert.ok(gc && gc.kind === 'gc' && gc.data.freedTotal >= 1000, 'the report arrived whole');
    assert.deepEqual(outcome.problems, []);
  });

  it('reports os._exit(3) and a segfault clearly, input() gets EOF, and the script’s own exception comes with its frames', async () => {
    for (const python of pythons) {
      const dir = tempDir('run-exit');
      const exited = await runScript(
        runSpec(python, writeScript(dir, 'exit.py', 'import gc, os\nprint("bye", flush=True)\ngc.collect()\nos._exit(3)\n')),
      );
      assert.equal(exited.exit.status, 3, python.versionText);
      assert.equal(exited.exit.early, true);
      // What happened before it died is still known: the collection it made.
      // (gc.collect() is a collection of the oldest generation, 2, on 3.8-3.13.)
      assert.ok(
        exited.messages.some((m) => m.kind === 'gcCollection' && m.data.generation === 2),
        `${python.versionText}: the full collection before the exit`,
      );
      assert.match(exitSummary(exited.exit, 10_000, 2048), /ended early with status 3/);

      const crashed = await runScript(runSpec(python, writeScript(dir, 'crash.py', 'import ctypes\nctypes.string_at(0)\n')));
      assert.equal(crashed.exit.signal, 'SIGSEGV', `${python.versionText}: ${JSON.stringify(crashed.exit)}`);
      assert.match(exitSummary(crashed.exit, 10_000, 2048), /crashed: SIGSEGV \(segmentation fault\)/);

      let out = '';
      const eof = await runScript(
        runSpec(python, writeScript(dir, 'ask.py', 'try:\n    input("name? ")\nexcept EOFError:\n    print("got EOF")\n'), {
          onOutput: (_s, t) => (out += t),
        }),
      );
      assert.equal(eof.exit.status, 0);
      assert.match(out, /got EOF/);

      const file = writeScript(dir, 'boom.py', 'def inner():\n    raise ValueError("boom é")\n\ndef outer():\n    inner()\n\nouter()\n');
      const boom = await runScript(runSpec(python, file));
      assert.equal(boom.exit.status, 1);
      const exception = boom.messages.find((m) => m.kind === 'exception');
      assert.ok(exception && exception.kind === 'exception');
      assert.equal(exception.data.type, 'ValueError');
      assert.equal(exception.data.message, 'boom é');
      assert.deepEqual(
        exception.data.frames.map((f) => [path.basename(f.file), f.line, f.name]),
        [
          ['boom.py', 7, '<module>'],
          ['boom.py', 5, 'outer'],
          ['boom.py', 2, 'inner'],
        ],
      );
      // The partial report still comes.
      assert.ok(boom.messages.some((m) => m.kind === 'gc'));
    }
  });

  it('runs the script as `python file.py` would: its folder first, a workspace json.py shadowing the standard one, argv, __main__', async () => {
    for (const python of pythons) {
      const dir = tempDir('run-shadow');
      fs.writeFileSync(path.join(dir, 'json.py'), 'SHADOW = True\n');
      const file = writeScript(
        dir,
        'main.py',
        'import json, sys\nprint(getattr(json, "SHADOW", False), json.__name__, __name__, sys.argv, sys.path[0], type(__builtins__).__name__, __spec__, flush=True)\n',
      );
      let ours = '';
      const outcome = await runScript(runSpec(python, file, { args: ['a', 'é'], onOutput: (_s, t) => (ours += t) }));
      assert.equal(outcome.exit.status, 0, ours);
      const plain = cp.execFileSync(python.executable, [file, 'a', 'é'], { cwd: dir, encoding: 'utf8' });
      assert.equal(ours, plain, python.versionText);
      assert.match(plain, /^True json __main__/);
    }
  });

  it('types at most its budget of distinct objects and never one twice, however many cycles the script frees', async () => {
    const python = pythons[0]!;
    const dir = tempDir('run-budget');
    const file = writeScript(
      dir,
      'churn.py',
      'class Node:\n    pass\ndef churn(n):\n    for _ in range(n):\n        a, b = Node(), Node()\n        a.p, b.p = b, a\nchurn(150000)\nimport gc; gc.collect()\n',
    );
    const outcome = await runScript(runSpec(python, file));
    const gc = outcome.messages.find((m) => m.kind === 'gc');
    assert.ok(gc && gc.kind === 'gc');
    assert.equal(gc.data.typedAll, false);
    assert.ok(gc.data.freedTotal >= 30_000 && gc.data.freedTotal < 300_000, String(gc.data.freedTotal));
    // The collections came one by one as they ended (the report leaves them out).
    const collections = outcome.messages.flatMap((m) => (m.kind === 'gcCollection' ? [m.data] : []));
    const typed = collections.reduce((n, c) => n + (c.typed ?? 0), 0);
    assert.equal(typed, gc.data.freedTotal);
    assert.ok(gc.data.typedCollections! < collections.length, 'collections after the budget are not typed');
    assert.ok(
      collections.slice(gc.data.typedCollections).every((c) => c.typed === undefined),
      'none typed after the budget',
    );
  });

  it('runs the editor’s unsaved text under the file’s name, and caps memory', async () => {
    const python = pythons[0]!;
    const dir = tempDir('run-unsaved');
    const file = writeScript(dir, 'edit.py', 'print("on disk")\n');
    let out = '';
    const outcome = await runScript(runSpec(python, file, { source: 'print("unsaved", __file__)\n', onOutput: (_s, t) => (out += t) }));
    assert.equal(outcome.exit.status, 0);
    assert.equal(out.trim(), `unsaved ${file}`);
    if (process.platform !== 'win32') {
      assert.equal(helloOf(outcome.messages)?.memoryMb, 2048);
      let err = '';
      const greedy = await runScript(
        runSpec(python, writeScript(dir, 'greedy.py', 'x = bytearray(600 * 1024 * 1024)\n'), {
          memoryMb: 256,
          onOutput: (_s, t) => (err += t),
        }),
      );
      assert.equal(greedy.exit.status, 1);
      const exception = greedy.messages.find((m) => m.kind === 'exception');
      assert.ok(exception && exception.kind === 'exception' && exception.data.type === 'MemoryError', err);
    }
  });
});

describe('runtime lab over LSP (pythonInternals/run)', function () {
  this.timeout(120_000);

  it('refuses to run anything unless the client says the workspace is trusted', async () => {
    const python = (await testPythons())[0]!;
    const dir = tempDir('run-lsp-untrusted');
    const marker = path.join(dir, 'ran');
    const text = `open(${JSON.stringify(marker)}, "w").write("ran")\n`;
    const { client } = await LspClient.start({ interpreterPath: python.executable, precompile: { enabled: false } });
    try {
      const uri = await client.open(writeScript(dir, 'marker.py', text), text);
      await assert.rejects(
        client.connection.sendRequest(RunRequest.type, { textDocument: { uri }, view: 'gc', runId: 'r1' }),
        /trusted workspace/,
      );
      assert.equal(fs.existsSync(marker), false, 'the script ran');
    } finally {
      await client.stop();
    }
  });

  it('runs the editor’s text in a trusted workspace: the GC report of its cycles, its output streamed apart, its exception', async () => {
    const python = (await testPythons())[0]!;
    const dir = tempDir('run-lsp');
    const text = [
      'import gc',
      'class Node:',
      '    def __init__(self):',
      '        self.partner = None',
      'for _ in range(1000):',
      '    a, b = Node(), Node()',
      '    a.partner, b.partner = b, a',
      'gc.collect()',
      'print("printed by the script")',
      'raise KeyError("é")',
      '',
    ].join('\n');
    const { client } = await LspClient.start({
      interpreterPath: python.executable,
      precompile: { enabled: false },
      runtime: { trusted: true, timeoutMs: 20_000 },
    });
    const output: RunOutputParams[] = [];
    client.connection.onNotification(RunOutputNotification.type, (p) => void output.push(p));
    try {
      // On disk: something else. The editor's unsaved text is what runs.
      const uri = await client.open(writeScript(dir, 'cycles.py', 'print("on disk")\n'), text);
      const result = await client.connection.sendRequest(RunRequest.type, { textDocument: { uri }, view: 'gc', runId: 'r2' });
      assert.equal(result.exit.status, 1);
      assert.match(result.summary, /finished with status 1 · KeyError: 'é'/);
      assert.equal(result.exception?.frames.at(-1)?.line, 10);
      const gc = result.gc!;
      assert.ok(gc.collections.length >= 1);
      assert.equal(gc.generations, gc.before.thresholds.length);
      const nodes = gc.freedByType.find(([type]) => type === 'Node');
      // Each Node once, whichever collections found it: 1,998, since the last pair is still bound to a and b.
      assert.ok(nodes && nodes[1] === 1998, JSON.stringify(gc.freedByType.slice(0, 5)));
      assert.equal(gc.typedAll, true);
      // Each pair of Nodes is a cycle of its own: two objects, named edges both ways.
      const pair = gc.cycles.find((c) => c.nodes.every((n) => n.type === 'Node'));
      assert.ok(pair, JSON.stringify(gc.cycles));
      assert.equal(pair.objects, 2);
      assert.deepEqual(
        pair.edges.map((e) => e.label),
        ['partner', 'partner'],
      );
      await waitFor(
        () => output.some((o) => o.runId === 'r2' && o.stream === 'stdout' && o.text.includes('printed by the script')),
        'the output streamed',
      );
      assert.ok(
        output.some((o) => o.stream === 'stderr' && o.text.includes('KeyError')),
        'the traceback on stderr',
      );
    } finally {
      await client.stop();
    }
  });
});

describe('runner robustness (review findings)', function () {
  this.timeout(120_000);

  it('keeps its channel when the script closes fd 3 and opens a file, drops a forked child’s reports, and ends when the script does though a child lives on', async () => {
    const python = (await testPythons())[0]!;
    const dir = tempDir('robust');
    const target = path.join(dir, 'mine.txt');
    const text = [
      'import os, subprocess, sys, time',
      'try:',
      '    os.close(3)',
      'except OSError:',
      '    pass',
      `f = open(${JSON.stringify(target)}, "w"); f.write("mine"); f.flush()`,
      'pid = os.fork()',
      'if pid == 0:',
      '    import gc; gc.collect(); os._exit(0)',
      'os.waitpid(pid, 0)',
      'subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])',
      'print("done", flush=True)',
      '',
    ].join('\n');
    const file = writeScript(dir, 'robust.py', text);
    const started = Date.now();
    const outcome = await runScript(runSpec(python, file, { timeoutMs: 20_000 }));
    assert.ok(Date.now() - started < 8_000, `the run waited ${Date.now() - started} ms for the live child`);
    assert.equal(outcome.exit.timedOut, false);
    assert.equal(fs.readFileSync(target, 'utf8'), 'mine', 'our report went into the script’s file');
    assert.equal(outcome.messages.filter((m) => m.kind === 'done').length, 1, 'one done: the forked child’s dropped');
    assert.equal(outcome.exit.leftover, true, 'the live child was killed with its group');
  });
});
