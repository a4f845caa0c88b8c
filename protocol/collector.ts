/**
 * The JSON the Python collector (server/python/pyinternals/) prints, as types.
 * Mirrors that file: change both together. `PROTOCOL_VERSION` is checked at
 * the worker's `hello` so a stale collector is caught instead of misread.
 */
export const COLLECTOR_PROTOCOL_VERSION = 5;

/** One bytecode instruction, built from `dis.get_instructions` (never from printed dis text). */
export interface Instruction {
  offset: number;
  opname: string;
  opcode: number;
  arg: number | null;
  /** dis's human-readable argument; code-object constants get a stable, address-free form. */
  argrepr: string;
  /** Source line the instruction belongs to; null for compiler-synthesised instructions (3.11+). */
  line: number | null;
  /** True where dis would print a line number (the first instruction of a line run). */
  startsLine: boolean;
  isJumpTarget: boolean;
  /** Offset this instruction jumps to, if it is a jump. */
  jumpTarget: number | null;
  /** [line, endLine, column, endColumn] from `Instruction.positions` (3.11+ only); columns are UTF-8 byte offsets. */
  positions?: [number | null, number | null, number | null, number | null];
}

export interface ExceptionTableEntry {
  start: number;
  end: number;
  target: number;
  depth: number;
  lasti: boolean;
}

export interface CodeObject {
  name: string;
  qualname: string;
  filename: string;
  firstLine: number;
  /** Decoded `co_flags` names (dis.COMPILER_FLAG_NAMES). */
  flags: string[];
  argCount: number;
  posOnlyArgCount: number;
  kwOnlyArgCount: number;
  nlocals: number;
  stackSize: number;
  consts: string[];
  names: string[];
  varnames: string[];
  cellvars: string[];
  freevars: string[];
  /** 3.11+ only; null before. */
  exceptionTable: ExceptionTableEntry[] | null;
  /** Code objects found in `co_consts`, in order. */
  children: CodeObject[];
  /** Absent when the request asked for `instructions: false`; only one line's with `onlyLine`. */
  instructions?: Instruction[];
  /** How many instructions the code object has (whatever `instructions` holds). */
  instructionCount: number;
}

export interface HelloResult {
  protocol: number;
  executable: string;
  version: [number, number, number];
  releaseLevel: string;
  implementation: string;
  magic: string;
  pid: number;
}

/** A warning CPython's compiler gave (SyntaxWarning; DeprecationWarning for an invalid escape before 3.12), in its words. */
export interface CompileWarning {
  category: string;
  message: string;
  /** 1-based; CPython gives no column for a warning. */
  line: number;
}

/** The syntax check: the file compiles; the compiler's warnings, every one. */
export interface CheckResult {
  ok: true;
  warnings: CompileWarning[];
}

export interface CompileParams {
  source: string;
  filename: string;
  instructions?: boolean;
  /** Only the instructions on this line (and only in code objects that have some there). */
  onlyLine?: number;
  /**
   * The module's own code object only, its children left out: a line of
   * module-level code needs nothing else, and in a large file the rest is
   * megabytes of fields.
   */
  moduleOnly?: boolean;
}

export interface CompileResult {
  module: CodeObject;
}

/**
 * Compile each source (as `compile` would, same cache) and answer every
 * instruction of every code object in it: the server keeps them, and a hover
 * in any of these sources then needs no request. Sources that do not compile
 * answer null: a hover on them asks `compile` and reports the error.
 */
export interface PrecompileParams {
  sources: string[];
  filename: string;
}

export interface PrecompileResult {
  /** Sources compiled now (not found in the worker's cache). */
  compiled: number;
  /** Sources that did not compile. */
  failed: number;
  /** Each source's module with every code object and instruction (`compile` without `onlyLine`), in order; null where it failed. */
  modules: Array<CodeObject | null>;
}

export interface DecodeParams {
  base64: string;
}

export interface DecodeResult {
  text: string;
  encoding: string;
}

/**
 * An error the collector reports for one request; the worker stays up.
 * `syntax`: the source does not compile (SyntaxError, NUL bytes, bad characters).
 * `limit`: CPython hit a limit (RecursionError, MemoryError).
 * `encoding`: file bytes could not be decoded.
 * `unsupported`: this interpreter lacks the feature (e.g. an optimized AST before 3.13).
 */
export interface CollectorError {
  kind: 'syntax' | 'limit' | 'encoding' | 'protocol' | 'internal' | 'unsupported';
  message: string;
  line?: number | null;
  column?: number | null;
  endLine?: number | null;
  endColumn?: number | null;
}

// ------------------------------------------------------------ compiler pipeline
// Raw stages as CPython reports them (pyinternals/tokens.py, asttree.py, scopes.py). Lines are
// 1-based; columns are in the unit the stage names (AST: UTF-8 bytes, as
// `col_offset`; tokenize: characters, i.e. code points). The server converts
// them to LSP positions in one place (server/documents/positions.ts).

/** [line, column, endLine, endColumn], or null for a node without a position. */
export type RawRange = [number, number, number, number];

export interface SourceParams {
  source: string;
  filename: string;
}

/** [type name, exact type name (tok_name[exact_type]), string, line, col, endLine, endCol] */
export type RawToken = [string, string, string, number, number, number, number];

export interface TokensResult {
  /**
   * What tokenize's columns count on this interpreter (probed once by the
   * collector): code points on every CPython 3.8-3.13, the pure-Python
   * tokenizer of 3.8-3.11 and the C one of 3.12+ alike.
   */
  columns: 'codepoint' | 'utf8';
  /**
   * Every token tokenize yields, ENCODING excluded (the source is text); on an
   * error, those before it. One repair: on 3.12+ the end column of a token
   * spanning lines (STRING, FSTRING_MIDDLE) is the length of its last line, as
   * 3.13 reports it (3.12.1 measures it against the token's first line).
   */
  tokens: RawToken[];
  /**
   * Present when tokenize stopped with an error (TokenError, IndentationError,
   * TabError, SyntaxError): kind 'syntax', message "TokenError: ...", line,
   * column 1-based in code points (3.8-3.11's 0-based TokenError columns are
   * shifted; a column CPython leaves at 0 is null).
   */
  error?: CollectorError;
}

/** Numbers per node in AstResult.nodes and NodeTree.nodes. */
export const NODE_STRIDE = 8;

/** An Int32Array as base64 of its little-endian bytes: numbers in bulk, through JSON, cheaply. */
export type Int32Base64 = string;

export interface AstParams extends SourceParams {
  /** 3.13+: `ast.parse(..., optimize=1)`, the AST after constant folding. */
  optimize?: boolean;
}

/**
 * Every AST node in preorder (parents before children, fields in `_fields`
 * order, list items in order); `ast.walk` yields the same nodes. Flat and
 * binary, so that a 70,000-node tree costs milliseconds, not a hundred, to
 * encode and decode on each hop (collector → server → client → page):
 * `nodes` holds NODE_STRIDE int32s per node,
 *   type index, parent index (-1: root), field index (-1: root), list index (-1: not in a list),
 *   line, col, endLine, endCol (-1 each without a position; 3.8's end may be -1 too);
 * `scalars` holds triples (node index, field index, repr) for fields whose
 * value is not an AST node (identifiers, constants, None, [], lists of names).
 */
export interface AstResult {
  /** Node class names (the interpreter's own: 3.8's Index, 3.12's TypeAlias, ...). */
  types: string[];
  fields: string[];
  /** Base64 of little-endian int32s, NODE_STRIDE per node (Int32Base64). */
  nodes: Int32Base64;
  scalars: Array<number | string>;
}

/** Several sources (runs of whole top-level statements of one file), each parsed alone. */
export interface AstChunksParams {
  sources: string[];
  filename: string;
  optimize?: boolean;
}

export interface AstChunksResult {
  /** One per source, in order, up to and including the first that does not parse. */
  results: Array<AstResult | { error: CollectorError }>;
}

export interface AstDumpParams extends AstParams {
  /** Preorder index of the node, as in AstResult.nodes. */
  node: number;
}

export interface AstDumpResult {
  /** `ast.dump(node, indent=2)` (3.9+; 3.8 has no indent). */
  text: string;
}

/**
 * How symtable classifies a name in its scope. `global-explicit` is a
 * `global` statement; `global-implicit` a global found by lookup.
 */
export type SymbolFlag =
  | 'parameter'
  | 'local'
  | 'global-explicit'
  | 'global-implicit'
  | 'nonlocal'
  | 'free'
  | 'cell'
  | 'imported'
  | 'annotated'
  | 'referenced'
  | 'assigned'
  | 'namespace';

export interface RawSymbol {
  name: string;
  flags: SymbolFlag[];
  /**
   * Where the name occurs in this scope's own code (nested scopes excluded),
   * in AST units (UTF-8 columns), sorted: Name nodes, parameters (the name,
   * not its annotation), and binding sites found by name in the source (a
   * def/class name after its keyword, import aliases, `except ... as`,
   * global/nonlocal names, type parameters, match captures), falling back to
   * the statement's range. A def's decorators, defaults and (to 3.13)
   * annotations, a class's bases and a comprehension's first iterable belong
   * to the enclosing scope. A walrus target in a comprehension is listed in
   * the comprehension and in the scope it binds in. Positions are CPython's:
   * 3.8 misplaces names inside f-strings (3.9-3.11 inside multi-line ones).
   */
  occurrences: RawRange[];
}

export interface RawScope {
  /** symtable's `get_type()` as text: module, class, function, annotation, TypeVar bound, type alias, type parameters, ... */
  type: string;
  name: string;
  /** 1-based, as symtable reports it. */
  line: number;
  /**
   * The AST node that opens the scope, if found (null for the module): def,
   * class, lambda, comprehension; for 3.12+ type-parameter and type-alias
   * scopes the def/class/type statement, for a TypeVar bound or default the
   * type parameter. UTF-8 columns.
   */
  range: RawRange | null;
  symbols: RawSymbol[];
  children: RawScope[];
}

export interface SymtableResult {
  module: RawScope;
}
