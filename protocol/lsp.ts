/**
 * Every custom LSP request and notification between the extension (or any
 * LSP client, or the CLI) and the Python Internals server. Call sites use
 * these objects, never bare method strings:
 *   client.sendRequest(LineBytecodeRequest.type, params)
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { CodeObject, Instruction } from './collector';
import type { InterpreterInfo } from './common';

/** Where the interpreter came from, in the server's fallback order. */
/** Where the interpreter in use comes from; 'bundled': no local CPython was found, so CPython in WebAssembly (wasm:3.14). */
export type InterpreterSource = 'setting' | 'pythonExtension' | 'path' | 'bundled';

export interface InterpreterStatus {
  source: InterpreterSource;
  /** Present when an interpreter is usable. */
  interpreter?: InterpreterInfo;
  /** Present when none is usable: says why, and what to do. */
  error?: string;
}

/**
 * Settings the server reads from `initializationOptions` and from
 * `workspace/didChangeConfiguration` (`settings.pythonInternals`).
 * Every field is optional so that any LSP client can send a subset.
 */
export interface ServerSettings {
  /** 1. Explicit interpreter (setting or initializationOptions). */
  interpreterPath?: string;
  /** 2. The Python extension's active interpreter, sent by the VS Code client. */
  pythonExtensionInterpreter?: string;
  hover?: {
    enabled?: boolean;
    /** `compact`: the hovered line's instructions and a link; `detailed` adds the code object's fields. */
    mode?: 'compact' | 'detailed';
  };
  diagnostics?: {
    enabled?: boolean;
    debounceMs?: number;
  };
  /**
   * Compile every function of an open document in the background (compile
   * only, never run), so that the first hover in any function is as fast as
   * the next one.
   */
  precompile?: {
    enabled?: boolean;
  };
  /** Per-request timeout for the CPython worker. */
  requestTimeoutMs?: number;
  /** The static MRO (never runs code). */
  mro?: {
    /** A code lens "MRO: A → B → object" above each class. */
    codeLens?: boolean;
    /** Hovering a class name shows its MRO (above the line's bytecode). */
    hover?: boolean;
  };
  /**
   * The runtime lab (commands that run the user's code). `trusted`: the
   * client says the workspace is trusted; without it the server runs nothing.
   */
  runtime?: {
    trusted?: boolean;
    /** Kill the run's whole process tree after this long. */
    timeoutMs?: number;
    /** Address-space cap of the run (RLIMIT_AS), in MB; 0: none. */
    memoryMb?: number;
    /** Runs of the import trace (median and spread). */
    importRuns?: number;
  };
}

export interface TextPositionParams {
  textDocument: { uri: string };
  position: { line: number; character: number };
}

/** What the hover (and `pyinternals bytecode --line`) shows for one source line. */
export interface LineBytecode {
  interpreter: InterpreterInfo;
  /** 1-based source line. */
  line: number;
  /** The innermost code object that has the position. */
  codeObject: Omit<CodeObject, 'children' | 'instructions'>;
  /** That code object's instructions on `line`. */
  instructions: Instruction[];
  /** How many instructions the whole code object has. */
  instructionCount: number;
  /** How the code object was compiled: its top-level statement alone, or the whole file. */
  compiledFrom: 'statement' | 'file';
  /**
   * The line's instructions in other code objects, innermost first: a line
   * can compile into several (a comprehension's first iterable, a lambda's or
   * a def's defaults and decorators run in the enclosing code).
   */
  alsoIn?: Array<{ qualname: string; instructions: Instruction[]; instructionCount: number }>;
  /** The module's own code has instructions on the line too (in the full listing; not here: the statement alone sits at other offsets). */
  moduleAlso?: boolean;
}

export interface BytecodeListingParams {
  textDocument: { uri: string };
  /** When given, the listing names the code object at this 0-based line to reveal. */
  line?: number;
}

export interface BytecodeListing {
  interpreter: InterpreterInfo;
  /** dis-style text of every code object in the file (language `python-bytecode`). */
  text: string;
  /** 0-based line in `text` where the code object for `line` starts, if any. */
  revealLine?: number;
}

export namespace LineBytecodeRequest {
  export const method = 'pythonInternals/lineBytecode';
  /** client → server: the instructions for the line at a position. Fails (RequestFailed) with a readable message when CPython cannot compile it. */
  export const type = new RequestType<TextPositionParams, LineBytecode, void>(method);
}

export namespace BytecodeListingRequest {
  export const method = 'pythonInternals/bytecodeListing';
  /** client → server: the full listing of a document, for the read-only bytecode view. */
  export const type = new RequestType<BytecodeListingParams, BytecodeListing, void>(method);
}

export namespace ListInterpretersRequest {
  export const method = 'pythonInternals/listInterpreters';
  /** client → server: CPython interpreters found on this machine, probed, newest first. */
  export const type = new RequestType0<InterpreterInfo[], void>(method);
}

export namespace InterpreterStatusNotification {
  export const method = 'pythonInternals/interpreterStatus';
  /** server → client: the interpreter in use changed, or failed. Sent after every (re)selection. */
  export const type = new NotificationType<InterpreterStatus>(method);
}

/** What the background precompile of one document version did. */
export interface PrecompiledParams {
  uri: string;
  version: number;
  /** Functions (and methods of top-level classes) in the document, each compiled as one hover snippet; at most 1,500. */
  functions: number;
  /** Of those, the ones compiled by this run (the rest were compiled before, e.g. at an earlier version). */
  compiled: number;
  /** Wall time from the start of the run to the last compile, in the background. */
  ms: number;
}

export namespace PrecompiledNotification {
  export const method = 'pythonInternals/precompiled';
  /** server → client: a document's functions are compiled; hovers in any of them are now warm. */
  export const type = new NotificationType<PrecompiledParams>(method);
}

/** Virtual documents holding bytecode listings use this URI scheme. */
export const BYTECODE_SCHEME = 'python-bytecode';
export const BYTECODE_LANGUAGE_ID = 'python-bytecode';

/** Oldest CPython the collector supports. */
export const MIN_PYTHON: [number, number] = [3, 8];
