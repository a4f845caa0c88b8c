/**
 * Work the user waits for (a hover) goes before background work (code
 * lenses and diagnostics of every class in the file). The server has one
 * thread: background work runs in short slices and, between slices, waits
 * until no foreground request is in flight and none has been for a moment,
 * so a hover that arrives right after an edit is answered before the lenses
 * that edit asked for are computed, not after.
 */
import { performance } from 'node:perf_hooks';

/** After the last foreground request, background work waits this long (hovers come in runs as the mouse moves). */
const QUIET_MS = 30;
/** Background work runs this long before it looks again (a hover arriving meanwhile waits at most this). */
export const SLICE_MS = 2;

export class Foreground {
  private active = 0;
  private lastEnd = -Infinity;

  /** Run a foreground request: background slices wait while it is in flight. */
  async run<T>(request: () => Promise<T>): Promise<T> {
    this.active++;
    try {
      return await request();
    } finally {
      this.active--;
      this.lastEnd = performance.now();
    }
  }

  /**
   * Resolves when background work may run a slice: nothing in flight and
   * quiet for QUIET_MS. A timer, not setImmediate: requests already queued
   * (a hover sent right after the edit) are read and started first.
   */
  async quiet(): Promise<void> {
    for (;;) {
      const wait = this.active > 0 ? QUIET_MS : this.lastEnd + QUIET_MS - performance.now();
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
      if (this.active === 0 && performance.now() - this.lastEnd >= QUIET_MS) return;
    }
  }
}

/** A slice's clock: `due()` says when the current slice has run its time. */
export function sliceClock(): { due(): boolean; restart(): void } {
  let start = performance.now();
  return {
    due: () => performance.now() - start >= SLICE_MS,
    restart: () => void (start = performance.now()),
  };
}
