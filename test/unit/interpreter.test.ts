/**
 * Interpreter choice, in the documented order: explicit setting (no silent
 * fallback when it is wrong), then the Python extension's, then PATH, then
 * the bundled CPython in WebAssembly.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkSupported, compareVersions, resolveInterpreter } from '../../server/cpython/interpreter';
import { oldPythons, tempDir, testPythons } from '../helpers/pythons';

describe('interpreter resolution', function () {
  this.timeout(60_000);

  it('1. uses the explicit setting, resolving shims to the real executable', async () => {
    const [python] = await testPythons();
    const r = await resolveInterpreter({ interpreterPath: python!.requested, pythonExtensionInterpreter: '/nope/python' });
    assert.equal(r.source, 'setting');
    assert.equal(r.interpreter?.executable, python!.executable);
    assert.ok(path.isAbsolute(r.interpreter.executable));
  });

  it('1. reports a broken explicit setting instead of falling back', async () => {
    const r = await resolveInterpreter({ interpreterPath: '/nope/python3', pythonExtensionInterpreter: process.execPath });
    assert.equal(r.source, 'setting');
    assert.equal(r.interpreter, undefined);
    assert.match(r.error!, /\/nope\/python3/);
  });

  it("2. uses the Python extension's interpreter when no setting is given", async () => {
    const pythons = await testPythons();
    const chosen = pythons[pythons.length - 1]!;
    const r = await resolveInterpreter({ pythonExtensionInterpreter: chosen.requested });
    assert.equal(r.source, 'pythonExtension');
    assert.equal(r.interpreter?.versionText, chosen.versionText);
  });

  it('3. falls back to python3 / python on PATH', async () => {
    const [python] = await testPythons();
    const bin = tempDir('path');
    fs.symlinkSync(python!.executable, path.join(bin, 'python3'));
    const saved = process.env.PATH;
    process.env.PATH = bin;
    try {
      const r = await resolveInterpreter({ pythonExtensionInterpreter: '/nope/python' });
      assert.equal(r.source, 'path');
      assert.equal(r.interpreter?.versionText, python!.versionText);
    } finally {
      process.env.PATH = saved;
    }
  });

  it('4. with no local CPython at all, uses the bundled CPython 3.14 in WebAssembly', async () => {
    const saved = process.env.PATH;
    process.env.PATH = tempDir('empty');
    try {
      const r = await resolveInterpreter({ pythonExtensionInterpreter: '/nope/python' });
      assert.equal(r.source, 'bundled');
      assert.equal(r.error, undefined);
      assert.deepEqual([r.interpreter?.executable, r.interpreter?.versionText, r.interpreter?.kind], ['wasm:3.14', '3.14.2', 'wasm']);
    } finally {
      process.env.PATH = saved;
    }
  });

  it('refuses Python 2.7, 3.6 and 3.7 with a message that names 3.8+', async () => {
    for (const old of oldPythons()) {
      const r = await resolveInterpreter({ interpreterPath: old });
      assert.equal(r.interpreter, undefined, old);
      assert.match(r.error!, /is not supported.*needs CPython 3\.8 or newer/);
    }
    assert.throws(
      () => checkSupported({ requested: 'x', executable: 'x', version: [3, 7, 9], versionText: '3.7.9', implementation: 'cpython' }),
      /3\.8 or newer/,
    );
    assert.throws(
      () => checkSupported({ requested: 'x', executable: 'x', version: [3, 12, 0], versionText: '3.12.0', implementation: 'pypy' }),
      /CPython/,
    );
    assert.equal(compareVersions([3, 10], [3, 9]) > 0, true);
  });
});
