/** Command handlers: a table of small factories over the extension's context. */
import * as vscode from 'vscode';
import {
  InterpreterInfo,
  interpreterLabel,
  ListInterpretersRequest,
  OPEN_AST_PANEL_COMMAND,
  OPEN_BYTECODE_PANEL_COMMAND,
  OPEN_MRO_PANEL_COMMAND,
  GC_REPORT_COMMAND,
  TRACE_IMPORTS_COMMAND,
  INSPECT_OBJECTS_COMMAND,
  RESTART_SERVER_COMMAND,
  SELECT_INTERPRETER_COMMAND,
  SHOW_BYTECODE_COMMAND,
  SHOW_MENU_COMMAND,
  SHOW_OUTPUT_COMMAND,
  TOGGLE_HOVER_COMMAND,
} from '../protocol';
import type { Ctx } from './ctx';
import { isServedPython } from './panels/followingPanel';
import type { PanelRegistry } from './panels/registry';
import { type ReportKind, runReport } from './panels/reportPanel';
import { SECTION } from './settings';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- VS Code passes a command's arguments untyped; each handler declares what it takes.
type Factory = (ctx: Ctx, panels: PanelRegistry) => (...args: any[]) => unknown;

/** Arguments the hover link passes: the source URI and a 0-based line (a code lens adds the character). */
interface ShowArgs {
  uri?: string;
  line?: number;
  character?: number;
}

const showBytecode: Factory = (ctx) => async (args?: ShowArgs) => {
  let source: vscode.Uri | undefined;
  let line: number | undefined;
  if (args?.uri) {
    source = vscode.Uri.parse(args.uri);
    line = args.line;
  } else {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'python') {
      void vscode.window.showInformationMessage('Python Internals: open a Python file to see its bytecode.');
      return;
    }
    source = editor.document.uri;
    line = editor.selection.active.line;
  }
  return ctx.listings.show(source, line);
};

/** From the palette, the editor title bar or the editor's context menu (which passes the file's URI). */
const openAstPanel: Factory = (_ctx, panels) => async (uri?: vscode.Uri) => {
  const editor = vscode.window.activeTextEditor;
  let document = editor && isServedPython(editor.document) ? editor.document : undefined;
  if (uri instanceof vscode.Uri && uri.toString() !== document?.uri.toString()) {
    document = await Promise.resolve(vscode.workspace.openTextDocument(uri)).catch(() => document);
  }
  if (!document) {
    void vscode.window.showInformationMessage('Python Internals: open a Python file to see its compiler pipeline.');
    return;
  }
  await panels.show('pipeline', { document });
};

/**
 * From the palette, the editor title bar, the context menu (a URI) or the
 * hover's link ({ uri, line }): the code object at that line is selected.
 */
const openBytecodePanel: Factory = (_ctx, panels) => async (arg?: vscode.Uri | ShowArgs) => {
  const editor = vscode.window.activeTextEditor;
  let document = editor && isServedPython(editor.document) ? editor.document : undefined;
  let line = document ? editor?.selection.active.line : undefined;
  const uri = arg instanceof vscode.Uri ? arg : typeof arg?.uri === 'string' ? vscode.Uri.parse(arg.uri) : undefined;
  if (uri && uri.toString() !== document?.uri.toString()) {
    document = await Promise.resolve(vscode.workspace.openTextDocument(uri)).catch(() => document);
    line = undefined;
  }
  if (!(arg instanceof vscode.Uri) && typeof arg?.line === 'number') line = arg.line;
  if (!document) {
    void vscode.window.showInformationMessage('Python Internals: open a Python file to see its bytecode.');
    return;
  }
  await panels.show('bytecode', { document, line });
};

/**
 * From the palette, the editor title bar, the context menu (a URI), a code
 * lens or the class hover's link ({ uri, line, character? }): the class
 * there (else the one at the cursor) is shown.
 */
const openMroPanel: Factory = (_ctx, panels) => async (arg?: vscode.Uri | ShowArgs) => {
  const editor = vscode.window.activeTextEditor;
  let document = editor && isServedPython(editor.document) ? editor.document : undefined;
  let at = document && editor ? { line: editor.selection.active.line, character: editor.selection.active.character } : undefined;
  const uri = arg instanceof vscode.Uri ? arg : typeof arg?.uri === 'string' ? vscode.Uri.parse(arg.uri) : undefined;
  if (uri && uri.toString() !== document?.uri.toString()) {
    document = await Promise.resolve(vscode.workspace.openTextDocument(uri)).catch(() => document);
    at = undefined;
  }
  if (!(arg instanceof vscode.Uri) && typeof arg?.line === 'number') at = { line: arg.line, character: arg.character ?? 0 };
  if (!document) {
    void vscode.window.showInformationMessage('Python Internals: open a Python file to see its classes’ MRO.');
    return;
  }
  await panels.show('mro', { document, at });
};

/** Run the active Python file (trusted workspaces only) under a runtime view and show its report. */
const report =
  (kind: ReportKind, what: string): Factory =>
  (ctx, panels) =>
  async (uri?: vscode.Uri) => {
    const editor = vscode.window.activeTextEditor;
    let document = editor && isServedPython(editor.document) ? editor.document : undefined;
    if (uri instanceof vscode.Uri && uri.toString() !== document?.uri.toString())
      document = await Promise.resolve(vscode.workspace.openTextDocument(uri)).catch(() => document);
    if (!document) {
      void vscode.window.showInformationMessage(`Python Internals: open a Python file to run it for ${what}.`);
      return;
    }
    // The object inspector stops at the cursor's line, if the cursor is in the file and past its first line.
    const cursor = kind === 'objects' && editor?.document === document ? editor.selection.active.line + 1 : undefined;
    const shown = await runReport(ctx, document, kind, cursor && cursor > 1 ? cursor : undefined);
    if (shown) await panels.show(kind, shown);
  };

const selectInterpreter: Factory = (ctx) => async () => {
  type Item = vscode.QuickPickItem & { path?: string; action?: 'clear' | 'browse' | 'enter' };
  const pick = vscode.window.createQuickPick<Item>();
  pick.title = 'Python Internals: select the CPython interpreter';
  pick.placeholder = 'Finding interpreters…';
  pick.busy = true;
  pick.show();
  const found: InterpreterInfo[] = await ctx
    .client()
    .then((client) => client.sendRequest(ListInterpretersRequest.type))
    .catch(() => []);
  const current = ctx.status?.interpreter?.executable;
  pick.items = [
    ...found.map<Item>((i) => ({
      label: interpreterLabel(i),
      description: i.executable === current ? `${i.executable} (in use)` : i.executable,
      path: i.executable,
    })),
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: "$(python) Use the Python extension's interpreter, else python3 on PATH", action: 'clear' },
    { label: '$(folder) Browse…', action: 'browse' },
    { label: '$(edit) Enter a path…', action: 'enter' },
  ];
  pick.busy = false;
  pick.placeholder = 'CPython 3.8 or newer';
  const chosen = await new Promise<Item | undefined>((resolve) => {
    pick.onDidAccept(() => resolve(pick.selectedItems[0]));
    pick.onDidHide(() => resolve(undefined));
  });
  pick.dispose();
  if (!chosen) return;
  let value: string | undefined = chosen.path;
  if (chosen.action === 'clear') value = '';
  else if (chosen.action === 'browse') {
    const files = await vscode.window.showOpenDialog({ canSelectMany: false, title: 'Python interpreter' });
    value = files?.[0]?.fsPath;
  } else if (chosen.action === 'enter') {
    value = await vscode.window.showInputBox({ prompt: 'Path to a CPython 3.8+ executable', value: current ?? '' });
  }
  if (value === undefined) return;
  // Workspace settings of a restricted setting are ignored in untrusted folders: write the user's.
  const target =
    vscode.workspace.isTrusted && vscode.workspace.workspaceFolders?.length
      ? vscode.ConfigurationTarget.Workspace
      : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration(SECTION).update('interpreterPath', value || undefined, target);
};

const toggleHover: Factory = () => async () => {
  const config = vscode.workspace.getConfiguration(SECTION);
  await config.update('hover.enabled', !config.get<boolean>('hover.enabled', true), vscode.ConfigurationTarget.Global);
};

const restartServer: Factory = (ctx) => () => ctx.server.restart();

const showOutput: Factory = (ctx) => () => ctx.log.show();

const showMenu: Factory = () => async () => {
  const config = vscode.workspace.getConfiguration(SECTION);
  const hoverOn = config.get<boolean>('hover.enabled', true);
  const mode = config.get<'compact' | 'detailed'>('hover.mode', 'compact');
  const items: Array<vscode.QuickPickItem & { run: () => Thenable<unknown> }> = [
    { label: '$(symbol-numeric) Select interpreter…', run: () => vscode.commands.executeCommand(SELECT_INTERPRETER_COMMAND) },
    {
      label: hoverOn ? '$(eye-closed) Turn bytecode hovers off' : '$(eye) Turn bytecode hovers on',
      run: () => vscode.commands.executeCommand(TOGGLE_HOVER_COMMAND),
    },
    {
      label: mode === 'compact' ? '$(list-tree) Detailed hovers (add code-object fields)' : '$(list-flat) Compact hovers',
      run: () => config.update('hover.mode', mode === 'compact' ? 'detailed' : 'compact', vscode.ConfigurationTarget.Global),
    },
    { label: '$(list-tree) Show AST (compiler pipeline) of this file', run: () => vscode.commands.executeCommand(OPEN_AST_PANEL_COMMAND) },
    {
      label: '$(circuit-board) Show the bytecode panel of this file',
      run: () => vscode.commands.executeCommand(OPEN_BYTECODE_PANEL_COMMAND),
    },
    {
      label: '$(type-hierarchy) Show the MRO of the class at the cursor',
      run: () => vscode.commands.executeCommand(OPEN_MRO_PANEL_COMMAND),
    },
    { label: '$(file-code) Show bytecode of this file', run: () => vscode.commands.executeCommand(SHOW_BYTECODE_COMMAND) },
    { label: '$(output) Show log', run: () => vscode.commands.executeCommand(SHOW_OUTPUT_COMMAND) },
    { label: '$(debug-restart) Restart server', run: () => vscode.commands.executeCommand(RESTART_SERVER_COMMAND) },
  ];
  const chosen = await vscode.window.showQuickPick(items, { title: 'Python Internals' });
  await chosen?.run();
};

export const COMMANDS: Record<string, Factory> = {
  [SHOW_BYTECODE_COMMAND]: showBytecode,
  [OPEN_AST_PANEL_COMMAND]: openAstPanel,
  [OPEN_BYTECODE_PANEL_COMMAND]: openBytecodePanel,
  [OPEN_MRO_PANEL_COMMAND]: openMroPanel,
  [GC_REPORT_COMMAND]: report('gc', 'a GC report'),
  [TRACE_IMPORTS_COMMAND]: report('imports', 'an import trace'),
  [INSPECT_OBJECTS_COMMAND]: report('objects', 'the object inspector'),
  [SELECT_INTERPRETER_COMMAND]: selectInterpreter,
  [TOGGLE_HOVER_COMMAND]: toggleHover,
  [RESTART_SERVER_COMMAND]: restartServer,
  [SHOW_OUTPUT_COMMAND]: showOutput,
  [SHOW_MENU_COMMAND]: showMenu,
};
