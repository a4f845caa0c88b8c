/**
 * The runtime lab's request: run an open document's file under one view
 * (server/runtime/runner.ts does the running), refused unless the client
 * said the workspace is trusted, and turn what the runner reported into the
 * answer (a summary line, the script's exception, the view's report).
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GcCollection, GcReport, SpecializedReport, InterpreterInfo, RunParams, RunResult, RuntimeException } from '../../protocol';
import type { Cancellation } from '../cpython/worker';
import { exitSummary, runScript } from './runner';

/** What the runtime lab needs of a document. */
export interface RunDocument {
  readonly uri: string;
  readonly text: string;
}

/** A run the server refuses or cannot start; the message says why. */
export class RuntimeError extends Error {}

export interface RunLimits {
  trusted: boolean;
  timeoutMs: number;
  memoryMb: number;
}

export async function runDocument(
  doc: RunDocument,
  params: RunParams,
  python: InterpreterInfo,
  limits: RunLimits,
  onOutput: (stream: 'stdout' | 'stderr', text: string) => void,
  token?: Cancellation,
): Promise<RunResult> {
  if (!limits.trusted) {
    throw new RuntimeError('Python Internals runs code only in a trusted workspace: trust this folder to use the runtime lab (Workspaces: Manage Workspace Trust).');
  }
  if (!doc.uri.startsWith('file:')) throw new RuntimeError('Save the file first: the runtime lab runs files on disk (their unsaved edits included).');
  const script = fileURLToPath(doc.uri);
  const outcome = await runScript({
    python,
    script,
    source: doc.text,
    cwd: params.cwd ?? path.dirname(script),
    args: params.args ?? [],
    view: params.view,
    options: { ...(params.call ? { call: params.call, times: params.times ?? 100 } : {}), ...(params.callArgs ? { args: params.callArgs } : {}) },
    timeoutMs: limits.timeoutMs,
    memoryMb: limits.memoryMb,
    onOutput,
    ...(token ? { token } : {}),
  });
  let fatal: { message: string } | undefined;
  let exception: RuntimeException | undefined;
  let gc: GcReport | undefined;
  let specialized: SpecializedReport | undefined;
  const collections: GcCollection[] = [];
  for (const m of outcome.messages) {
    if (m.kind === 'fatal') fatal ??= m.data;
    else if (m.kind === 'exception') exception ??= m.data;
    else if (m.kind === 'gc') gc = m.data;
    else if (m.kind === 'gcCollection') collections.push(m.data);
    else if (m.kind === 'specialized') specialized = m.data;
  }
  if (!gc && params.view === 'gc' && collections.length) gc = partialGcReport(collections);
  let summary = exitSummary(outcome.exit, limits.timeoutMs, limits.memoryMb);
  if (exception) summary += ` · ${exception.type}: ${exception.message}`;
  if (fatal) summary += ` · ${fatal.message}`;
  for (const problem of outcome.problems) summary += ` · ${problem}`;
  return {
    uri: doc.uri,
    interpreter: python,
    exit: outcome.exit,
    summary,
    ...(exception ? { exception } : {}),
    ...(gc ? { gc } : {}),
    ...(specialized ? { specialized } : {}),
    output: outcome.output,
    ms: Math.round(outcome.ms),
  };
}

/** What is known of a run that died before its report: its collections, nothing invented for the rest. */
function partialGcReport(collections: GcCollection[]): GcReport {
  const empty = { thresholds: [], counts: [], stats: [] };
  return {
    before: empty,
    after: empty,
    collections,
    freedByType: [],
    freedTotal: 0,
    cycles: [],
    ms: collections.length ? collections[collections.length - 1]!.at : 0,
    generations: 0,
    implementation: '',
    partial: true,
  };
}
