/**
 * The runtime lab's report panels (the GC report, the import trace, the
 * object inspector): one run's report beside the editor, one panel per kind
 * (registry.ts). The page keeps the report in its state, so a window reload
 * brings it back; "Run again" reruns the same file under the same view.
 */
import * as vscode from 'vscode';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import {
  type ChosenCall,
  OpenLocationNotification,
  type PersistedPanelState,
  ReadyNotification,
  RerunNotification,
  RuntimeReportNotification,
  type RuntimeReportState,
  type RuntimeView,
} from '../../protocol';
import type { Ctx } from '../ctx';
import { runView } from '../runtime';
import { PANELS } from './descriptors';
import { panelHtml } from './html';
import { webviewConnection } from './messaging';
import { isReportPanelState } from './savedState';

export type ReportKind = 'gc' | 'imports' | 'objects';

/** The runtime lab's view each report panel shows. */
const RUNTIME_VIEW: Record<ReportKind, RuntimeView> = { gc: 'gc', imports: 'imports', objects: 'inspect' };

/** Run `document` under `kind`'s view: the report to show, or undefined when it did not run (runView said why). */
export async function runReport(
  ctx: Ctx,
  document: vscode.TextDocument,
  kind: ReportKind,
  line?: number,
  call?: ChosenCall,
): Promise<RuntimeReportState | undefined> {
  const chosen = call?.call ? call : undefined;
  const run = await runView(ctx, document, RUNTIME_VIEW[kind], { ...(line ? { line } : {}), ...(chosen ?? {}) });
  if (!run.ok) return undefined;
  return {
    result: run.value,
    fileName: document.uri.path.split('/').pop() ?? '',
    ...(line ? { line } : {}),
    ...(chosen ? { call: chosen } : {}),
  };
}

export class ReportPanel implements vscode.Disposable {
  /** The state its page persisted, checked before a revived panel reads it. */
  static readonly isState = isReportPanelState;
  private readonly connection: MessageConnection;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposed$ = new vscode.EventEmitter<void>();
  /** Fires once, when the panel closes. */
  readonly onDidDispose = this.disposed$.event;
  private disposed = false;

  /** A panel on `panel`, new or revived with its page's checked state (registry.ts). */
  static async create(ctx: Ctx, panel: vscode.WebviewPanel, kind: ReportKind, state: PersistedPanelState): Promise<ReportPanel> {
    // The page shows its own saved report; the extension knows which file to run again.
    return new ReportPanel(ctx, kind, panel, state.report);
  }

  private constructor(
    private readonly ctx: Ctx,
    private readonly kind: ReportKind,
    readonly panel: vscode.WebviewPanel,
    private report: RuntimeReportState | undefined,
  ) {
    this.connection = webviewConnection(panel.webview);
    panel.webview.html = panelHtml(panel.webview, ctx.extensionUri, PANELS[kind]);
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
      const report = await runReport(this.ctx, document, this.kind, this.report?.line, call);
      if (report && !this.disposed) this.show(report);
    });
  }

  /** Show `report` (a new run's) and bring the panel forward. */
  show(report: RuntimeReportState): void {
    this.report = report;
    this.panel.title = `${PANELS[this.kind].title} · ${report.fileName}`;
    void this.connection.sendNotification(RuntimeReportNotification.type, report);
    this.panel.reveal(this.panel.viewColumn, true);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.connection.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    this.disposed$.fire();
    this.disposed$.dispose();
  }
}
