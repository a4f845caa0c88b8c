/**
 * What every runtime report page does with its report: take the one it kept
 * (after a window reload), keep each new one the extension sends, and say
 * it is ready for one.
 */
import type { MessageConnection } from 'vscode-jsonrpc/browser';
import { ReadyNotification, RuntimeReportNotification, type RuntimeReportState } from '../../protocol/webview';
import { metrics } from './metrics';
import { persist, persisted } from './vscodeApi';

export function listenForReports(connection: MessageConnection, view: string, show: (report: RuntimeReportState) => void): void {
  const saved = persisted().report as RuntimeReportState | undefined;
  if (saved?.result) show(saved);
  connection.onNotification(RuntimeReportNotification.type, (report) => {
    persist({ report });
    metrics.mark(`data:${view}`);
    show(report);
  });
  void connection.sendNotification(ReadyNotification.type);
}
