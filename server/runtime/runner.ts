/**
 * The one place the user's code runs. A fresh process of the chosen
 * interpreter per run, started as `python file.py` would be (runner.py does
 * the rest: sys.path, argv, `__main__`), with:
 *   - stdin closed (input() gets EOF);
 *   - our results on file descriptor 3, apart from the program's stdout and
 *     stderr, which stream to the caller as they come (capped per run, the
 *     rest counted and drained, so 100 MB of prints cost neither the
 *     channel nor the editor);
 *   - a memory cap (RLIMIT_AS, set by the runner before the script runs);
 *   - a timeout and cancellation, after which, and at the end of every run,
 *     everything the script started is killed with it: on Linux the process
 *     is a launcher that outlives the script as a child subreaper (runner.py),
 *     so even daemons that left the process group stay below it, and are
 *     killed by it when the script ends and by us (processTree.ts) on timeout,
 *     Cancel and exit; elsewhere its process group is killed.
 * Callers decide whether running is allowed (trusted workspaces only); an
 * interpreter in WebAssembly is refused here (assertRunnable).
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { StringDecoder } from 'node:string_decoder';
import type { InterpreterInfo, RunExit, RuntimeMessage, RuntimeView } from '../../protocol';
import { runnerPath } from '../common/assets';
import type { Cancellation } from '../cpython/worker';
import { killDescendants } from './processTree';
import { UserError } from '../common/userError';

export interface RunSpec {
  python: InterpreterInfo;
  /** The script, as `python SCRIPT` would name it (its folder goes first on sys.path). */
  script: string;
  /** Its text when it differs from the file on disk (unsaved edits); run under the file's name. */
  source?: string;
  cwd: string;
  args: string[];
  view: RuntimeView;
  /** The view's own options, passed to the runner as JSON. */
  options?: Record<string, unknown>;
  timeoutMs: number;
  memoryMb: number;
  token?: Cancellation;
  /** The program's output as it comes, up to `outputLimit` bytes per stream. */
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
  outputLimit?: number;
}

export interface RunOutcome {
  messages: RuntimeMessage[];
  /** The imports view: the script's `-X importtime` lines (taken out of its stderr), between our marks. */
  importTimes?: string[];
  exit: RunExit;
  output: { stdout: number; stderr: number; truncated: boolean };
  /** The runner's own diagnostics (an unreadable channel line, a spawn failure). */
  problems: string[];
  ms: number;
}

/** Runs in progress: the server kills them all when it stops (they are groups of their own). */
const running = new Set<ChildProcess>();

/** Kill every run and all it started (the server is shutting down). */
export function killAllRuns(): void {
  for (const child of running) killRun(child);
}

/** After the script's process exits, how long its stdio may stay open (a child of its own holding them). */
const CLOSE_GRACE_MS = 500;

/** Output shown per stream and run; the rest is counted. */
const DEFAULT_OUTPUT_LIMIT = 1024 * 1024;
/** Our channel, at most: a runaway report must not take the server's memory. */
const CHANNEL_LIMIT = 64 * 1024 * 1024;

/** The interpreter cannot run the user's code; the message says why and what to do. */
export class NotRunnableError extends UserError {}

/**
 * Only a process of its own is a place to run the user's code: CPython in
 * WebAssembly (Pyodide) would run it inside the language server, where its
 * `js` module reaches Node's globals (`process`, the file system): no sandbox.
 */
export function assertRunnable(python: InterpreterInfo): void {
  if (python.kind === 'wasm') throw notRunnable(python);
}

function notRunnable(python: InterpreterInfo): NotRunnableError {
  return new NotRunnableError(
    `The runtime lab needs a CPython installed on this machine: it runs your code in a process of its own. ${python.executable} ` +
      `(CPython ${python.versionText} in WebAssembly) would run it inside the language server, where Pyodide's js module reaches ` +
      `Node's globals, and that is no sandbox. Select a local interpreter to run code; the bytecode, AST and MRO views work on ${python.executable}.`,
  );
}

export function runScript(spec: RunSpec): Promise<RunOutcome> {
  if (spec.python.kind === 'wasm') return Promise.reject(notRunnable(spec.python));
  const started = performance.now();
  const problems: string[] = [];
  const messages: RuntimeMessage[] = [];
  let sourceFile: string | undefined;
  if (spec.source !== undefined) {
    sourceFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pyinternals-run-')), 'source.py');
    fs.writeFileSync(sourceFile, spec.source);
  }
  // The memory cap and the source file go on the command line, the view's own options as JSON.
  const options = spec.options && Object.keys(spec.options).length ? JSON.stringify(spec.options) : '{}';
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      // The imports view times imports as CPython itself does.
      const flags = spec.view === 'imports' ? ['-X', 'importtime'] : [];
      child = spawn(
        spec.python.executable,
        [...flags, runnerPath(), '3', spec.view, String(spec.memoryMb), sourceFile ?? '-', options, spec.script, ...spec.args],
        {
          cwd: spec.cwd,
          // stdin closed; stdout, stderr and our channel (fd 3) piped.
          stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
          // Its own process group (and session): the whole tree can be killed.
          detached: process.platform !== 'win32',
          windowsHide: true,
          // Output as it is written, as a terminal would show it.
          env: { ...process.env, PYTHONUNBUFFERED: '1' },
        },
      );
    } catch (err) {
      cleanup(sourceFile);
      problems.push(`Could not start ${spec.python.executable}: ${String(err)}`);
      resolve({ messages, exit: noExit(), output: { stdout: 0, stderr: 0, truncated: false }, problems, ms: 0 });
      return;
    }
    running.add(child);
    const limit = spec.outputLimit ?? DEFAULT_OUTPUT_LIMIT;
    const output = { stdout: 0, stderr: 0, truncated: false };
    // A character split across two chunks is decoded whole.
    const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
    const forward = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const before = output[stream];
      output[stream] += chunk.length;
      if (before >= limit) {
        output.truncated = true;
        return;
      }
      const shown = before + chunk.length > limit ? chunk.subarray(0, limit - before) : chunk;
      if (shown.length < chunk.length) output.truncated = true;
      spec.onOutput?.(stream, decoders[stream].write(shown));
    };
    child.stdout!.on('data', forward('stdout'));
    const importTimes: string[] | undefined = spec.view === 'imports' ? [] : undefined;
    if (importTimes) {
      // -X importtime writes to stderr: its lines go to the report, the program's own on to the user.
      const toUser = forward('stderr');
      let partial = '';
      const split = (text: string, flush: boolean) => {
        const lines = (partial + text).split('\n');
        partial = flush ? '' : lines.pop()!;
        // A line that never ends (progress bars redrawn with \r) goes to the user as it comes.
        if (partial.length > 64 * 1024) {
          lines.push(partial);
          partial = '';
        }
        const shown: string[] = [];
        for (const line of flush ? lines.filter((l, k) => k < lines.length - 1 || l) : lines) {
          if (line.startsWith('import time:')) importTimes.push(line);
          else shown.push(line + '\n');
        }
        if (shown.length) toUser(Buffer.from(shown.join('')));
      };
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (text: string) => split(text, false));
      child.stderr!.on('end', () => split('', true));
    } else {
      child.stderr!.on('data', forward('stderr'));
    }

    let channelBytes = 0;
    let pending = '';
    const channel = child.stdio[3] as NodeJS.ReadableStream;
    channel.setEncoding('utf8');
    channel.on('data', (text: string) => {
      channelBytes += text.length;
      if (channelBytes > CHANNEL_LIMIT) {
        if (channelBytes - text.length <= CHANNEL_LIMIT) problems.push('The report was too large and was cut short.');
        return;
      }
      // Only the new text is searched for line ends: a long line costs once, not once per chunk.
      const nlAt = text.indexOf('\n');
      if (nlAt < 0) {
        pending += text;
        return;
      }
      const lines = (pending + text).split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        if (!line.trim()) continue;
        try {
          messages.push(JSON.parse(line) as RuntimeMessage);
        } catch {
          problems.push(`An unreadable line on the runner's channel: ${line.slice(0, 200)}`);
        }
      }
    });

    let timedOut = false;
    let cancelled = false;
    let leftoverSeen = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killRun(child);
    }, spec.timeoutMs);
    const cancel = spec.token?.onCancellationRequested(() => {
      cancelled = true;
      killRun(child);
    });
    child.on('error', (err) => problems.push(`The runner failed: ${err.message}`));
    // The script's process ended: what it left running dies with its group, and its stdio (which
    // a child of its own may still hold) is closed after a moment, so the run ends now.
    child.on('exit', () => {
      leftoverSeen = killRun(child);
      setTimeout(() => {
        for (const stream of [child.stdout, child.stderr, child.stdio[3]])
          (stream as (NodeJS.ReadableStream & { destroy?: () => void }) | null)?.destroy?.();
      }, CLOSE_GRACE_MS).unref();
    });
    child.on('close', (code, signal) => {
      running.delete(child);
      clearTimeout(timer);
      cancel?.dispose();
      // Whatever the script started and left running goes with it (also killed on exit, see above;
      // on Linux the launcher killed it first and said so).
      const leftover = killRun(child) || leftoverSeen || messages.some((m) => m.kind === 'leftover');
      cleanup(sourceFile);
      const done = messages.some((m) => m.kind === 'done');
      const finished = messages.find((m): m is Extract<RuntimeMessage, { kind: 'done' }> => m.kind === 'done');
      resolve({
        messages,
        ...(importTimes ? { importTimes: scriptImportTimes(importTimes) } : {}),
        exit: {
          status: finished ? finished.data.status : code,
          signal: signal ?? null,
          timedOut,
          cancelled,
          early: !done && !timedOut && !cancelled,
          leftover,
        },
        output,
        problems,
        ms: performance.now() - started,
      });
    });
  });
}

/** The lines between the runner's marks: the script's imports, not ours. */
function scriptImportTimes(lines: string[]): string[] {
  const start = lines.findIndex((l) => l.includes('pyinternals-script-start'));
  const end = lines.findIndex((l) => l.includes('pyinternals-script-end'));
  return lines.slice(start + 1, end < 0 ? lines.length : end);
}

/**
 * SIGKILL to every process below the launcher while it lives (Linux: before it
 * dies, for its orphans would go to init then), then to its process group,
 * the launcher included; true when something was still there to kill.
 */
function killRun(child: ChildProcess): boolean {
  if (child.pid === undefined) return false;
  if (process.platform === 'win32') {
    // No process groups: taskkill walks the tree (what is still linked to it by parent).
    if (child.exitCode === null) spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { windowsHide: true });
    return false;
  }
  let below = 0;
  // Its pid is not reused before we reap it, which sets exitCode or signalCode.
  if (process.platform === 'linux' && child.exitCode === null && child.signalCode === null) {
    // Stopped, it reaps nothing while we walk its tree (a reaped pid could be someone else's by the time we kill it).
    process.kill(child.pid, 'SIGSTOP');
    below = killDescendants(child.pid);
  }
  try {
    process.kill(-child.pid, 'SIGKILL');
    return true;
  } catch {
    return below > 0;
  }
}

function noExit(): RunExit {
  return { status: null, signal: null, timedOut: false, cancelled: false, early: true, leftover: false };
}

function cleanup(file: string | undefined): void {
  if (file) fs.rmSync(path.dirname(file), { recursive: true, force: true });
}

const SIGNAL_NAMES: Record<string, string> = {
  SIGSEGV: 'segmentation fault',
  SIGABRT: 'aborted',
  SIGBUS: 'bus error',
  SIGFPE: 'floating-point exception',
  SIGILL: 'illegal instruction',
  SIGKILL: 'killed',
};

/** One line for people about how the run ended. */
export function exitSummary(exit: RunExit, timeoutMs: number, memoryMb: number): string {
  if (exit.cancelled) return 'cancelled: the process and everything it started were stopped';
  if (exit.timedOut) return `timed out after ${Math.round(timeoutMs / 100) / 10} s: the process and everything it started were killed`;
  if (exit.signal)
    return `crashed: ${exit.signal}${SIGNAL_NAMES[exit.signal] ? ` (${SIGNAL_NAMES[exit.signal]})` : ''}; what was collected before is shown`;
  if (exit.early) {
    const memory = exit.status === 137 || exit.status === -9 ? ` (or hit the ${memoryMb} MB memory cap)` : '';
    return `ended early with status ${exit.status ?? '?'}${memory}: os._exit or a crash stopped it before the report was complete`;
  }
  return exit.status === 0 ? 'finished' : `finished with status ${exit.status}`;
}
