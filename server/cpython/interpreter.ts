/**
 * Choosing and probing the CPython interpreter.
 *
 * Fallback order (the first that is set wins; see `resolveInterpreter`):
 *   1. `interpreterPath`: initializationOptions or the `pythonInternals.interpreterPath`
 *      setting. When set but unusable, that is an error: we never silently use another.
 *   2. The Python extension's active interpreter, sent by the VS Code client.
 *   3. `python3`, then `python`, on PATH.
 *   4. None of these usable: the bundled CPython 3.14 in WebAssembly (wasm.ts).
 * `wasm:3.14` names the bundled CPython in WebAssembly (wasm.ts) wherever a path goes.
 * Shims (pyenv, asdf) are resolved to the real executable once, by asking the
 * interpreter for `sys.executable`; later starts use that path directly.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InterpreterInfo, InterpreterSource, InterpreterStatus, MIN_PYTHON, ServerSettings } from '../../protocol';
import { run } from './spawn';
import { bundledInterpreter, isWasmName, wasmInterpreter } from './wasm';

/** Runs on Python 2.7 too, so we can say which version was found. `-E -s`, not `-I` (2.7 lacks it). */
const PROBE = [
  'import sys, json, platform',
  'impl = getattr(sys, "implementation", None)',
  'name = impl.name if impl else platform.python_implementation().lower()',
  'sys.stdout.write(json.dumps({"executable": sys.executable, "version": list(sys.version_info[:3]), "implementation": name}))',
].join('\n');

const PROBE_TIMEOUT_MS = 15_000;

export class InterpreterError extends Error {}

const probes = new Map<string, Promise<InterpreterInfo>>();

/** Ask an interpreter what it is. Cached per requested path (a bare name, per PATH too); failures are not cached. */
export function probeInterpreter(requested: string): Promise<InterpreterInfo> {
  // CPython in WebAssembly (wasm.ts): known from its files, nothing to run.
  if (isWasmName(requested)) return Promise.resolve(requested).then(wasmInterpreter);
  const key = requested.includes(path.sep) ? requested : `${requested}\0${process.env.PATH ?? ''}`;
  let pending = probes.get(key);
  if (!pending) {
    pending = doProbe(requested);
    probes.set(key, pending);
    pending.catch(() => probes.delete(key));
  }
  return pending;
}

async function doProbe(requested: string): Promise<InterpreterInfo> {
  const result = await run(requested, ['-E', '-s', '-c', PROBE], PROBE_TIMEOUT_MS);
  if (result.timedOut) throw new InterpreterError(`${requested} did not answer within ${PROBE_TIMEOUT_MS / 1000} s.`);
  if (result.code !== 0) {
    const reason = /ENOENT/.test(result.stderr) ? 'not found' : (result.stderr.trim().split('\n').pop() ?? 'failed');
    throw new InterpreterError(`Cannot run the Python interpreter "${requested}": ${reason}.`);
  }
  let parsed: { executable: string; version: [number, number, number]; implementation: string };
  try {
    parsed = JSON.parse(result.stdout) as typeof parsed;
  } catch {
    throw new InterpreterError(`"${requested}" did not answer like a Python interpreter.`);
  }
  const info: InterpreterInfo = {
    requested,
    executable: parsed.executable || requested,
    version: parsed.version,
    versionText: parsed.version.join('.'),
    implementation: parsed.implementation,
  };
  checkSupported(info);
  return info;
}

export function checkSupported(info: InterpreterInfo): void {
  const [major, minor] = info.version;
  if (info.implementation !== 'cpython') {
    throw new InterpreterError(
      `${info.executable} is ${info.implementation} ${info.versionText}; Python Internals shows CPython's bytecode and needs CPython ${MIN_PYTHON.join('.')} or newer.`,
    );
  }
  if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
    throw new InterpreterError(
      `Python ${info.versionText} (${info.executable}) is not supported: Python Internals needs CPython ${MIN_PYTHON.join('.')} or newer.`,
    );
  }
}

export interface Resolution extends InterpreterStatus {
  interpreter?: InterpreterInfo;
}

/** Apply the fallback order in the header comment. Never throws: failures become `error`. */
export async function resolveInterpreter(settings: ServerSettings): Promise<Resolution> {
  // 1. Explicit setting: use it or report why not.
  const explicit = settings.interpreterPath?.trim();
  if (explicit) {
    try {
      return { source: 'setting', interpreter: await probeInterpreter(expandHome(explicit)) };
    } catch (err) {
      return { source: 'setting', error: message(err) };
    }
  }
  const errors: string[] = [];
  // 2. The Python extension's choice.
  const fromExtension = settings.pythonExtensionInterpreter?.trim();
  if (fromExtension) {
    try {
      return { source: 'pythonExtension', interpreter: await probeInterpreter(fromExtension) };
    } catch (err) {
      errors.push(message(err));
    }
  }
  // 3. PATH.
  for (const name of ['python3', 'python']) {
    try {
      return { source: 'path', interpreter: await probeInterpreter(name) };
    } catch (err) {
      errors.push(message(err));
    }
  }
  // 4. The bundled one.
  const bundled = bundledInterpreter();
  if (bundled) return { source: 'bundled', interpreter: bundled };
  return {
    source: 'path',
    error: `No usable CPython ${MIN_PYTHON.join('.')}+ interpreter found. ${errors.join(' ')} Set "pythonInternals.interpreterPath".`,
  };
}

/** Candidate interpreters on this machine: PATH, pyenv, common prefixes. Probed; supported ones only. */
export async function discoverInterpreters(): Promise<InterpreterInfo[]> {
  const names = ['python3', 'python', ...Array.from({ length: 8 }, (_, i) => `python3.${i + 8}`)];
  const dirs = new Set((process.env.PATH ?? '').split(path.delimiter).filter(Boolean));
  for (const d of ['/usr/bin', '/usr/local/bin', '/opt/homebrew/bin']) dirs.add(d);
  const candidates = new Set<string>();
  for (const dir of dirs) {
    if (dir.includes(`${path.sep}shims`)) continue; // pyenv shims: the versions dir below is the real thing
    for (const name of names) {
      const file = path.join(dir, name);
      if (isExecutable(file)) candidates.add(file);
    }
  }
  const pyenvRoot = process.env.PYENV_ROOT ?? path.join(os.homedir(), '.pyenv');
  for (const version of safeReaddir(path.join(pyenvRoot, 'versions'))) {
    const file = path.join(pyenvRoot, 'versions', version, 'bin', 'python3');
    if (isExecutable(file)) candidates.add(file);
  }
  const found = await Promise.all([...candidates].map((c) => probeInterpreter(c).catch(() => undefined)));
  const byExecutable = new Map<string, InterpreterInfo>();
  for (const info of found) {
    if (!info) continue;
    const key = realpath(info.executable);
    if (!byExecutable.has(key)) byExecutable.set(key, info);
  }
  return [...byExecutable.values()].sort((a, b) => compareVersions(b.version, a.version));
}

export function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function realpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export type { InterpreterSource };
