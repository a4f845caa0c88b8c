/**
 * The small types and names every part shares: a source span, a stage's
 * error, the interpreter a result came from, and the command ids the
 * extension registers (package.json `contributes.commands` names them too;
 * test/unit/commandIds.test.ts checks the two agree). Imports nothing, so
 * any protocol module can use it without importing another.
 */

/** [startLine, startCharacter, endLine, endCharacter]: 0-based, UTF-16 columns, as LSP. */
export type Span = [number, number, number, number];

/** A stage's failure: CPython's own message and, when it gives one, where. */
export interface StageError {
  message: string;
  span?: Span;
}

export interface InterpreterInfo {
  /** The path as configured or found (may be a shim such as pyenv's). */
  requested: string;
  /** The real executable (`sys.executable`), resolved once. */
  executable: string;
  version: [number, number, number];
  /** e.g. "3.12.1". */
  versionText: string;
  implementation: string;
  /**
   * 'wasm': CPython compiled to WebAssembly (Pyodide), run on a thread of the
   * server (`executable` is then its name, such as "wasm:3.14"); absent: a
   * native executable.
   */
  kind?: 'wasm';
}

/** How the UI names an interpreter: "CPython 3.12.1", "CPython 3.14.2 (WebAssembly, bundled)". */
export function interpreterLabel(info: InterpreterInfo): string {
  if (info.kind !== 'wasm') return `CPython ${info.versionText}`;
  return `CPython ${info.versionText} (WebAssembly${info.executable === BUNDLED_WASM ? ', bundled' : ''})`;
}

/** Names of interpreters in WebAssembly (server/cpython/wasm.ts) start so: they are not paths. */
export const WASM_PREFIX = 'wasm:';
/** The CPython in WebAssembly that ships with the extension. */
export const BUNDLED_WASM = 'wasm:3.14';

// Command ids. The server names some in hovers and lenses (`command:` links),
// the extension registers them all.
export const SHOW_BYTECODE_COMMAND = 'pythonInternals.showBytecode';
export const SELECT_INTERPRETER_COMMAND = 'pythonInternals.selectInterpreter';
export const RESTART_SERVER_COMMAND = 'pythonInternals.restartServer';
export const TOGGLE_HOVER_COMMAND = 'pythonInternals.toggleHover';
export const SHOW_MENU_COMMAND = 'pythonInternals.showMenu';
export const SHOW_OUTPUT_COMMAND = 'pythonInternals.showOutput';
export const OPEN_AST_PANEL_COMMAND = 'pythonInternals.openAstPanel';
export const OPEN_BYTECODE_PANEL_COMMAND = 'pythonInternals.openBytecodePanel';
export const GC_REPORT_COMMAND = 'pythonInternals.gcReport';
export const TRACE_IMPORTS_COMMAND = 'pythonInternals.traceImports';
export const INSPECT_OBJECTS_COMMAND = 'pythonInternals.inspectObjects';
export const OPEN_MRO_PANEL_COMMAND = 'pythonInternals.openMroPanel';
