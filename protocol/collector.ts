/**
 * The JSON the Python collector (server/python/collector.py) prints, as types.
 * Mirrors that file: change both together. `PROTOCOL_VERSION` is checked at
 * the worker's `hello` so a stale collector is caught instead of misread.
 */

export const COLLECTOR_PROTOCOL_VERSION = 3;

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
 * Compile each source (as `compile` would, same cache) and read every
 * instruction of every code object in it, so later `compile` requests for
 * them cost a lookup. Sources that do not compile are skipped: a hover on
 * them reports the error.
 */
export interface PrecompileParams {
  sources: string[];
  filename: string;
}

export interface PrecompileResult {
  /** Sources compiled now (not found in the cache). */
  compiled: number;
  /** Sources that did not compile. */
  failed: number;
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
 */
export interface CollectorError {
  kind: 'syntax' | 'limit' | 'encoding' | 'protocol' | 'internal';
  message: string;
  line?: number | null;
  column?: number | null;
  endLine?: number | null;
  endColumn?: number | null;
}

/** Every collector method with its params and result. */
export interface CollectorMethods {
  hello: { params: Record<string, never>; result: HelloResult };
  compile: { params: CompileParams; result: CompileResult };
  check: { params: CompileParams; result: { ok: true } };
  precompile: { params: PrecompileParams; result: PrecompileResult };
  decode: { params: DecodeParams; result: DecodeResult };
  /** Test hooks: make the worker die, or outlive a timeout. */
  crash: { params: { code?: number }; result: never };
  sleep: { params: { seconds?: number }; result: { slept: true } };
}

export type CollectorMethod = keyof CollectorMethods;
