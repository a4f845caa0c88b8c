/**
 * CPython in WebAssembly for the tests: the bundled 3.14 and the development
 * alias 3.15 (server/cpython/wasm.ts), both required here (npm ci installs
 * them); the collector's handlers called directly in a Pyodide of the test's
 * own, to compare the worker thread's answers with; and each one's standard
 * library, unpacked from its python_stdlib.zip.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { loadPyodide as LoadPyodide, PyodideAPI } from 'pyodide';
import type { CollectorError, CollectorMethod, InterpreterInfo } from '../../protocol';
import { collectorPath } from '../../server/common/assets';
import { probeInterpreter } from '../../server/cpython/interpreter';
import { run } from '../../server/cpython/spawn';
import { pyodideDir } from '../../server/cpython/wasm';

export const WASM_NAMES = ['wasm:3.14', 'wasm:3.15'];

export function wasmPythons(): Promise<InterpreterInfo[]> {
  return Promise.all(WASM_NAMES.map((name) => probeInterpreter(name)));
}

export type DirectAnswer = { result: unknown } | { error: CollectorError };

/** The collector's handlers, called in this thread's own Pyodide: no worker, no thread, no `answer` seam. */
export interface DirectCollector {
  call(method: CollectorMethod, params: unknown): DirectAnswer;
}

/** A Pyodide of `python`'s own, in this thread; `stdout` gets each line Python prints. */
export async function loadWasmPyodide(python: InterpreterInfo, stdout?: (line: string) => void): Promise<PyodideAPI> {
  const dir = pyodideDir(python.executable);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadPyodide } = require(path.join(dir, 'pyodide.js')) as { loadPyodide: typeof LoadPyodide };
  return loadPyodide({ indexURL: dir + path.sep, ...(stdout ? { stdout } : {}) });
}

export async function directCollector(python: InterpreterInfo): Promise<DirectCollector> {
  const pyodide = await loadWasmPyodide(python);
  const home = '/direct-collector';
  const fsys = (pyodide as unknown as { FS: { mkdirTree(d: string): void; writeFile(f: string, data: Uint8Array): void } }).FS;
  const copy = (from: string, to: string) => {
    fsys.mkdirTree(to);
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name !== '__pycache__') copy(path.join(from, entry.name), `${to}/${entry.name}`);
      else if (entry.name.endsWith('.py')) fsys.writeFile(`${to}/${entry.name}`, fs.readFileSync(path.join(from, entry.name)));
    }
  };
  copy(path.dirname(collectorPath()), home);
  const call = pyodide.runPython(
    [
      'import json, sys',
      `sys.path.insert(0, ${JSON.stringify(home)})`,
      'from pyinternals.channel import prepare',
      'from pyinternals.errors import RequestError',
      'from pyinternals.handlers import HANDLERS',
      'prepare()',
      'def direct(method, params):',
      '    try:',
      '        return json.dumps({"result": HANDLERS[method](json.loads(params))})',
      '    except RequestError as exc:',
      '        return json.dumps({"error": exc.payload})',
      'direct',
    ].join('\n'),
  ) as (method: string, params: string) => string;
  return { call: (method, params) => JSON.parse(call(method, JSON.stringify(params))) as DirectAnswer };
}

/** The folder of `python`'s own standard library, unpacked once per run (by a native CPython's zipfile). */
export async function wasmStdlib(python: InterpreterInfo): Promise<string> {
  const target = path.join(os.tmpdir(), `pyinternals-stdlib-${python.versionText}-${process.pid}`);
  if (fs.existsSync(path.join(target, 'argparse.py'))) return target;
  const zip = path.join(pyodideDir(python.executable), 'python_stdlib.zip');
  const unzip = 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])';
  const result = await run('python3', ['-I', '-c', unzip, zip, target], 60_000);
  if (result.code !== 0) throw new Error(`Could not unpack ${zip}: ${result.stderr}`);
  return target;
}
