/** One persistent worker per interpreter, created on first use: a process, or a thread for a WebAssembly one. */
import type { InterpreterInfo } from '../../protocol';
import type { Logger } from '../common/logger';
import type { CollectorWorker } from './collectorWorker';
import { WasmWorker } from './wasmWorker';
import { Worker } from './worker';

export class WorkerPool {
  private readonly workers = new Map<string, CollectorWorker>();

  constructor(
    private readonly log: Logger,
    private timeoutMs: number,
  ) {}

  get(interpreter: InterpreterInfo): CollectorWorker {
    let worker = this.workers.get(interpreter.executable);
    if (!worker) {
      worker =
        interpreter.kind === 'wasm'
          ? new WasmWorker(interpreter, this.log, this.timeoutMs)
          : new Worker(interpreter, this.log, this.timeoutMs);
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
