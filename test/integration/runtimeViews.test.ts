/**
 * The runtime views (server/python/pyruntime/) on real runs, on every CPython
 * 3.8+ found: the import trace, the object inspector, a chosen function
 * called after the module, and what a script beside them cannot break.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runDocument } from '../../server/runtime/service';
import { tempDir, testPythons } from '../helpers/pythons';
import { writeScript } from '../helpers/runs';

describe('import trace: -X importtime and the import observer, on every CPython 3.8+', function () {
  this.timeout(180_000);

  it('traces what the script imports (ours left out), over several runs, with each module’s spec', async () => {
    for (const python of await testPythons()) {
      const dir = tempDir('imports');
      fs.mkdirSync(path.join(dir, 'mypkg'));
      fs.writeFileSync(path.join(dir, 'mypkg', '__init__.py'), 'import json\nfrom . import helper\n');
      fs.writeFileSync(path.join(dir, 'mypkg', 'helper.py'), 'import csv\n');
      fs.mkdirSync(path.join(dir, 'nspkg'));
      fs.writeFileSync(path.join(dir, 'nspkg', 'mod.py'), 'X = 1\n');
      const text = 'import sys\nimport mypkg\nimport nspkg.mod\nprint("imported", file=sys.stderr)\n';
      const file = path.join(dir, 'main.py');
      fs.writeFileSync(file, text);
      const output: string[] = [];
      const result = await runDocument(
        { uri: pathToFileURL(file).href, text },
        { textDocument: { uri: pathToFileURL(file).href }, view: 'imports', runId: 'i', runs: 3 },
        python,
        { trusted: true, timeoutMs: 30_000, memoryMb: 2048 },
        (_s, t) => void output.push(t),
      );
      assert.equal(result.exit.status, 0, result.summary);
      const trace = result.imports!;
      assert.equal(trace.runs, 3);
      const byName = new Map(trace.modules.map((m) => [m.name, m]));
      const mypkg = byName.get('mypkg')!;
      assert.ok(mypkg, trace.modules.map((m) => m.name).join());
      assert.equal(mypkg.parent, -1);
      assert.equal(mypkg.spec?.package, true);
      assert.equal(mypkg.spec?.pathEntry, dir);
      assert.match(mypkg.spec?.finder ?? '', /PathFinder/);
      // Who imported whom: json under mypkg, csv under mypkg.helper.
      assert.equal(trace.modules[byName.get('json')!.parent]!.name, 'mypkg');
      assert.equal(trace.modules[byName.get('csv')!.parent]!.name, 'mypkg.helper');
      assert.equal(byName.get('nspkg')?.spec?.namespace, true);
      assert.ok(mypkg.cumulative.min <= mypkg.cumulative.median && mypkg.cumulative.median <= mypkg.cumulative.max);
      // Our own imports (the runner's) are not the script's.
      assert.ok(!trace.modules.some((m) => m.name.startsWith('pyruntime')), trace.modules.map((m) => m.name).join());
      // The program's stderr reaches the user without -X importtime's lines.
      const err = output.join('');
      assert.match(err, /imported/);
      assert.doesNotMatch(err, /import time:/);
    }
  });
});

describe('object inspector: references, sizes and what is special, on every CPython 3.8+', function () {
  this.timeout(120_000);
  const text = [
    'a = b = c = []',
    'n = 7',
    'big = int("1" + "0" * 20)',
    'def f(x):',
    '    y = z = [x]',
    '    w = 1',
    '    return y',
    'f(3)',
    'done = True',
    '',
  ].join('\n');

  it('stops before the chosen line runs and counts references without its own (a list bound to three names: 3)', async () => {
    for (const python of await testPythons()) {
      const file = writeScript(tempDir('inspect'), 'insp.py', text);
      const uri = pathToFileURL(file).href;
      const run = (line?: number) =>
        runDocument(
          { uri, text },
          { textDocument: { uri }, view: 'inspect', runId: 'o', ...(line ? { line } : {}) },
          python,
          { trusted: true, timeoutMs: 20_000, memoryMb: 2048 },
          () => {},
        );
      const inside = await run(7);
      assert.equal(inside.exit.status, 0, inside.summary);
      const report = inside.objects!;
      assert.deepEqual(report.stopped, { line: 7, function: 'f' });
      const row = (scope: string, name: string) => report.rows.find((r) => r.scope === scope && r.name === name)!;
      assert.equal(row('module', 'a').references, 3, python.versionText);
      assert.deepEqual(row('module', 'a').sameObject, ['b', 'c']);
      assert.equal(row('local', 'y').references, 2, python.versionText);
      assert.deepEqual(row('local', 'z').sameObject, ['y']);
      // Made at run time (a folded constant would be held by the code object too): one name, one reference.
      assert.equal(row('module', 'big').references, 1, python.versionText);
      assert.ok(row('module', 'n').special.includes('small-int cache'));
      if (python.version[1] >= 12) assert.equal(row('module', 'n').immortal, true);
      // The line before `done` ran: `done` is not bound yet.
      assert.equal(
        report.rows.some((r) => r.name === 'done'),
        false,
      );
      assert.ok(row('local', 'y').deepSize > row('local', 'y').size);

      const atEnd = await run();
      assert.equal(atEnd.objects!.stopped, null);
      assert.ok(atEnd.objects!.rows.some((r) => r.name === 'done'));
      const never = await run(2000);
      assert.equal(never.objects!.stopped, null);
      assert.equal(never.objects!.line, 2000);
    }
  });
});

describe('a chosen function called after the module runs (GC report, specialized bytecode)', function () {
  this.timeout(60_000);

  it('records the call’s collections too, and says when the name is not a function', async () => {
    const python = (await testPythons())[0]!;
    const text =
      'class Node:\n    pass\n\ndef make(n):\n    for _ in range(n):\n        a, b = Node(), Node()\n        a.p, b.p = b, a\n    import gc; gc.collect()\n';
    const file = writeScript(tempDir('call'), 'calls.py', text);
    const uri = pathToFileURL(file).href;
    const limits = { trusted: true, timeoutMs: 20_000, memoryMb: 2048 };
    const result = await runDocument(
      { uri, text },
      { textDocument: { uri }, view: 'gc', runId: 'c', call: 'make', callArgs: '500', times: 3 },
      python,
      limits,
      () => {},
    );
    assert.equal(result.exit.status, 0, result.summary);
    // Three calls of 500 pairs, freed by the calls' own gc.collect() (the module made none): all but
    // the last call's last pair, still bound to a and b when its collection ran.
    const nodes = result.gc!.freedByType.find(([t]) => t === 'Node');
    assert.ok(nodes && nodes[1] === 2998, JSON.stringify(result.gc!.freedByType.slice(0, 3)));
    let err = '';
    const missing = await runDocument(
      { uri, text },
      { textDocument: { uri }, view: 'specialize', runId: 'd', call: 'nothing_here', times: 2 },
      python,
      limits,
      (_s, t) => (err += t),
    );
    assert.match(err, /nothing_here is not a function of the module/);
    if (python.version[1] >= 11)
      assert.equal((missing.specialized as { callError: string | null }).callError, 'nothing_here is not a function of the module');
  });
});

describe('runtime views: what the script beside them cannot break (review findings)', function () {
  this.timeout(120_000);

  it('imports its own json before a json.py beside the script can shadow it (the import trace still reads)', async () => {
    const python = (await testPythons())[0]!;
    const dir = tempDir('shadow-imports');
    fs.writeFileSync(path.join(dir, 'json.py'), 'SHADOW = True\n');
    const text = 'import json\nprint(getattr(json, "SHADOW", False))\n';
    const file = writeScript(dir, 'main.py', text);
    let out = '';
    const result = await runDocument(
      { uri: pathToFileURL(file).href, text },
      { textDocument: { uri: pathToFileURL(file).href }, view: 'imports', runId: 's', runs: 1 },
      python,
      { trusted: true, timeoutMs: 20_000, memoryMb: 2048 },
      (_s, t) => (out += t),
    );
    assert.equal(result.exit.status, 0, result.summary);
    assert.match(out, /True/);
    assert.ok(
      result.imports?.modules.some((m) => m.name === 'json' && m.spec?.origin === path.join(dir, 'json.py')),
      JSON.stringify(result.imports?.modules.map((m) => m.name)),
    );
  });

  it('counts a local bound once as 1 and a module object also bound to a local as 2, and stops at its line even if the script catches BaseException', async () => {
    for (const python of await testPythons()) {
      const text = [
        'g = []',
        'def f():',
        '    x = [3]',
        '    w = g',
        '    try:',
        '        return x',
        '    except BaseException:',
        '        print("went on")',
        'f()',
        'print("after")',
        '',
      ].join('\n');
      const file = writeScript(tempDir('inspect-counts'), 'counts.py', text);
      const uri = pathToFileURL(file).href;
      let out = '';
      const result = await runDocument(
        { uri, text },
        { textDocument: { uri }, view: 'inspect', runId: 'k', line: 6 },
        python,
        { trusted: true, timeoutMs: 20_000, memoryMb: 2048 },
        (_s, t) => (out += t),
      );
      assert.equal(result.exit.status, 0, result.summary);
      const rows = result.objects!.rows;
      const row = (scope: string, name: string) => rows.find((r) => r.scope === scope && r.name === name)!;
      assert.equal(row('local', 'x').references, 1, python.versionText);
      assert.equal(row('local', 'w').references, 2, python.versionText);
      assert.equal(row('module', 'g').references, 2, python.versionText);
      assert.doesNotMatch(out, /went on|after/, 'the script ran on after the line');
    }
  });
});
