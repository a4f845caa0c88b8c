/**
 * Timings the extension records about itself: always logged; also appended as
 * JSON lines to $PYINTERNALS_METRICS_FILE when set (the end-to-end suite and
 * the benchmark read activation time from there).
 */
import * as fs from 'node:fs';
import type * as vscode from 'vscode';

export function recordMetric(log: vscode.LogOutputChannel, name: string, ms: number): void {
  log.info(`${name}: ${ms.toFixed(0)} ms`);
  const file = process.env.PYINTERNALS_METRICS_FILE;
  if (!file) return;
  try {
    fs.appendFileSync(file, JSON.stringify({ name, ms, at: new Date().toISOString() }) + '\n');
  } catch (err) {
    log.warn(`Cannot write metrics to ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
