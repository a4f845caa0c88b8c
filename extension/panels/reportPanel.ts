/**
 * The runtime lab's report panels (the GC report, the import trace): one
 * run's report beside the editor, one panel per view. The page keeps the
 * report in its state, so a window reload brings it back; "Run again" reruns
 * the same file under the same view.
 */
import * as vscode from 'vscode';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import {
  type ChosenCall,
  OpenLocationNotification,
  PersistedPanelState,
  ReadyNotification,
  RerunNotification,
  RuntimeReportNotification,
  type RuntimeReportState,
} from '../../protocol';
import type { Ctx } from '../ctx';
import { runView } from '../runtime';
import { createBeside, panelHtml, webviewOptions } from './html';
import { webviewConnection } from './messaging';

export type ReportView = 'gc' | 'imports' | 'inspect';

interface ReportPage {
  viewType: string;
  bundle: string;
  title: string;
  /** Chart libraries' stylesheets from the bundle folder. */
  styles: string[];
  wasm: boolean;
}

export const REPORT_PAGES: Record<ReportView, ReportPage> = {
  gc: { viewType: 'pythonInternals.gcPanel', bundle: 'gc.js', title: 'GC Report', styles: ['uplot.css'], wasm: true },
  imports: {
    viewType: 'pythonInternals.importsPanel',
    bundle: 'imports.js',
    title: 'Import Trace',
    styles: ['flamegraph.css'],
    wasm: false,
  },
  inspect: { viewType: 'pythonInternals.objectsPanel', bundle: 'objects.js', title: 'Objects', styles: [], wasm: false },
};

export class ReportPanel implements vscode.Disposable {
  private static readonly current = new Map<ReportView, ReportPanel>();
  private readonly connection: MessageConnection;
  private readonly disposables: vscode.Disposable[] = [];
  private report: RuntimeReportState | undefined;

  /** Run `document` under `view` and show its report (in that view's open panel, if there is one). */
  static async run(ctx: Ctx, document: vscode.TextDocument, view: ReportView, line?: number, call?: ChosenCall): Promise<void> {
    const chosen = call?.call ? call : undefined;
    const run = await runView(ctx, document, view, { ...(line ? { line } : {}), ...(chosen ?? {}) });
    if (!run.ok) return;
    const report: RuntimeReportState = {
      result: run.value,
      fileName: document.uri.path.split('/').pop() ?? '',
      ...(line ? { line } : {}),
      ...(chosen ? { call: chosen } : {}),
    };
    const page = REPORT_PAGES[view];
    const panel = ReportPanel.current.get(view) ?? new ReportPanel(ctx, view, createBeside(page.viewType, page.title, ctx.extensionUri));
    panel.show(report);
  }

  static revive(ctx: Ctx, view: ReportView, panel: vscode.WebviewPanel, state: PersistedPanelState | undefined): void {
    ReportPanel.current.get(view)?.dispose();
    panel.webview.options = webviewOptions(ctx.extensionUri);
    const revived = new ReportPanel(ctx, view, panel);
    // The page shows its own saved report; the extension knows which file to run again.
    const saved = state?.report as RuntimeReportState | undefined;
    if (saved?.result) revived.report = saved;
  }

  private constructor(
    private readonly ctx: Ctx,
    private readonly view: ReportView,
    readonly panel: vscode.WebviewPanel,
  ) {
    ReportPanel.current.set(view, this);
    const page = REPORT_PAGES[view];
    this.connection = webviewConnection(panel.webview);
    panel.webview.html = panelHtml(panel.webview, ctx.extensionUri, page.bundle, page.title, page.wasm, page.styles);
    this.disposables.push(panel.onDidDispose(() => this.dispose()));
    this.connection.onNotification(ReadyNotification.type, () => {
      if (this.report) void this.connection.sendNotification(RuntimeReportNotification.type, this.report);
    });
    this.connection.onNotification(OpenLocationNotification.type, async ({ file, line }) => {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      const at = new vscode.Position(Math.max(0, (line ?? 1) - 1), 0);
      await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(at, at) });
    });
    this.connection.onNotification(RerunNotification.type, async (call) => {
      const uri = this.report?.result.uri;
      if (!uri) return;
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
      await ReportPanel.run(this.ctx, document, this.view, this.report?.line, call);
    });
  }

  private show(report: RuntimeReportState): void {
    this.report = report;
    this.panel.title = `${REPORT_PAGES[this.view].title} · ${report.fileName}`;
    void this.connection.sendNotification(RuntimeReportNotification.type, report);
    this.panel.reveal(this.panel.viewColumn, true);
  }

  dispose(): void {
    if (ReportPanel.current.get(this.view) === this) ReportPanel.current.delete(this.view);
    this.connection.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
