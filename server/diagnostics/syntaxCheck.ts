/**
 * CPython's own SyntaxError for the chosen interpreter, as a diagnostic.
 * Debounced per document; results for an outdated version are dropped.
 */
import type { Diagnostic } from 'vscode-languageserver';
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { CollectorError, InterpreterInfo } from '../../protocol';
import type { SourceDocument } from '../bytecode/service';
import { PerDocumentTimer } from '../common/debounce';
import type { Logger } from '../common/logger';
import type { WorkerPool } from '../cpython/pool';
import { CollectorRequestError } from '../cpython/worker';

export function toDiagnostic(error: CollectorError, interpreter: InterpreterInfo, lines: string[]): Diagnostic {
  const row = Math.max(0, Math.min((error.line ?? 1) - 1, lines.length - 1));
  const lineText = lines[row] ?? '';
  // CPython columns are 1-based; clamp to the line (they can point just past it).
  const col = Math.max(0, Math.min((error.column ?? 1) - 1, lineText.length));
  let endRow = row;
  let endCol = col + 1;
  if (error.endLine && error.endColumn && (error.endLine - 1 > row || (error.endLine - 1 === row && error.endColumn - 1 > col))) {
    endRow = error.endLine - 1;
    endCol = error.endColumn - 1;
  }
  return {
    range: { start: { line: row, character: col }, end: { line: endRow, character: endCol } },
    severity: DiagnosticSeverity.Error,
    source: `CPython ${interpreter.versionText}`,
    code: error.message.split(':', 1)[0],
    message: error.line ? error.message : `${error.message} (CPython gave no line)`,
  };
}

export class DiagnosticsScheduler {
  private readonly timers = new PerDocumentTimer();

  constructor(
    private readonly pool: WorkerPool,
    private readonly log: Logger,
    private readonly publish: (uri: string, version: number, diagnostics: Diagnostic[]) => void,
    private readonly current: (uri: string) => SourceDocument | undefined,
  ) {}

  schedule(doc: SourceDocument, interpreter: Promise<InterpreterInfo>, delayMs: number): void {
    this.timers.schedule(doc.uri, delayMs, () => void this.check(doc, interpreter));
  }

  cancel(uri: string): void {
    this.timers.cancel(uri);
  }

  dispose(): void {
    this.timers.dispose();
  }

  private async check(doc: SourceDocument, interpreterPromise: Promise<InterpreterInfo>): Promise<void> {
    const version = doc.version;
    let diagnostics: Diagnostic[] = [];
    try {
      const interpreter = await interpreterPromise;
      try {
        await this.pool.get(interpreter).request('check', { source: doc.text, filename: doc.filename });
      } catch (err) {
        if (!(err instanceof CollectorRequestError)) throw err;
        diagnostics = [toDiagnostic(err.detail, interpreter, doc.text.split(/\r\n|\r|\n/))];
      }
    } catch (err) {
      this.log.warn(`Syntax check of ${doc.uri} failed: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    if (this.current(doc.uri)?.version !== version) return; // the text moved on
    this.publish(doc.uri, version, diagnostics);
  }
}
