/** Command ids, declared in package.json `contributes.commands`. */
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
