/**
 * The compiler-pipeline requests (the AST panel, or any LSP client): each
 * stage of CPython's front end for an open document, compile-only, with every
 * position already converted to LSP's unit (0-based lines, UTF-16 columns) by
 * the server (server/documents/positions.ts).
 */
// vscode-jsonrpc (which the LSP protocol package re-exports), so that the webview bundle can import this file too.
import { RequestType } from 'vscode-jsonrpc';
import type { InterpreterInfo, Span, StageError } from './common';
import type { Int32Base64, SymbolFlag } from './collector';

export type { SymbolFlag } from './collector';
export { NODE_STRIDE } from './collector';
// The pages import these from here with the rest of a stage's data.
export type { Span, StageError } from './common';

/** The panel's tabs, in order. */
export const PIPELINE_STAGES = ['tokens', 'ast', 'optimizedAst', 'symtable', 'syntaxTree'] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

/** [type, exact type, string, ...span] */
export type Token = [string, string, string, number, number, number, number];

export interface TokensData {
  tokens: Token[];
  /** tokenize stopped here; `tokens` holds those before the error. */
  error?: StageError;
}

/**
 * A tree in preorder, flat and binary (see AstResult): `nodes` holds NODE_STRIDE int32s
 * per node, type index, parent (-1: root), field index (-1: none), list index
 * (-1: not in a list), startLine, startChar, endLine, endChar (all -1: no
 * position, LSP units otherwise); `scalars` holds triples (node, field index,
 * text). AST and optimized AST: the interpreter's node classes, `ast.walk`'s
 * nodes. Syntax tree: tree-sitter's named nodes (ERROR and MISSING included);
 * unnamed tokens with a field name (an operator) are scalars of their parent.
 */
export interface NodeTree {
  types: string[];
  fields: string[];
  /** Base64 of little-endian int32s, NODE_STRIDE per node. */
  nodes: Int32Base64;
  scalars: Array<number | string>;
  /** ASTs: parsed per chunk of top-level statements (cached; only changed chunks parsed) or as a whole file. */
  parsedFrom?: 'chunks' | 'file';
}

export interface SymbolInfo {
  name: string;
  flags: SymbolFlag[];
  /** Its occurrences in this scope's own code. */
  occurrences: Span[];
}

export interface ScopeInfo {
  type: string;
  name: string;
  /** 0-based. */
  line: number;
  span: Span | null;
  symbols: SymbolInfo[];
  children: ScopeInfo[];
}

export interface StageData {
  tokens: TokensData;
  ast: NodeTree;
  optimizedAst: NodeTree;
  symtable: ScopeInfo;
  syntaxTree: NodeTree;
}

/** One stage for one document version: its data, CPython's error, or why this interpreter has no such stage. */
export type StageResult<S extends PipelineStage = PipelineStage> =
  { stage: S; data: StageData[S] } | { stage: S; error: StageError } | { stage: S; unavailable: string };

export interface PipelineParams {
  textDocument: { uri: string };
  stage: PipelineStage;
  /** Another installed interpreter's executable; default: the one in use. */
  interpreterPath?: string;
}

export interface PipelineResult {
  uri: string;
  /** The document version the stage was computed on. */
  version: number;
  /** Absent for the tree-sitter stage when no interpreter is usable. */
  interpreter?: InterpreterInfo;
  result: StageResult;
  /** Server time for this request, in milliseconds. */
  ms: number;
}

export interface AstDumpRequestParams {
  textDocument: { uri: string };
  stage: 'ast' | 'optimizedAst';
  /** Row index in the NodeTree. */
  node: number;
  /** The version the row index refers to; fails if the document changed since. */
  version: number;
  interpreterPath?: string;
}

export namespace PipelineRequest {
  export const method = 'pythonInternals/pipeline';
  /** client → server: one compiler stage of an open document (compile-only). Fails with RequestFailed for a document not open or an interpreter not usable. */
  export const type = new RequestType<PipelineParams, PipelineResult, void>(method);
}

export namespace AstDumpRequest {
  export const method = 'pythonInternals/astDump';
  /** client → server: `ast.dump(node, indent=2)` of one node, as the interpreter prints it. */
  export const type = new RequestType<AstDumpRequestParams, { text: string }, void>(method);
}
