/**
 * The runtime lab's request: run an open document's file under one view
 * (server/runtime/runner.ts does the running), refused unless the client
 * said the workspace is trusted, and turn what the runner reported into the
 * answer (a summary line, the script's exception, the view's report).
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  GcCollection,
  GcReport,
  ImportSpec,
  ImportTrace,
  ObjectsReport,
  SpecializedReport,
  InterpreterInfo,
  RunParams,
  RunResult,
  RuntimeException,
  RuntimeMroReport,
} from '../../protocol';
import type { Cancellation } from '../cpython/worker';
import { mergeRuns, parseImportTimes } from './importTree';
import { assertRunnable, exitSummary, runScript } from './runner';
import { UserError } from '../common/userError';

/** What the runtime lab needs of a document. */
export interface RunDocument {
  readonly uri: string;
  readonly text: string;
}

/** A run the server refuses or cannot start; the message says why. */
export class RuntimeError extends UserError {}

/** Nothing runs unless the client said the workspace is trusted. */
export function assertTrusted(trusted: boolean): void {
  if (!trusted)
    throw new RuntimeError(
      'Python Internals runs code only in a trusted workspace: trust this folder to use the runtime lab (Workspaces: Manage Workspace Trust).',
    );
}

export interface RunLimits {
  trusted: boolean;
  timeoutMs: number;
  memoryMb: number;
  /** How many runs the import trace makes by default. */
  importRuns?: number;
}

/** The module as the workspace names it, for the views that import it as itself (the MRO) rather than run it as `__main__`. */
export interface ImportedAs {
  /** Dotted (`pkg.shapes`). */
  name: string;
  /** The folder its top package is in: first on sys.path. */
  root: string;
}

export async function runDocument(
  doc: RunDocument,
  params: RunParams,
  python: InterpreterInfo,
  limits: RunLimits,
  onOutput: (stream: 'stdout' | 'stderr', text: string) => void,
  token?: Cancellation,
  importedAs?: ImportedAs,
): Promise<RunResult> {
  assertTrusted(limits.trusted);
  assertRunnable(python);
  if (!doc.uri.startsWith('file:'))
    throw new RuntimeError('Save the file first: the runtime lab runs files on disk (their unsaved edits included).');
  const script = fileURLToPath(doc.uri);
  const run = (first: boolean) =>
    runScript({
      python,
      script,
      source: doc.text,
      cwd: params.cwd ?? path.dirname(script),
      args: params.args ?? [],
      view: params.view,
      options: {
        ...(params.call ? { call: params.call, times: params.times ?? 100 } : {}),
        ...(params.callArgs ? { args: params.callArgs } : {}),
        ...(params.line ? { line: params.line } : {}),
        ...(importedAs ? { moduleName: importedAs.name, pathRoot: importedAs.root } : {}),
      },
      timeoutMs: limits.timeoutMs,
      memoryMb: limits.memoryMb,
      // Repeated runs (the import trace) show the first run's output only.
      onOutput: first ? onOutput : () => {},
      ...(token ? { token } : {}),
    });
  const outcome = await run(true);
  let imports: ImportTrace | undefined;
  if (params.view === 'imports' && outcome.importTimes) {
    const trees = [parseImportTimes(outcome.importTimes)];
    const runs = Math.max(1, Math.min(50, params.runs ?? limits.importRuns ?? 5));
    for (let i = 1; i < runs && outcome.exit.status === 0 && !token?.isCancellationRequested; i++) {
      const again = await run(false);
      if (again.importTimes && again.exit.status === 0) trees.push(parseImportTimes(again.importTimes));
    }
    let specs: Record<string, ImportSpec> = {};
    for (const m of outcome.messages) if (m.kind === 'imports') specs = m.data.specs;
    imports = mergeRuns(trees, specs);
  }
  let fatal: { message: string } | undefined;
  let exception: RuntimeException | undefined;
  let gc: GcReport | undefined;
  let specialized: SpecializedReport | undefined;
  let objects: ObjectsReport | undefined;
  let mro: RuntimeMroReport | undefined;
  const collections: GcCollection[] = [];
  for (const m of outcome.messages) {
    if (m.kind === 'fatal') fatal ??= m.data;
    else if (m.kind === 'exception') exception ??= m.data;
    else if (m.kind === 'gc') gc = m.data;
    else if (m.kind === 'gcCollection') collections.push(m.data);
    else if (m.kind === 'specialized') specialized = m.data;
    else if (m.kind === 'objects') objects = m.data;
    else if (m.kind === 'mro') mro = m.data;
  }
  // The report's collections came one by one as they ended.
  if (gc && gc.collections.length === 0) gc = { ...gc, collections };
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
    ...(imports ? { imports } : {}),
    ...(objects ? { objects } : {}),
    ...(mro ? { mro } : {}),
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
