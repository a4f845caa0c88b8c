/**
 * Running the user's code for the runtime lab's commands: only in a trusted
 * workspace (the explicit command is the consent), with a progress
 * notification whose Cancel kills the run's whole process tree (the server
 * does the killing), the program's own output streamed to its Output
 * channel as it comes, and its exception written there with file:line links.
 */
import * as vscode from 'vscode';
import { type Answer, failed, type RunParams, RunOutputNotification, RunRequest, type RunResult, type RuntimeView } from '../protocol';
import type { Ctx } from './ctx';
import { answerOf } from './panels/forward';
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

/**
 * Run `document` under `view`: the run's result, or why there is none
 * (untrusted, not on disk, cancelled, a failure, each already shown to the
 * user). `token`: a panel's request that the run answers (the page cancels
 * it when a newer one supersedes it); the progress notification's Cancel
 * cancels the run too.
 */
export async function runView(
  ctx: Ctx,
  document: vscode.TextDocument,
  view: RuntimeView,
  extra: Pick<RunParams, 'interpreterPath' | 'call' | 'times' | 'callArgs' | 'line'> = {},
  token?: vscode.CancellationToken,
): Promise<Answer<RunResult>> {
  if (!vscode.workspace.isTrusted) {
    const message = `Python Internals: the ${VIEW_TITLES[view]} runs your code, so it works only in a trusted workspace.`;
    void vscode.window
      .showWarningMessage(message, 'Manage Workspace Trust')
      .then((choice) => choice && vscode.commands.executeCommand('workbench.trust.manage'));
    return failed('untrusted', message);
  }
  if (document.uri.scheme !== 'file') {
    const message = 'Python Internals: save the file first; the runtime lab runs files on disk.';
    void vscode.window.showInformationMessage(message);
    return failed('run', message);
  }
  const runId = `run-${++runs}`;
  const channel = programOutput();
  const name = document.uri.path.split('/').pop() ?? 'file';
  let listener: vscode.Disposable | undefined;
  const answer = await answerOf(async () => {
    const client = await ctx.client();
    channel.appendLine(`── ${VIEW_TITLES[view]}: python ${name} (${new Date().toLocaleTimeString()}) ──`);
    channel.show(true);
    listener = client.onNotification(RunOutputNotification.type, (p) => {
      if (p.runId === runId) channel.append(p.text);
    });
    const folder = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath;
    // sys.argv[1:], as `python file.py ARGS` would get them.
    const args = vscode.workspace.getConfiguration(SECTION, document.uri).get<string[]>('runtime.arguments', []).map(String);
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Python Internals: ${VIEW_TITLES[view]} of ${name}`, cancellable: true },
      (_progress, progressToken) => {
        const cancel = new vscode.CancellationTokenSource();
        const links = [progressToken, token].map((t) => t?.onCancellationRequested(() => cancel.cancel()));
        if (token?.isCancellationRequested) cancel.cancel();
        return client
          .sendRequest(
            RunRequest.type,
            { textDocument: { uri: document.uri.toString() }, view, runId, args, ...extra, ...(folder ? { cwd: folder } : {}) },
            cancel.token,
          )
          .finally(() => {
            for (const l of links) l?.dispose();
            cancel.dispose();
          });
      },
    );
  });
  listener?.dispose();
  if (!answer.ok) {
    channel.appendLine(`── ${answer.error.message} ──`);
    if (answer.error.kind !== 'cancelled') void vscode.window.showErrorMessage(`Python Internals: ${answer.error.message}`);
    return answer;
  }
  const result = answer.value;
  channel.appendLine('');
  if (result.exception) {
    channel.appendLine(`${result.exception.type}: ${result.exception.message}`);
    // path:line, which the Output channel turns into links.
    for (const f of result.exception.frames) channel.appendLine(`  at ${f.file}:${f.line ?? 1} in ${f.name}`);
  }
  if (result.output.truncated)
    channel.appendLine(`(the program wrote ${result.output.stdout + result.output.stderr} bytes; the first part is shown)`);
  channel.appendLine(`── ${result.summary} ──`);
  return answer;
}
