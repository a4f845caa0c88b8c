/**
 * The GC report panel: one run's report (protocol/runtime.ts GcReport),
 * beside the editor. The page keeps the report in its state, so a window
 * reload brings it back; "Run again" reruns the same file.
 */
import * as vscode from 'vscode';
import { OpenLocationNotification, PersistedPanelState, ReadyNotification, RerunNotification, RuntimeReportNotification, type RunResult, type RuntimeReportState } from '../../protocol';
import type { Ctx } from '../ctx';
import { runView } from '../runtime';
import { panelHtml, webviewOptions } from './html';
import { webviewConnection } from './messaging';
import type { MessageConnection } from 'vscode-jsonrpc/node';

export const GC_VIEW_TYPE = 'pythonInternals.gcPanel';

export class GcPanel implements vscode.Disposable {
  private static current: GcPanel | undefined;
  private readonly connection: MessageConnection;
  private readonly disposables: vscode.Disposable[] = [];
  private report: RuntimeReportState | undefined;

  /** Run `document` and show its report (in the open panel, if there is one). */
  static async run(ctx: Ctx, document: vscode.TextDocument): Promise<void> {
    const result = await runView(ctx, document, 'gc');
    if (!result) return;
    const report = { result, fileName: document.uri.path.split('/').pop() ?? '' };
    const panel = GcPanel.current ?? new GcPanel(ctx, vscode.window.createWebviewPanel(GC_VIEW_TYPE, 'GC Report', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(ctx.extensionUri)));
    panel.show(report);
  }

  static revive(ctx: Ctx, panel: vscode.WebviewPanel, state: PersistedPanelState | undefined): void {
    GcPanel.current?.dispose();
    panel.webview.options = webviewOptions(ctx.extensionUri);
    const revived = new GcPanel(ctx, panel);
    // The page shows its own saved report; the extension knows which file to run again.
    const saved = state?.report as RuntimeReportState | undefined;
    if (saved?.result) revived.report = saved;
  }

  private constructor(
    private readonly ctx: Ctx,
    readonly panel: vscode.WebviewPanel,
  ) {
    GcPanel.current = this;
    this.connection = webviewConnection(panel.webview);
    panel.webview.html = panelHtml(panel.webview, ctx.extensionUri, 'gc.js', 'GC Report', true, ['uplot.css']);
    this.disposables.push(panel.onDidDispose(() => this.dispose()));
    this.connection.onNotification(ReadyNotification.type, () => {
      if (this.report) void this.connection.sendNotification(RuntimeReportNotification.type, this.report);
    });
    this.connection.onNotification(OpenLocationNotification.type, async ({ file, line }) => {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      const at = new vscode.Position(Math.max(0, (line ?? 1) - 1), 0);
      await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(at, at) });
    });
    this.connection.onNotification(RerunNotification.type, async () => {
      const uri = this.report?.result.uri;
      if (!uri) return;
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
      await GcPanel.run(this.ctx, document);
    });
  }

  private show(report: { result: RunResult; fileName: string }): void {
    this.report = report;
    this.panel.title = `GC Report · ${report.fileName}`;
    void this.connection.sendNotification(RuntimeReportNotification.type, report);
    this.panel.reveal(this.panel.viewColumn, true);
  }

  dispose(): void {
    if (GcPanel.current === this) GcPanel.current = undefined;
    this.connection.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
