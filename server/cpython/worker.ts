/**
 * One persistent CPython process running the collector, spoken to in JSON
 * lines. Requests are queued and sent one at a time (CPython handles them
 * sequentially anyway), which lets a cancelled request leave the queue before
 * it costs anything. Background requests (the precompile) queue behind every
 * other request, so a hover waits at most for the one in flight.
 *
 * The process is started lazily, restarted after a crash or a timeout, and
 * started with `-I` from a directory outside the workspace.
 */
import type { ChildProcess } from 'node:child_process';
import { COLLECTOR_PROTOCOL_VERSION, CollectorError, CollectorMethod, CollectorMethods, InterpreterInfo } from '../../protocol';
import { collectorPath } from '../common/assets';
import type { Logger } from '../common/logger';
import { killTree, start } from './spawn';
import { UserError } from '../common/userError';

export interface Cancellation {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

/** The collector answered with an error for this request (for example a SyntaxError). */
export class CollectorRequestError extends Error {
  constructor(readonly detail: CollectorError) {
    super(detail.message);
  }
}

/** The request did not complete: the worker died, timed out, or the request was cancelled. */
export class WorkerError extends UserError {
  constructor(
    readonly reason: 'crashed' | 'timeout' | 'cancelled' | 'disposed' | 'unavailable',
    message: string,
  ) {
    super(message);
  }
}

interface Job {
  id: number;
  method: CollectorMethod;
  params: unknown;
  timeoutMs: number;
  background?: boolean;
  token?: Cancellation;
  resolve(value: unknown): void;
  reject(err: Error): void;
  cleanup: Array<() => void>;
  settled?: boolean;
  /** Times sent to a process that then died. */
  attempts?: number;
  timer?: NodeJS.Timeout;
}

/** Starts that die before answering `hello`, in a row, before we stop retrying. */
const MAX_FAILED_STARTS = 3;

export class Worker {
  private process: ChildProcess | undefined;
  private readonly queue: Job[] = [];
  private inFlight: Job | undefined;
  private nextId = 1;
  /** Pieces of a response line not yet ended (a whole-file listing can be megabytes). */
  private partial: string[] = [];
  private failedStarts = 0;
  private ready = false;
  private disposed = false;
  /** How many times a process was started; tests and logs use it. */
  starts = 0;

  constructor(
    readonly interpreter: InterpreterInfo,
    private readonly log: Logger,
    private readonly defaultTimeoutMs = 10_000,
  ) {}

  request<M extends CollectorMethod>(
    method: M,
    params: CollectorMethods[M]['params'],
    options: { token?: Cancellation; timeoutMs?: number; background?: boolean } = {},
  ): Promise<CollectorMethods[M]['result']> {
    if (this.disposed) return Promise.reject(new WorkerError('disposed', 'The Python worker was shut down.'));
    if (this.failedStarts >= MAX_FAILED_STARTS) {
      return Promise.reject(
        new WorkerError('unavailable', `The Python worker for ${this.interpreter.executable} keeps failing to start; see the log.`),
      );
    }
    if (options.token?.isCancellationRequested) return Promise.reject(cancelled());
    return new Promise((resolve, reject) => {
      const job: Job = {
        id: this.nextId++,
        method,
        params,
        timeoutMs: options.timeoutMs ?? this.defaultTimeoutMs,
        resolve: resolve,
        reject,
        cleanup: [],
        ...(options.background ? { background: true } : {}),
      };
      if (options.token) {
        job.token = options.token;
        const sub = options.token.onCancellationRequested(() => this.cancel(job));
        job.cleanup.push(() => sub.dispose());
      }
      // Ahead of the first background job, unless it is one itself.
      const firstBackground = job.background ? -1 : this.queue.findIndex((queued) => queued.background);
      if (firstBackground >= 0) this.queue.splice(firstBackground, 0, job);
      else this.queue.push(job);
      this.pump();
    });
  }

  dispose(): void {
    this.disposed = true;
    for (const job of this.queue.splice(0)) this.settle(job, new WorkerError('disposed', 'The Python worker was shut down.'));
    if (this.inFlight) this.settle(this.inFlight, new WorkerError('disposed', 'The Python worker was shut down.'));
    this.inFlight = undefined;
    if (this.process) killTree(this.process);
    this.process = undefined;
  }

  /** The live process id, if any (tests use it to kill the worker from outside). */
  get pid(): number | undefined {
    return this.process?.pid;
  }

  private cancel(job: Job): void {
    const index = this.queue.indexOf(job);
    if (index >= 0) {
      this.queue.splice(index, 1);
      this.settle(job, cancelled());
    } else if (this.inFlight === job) {
      // CPython cannot be interrupted mid-compile without losing the process;
      // answer the caller now and let the timeout guard the worker.
      this.settle(job, cancelled(), false);
    }
  }

  private pump(): void {
    if (this.inFlight || this.queue.length === 0 || this.disposed) return;
    const proc = this.ensureProcess();
    if (!proc) return;
    const job = this.queue.shift()!;
    this.inFlight = job;
    job.timer = setTimeout(() => this.onTimeout(job), job.timeoutMs);
    proc.stdin?.write(JSON.stringify({ id: job.id, method: job.method, params: job.params }) + '\n');
  }

  private ensureProcess(): ChildProcess | undefined {
    if (this.process) return this.process;
    const args = ['-I', '-X', 'utf8', collectorPath()];
    this.starts++;
    this.ready = false;
    const proc = start(this.interpreter.executable, args, {
      env: { ...process.env, PYTHONIOENCODING: 'utf-8', PYTHONDONTWRITEBYTECODE: '1' },
    });
    this.process = proc;
    this.partial = [];
    proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.onData(proc, chunk));
    proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line.trim()) this.log.warn(`[python ${this.interpreter.versionText}] ${line}`);
    });
    proc.stdin?.on('error', () => {}); // EPIPE after a crash is reported by 'exit'
    proc.on('error', (err) => this.onExit(proc, `could not start: ${err.message}`));
    proc.on('exit', (code, signal) => this.onExit(proc, signal ? `killed by ${signal}` : `exited with code ${code}`));
    // The handshake goes first: it checks the collector speaks our protocol.
    this.queue.unshift(this.helloJob());
    this.log.info(`Started Python worker ${this.interpreter.executable} (${this.interpreter.versionText}), pid ${proc.pid}`);
    return proc;
  }

  private helloJob(): Job {
    return {
      id: this.nextId++,
      method: 'hello',
      params: {},
      timeoutMs: Math.max(this.defaultTimeoutMs, 15_000),
      cleanup: [],
      resolve: (value) => {
        const hello = value as CollectorMethods['hello']['result'];
        if (hello.protocol !== COLLECTOR_PROTOCOL_VERSION) {
          this.log.error(`Collector protocol ${hello.protocol}, expected ${COLLECTOR_PROTOCOL_VERSION}`);
        }
        this.ready = true;
        this.failedStarts = 0;
      },
      reject: () => {},
    };
  }

  private onData(proc: ChildProcess, chunk: string): void {
    if (proc !== this.process) return;
    // Only the new chunk is searched for line ends: appending to one buffer and
    // searching it from the start made a 13 MB response cost seconds.
    let start = 0;
    let newline: number;
    while ((newline = chunk.indexOf('\n', start)) >= 0) {
      this.partial.push(chunk.slice(start, newline));
      const line = this.partial.length === 1 ? this.partial[0]! : this.partial.join('');
      this.partial = [];
      start = newline + 1;
      if (line.trim()) this.onMessage(line);
    }
    if (start < chunk.length) this.partial.push(chunk.slice(start));
  }

  private onMessage(line: string): void {
    let message: { id: number; result?: unknown; error?: CollectorError };
    try {
      message = JSON.parse(line) as typeof message;
    } catch {
      this.log.error(`Unreadable line from the Python worker: ${line.slice(0, 200)}`);
      return;
    }
    const job = this.inFlight;
    if (!job || job.id !== message.id) {
      this.log.warn(`Python worker answered request ${message.id}, which is no longer waiting.`);
      return;
    }
    this.inFlight = undefined;
    if (message.error) this.settle(job, new CollectorRequestError(message.error));
    else this.settle(job, undefined, true, message.result);
    this.pump();
  }

  private onTimeout(job: Job): void {
    if (this.inFlight !== job) return;
    this.log.warn(`Python worker request "${job.method}" timed out after ${job.timeoutMs} ms; restarting the worker.`);
    this.inFlight = undefined;
    this.settle(job, new WorkerError('timeout', `CPython did not answer within ${job.timeoutMs / 1000} s (request "${job.method}").`));
    const proc = this.process;
    this.process = undefined;
    if (proc) killTree(proc);
    this.pump();
  }

  private onExit(proc: ChildProcess, how: string): void {
    if (proc !== this.process) return; // an old process we already replaced
    this.process = undefined;
    if (!this.ready) this.failedStarts++;
    if (!this.disposed) this.log.warn(`Python worker ${this.interpreter.executable} ${how}.`);
    const job = this.inFlight;
    this.inFlight = undefined;
    if (job && !job.settled && (job.attempts ?? 0) < 1 && job.method !== 'hello') {
      // Requests are compile-only and idempotent: one more try on a fresh
      // process hides a worker killed from outside; a request that itself
      // crashes CPython fails on the second try with the message below.
      job.attempts = (job.attempts ?? 0) + 1;
      clearTimeout(job.timer);
      this.queue.unshift(job);
    } else if (job) {
      this.settle(job, new WorkerError('crashed', `The Python worker ${how} while handling "${job.method}"; it will restart.`));
    }
    if (this.failedStarts >= MAX_FAILED_STARTS) {
      for (const queued of this.queue.splice(0)) {
        this.settle(queued, new WorkerError('unavailable', `The Python worker for ${this.interpreter.executable} ${how}; see the log.`));
      }
      return;
    }
    this.pump();
  }

  /** Resolve or reject once, and release the job's timer and cancellation listener. */
  private settle(job: Job, error: Error | undefined, runCleanup = true, result?: unknown): void {
    if (runCleanup) {
      clearTimeout(job.timer);
      job.cleanup.forEach((f) => f());
    }
    if (job.settled) return;
    job.settled = true;
    if (error) job.reject(error);
    else job.resolve(result);
  }
}

function cancelled(): WorkerError {
  return new WorkerError('cancelled', 'The request was cancelled.');
}
