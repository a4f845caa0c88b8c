/**
 * The collector in a persistent CPython process, spoken to in JSON lines
 * (the queue, timeouts and restarts are collectorWorker.ts's). The process is
 * started with `-I` from a directory outside the workspace.
 */
import type { ChildProcess } from 'node:child_process';
import { collectorPath } from '../common/assets';
import { CollectorChannel, QueuedWorker } from './collectorWorker';
import { killTree, start } from './spawn';

// Where the server's modules have always imported them from.
export { CollectorRequestError, WorkerError } from './collectorWorker';
export type { Cancellation, CollectorWorker } from './collectorWorker';

class ProcessChannel implements CollectorChannel {
  constructor(readonly process: ChildProcess) {}

  send(line: string): void {
    this.process.stdin?.write(line + '\n');
  }

  kill(): void {
    killTree(this.process);
  }
}

export class Worker extends QueuedWorker {
  protected readonly startTimeoutMs = 15_000;
  /** Pieces of a response line not yet ended (a whole-file listing can be megabytes). */
  private partial: string[] = [];

  /** The live process id, if any (tests use it to kill the worker from outside). */
  get pid(): number | undefined {
    return (this.channel as ProcessChannel | undefined)?.process.pid;
  }

  protected open(): CollectorChannel {
    const args = ['-I', '-X', 'utf8', collectorPath()];
    const proc = start(this.interpreter.executable, args, {
      env: { ...process.env, PYTHONIOENCODING: 'utf-8', PYTHONDONTWRITEBYTECODE: '1' },
    });
    const channel = new ProcessChannel(proc);
    this.partial = [];
    proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.onData(channel, chunk));
    proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line.trim()) this.log.warn(`[python ${this.interpreter.versionText}] ${line}`);
    });
    proc.stdin?.on('error', () => {}); // EPIPE after a crash is reported by 'exit'
    proc.on('error', (err) => this.closed(channel, `could not start: ${err.message}`));
    proc.on('exit', (code, signal) => this.closed(channel, signal ? `killed by ${signal}` : `exited with code ${code}`));
    this.log.info(`Started Python worker ${this.interpreter.executable} (${this.interpreter.versionText}), pid ${proc.pid}`);
    return channel;
  }

  private onData(channel: ProcessChannel, chunk: string): void {
    if (channel !== this.channel) return;
    // Only the new chunk is searched for line ends: appending to one buffer and
    // searching it from the start made a 13 MB response cost seconds.
    let start = 0;
    let newline: number;
    while ((newline = chunk.indexOf('\n', start)) >= 0) {
      this.partial.push(chunk.slice(start, newline));
      const line = this.partial.length === 1 ? this.partial[0]! : this.partial.join('');
      this.partial = [];
      start = newline + 1;
      if (line.trim()) this.received(channel, line);
    }
    if (start < chunk.length) this.partial.push(chunk.slice(start));
  }
}
