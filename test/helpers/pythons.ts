/**
 * The CPython interpreters tests run against: every 3.8+ one found on this
 * machine (pyenv versions, PATH), or those listed in PYINTERNALS_TEST_PYTHONS
 * (path-separated). A machine with a single Python runs with that one.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { InterpreterInfo } from '../../protocol';
import { discoverInterpreters, probeInterpreter } from '../../server/cpython/interpreter';

let found: Promise<InterpreterInfo[]> | undefined;

export function testPythons(): Promise<InterpreterInfo[]> {
  found ??= (async () => {
    const listed = process.env.PYINTERNALS_TEST_PYTHONS?.split(path.delimiter).filter(Boolean);
    const infos = listed ? await Promise.all(listed.map((p) => probeInterpreter(p))) : await discoverInterpreters();
    // One per minor version: the newest patch release.
    const byMinor = new Map<string, InterpreterInfo>();
    for (const info of infos) {
      const key = `${info.version[0]}.${info.version[1]}`;
      if (!byMinor.has(key)) byMinor.set(key, info);
    }
    const result = [...byMinor.values()];
    if (result.length === 0) throw new Error('No CPython 3.8+ interpreter found for the tests.');
    return result;
  })();
  return found;
}

/** Old interpreters (to check the "3.8+ is supported" message), when this machine has them. */
export function oldPythons(): string[] {
  const root = process.env.PYENV_ROOT ?? path.join(os.homedir(), '.pyenv');
  const out: string[] = [];
  for (const version of ['2.7', '3.6', '3.7']) {
    let dirs: string[] = [];
    try {
      dirs = fs.readdirSync(path.join(root, 'versions')).filter((d) => d.startsWith(version + '.'));
    } catch {
      // no pyenv
    }
    for (const d of dirs) {
      const exe = path.join(root, 'versions', d, 'bin', version === '2.7' ? 'python' : 'python3');
      if (fs.existsSync(exe)) out.push(exe);
    }
  }
  return out;
}

/** The checkout's root: the first parent with a package.json (tests run bundled from out/test/<kind>/). */
export const repoRoot = ((): string => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No package.json above ${__dirname}`);
  }
})();

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `pyinternals-${prefix}-`));
}
