/**
 * The thread that runs the collector in CPython compiled to WebAssembly
 * (Pyodide). Bundled by esbuild.mjs as dist/wasmThread.js and started by
 * wasmWorker.ts, never on the server's main thread: loading takes seconds of
 * CPU and a request runs to its end.
 *
 * It loads Pyodide from `pyodideDir`, copies the collector (collector.py's
 * folder: the pyinternals package) into Pyodide's file system, and answers
 * each request line the main thread posts with the collector's own `answer`
 * (pyinternals/channel.py), in order, one at a time. Lines posted while
 * Pyodide loads wait for it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { loadPyodide as LoadPyodide } from 'pyodide';

export interface ThreadData {
  pyodideDir: string;
  /** The folder of collector.py, holding the pyinternals package. */
  collectorDir: string;
}

/** Thread → main thread. (Main thread → thread: a request line, as a string.) */
export type ThreadMessage =
  | { type: 'loaded'; ms: number }
  | { type: 'answer'; line: string }
  | { type: 'log'; line: string }
  /** Pyodide cannot go on (it exited, or a load failed); the thread ends after this. */
  | { type: 'fatal'; message: string };

/** Where the collector sits inside Pyodide's (in-memory) file system. */
const COLLECTOR_HOME = '/pyinternals-collector';

const port = parentPort!;
const data = workerData as ThreadData;
const post = (message: ThreadMessage): void => port.postMessage(message);

async function load(): Promise<(line: string) => string> {
  const started = Date.now();
  // Not bundled: each interpreter's loader must match its own pyodide.asm.wasm.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadPyodide } = require(path.join(data.pyodideDir, 'pyodide.js')) as { loadPyodide: typeof LoadPyodide };
  const log = (line: string) => post({ type: 'log', line });
  const pyodide = await loadPyodide({ indexURL: data.pyodideDir + path.sep, stdout: log, stderr: log });
  // pyodide.d.ts types FS with @types/emscripten's globals, which this build leaves out: the two calls used, typed here.
  copyTree(data.collectorDir, COLLECTOR_HOME, (pyodide as unknown as { FS: FileSystem }).FS);
  const answer = pyodide.runPython(
    [
      'import sys',
      `sys.path.insert(0, ${JSON.stringify(COLLECTOR_HOME)})`,
      'from pyinternals.channel import answer, prepare',
      'from pyinternals.handlers import HANDLERS',
      'prepare()',
      'lambda line: answer(line, HANDLERS)',
    ].join('\n'),
  ) as (line: string) => string;
  post({ type: 'loaded', ms: Date.now() - started });
  return answer;
}

interface FileSystem {
  mkdirTree(dir: string): void;
  writeFile(file: string, data: Uint8Array): void;
}

/** The collector's .py files, __pycache__ left out. */
function copyTree(from: string, to: string, fsys: FileSystem): void {
  fsys.mkdirTree(to);
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    if (entry.isDirectory() && entry.name !== '__pycache__') copyTree(source, `${to}/${entry.name}`, fsys);
    else if (entry.isFile() && entry.name.endsWith('.py')) fsys.writeFile(`${to}/${entry.name}`, fs.readFileSync(source));
  }
}

function fatal(err: unknown): never {
  post({ type: 'fatal', message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}

const ready = load();
ready.catch(fatal);
port.on('message', (line: string) => {
  void ready.then(
    (answer) => {
      try {
        post({ type: 'answer', line: answer(line) });
      } catch (err) {
        // Python's own exceptions become answers in `answer`; this is Pyodide itself
        // failing (os._exit, a stack overflow in WebAssembly): it cannot be used again.
        fatal(err);
      }
    },
    () => {}, // reported by fatal() above
  );
});
