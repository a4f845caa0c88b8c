/**
 * `pyinternals` as a user runs it: `node dist/cli.js …`, a real process.
 */
import * as assert from 'node:assert/strict';
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BytecodeListing, ClassSummary, LineBytecode, StaticMro } from '../../protocol';
import { oldPythons, repoRoot, tempDir, testPythons } from '../helpers/pythons';

const cli = path.join(repoRoot, 'dist', 'cli.js');

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = cp.spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('pyinternals CLI', function () {
  this.timeout(120_000);
  const shapes = path.join(repoRoot, 'examples', 'shapes.py');
  const areaLine =
    fs
      .readFileSync(shapes, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes('return math.pi')) + 1;

  it("prints one line's instructions as JSON in the protocol schema, on every interpreter", async () => {
    for (const python of await testPythons()) {
      const r = run(['bytecode', shapes, '--line', String(areaLine), '--python', python.requested, '--json']);
      assert.equal(r.code, 0, r.stderr);
      const result = JSON.parse(r.stdout) as LineBytecode;
      assert.equal(result.interpreter.versionText, python.versionText);
      assert.equal(result.line, areaLine);
      assert.equal(result.codeObject.qualname, 'Circle.area');
      assert.ok(result.instructions.length >= 4);
      assert.ok(result.instructions.every((i) => i.line === areaLine && typeof i.offset === 'number' && i.opname.length > 0));
      assert.ok(result.instructions.some((i) => i.argrepr === 'pi'));
      assert.ok(result.instructionCount >= result.instructions.length);
    }
  });

  it("prints the static MRO of a file's classes (no interpreter), one class in full, and says which classes there are", () => {
    const corpus = path.join(repoRoot, 'test', 'corpus', 'mro');
    const leaf = path.join(corpus, 'pkg', 'sub', 'leaf.py');
    const text = run(['mro', leaf, '--root', corpus, '--python', '/nonexistent/python']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^ {4}9 {2}Leaf: Leaf → Mid → Other → Base → object$/m);
    const all = JSON.parse(run(['mro', leaf, '--root', corpus, '--json']).stdout) as ClassSummary[];
    assert.deepEqual(
      all.map((c) => c.qualname),
      ['Leaf', 'ViaPackage', 'ViaDotted', 'ViaStar'],
    );
    const one = run(['mro', path.join(corpus, 'diamond.py'), '--class', 'Diamond', '--json']);
    const detail = JSON.parse(one.stdout) as StaticMro;
    assert.deepEqual(
      detail.mro.map((c) => c.key),
      ['diamond:Diamond', 'diamond:Left', 'diamond:Right', 'diamond:Root', 'builtins:object'],
    );
    assert.equal(detail.attributes.find((a) => a.name === 'who')?.definedIn, 'diamond:Left');
    const missing = run(['mro', path.join(corpus, 'diamond.py'), '--class', 'Nope']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no class Nope in .*diamond\.py \(it has: Root, Left, Right, Diamond, Deeper, Explicit, Empty\)/);
  });

  it('prints the text listing the hover links to, and the whole file as JSON', async () => {
    const [python] = await testPythons();
    const text = run(['bytecode', shapes, '--python', python!.requested]);
    assert.equal(text.code, 0, text.stderr);
    for (const name of ['<module>', 'Circle', 'Circle.area', 'make_counter.<locals>.increment']) {
      assert.match(text.stdout, new RegExp(`Disassembly of ${name.replace(/[.<>]/g, '\\$&')} \\(line \\d+\\)`));
    }
    const json = run(['bytecode', shapes, '--python', python!.requested, '--json']);
    assert.equal(json.code, 0, json.stderr);
    const file = JSON.parse(json.stdout) as {
      interpreter: unknown;
      module: { name: string; children: unknown[] };
    } & Partial<BytecodeListing>;
    assert.equal(file.module.name, '<module>');
    assert.ok(file.module.children.length >= 4);
  });

  it('reads files in the encoding CPython would, and explains the ones it cannot', async () => {
    const [python] = await testPythons();
    const dir = tempDir('cli');
    const latin1 = path.join(dir, 'latin1.py');
    fs.writeFileSync(latin1, Buffer.from('# -*- coding: latin-1 -*-\ndef f():\n    return "caf\xe9"\n', 'latin1'));
    const ok = run(['bytecode', latin1, '--line', '3', '--python', python!.requested, '--json']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.ok(
      (JSON.parse(ok.stdout) as LineBytecode).instructions.some((i) => i.argrepr.includes('café')),
      ok.stdout,
    );

    const invalid = path.join(dir, 'invalid.py');
    fs.writeFileSync(invalid, Buffer.from([0x78, 0x20, 0x3d, 0x20, 0x27, 0xff, 0xfe, 0x27, 0x0a]));
    const bad = run(['bytecode', invalid, '--python', python!.requested]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^pyinternals: invalid\.py: .*(utf-8|decode)/im);
  });

  it('exits 1 with a clear message on syntax errors, missing files, missing or old interpreters', async () => {
    const [python] = await testPythons();
    const dir = tempDir('cli');
    const broken = path.join(dir, 'broken.py');
    fs.writeFileSync(broken, 'def f(:\n    pass\n');
    let r = run(['bytecode', broken, '--python', python!.requested]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /SyntaxError.*line 1/);

    r = run(['bytecode', path.join(dir, 'missing.py'), '--python', python!.requested]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Cannot read .*missing\.py: ENOENT/);

    r = run(['bytecode', shapes, '--python', '/nonexistent/python3']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /nonexistent/);

    for (const old of oldPythons()) {
      r = run(['bytecode', shapes, '--python', old]);
      assert.equal(r.code, 1, old);
      assert.match(r.stderr, /not supported.*3\.8 or newer/);
    }

    r = run(['bytecode', shapes, '--line', '0']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--line needs a positive whole number/);
    r = run(['bytecode', shapes, '--line', '9999', '--python', python!.requested]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /there is no line 9999/);
  });
});
