/**
 * The static MRO's diagnostics (hierarchies CPython would refuse), kept
 * current in every open document: an edit in one module can break a class
 * of another, so any change schedules every open document again (debounced
 * per document; the outlines of what did not change are reused).
 */
import type { Diagnostic } from 'vscode-languageserver';
import { PerDocumentTimer } from '../common/debounce';
import type { ParsedDocument } from '../documents/documents';
import type { MroService } from './service';

export interface MroCheckOptions {
  enabled: () => boolean;
  delayMs: () => number;
  /** The selected interpreter's version, for CPython's wording (before 3.13 the message breaks a line). */
  version: () => Promise<readonly number[] | undefined>;
}

export class MroChecker {
  private readonly timers = new PerDocumentTimer();

  constructor(
    private readonly service: MroService,
    private readonly documents: () => readonly ParsedDocument[],
    private readonly current: (uri: string) => ParsedDocument | undefined,
    /** The document's last MRO diagnostics, and where new ones go. */
    private readonly last: (uri: string) => Diagnostic[],
    private readonly publish: (uri: string, items: Diagnostic[]) => void,
    private readonly options: MroCheckOptions,
  ) {}

  /** Something in the workspace changed: every open document is checked again after a pause. */
  schedule(): void {
    this.service.touch();
    for (const doc of this.documents()) {
      this.timers.schedule(doc.uri, this.options.delayMs(), () => void this.check(doc.uri));
    }
  }

  cancel(uri: string): void {
    this.timers.cancel(uri);
    this.service.forget(uri);
  }

  dispose(): void {
    this.timers.dispose();
  }

  private async check(uri: string): Promise<void> {
    const version = await this.options.version();
    if (!this.current(uri)) return;
    // Background work: every class is linearized in slices between hovers.
    const items = this.options.enabled() ? (await this.service.diagnosticsInBackground(uri, this.current, version))?.items : [];
    if (!items) return;
    // Nothing before, nothing now: no publish.
    if (items.length === 0 && this.last(uri).length === 0) return;
    this.publish(uri, items);
  }
}
