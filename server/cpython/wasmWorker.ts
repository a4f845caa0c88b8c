/**
 * The collector in CPython compiled to WebAssembly (Pyodide), on a Node
 * worker thread (wasmThread.ts), behind the same queue, timeouts, cancellation
 * and restarts as the process worker (collectorWorker.ts). The thread starts
 * as soon as the worker is made, so Pyodide loads in the background; the first
 * request waits behind the `hello` that waits for the load. A timeout
 * terminates the thread, and the next request starts a fresh one.
 */
import * as path from 'node:path';
import { Worker as Thread } from 'node:worker_threads';
import type { InterpreterInfo } from '../../protocol';
import { assetsDir, collectorPath } from '../common/assets';
import type { Logger } from '../common/logger';
import { CollectorChannel, QueuedWorker } from './collectorWorker';
import { pyodideDir } from './wasm';
import type { ThreadData, ThreadMessage } from './wasmThread';

class ThreadChannel implements CollectorChannel {
  constructor(readonly thread: Thread) {}

  send(line: string): void {
    this.thread.postMessage(line);
  }

  kill(): void {
    void this.thread.terminate();
  }
}

export class WasmWorker extends QueuedWorker {
  /** Loading Pyodide takes about 4 s of one core; more on a busy machine. */
  protected readonly startTimeoutMs = 60_000;

  constructor(interpreter: InterpreterInfo, log: Logger, defaultTimeoutMs = 10_000) {
    super(interpreter, log, defaultTimeoutMs);
    this.startNow();
  }

  /** The live thread's id, if any. */
  get threadId(): number | undefined {
    return (this.channel as ThreadChannel | undefined)?.thread.threadId;
  }

  protected open(): CollectorChannel {
    const data: ThreadData = { pyodideDir: pyodideDir(this.interpreter.executable), collectorDir: path.dirname(collectorPath()) };
    const thread = new Thread(path.join(assetsDir(), 'wasmThread.js'), { workerData: data });
    const channel = new ThreadChannel(thread);
    const tag = `[wasm ${this.interpreter.versionText}]`;
    let fatal: string | undefined;
    thread.on('message', (message: ThreadMessage) => {
      if (message.type === 'answer') this.received(channel, message.line);
      else if (message.type === 'log') this.log.warn(`${tag} ${message.line}`);
      else if (message.type === 'loaded') this.log.info(`${tag} Pyodide loaded in ${message.ms} ms (thread ${thread.threadId})`);
      else fatal = message.message;
    });
    thread.on('error', (err) => (fatal = err.message));
    thread.on('exit', (code) => this.closed(channel, fatal ? `failed: ${fatal}` : `ended with code ${code}`));
    this.log.info(
      `Started WebAssembly worker ${this.interpreter.executable} (CPython ${this.interpreter.versionText}), thread ${thread.threadId}`,
    );
    return channel;
  }
}
