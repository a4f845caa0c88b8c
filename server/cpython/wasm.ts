/**
 * The interpreters in WebAssembly (Pyodide), named `wasm:<major>.<minor>`:
 *   - `wasm:3.14`: bundled; esbuild.mjs copies the `pyodide` dependency's
 *     runtime files into dist/pyodide/, so the VSIX carries it;
 *   - `wasm:3.15`: the development dependency `pyodide-315` (an npm alias),
 *     for the tests, where it is installed.
 * Their CPython version is read from the Pyodide lock file (`info.python`),
 * without starting them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUNDLED_WASM, type InterpreterInfo, WASM_PREFIX } from '../../protocol';
import { assetsDir } from '../common/assets';

/** The bundled one, when its files are there (a development checkout before its first build may lack them). */
export function bundledInterpreter(): InterpreterInfo | undefined {
  try {
    return wasmInterpreter(BUNDLED_WASM);
  } catch {
    return undefined;
  }
}

export function isWasmName(requested: string): boolean {
  return requested.startsWith(WASM_PREFIX);
}

/** The folder holding pyodide.js, pyodide.asm.wasm and python_stdlib.zip for a wasm interpreter's name. */
export function pyodideDir(name: string): string {
  const version = name.slice(WASM_PREFIX.length);
  if (version === '3.14') return path.join(assetsDir(), 'pyodide');
  if (version === '3.15') {
    try {
      return path.dirname(require.resolve('pyodide-315/package.json', { paths: [assetsDir()] }));
    } catch {
      throw new WasmInterpreterError(
        `${name} is CPython 3.15 in WebAssembly from the development dependency pyodide-315, which is not installed here (npm ci installs it).`,
      );
    }
  }
  throw new WasmInterpreterError(`Unknown WebAssembly interpreter "${name}": the bundled one is ${BUNDLED_WASM}.`);
}

export class WasmInterpreterError extends Error {}

/** What `probeInterpreter` answers for a `wasm:` name; throws WasmInterpreterError when it is not available. */
export function wasmInterpreter(name: string): InterpreterInfo {
  const dir = pyodideDir(name);
  let python: string;
  try {
    const lock = JSON.parse(fs.readFileSync(path.join(dir, 'pyodide-lock.json'), 'utf8')) as { info?: { python?: string } };
    python = lock.info?.python ?? '';
  } catch (err) {
    throw new WasmInterpreterError(
      `${name}: cannot read its Pyodide files in ${dir} (${err instanceof Error ? err.message : String(err)}).`,
    );
  }
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(python);
  if (!match) throw new WasmInterpreterError(`${name}: no CPython version in ${path.join(dir, 'pyodide-lock.json')}.`);
  return {
    requested: name,
    executable: name,
    version: [Number(match[1]), Number(match[2]), Number(match[3])],
    versionText: python,
    implementation: 'cpython',
    kind: 'wasm',
  };
}
