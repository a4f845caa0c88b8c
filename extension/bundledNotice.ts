/**
 * Once per machine: when no local CPython was found and the server uses the
 * bundled CPython in WebAssembly (InterpreterStatus.source 'bundled'), say so,
 * and what it cannot do.
 */
import * as vscode from 'vscode';
import { interpreterLabel, type InterpreterStatus, SELECT_INTERPRETER_COMMAND } from '../protocol';

const SHOWN_KEY = 'pythonInternals.bundledNoticeShown';

export function noticeBundled(context: vscode.ExtensionContext, status: InterpreterStatus | undefined): void {
  if (status?.source !== 'bundled' || !status.interpreter || context.globalState.get<boolean>(SHOWN_KEY)) return;
  void context.globalState.update(SHOWN_KEY, true);
  const select = 'Select Interpreter…';
  void vscode.window
    .showInformationMessage(
      `Python Internals found no CPython 3.8+ on this machine and uses its own ${interpreterLabel(status.interpreter)}: ` +
        'bytecode, AST and MRO views work; the runtime lab needs a CPython installed here.',
      select,
    )
    .then((chosen) => chosen === select && vscode.commands.executeCommand(SELECT_INTERPRETER_COMMAND));
}
