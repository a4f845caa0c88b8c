/**
 * CPython's own SyntaxError for the chosen interpreter, as a diagnostic, or
 * else the warnings its compiler gave (SyntaxWarning), each as a warning.
 * Debounced per document; results for an outdated version are dropped.
 */
import type { Diagnostic } from 'vscode-languageserver';
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { CollectorError, CompileWarning, InterpreterInfo } from '../../protocol';
import type { SourceDocument } from '../bytecode/service';
import { PerDocumentTimer } from '../common/debounce';
import type { Logger } from '../common/logger';
import type { WorkerPool } from '../cpython/pool';
import { syntaxErrorUnit } from '../cpython/syntaxErrors';
import { CollectorRequestError } from '../cpython/worker';
import { type LineSource, PositionMapper } from '../documents/positions';
import { LineText } from '../documents/text';

export function toDiagnostic(error: CollectorError, interpreter: InterpreterInfo, lines: LineSource): Diagnostic {
  // compile() runs symtable after the parser: either may have raised it, each counting columns its own way.
  const unit = syntaxErrorUnit(error.message, interpreter.version, true);
  const span = new PositionMapper(lines).errorSpan(error.line, error.column, error.endLine, error.endColumn, unit) ?? [0, 0, 0, 1];
  return {
    range: { start: { line: span[0], character: span[1] }, end: { line: span[2], character: span[3] } },
    severity: DiagnosticSeverity.Error,
    source: `CPython ${interpreter.versionText}`,
    code: error.message.split(':', 1)[0],
    message: error.line ? error.message : `${error.message} (CPython gave no line)`,
  };
}

/**
 * A compiler warning (CPython gives its line, no column): the line's text,
 * from its first non-blank character, at warning severity, in CPython's words.
 */
export function warningDiagnostic(warning: CompileWarning, interpreter: InterpreterInfo, lines: LineText): Diagnostic {
  const row = Math.max(0, Math.min(warning.line - 1, lines.lineCount - 1));
  const text = lines.lineAt(row);
  const start = text.length - text.trimStart().length;
  return {
    range: { start: { line: row, character: start }, end: { line: row, character: Math.max(start + 1, text.trimEnd().length) } },
    severity: DiagnosticSeverity.Warning,
    source: `CPython ${interpreter.versionText}`,
    code: warning.category,
    message: warning.message,
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
    const source = doc.text;
    let diagnostics: Diagnostic[];
    try {
      const interpreter = await interpreterPromise;
      try {
        const { warnings } = await this.pool.get(interpreter).request('check', { source, filename: doc.filename });
        const lines = new LineText(source);
        diagnostics = warnings.map((w) => warningDiagnostic(w, interpreter, lines));
      } catch (err) {
        if (!(err instanceof CollectorRequestError)) throw err;
        // Positions in the text that was checked (a newer version is dropped below anyway).
        diagnostics = [toDiagnostic(err.detail, interpreter, new LineText(source))];
      }
    } catch (err) {
      this.log.warn(`Syntax check of ${doc.uri} failed: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    if (this.current(doc.uri)?.version !== version) return; // the text moved on
    this.publish(doc.uri, version, diagnostics);
  }
}
