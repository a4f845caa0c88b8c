/** One persistent worker per interpreter executable, created on first use. */
import type { InterpreterInfo } from '../../protocol';
import type { Logger } from '../common/logger';
import { Worker } from './worker';

export class WorkerPool {
  private readonly workers = new Map<string, Worker>();

  constructor(
    private readonly log: Logger,
    private timeoutMs: number,
  ) {}

  get(interpreter: InterpreterInfo): Worker {
    let worker = this.workers.get(interpreter.executable);
    if (!worker) {
      worker = new Worker(interpreter, this.log, this.timeoutMs);
      this.workers.set(interpreter.executable, worker);
    }
    return worker;
  }

  /** New timeouts apply to workers started afterwards; existing ones are restarted. */
  setTimeout(timeoutMs: number): void {
    if (timeoutMs === this.timeoutMs) return;
    this.timeoutMs = timeoutMs;
    this.dispose();
  }

  dispose(): void {
    for (const worker of this.workers.values()) worker.dispose();
    this.workers.clear();
  }
}
