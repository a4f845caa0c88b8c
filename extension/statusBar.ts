/** The status-bar item: the interpreter's version; click for the Python Internals menu. */
import * as vscode from 'vscode';
import { interpreterLabel, type InterpreterStatus, SHOW_MENU_COMMAND } from '../protocol';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('pythonInternals.interpreter', vscode.StatusBarAlignment.Right, 100);

  constructor() {
    this.item.name = 'Python Internals';
    this.item.command = SHOW_MENU_COMMAND;
    this.update(undefined, true);
  }

  update(status: InterpreterStatus | undefined, hoverEnabled: boolean): void {
    const hover = hoverEnabled ? '' : ' $(circle-slash)';
    if (!status) {
      this.item.text = `$(sync~spin) CPython${hover}`;
      this.item.tooltip = 'Python Internals: starting…';
      this.item.backgroundColor = undefined;
    } else if (status.interpreter) {
      const i = status.interpreter;
      this.item.text = `$(symbol-numeric) CPython ${i.versionText}${i.kind === 'wasm' ? ' (WebAssembly)' : ''}${hover}`;
      const wasm = i.kind === 'wasm' ? '\n\nIn WebAssembly: bytecode, AST and MRO views; the runtime lab needs a local CPython.' : '';
      const md = new vscode.MarkdownString(
        `**Python Internals** · ${interpreterLabel(i)}\n\n\`${i.executable}\`\n\nFrom: ${sourceLabel(status.source)}${wasm}\n\nBytecode hovers: ${hoverEnabled ? 'on' : 'off'} · click for options`,
      );
      this.item.tooltip = md;
      this.item.backgroundColor = undefined;
    } else {
      this.item.text = `$(warning) CPython: none${hover}`;
      this.item.tooltip = `Python Internals: ${status.error ?? 'no interpreter'} Click to choose one.`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    }
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}

function sourceLabel(source: InterpreterStatus['source']): string {
  return {
    setting: 'the pythonInternals.interpreterPath setting',
    pythonExtension: "the Python extension's selection",
    path: 'PATH',
    bundled: 'bundled with the extension: no local CPython 3.8+ was found',
  }[source];
}
