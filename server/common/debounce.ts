/** One pending timer per document: scheduling again replaces it (the diagnostics check, the precompile). */
export class PerDocumentTimer {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  /** Run `task` for `uri` after `delayMs`, instead of any task still waiting for it. */
  schedule(uri: string, delayMs: number, task: () => void): void {
    this.cancel(uri);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        task();
      }, delayMs),
    );
  }

  cancel(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer) clearTimeout(timer);
    this.timers.delete(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
