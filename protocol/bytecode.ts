/**
 * The bytecode explorer (the bytecode panel, or any LSP client): the file's
 * tree of code objects, and one code object in full (instructions with their
 * operands, inline caches and stack depth, basic blocks and their edges, the
 * exception table, the fields and the line table).
 *
 * Two layers, like pipeline.ts: the raw JSON the collector prints
 * (server/python/pyinternals/explorer.py, flow.py; CPython's units: 1-based
 * lines, UTF-8 byte columns) and what the server answers over LSP (positions
 * converted to LSP units by server/documents/positions.ts).
 */
// vscode-jsonrpc (which the LSP protocol package re-exports), so that the webview bundle can import this file too.
import { RequestType } from 'vscode-jsonrpc';
import type { CodeObject, Instruction } from './collector';
import type { InterpreterInfo, Span, StageError } from './common';

// ------------------------------------------------------------ collector (raw)

/** What kind of code a code object is, from its name and flags. */
export type CodeKind =
  | 'module'
  | 'class'
  | 'function'
  | 'async function'
  | 'generator'
  | 'async generator'
  | 'lambda'
  | 'comprehension'
  | 'generator expression'
  /** 3.12+: the scopes of type parameters, type aliases and lazy annotations. */
  | 'annotation scope';

/** A code object in the file's tree, without its instructions. */
export interface CodeNode {
  name: string;
  qualname: string;
  kind: CodeKind;
  firstLine: number;
  /** Source lines that have instructions in this code object (its own, not its children's), sorted. */
  lines: number[];
  instructionCount: number;
  stackSize: number;
  /** Code objects in `co_consts`, in order: a child's place there is its index in `path`. */
  children: CodeNode[];
}

/** `compile(..., optimize=N)`: 0 as the interpreter runs by default, 1 as `-O` (asserts dropped), 2 as `-OO` (docstrings too). */
export type OptimizeLevel = 0 | 1 | 2;

export interface CodeTreeParams {
  source: string;
  filename: string;
  optimize?: OptimizeLevel;
}

export interface CodeTreeResult {
  module: CodeNode;
}

export interface CodeDetailParams extends CodeTreeParams {
  /** Indices into `children`, from the module down: [] is the module. */
  path: number[];
}

/**
 * What an instruction's argument refers to, from dis's own tables
 * (hasconst, hasname, haslocal, hasfree, hasjrel/hasjabs, hascompare).
 */
export type OperandKind = 'const' | 'name' | 'local' | 'free' | 'jump' | 'compare' | 'number' | 'none';

export interface DetailInstruction extends Instruction {
  argKind: OperandKind;
  /** 3.11+: the inline cache entries after the instruction, [name, size in code units]; empty before 3.11. */
  caches: Array<[string, number]>;
  /** Value-stack depth before the instruction, along the control flow; null if no path reaches it. */
  depth: number | null;
  /** `dis.stack_effect` of the instruction when it does not jump (null where dis has none). */
  effect: number | null;
}

export type EdgeKind = 'fall' | 'jump' | 'exception';

export interface FlowEdge {
  /** Index of the target block. */
  to: number;
  kind: EdgeKind;
}

/** A basic block: instructions[start..end) run in sequence; control enters only at start. */
export interface BasicBlock {
  start: number;
  end: number;
  edges: FlowEdge[];
}

export interface CodeDetailResult {
  /** The code object's fields (as in the hover's detailed mode). */
  code: Omit<CodeObject, 'children' | 'instructions'>;
  instructions: DetailInstruction[];
  blocks: BasicBlock[];
  /** The deepest stack along the control flow; equals `code.stackSize` when the flow is read right. */
  maxDepth: number;
  /** The line table decoded: [start offset, end offset, line or null], as `co_lines()` (3.10+) or `findlinestarts` gives it. */
  lineTable: Array<[number, number, number | null]>;
}

// ------------------------------------------------------------ LSP (positions in LSP units)

export interface CodeObjectsParams {
  textDocument: { uri: string };
  /** Another installed interpreter than the server's (an executable). */
  interpreterPath?: string;
  optimize?: OptimizeLevel;
}

/** The answer: a tree, or CPython's verdict that the file does not compile. */
export interface CodeObjectsResult {
  uri: string;
  version: number;
  interpreter: InterpreterInfo;
  optimize: OptimizeLevel;
  result: { module: CodeNode } | { error: StageError };
  ms: number;
}

export interface CodeObjectParams extends CodeObjectsParams {
  path: number[];
}

export interface LinkedInstruction extends DetailInstruction {
  /**
   * The source the instruction comes from, in LSP units: its own positions on
   * 3.11+ (`precise`), the whole line (first non-blank to end) before, null
   * for instructions with no source line.
   */
  span: Span | null;
  precise: boolean;
}

export interface CodeObjectResult {
  uri: string;
  version: number;
  interpreter: InterpreterInfo;
  optimize: OptimizeLevel;
  path: number[];
  result: (Omit<CodeDetailResult, 'instructions'> & { instructions: LinkedInstruction[] }) | { error: StageError };
  ms: number;
}

export namespace CodeObjectsRequest {
  export const method = 'pythonInternals/codeObjects';
  /** client → server: the tree of code objects of an open document's current text (compile only). */
  export const type = new RequestType<CodeObjectsParams, CodeObjectsResult, void>(method);
}

export namespace CodeObjectRequest {
  export const method = 'pythonInternals/codeObject';
  /** client → server: one code object of an open document in full, positions in LSP units. */
  export const type = new RequestType<CodeObjectParams, CodeObjectResult, void>(method);
}
