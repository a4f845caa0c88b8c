/**
 * Running the user's code for the runtime lab's commands: only in a trusted
 * workspace (the explicit command is the consent), with a progress
 * notification whose Cancel kills the run's whole process tree (the server
 * does the killing), the program's own output streamed to its Output
 * channel as it comes, and its exception written there with file:line links.
 */
import * as vscode from 'vscode';
import { type RunParams, RunOutputNotification, RunRequest, type RunResult, type RuntimeView } from '../protocol';
import type { Ctx } from './ctx';
import { SECTION } from './settings';

const VIEW_TITLES: Record<RuntimeView, string> = {
  gc: 'GC report',
  specialize: 'specialized bytecode',
  imports: 'import trace',
  inspect: 'object inspector',
  mro: 'runtime MRO',
};

let output: vscode.OutputChannel | undefined;
let runs = 0;

function programOutput(): vscode.OutputChannel {
  output ??= vscode.window.createOutputChannel('Python Internals: Program Output');
  return output;
}

/** Run `document` under `view`; undefined when it did not run (untrusted, cancelled before starting, a failure already shown). */
export async function runView(
  ctx: Ctx,
  document: vscode.TextDocument,
  view: RuntimeView,
  extra: Pick<RunParams, 'interpreterPath' | 'call' | 'times' | 'callArgs' | 'line'> = {},
): Promise<RunResult | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window
      .showWarningMessage(
        `Python Internals: the ${VIEW_TITLES[view]} runs your code, so it works only in a trusted workspace.`,
        'Manage Workspace Trust',
      )
      .then((choice) => choice && vscode.commands.executeCommand('workbench.trust.manage'));
    return undefined;
  }
  if (document.uri.scheme !== 'file') {
    void vscode.window.showInformationMessage('Python Internals: save the file first; the runtime lab runs files on disk.');
    return undefined;
  }
  await ctx.ensureStarted();
  const client = ctx.client;
  if (!client) return undefined;
  const runId = `run-${++runs}`;
  const channel = programOutput();
  const name = document.uri.path.split('/').pop() ?? 'file';
  channel.appendLine(`── ${VIEW_TITLES[view]}: python ${name} (${new Date().toLocaleTimeString()}) ──`);
  channel.show(true);
  const listener = client.onNotification(RunOutputNotification.type, (p) => {
    if (p.runId === runId) channel.append(p.text);
  });
  try {
    const folder = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath;
    // sys.argv[1:], as `python file.py ARGS` would get them.
    const args = vscode.workspace.getConfiguration(SECTION, document.uri).get<string[]>('runtime.arguments', []).map(String);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Python Internals: ${VIEW_TITLES[view]} of ${name}`, cancellable: true },
      (_progress, token) =>
        client.sendRequest(
          RunRequest.type,
          { textDocument: { uri: document.uri.toString() }, view, runId, args, ...extra, ...(folder ? { cwd: folder } : {}) },
          token,
        ),
    );
    channel.appendLine('');
    if (result.exception) {
      channel.appendLine(`${result.exception.type}: ${result.exception.message}`);
      // path:line, which the Output channel turns into links.
      for (const f of result.exception.frames) channel.appendLine(`  at ${f.file}:${f.line ?? 1} in ${f.name}`);
    }
    if (result.output.truncated)
      channel.appendLine(`(the program wrote ${result.output.stdout + result.output.stderr} bytes; the first part is shown)`);
    channel.appendLine(`── ${result.summary} ──`);
    return result;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    channel.appendLine(`── ${message} ──`);
    if (!/cancel/i.test(message)) void vscode.window.showErrorMessage(`Python Internals: ${message}`);
    return undefined;
  } finally {
    listener.dispose();
  }
}
