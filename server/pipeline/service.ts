/**
 * The compiler-pipeline service behind the panel: one stage of CPython's
 * front end (tokens, AST, optimized AST, symtable) for an open document's
 * current text (unsaved edits included), or its tree-sitter tree.
 *
 * Stages are computed only when asked for. The last result of each (document,
 * stage, interpreter) is kept with its version, so going back to a tab costs
 * nothing until the text changes. CPython's verdicts (a SyntaxError, a stage
 * this version lacks) are results and are kept; a worker's failure (crash,
 * timeout, cancel) is not.
 */
import { performance } from 'node:perf_hooks';
import type { AstDumpResult, CollectorError, InterpreterInfo, PipelineResult, PipelineStage, StageResult } from '../../protocol';
import type { InterpreterChoice } from '../cpython/choice';
import { compareVersions } from '../cpython/interpreter';
import type { WorkerPool } from '../cpython/pool';
import { Cancellation, CollectorRequestError } from '../cpython/worker';
import { VersionedCache } from '../common/versionedCache';
import { LineSource, PositionMapper } from '../documents/positions';
import { LineText } from '../documents/text';
import { astTree } from './astTree';
import { ChunkedAst, type ChunkedSource } from './chunkedAst';
import { stageError } from './errors';
import { scopeInfo } from './symtable';
import { SyntaxSource, syntaxTree } from './syntaxTree';
import { tokensData } from './tokens';
import { UserError } from '../common/userError';

/** What the service needs of a document (ParsedDocument fits). */
export interface PipelineDocument extends SyntaxSource, LineSource, ChunkedSource {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  /** The filename given to CPython. */
  readonly filename: string;
}

/** A request the server answers with a failure the user should read (not a bug). */
export class PipelineError extends UserError {}

/** Results kept at most: one per (document, stage, interpreter); a large file's AST is megabytes. */
const CACHE_SIZE = 48;

const OPTIMIZED_AST_SINCE = [3, 13];

export class PipelineService {
  private readonly cache = new VersionedCache<StageResult>(CACHE_SIZE);
  private readonly chunked = new ChunkedAst();

  constructor(private readonly pool: WorkerPool) {}

  async stage(doc: PipelineDocument, stage: PipelineStage, interpreter: InterpreterChoice, token?: Cancellation): Promise<PipelineResult> {
    const started = performance.now();
    if (stage === 'syntaxTree') {
      // tree-sitter needs no interpreter; the answer names one when there is.
      const info = await interpreter().catch(() => undefined);
      const version = doc.version;
      const result = await this.cache.get(`${doc.uri}\0${stage}`, version, token, () => Promise.resolve({ stage, data: syntaxTree(doc) }));
      return { uri: doc.uri, version, ...(info ? { interpreter: info } : {}), result, ms: elapsed(started) };
    }
    const info = await interpreter();
    // Read after the await: a change may have arrived meanwhile, and the answer is for the text sent.
    const version = doc.version;
    let result: StageResult;
    if (stage === 'optimizedAst' && !hasOptimizedAst(info)) {
      result = { stage, unavailable: noOptimizedAst(info) };
    } else {
      const key = `${doc.uri}\0${stage}\0${info.executable}`;
      const source = doc.text;
      result = await this.cache.get(key, version, token, () => this.compute(doc, version, source, stage, info, token));
    }
    return { uri: doc.uri, version, interpreter: info, result, ms: elapsed(started) };
  }

  /** `ast.dump` of one node of the (optimized) AST of `version`, which must still be the document's. */
  async astDump(
    doc: PipelineDocument,
    stage: 'ast' | 'optimizedAst',
    node: number,
    version: number,
    interpreter: InterpreterChoice,
    token?: Cancellation,
  ): Promise<AstDumpResult> {
    const info = await interpreter();
    if (doc.version !== version) {
      throw new PipelineError(`The document changed since that tree was made (version ${version}, now ${doc.version}).`);
    }
    const optimize = stage === 'optimizedAst';
    if (optimize && !hasOptimizedAst(info)) throw new PipelineError(noOptimizedAst(info));
    try {
      const params = { source: doc.text, filename: doc.filename, node, ...(optimize ? { optimize } : {}) };
      return await this.pool.get(info).request('astDump', params, token ? { token } : {});
    } catch (err) {
      if (err instanceof CollectorRequestError) throw new PipelineError(`CPython ${info.versionText}: ${err.detail.message}`);
      throw err;
    }
  }

  /** The document closed: its results go. */
  forget(uri: string): void {
    this.cache.forget(`${uri}\0`);
  }

  private async compute(
    doc: PipelineDocument,
    version: number,
    source: string,
    stage: Exclude<PipelineStage, 'syntaxTree'>,
    info: InterpreterInfo,
    token?: Cancellation,
  ): Promise<StageResult> {
    const params = { source, filename: doc.filename };
    const options = token ? { token } : {};
    const worker = this.pool.get(info);
    // Positions are read from the text that was sent, even if the document moved on while CPython worked.
    const positions = (): PositionMapper => new PositionMapper(doc.version === version ? doc : new LineText(source));
    try {
      switch (stage) {
        case 'tokens':
          return { stage, data: tokensData(await worker.request('tokens', params, options), positions(), info.version) };
        case 'ast':
        case 'optimizedAst': {
          const optimize = stage === 'optimizedAst';
          // A large file chunk by chunk (only changed chunks are parsed); the whole file when that cannot be exact.
          const chunked =
            doc.version === version
              ? await this.chunked.tree(doc, info, optimize, positions, async (sources) => {
                  const answer = await worker.request(
                    'astChunks',
                    { sources, filename: doc.filename, ...(optimize ? { optimize } : {}) },
                    options,
                  );
                  return answer.results;
                })
              : undefined;
          if (chunked) return { stage, data: chunked };
          return {
            stage,
            data: astTree(await worker.request('ast', { ...params, ...(optimize ? { optimize } : {}) }, options), positions()),
          };
        }
        case 'symtable':
          return { stage, data: scopeInfo(await worker.request('symtable', params, options), positions()) };
      }
    } catch (err) {
      if (err instanceof CollectorRequestError && isVerdict(err.detail)) {
        if (err.detail.kind === 'unsupported') return { stage, unavailable: err.detail.message };
        return { stage, error: stageError(err.detail, stage, info.version, positions()) };
      }
      throw err;
    }
  }
}

/** CPython's answer about this source (or this interpreter), as opposed to a fault of ours. */
function isVerdict(error: CollectorError): boolean {
  return error.kind === 'syntax' || error.kind === 'limit' || error.kind === 'encoding' || error.kind === 'unsupported';
}

function hasOptimizedAst(info: InterpreterInfo): boolean {
  return compareVersions(info.version, OPTIMIZED_AST_SINCE) >= 0;
}

function noOptimizedAst(info: InterpreterInfo): string {
  return `CPython ${info.versionText} has no optimized AST: ast.parse(optimize=1) is new in 3.13.`;
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
