/**
 * The collector's methods as one table, for the worker that calls them
 * (server/cpython/worker.ts). It names types from collector.ts and
 * bytecode.ts, so it sits apart from both: nothing in protocol/ imports it.
 */
import type { CodeDetailParams, CodeDetailResult, CodeTreeParams, CodeTreeResult } from './bytecode';
import type {
  AstChunksParams,
  AstChunksResult,
  AstDumpParams,
  AstDumpResult,
  AstParams,
  AstResult,
  CheckResult,
  CompileParams,
  CompileResult,
  DecodeParams,
  DecodeResult,
  HelloResult,
  PrecompileParams,
  PrecompileResult,
  SourceParams,
  SymtableResult,
  TokensResult,
} from './collector';

/** Every collector method with its params and result. */
export interface CollectorMethods {
  hello: { params: Record<string, never>; result: HelloResult };
  compile: { params: CompileParams; result: CompileResult };
  check: { params: CompileParams; result: CheckResult };
  precompile: { params: PrecompileParams; result: PrecompileResult };
  decode: { params: DecodeParams; result: DecodeResult };
  tokens: { params: SourceParams; result: TokensResult };
  ast: { params: AstParams; result: AstResult };
  astChunks: { params: AstChunksParams; result: AstChunksResult };
  astDump: { params: AstDumpParams; result: AstDumpResult };
  symtable: { params: SourceParams; result: SymtableResult };
  /** The bytecode explorer (protocol/bytecode.ts). */
  codeTree: { params: CodeTreeParams; result: CodeTreeResult };
  codeDetail: { params: CodeDetailParams; result: CodeDetailResult };
  /** Test hooks: make the worker die, or outlive a timeout. */
  crash: { params: { code?: number }; result: never };
  sleep: { params: { seconds?: number }; result: { slept: true } };
}

export type CollectorMethod = keyof CollectorMethods;
