/**
 * One document's diagnostics come from several checks (CPython's syntax
 * check, the static MRO); an LSP publish replaces the document's whole list,
 * so each check's latest list is kept here and every publish sends them all.
 */
import type { Diagnostic } from 'vscode-languageserver';

export type DiagnosticSource = 'syntax' | 'mro';

export class DiagnosticsPublisher {
  private readonly lists = new Map<string, Map<DiagnosticSource, Diagnostic[]>>();

  constructor(private readonly send: (uri: string, diagnostics: Diagnostic[]) => void) {}

  /** `source`'s new list for the document; published with the others'. */
  set(uri: string, source: DiagnosticSource, items: Diagnostic[]): void {
    let lists = this.lists.get(uri);
    if (!lists) this.lists.set(uri, (lists = new Map<DiagnosticSource, Diagnostic[]>()));
    lists.set(source, items);
    this.send(uri, [...lists.values()].flat());
  }

  /** What `source` said last about the document (nothing: empty). */
  get(uri: string, source: DiagnosticSource): Diagnostic[] {
    return this.lists.get(uri)?.get(source) ?? [];
  }

  /** The document closed: nothing of it is kept, and its problems go. */
  clear(uri: string): void {
    this.lists.delete(uri);
    this.send(uri, []);
  }
}
