/**
 * What every collector worker does, whatever runs the collector (a CPython
 * process, worker.ts; CPython in WebAssembly on a thread, wasmWorker.ts):
 * requests are queued and sent one at a time (the collector handles them
 * sequentially anyway), which lets a cancelled request leave the queue before
 * it costs anything. Background requests (the precompile) queue behind every
 * other request, so a hover waits at most for the one in flight.
 *
 * The collector is started lazily and greeted with `hello` first; it is
 * restarted after a crash or a timeout (a timeout kills it: it cannot be
 * interrupted mid-compile and kept).
 */
import { COLLECTOR_PROTOCOL_VERSION, CollectorError, CollectorMethod, CollectorMethods, InterpreterInfo } from '../../protocol';
import type { Logger } from '../common/logger';
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

export interface RequestOptions {
  token?: Cancellation;
  timeoutMs?: number;
  background?: boolean;
}

/** What WorkerPool hands out: one interpreter's collector, whatever runs it. */
export interface CollectorWorker {
  readonly interpreter: InterpreterInfo;
  /** How many times the collector was started; tests and logs use it. */
  readonly starts: number;
  request<M extends CollectorMethod>(
    method: M,
    params: CollectorMethods[M]['params'],
    options?: RequestOptions,
  ): Promise<CollectorMethods[M]['result']>;
  dispose(): void;
}

/** One running collector, as the queue sees it: it takes request lines and can be ended at once. */
export interface CollectorChannel {
  send(line: string): void;
  kill(): void;
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
  /** Times sent to a collector that then died. */
  attempts?: number;
  timer?: NodeJS.Timeout;
}

/** Starts that die before answering `hello`, in a row, before we stop retrying. */
const MAX_FAILED_STARTS = 3;

export abstract class QueuedWorker implements CollectorWorker {
  private current: CollectorChannel | undefined;
  private readonly queue: Job[] = [];
  private inFlight: Job | undefined;
  private nextId = 1;
  private failedStarts = 0;
  private ready = false;
  private disposed = false;
  starts = 0;

  constructor(
    readonly interpreter: InterpreterInfo,
    protected readonly log: Logger,
    private readonly defaultTimeoutMs = 10_000,
  ) {}

  /** Start the collector; it reports through `received` and `closed`. */
  protected abstract open(): CollectorChannel;
  /** How long the collector may take to start and answer `hello`. */
  protected abstract readonly startTimeoutMs: number;

  request<M extends CollectorMethod>(
    method: M,
    params: CollectorMethods[M]['params'],
    options: RequestOptions = {},
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
    this.current?.kill();
    this.current = undefined;
  }

  /** The running collector, if any. */
  protected get channel(): CollectorChannel | undefined {
    return this.current;
  }

  /** Start the collector now rather than on the first request (it answers `hello` meanwhile). */
  protected startNow(): void {
    if (!this.disposed && !this.current && this.failedStarts < MAX_FAILED_STARTS) {
      this.ensureChannel();
      this.pump();
    }
  }

  private cancel(job: Job): void {
    const index = this.queue.indexOf(job);
    if (index >= 0) {
      this.queue.splice(index, 1);
      this.settle(job, cancelled());
    } else if (this.inFlight === job) {
      // CPython cannot be interrupted mid-compile without losing the collector;
      // answer the caller now and let the timeout guard the worker.
      this.settle(job, cancelled(), false);
    }
  }

  private pump(): void {
    if (this.inFlight || this.queue.length === 0 || this.disposed) return;
    const channel = this.ensureChannel();
    const job = this.queue.shift()!;
    this.inFlight = job;
    job.timer = setTimeout(() => this.onTimeout(job), job.timeoutMs);
    channel.send(JSON.stringify({ id: job.id, method: job.method, params: job.params }));
  }

  private ensureChannel(): CollectorChannel {
    if (this.current) return this.current;
    this.starts++;
    this.ready = false;
    this.current = this.open();
    // The handshake goes first: it checks the collector speaks our protocol.
    this.queue.unshift(this.helloJob());
    return this.current;
  }

  private helloJob(): Job {
    return {
      id: this.nextId++,
      method: 'hello',
      params: {},
      timeoutMs: Math.max(this.defaultTimeoutMs, this.startTimeoutMs),
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

  /** One response line from `channel`. */
  protected received(channel: CollectorChannel, line: string): void {
    if (channel !== this.current) return;
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
    const channel = this.current;
    this.current = undefined;
    channel?.kill();
    this.pump();
  }

  /** `channel` ended (`how`: "exited with code 1", …); an old one already replaced is ignored. */
  protected closed(channel: CollectorChannel, how: string): void {
    if (channel !== this.current) return;
    this.current = undefined;
    if (!this.ready) this.failedStarts++;
    if (!this.disposed) this.log.warn(`Python worker ${this.interpreter.executable} ${how}.`);
    const job = this.inFlight;
    this.inFlight = undefined;
    if (job && !job.settled && (job.attempts ?? 0) < 1 && job.method !== 'hello') {
      // Requests are compile-only and idempotent: one more try on a fresh
      // collector hides a worker killed from outside; a request that itself
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
