/**
 * Answers kept per (key, document version), shared by concurrent requests,
 * in LRU order with a bound on their number. A computation that fails is not
 * kept (a worker's crash, timeout or cancel is not a fact about the text);
 * one cancelled by another request's token, while this request's own token is
 * not, starts again instead of failing this request too.
 */
import { type Cancellation, WorkerError } from '../cpython/worker';

export class VersionedCache<T> {
  private readonly entries = new Map<string, { version: number; value: Promise<T> }>();

  constructor(private readonly size: number) {}

  async get(key: string, version: number, token: Cancellation | undefined, compute: () => Promise<T>): Promise<T> {
    for (;;) {
      let entry = this.entries.get(key);
      if (entry && entry.version === version) {
        // Refresh its place in the LRU order.
        this.entries.delete(key);
        this.entries.set(key, entry);
      } else {
        entry = { version, value: compute() };
        this.entries.delete(key);
        this.entries.set(key, entry);
        if (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
      }
      try {
        return await entry.value;
      } catch (err) {
        if (this.entries.get(key) === entry) this.entries.delete(key);
        if (err instanceof WorkerError && err.reason === 'cancelled' && !token?.isCancellationRequested) continue;
        throw err;
      }
    }
  }

  /** Drop every answer whose key starts with `prefix` (a closed document's). */
  forget(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}
