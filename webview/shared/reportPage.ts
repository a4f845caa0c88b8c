/**
 * What the runtime lab's report pages (GC report, import trace, objects)
 * share: one run's report, pushed by the extension and kept with the page's
 * state (the panel comes back after a window reload); a header naming the
 * report, the file, the interpreter, with Run again; the scrolling report
 * below; an open-this-file link for the script's frames. Each page draws its
 * report and its header's status; nothing here asks the extension anything
 * (Run again is a notification: the extension runs the file and pushes the
 * new report).
 */
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import type { MessageConnection } from 'vscode-jsonrpc/browser';
import {
  type ChosenCall,
  OpenLocationNotification,
  ReadyNotification,
  RerunNotification,
  RuntimeReportNotification,
  type RuntimeReportState,
} from '../../protocol/webview';
import { metrics } from './metrics';
import { persist, persisted } from './vscodeApi';

/** What tells the report pages apart, besides what they draw. */
export interface ReportKind {
  /** The report's name in the page's metrics (`data:gc`, …). */
  view: string;
  /** The header's codicon and label ("GC report"). */
  icon: string;
  heading: string;
  /** What Run again does, as its tooltip says. */
  rerunTitle: string;
}

export abstract class ReportPage extends LitElement {
  protected connection!: MessageConnection;
  protected report: RuntimeReportState | undefined;
  protected abstract readonly kind: ReportKind;

  /** Before any report: which command makes one. */
  protected abstract renderEmpty(): TemplateResult;
  /** The header's status: the interpreter, and what the run measured. */
  protected abstract status(report: RuntimeReportState): string;
  /** The report itself, in the scrolling part. */
  protected abstract renderReport(report: RuntimeReportState): TemplateResult;

  /** More controls before Run again (the GC report's call field). */
  protected renderTools(): TemplateResult | typeof nothing {
    return nothing;
  }

  /** A new report arrived (before it is drawn). */
  protected onReport(_report: RuntimeReportState): void {}

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  /** Show the report kept across a reload, keep each new one the extension sends, and say the page is ready for one. */
  connect(connection: MessageConnection): void {
    this.connection = connection;
    const saved = persisted().report;
    if (saved?.result) this.show(saved);
    connection.onNotification(RuntimeReportNotification.type, (report) => {
      persist({ report });
      metrics.mark(`data:${this.kind.view}`);
      this.show(report);
    });
    void connection.sendNotification(ReadyNotification.type);
  }

  private show(report: RuntimeReportState): void {
    this.report = report;
    this.onReport(report);
    this.requestUpdate();
  }

  /** Run the file again (and `call` after it). */
  protected rerun(call: ChosenCall = this.report?.call ?? {}): void {
    void this.connection.sendNotification(RerunNotification.type, call);
  }

  /** Open a file of the run (a frame of the script's exception) in the editor. */
  protected open(file: string, line?: number | null): void {
    void this.connection.sendNotification(OpenLocationNotification.type, { file, ...(line ? { line } : {}) });
  }

  protected override render(): TemplateResult {
    const report = this.report;
    if (!report) return this.renderEmpty();
    return html`<header class="toolbar">
        <span class="codicon codicon-${this.kind.icon}"></span>
        <span class="file-name">${`${this.kind.heading} · ${report.fileName}`}</span>
        <span class="status">${this.status(report)}</span>
        ${this.renderTools()}
        <vscode-toolbar-button
          icon="refresh"
          label="Run again"
          title=${this.kind.rerunTitle}
          @click=${() => this.rerun()}
        ></vscode-toolbar-button>
      </header>
      <div class="report-scroll">${this.renderReport(report)}</div>`;
  }
}
