/**
 * VS Code glue only: starts the language server as its own process, feeds it
 * settings and the Python extension's interpreter, and shows its answers.
 */
import * as vscode from 'vscode';
import { BYTECODE_SCHEME, InterpreterStatus } from '../protocol';
import { BytecodeDocumentProvider } from './bytecodeDocument';
import { noticeBundled } from './bundledNotice';
import { ServerController } from './client';
import { COMMANDS } from './commands';
import type { Ctx } from './ctx';
import { recordMetric } from './metrics';
import { PanelRegistry } from './panels/registry';
import { createPythonExtensionSource } from './python';
import { readSettings, SECTION } from './settings';
import { StatusBar } from './statusBar';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Python Internals', { log: true });
  const python = createPythonExtensionSource(log);
  const statusBar = new StatusBar();
  let status: InterpreterStatus | undefined;
  const statusChanged = new vscode.EventEmitter<InterpreterStatus | undefined>();
  let sawStatus = false;
  const hoverEnabled = () => vscode.workspace.getConfiguration(SECTION).get<boolean>('hover.enabled', true);
  const server = new ServerController(
    context,
    log,
    async () => readSettings(await python.get()),
    (next) => {
      if (next && !sawStatus) recordMetric(log, 'first interpreter status', performance.now() - started);
      sawStatus ||= !!next;
      status = next;
      statusBar.update(next, hoverEnabled());
      statusChanged.fire(next);
      noticeBundled(context, next);
    },
  );
  const listings = new BytecodeDocumentProvider(() => server.started());
  const ctx: Ctx = {
    log,
    server,
    listings,
    client: () => server.started(),
    get status() {
      return status;
    },
    onDidChangeStatus: statusChanged.event,
    extensionUri: context.extensionUri,
  };
  const panels = new PanelRegistry(ctx);

  context.subscriptions.push(
    log,
    python,
    statusBar,
    server,
    listings,
    statusChanged,
    // Open panels come back after a window reload, on the file they showed.
    panels,
    vscode.workspace.registerTextDocumentContentProvider(BYTECODE_SCHEME, listings),
    ...Object.entries(COMMANDS).map(([id, factory]) => vscode.commands.registerCommand(id, factory(ctx, panels))),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      statusBar.update(status, hoverEnabled());
      void server.pushSettings();
    }),
    python.onDidChange(() => void server.pushSettings()),
    // Trust unlocks workspace settings (and a workspace interpreter): send them again.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void server.pushSettings()),
  );

  await server.restart();
  recordMetric(log, 'activation (language server running)', performance.now() - started);
}

export function deactivate(): void {
  // Disposables in context.subscriptions stop the server.
}
