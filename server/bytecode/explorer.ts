/**
 * The bytecode explorer behind the bytecode panel (or any LSP client): the
 * tree of code objects of an open document's current text, and one code
 * object in full with every instruction's source span in LSP units.
 *
 * The whole file is compiled (compile only, never run), by the interpreter
 * the panel picked, at the optimization level it picked. The collector keeps
 * the compiled file, so asking for another code object of the same text costs
 * `dis` of that code object only; answers here are kept per document version.
 */
import { performance } from 'node:perf_hooks';
import type {
  CodeDetailResult,
  CodeObjectResult,
  CodeObjectsResult,
  CollectorError,
  DetailInstruction,
  InterpreterInfo,
  LinkedInstruction,
  OptimizeLevel,
  Span,
  StageError,
} from '../../protocol';
import type { InterpreterChoice } from '../cpython/choice';
import type { WorkerPool } from '../cpython/pool';
import { syntaxErrorUnit } from '../cpython/syntaxErrors';
import { Cancellation, CollectorRequestError } from '../cpython/worker';
import { VersionedCache } from '../common/versionedCache';
import { LineSource, PositionMapper } from '../documents/positions';
import { LineText } from '../documents/text';
import { UserError } from '../common/userError';

/** What the explorer needs of a document (ParsedDocument fits). */
export interface ExplorerDocument extends LineSource {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  readonly filename: string;
}

/** Answers kept: trees and code objects of the last versions of the open documents. */
const CACHE_SIZE = 64;

type Answer<T> = { value: T } | { error: StageError };

export class ExplorerService {
  private readonly cache = new VersionedCache<Answer<unknown>>(CACHE_SIZE);

  constructor(private readonly pool: WorkerPool) {}

  async codeObjects(
    doc: ExplorerDocument,
    interpreter: InterpreterChoice,
    optimize: OptimizeLevel,
    token?: Cancellation,
  ): Promise<CodeObjectsResult> {
    const started = performance.now();
    const info = await interpreter();
    // Read after the await: the answer is for the text sent.
    const version = doc.version;
    const source = doc.text;
    const answer = await this.cached(
      `${doc.uri}\0tree\0${info.executable}\0${optimize}`,
      version,
      token,
      async () => {
        const { module } = await this.pool
          .get(info)
          .request('codeTree', { source, filename: doc.filename, ...level(optimize) }, options(token));
        return module;
      },
      doc,
      info,
      source,
    );
    const result: CodeObjectsResult['result'] = 'value' in answer ? { module: answer.value } : { error: answer.error };
    return { uri: doc.uri, version, interpreter: info, optimize, result, ms: elapsed(started) };
  }

  async codeObject(
    doc: ExplorerDocument,
    path: number[],
    interpreter: InterpreterChoice,
    optimize: OptimizeLevel,
    token?: Cancellation,
  ): Promise<CodeObjectResult> {
    const started = performance.now();
    const info = await interpreter();
    const version = doc.version;
    const source = doc.text;
    const answer = await this.cached(
      `${doc.uri}\0code\0${info.executable}\0${optimize}\0${path.join('.')}`,
      version,
      token,
      async () => {
        const detail = await this.pool
          .get(info)
          .request('codeDetail', { source, filename: doc.filename, path, ...level(optimize) }, options(token));
        return linkDetail(detail, this.mapper(doc, version, source));
      },
      doc,
      info,
      source,
    );
    const result: CodeObjectResult['result'] = 'value' in answer ? answer.value : { error: answer.error };
    return { uri: doc.uri, version, interpreter: info, optimize, path, result, ms: elapsed(started) };
  }

  /** The document closed: its answers go. */
  forget(uri: string): void {
    this.cache.forget(`${uri}\0`);
  }

  /** Positions are read from the text that was sent, even if the document moved on while CPython worked. */
  private mapper(doc: ExplorerDocument, version: number, source: string): PositionMapper {
    return new PositionMapper(doc.version === version ? doc : new LineText(source));
  }

  /**
   * One answer per (key, version). CPython's verdict (the file does not
   * compile) is an answer and is kept; other collector errors (a path that
   * names no code object) become an ExplorerError for the user.
   */
  private async cached<T>(
    key: string,
    version: number,
    token: Cancellation | undefined,
    compute: () => Promise<T>,
    doc: ExplorerDocument,
    info: InterpreterInfo,
    source: string,
  ): Promise<Answer<T>> {
    try {
      const answer = await this.cache.get(key, version, token, () =>
        compute().then(
          (value): Answer<unknown> => ({ value }),
          (err: unknown): Answer<unknown> => {
            if (err instanceof CollectorRequestError && isVerdict(err.detail))
              return { error: compileError(err.detail, info, this.mapper(doc, version, source)) };
            throw err;
          },
        ),
      );
      return answer as Answer<T>;
    } catch (err) {
      if (err instanceof CollectorRequestError) throw new ExplorerError(`CPython ${info.versionText}: ${err.detail.message}`);
      throw err;
    }
  }
}

/** A request the server answers with a failure the user should read (a path that names no code object). */
export class ExplorerError extends UserError {}

/** Every instruction with the source it comes from, in LSP units. */
export function linkDetail(
  detail: CodeDetailResult,
  positions: PositionMapper,
): Omit<CodeDetailResult, 'instructions'> & { instructions: LinkedInstruction[] } {
  const lineSpans = new Map<number, Span | null>();
  const instructions = detail.instructions.map((ins): LinkedInstruction => {
    const p = ins.positions;
    // 3.11+: the instruction's own range (UTF-8 columns). Some have a line but no columns.
    if (p && p[0] !== null && p[2] !== null) {
      const span = positions.span(p[0], p[2], p[1], p[3], 'utf8');
      if (span) return { ...ins, span, precise: true };
    }
    return { ...ins, span: ins.line === null ? null : lineSpan(ins, positions, lineSpans), precise: false };
  });
  return { ...detail, instructions };
}

/** The whole line, from its first non-blank character to its last: 3.8-3.10 know no more. */
function lineSpan(ins: DetailInstruction, positions: PositionMapper, memo: Map<number, Span | null>): Span | null {
  const line = ins.line!;
  if (memo.has(line)) return memo.get(line)!;
  const start = positions.position(line, 0, 'utf16');
  let span: Span | null = null;
  if (start.line === line - 1) {
    const text = positions.lineText(start.line);
    const first = text.length - text.trimStart().length;
    const last = text.trimEnd().length;
    span = [start.line, Math.min(first, last), start.line, last];
  }
  memo.set(line, span);
  return span;
}

function compileError(error: CollectorError, info: InterpreterInfo, positions: PositionMapper): StageError {
  // compile() runs symtable too: its errors count UTF-8 bytes.
  const unit = syntaxErrorUnit(error.message, info.version, true);
  const span = positions.errorSpan(error.line, error.column, error.endLine, error.endColumn, unit);
  return span ? { message: error.message, span } : { message: error.message };
}

/** CPython's answer about this source, as opposed to a fault of ours. */
function isVerdict(error: CollectorError): boolean {
  return error.kind === 'syntax' || error.kind === 'limit' || error.kind === 'encoding';
}

/** Level 0 is left out: the collector then shares the compile of the hover, the listing and the syntax check. */
function level(optimize: OptimizeLevel): { optimize?: OptimizeLevel } {
  return optimize ? { optimize } : {};
}

function options(token: Cancellation | undefined): { token?: Cancellation } {
  return token ? { token } : {};
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
