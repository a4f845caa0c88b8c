/**
 * The runtime lab: what runs the user's code (only for an explicit command,
 * only in a trusted workspace, in a fresh process with a timeout and a memory
 * cap, its whole process tree killed at the end) and what it reports.
 *
 * Two layers: the JSON lines the runner prints on its own channel
 * (server/python/pyruntime/, mirrored here) and the LSP request and
 * notifications (server/runtime/).
 */
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type { InterpreterInfo } from './common';
import type { RuntimeMroReport } from './mro';

export const RUNTIME_PROTOCOL_VERSION = 1;

/** The runtime views; each is one instrumentation of one run. */
export type RuntimeView = 'gc' | 'specialize' | 'imports' | 'inspect' | 'mro';

// ------------------------------------------------------------ the runner's channel (raw)

export interface RuntimeHello {
  protocol: number;
  version: [number, number, number];
  executable: string;
  pid: number;
  /** The address-space cap in effect, or null where it could not be set (not POSIX). */
  memoryMb: number | null;
}

export interface TraceFrame {
  file: string;
  line: number | null;
  name: string;
  text: string;
}

/** The script's own exception (or one compiling it), with its frames from the script on. */
export interface RuntimeException {
  type: string;
  message: string;
  frames: TraceFrame[];
  phase: 'compile' | 'run';
}

export interface GcStats {
  /** gc.get_threshold(), gc.get_count(), gc.get_stats(): as many generations as this interpreter has. */
  thresholds: number[];
  counts: number[];
  stats: Array<{ collections: number; collected: number; uncollectable: number }>;
}

export interface GcCollection {
  generation: number;
  collected: number;
  uncollectable: number;
  ms: number;
  /** Milliseconds since the script started. */
  at: number;
  /** Objects this collection found for the first time and typed (while the report types them). */
  typed?: number;
  /** How many separate cycles (groups of objects reaching each other) it freed. */
  cycles?: number;
}

/** One reference cycle freed by a collection: its objects by type, their references by name. */
export interface GcCycle {
  objects: number;
  nodes: Array<{ id: number; type: string }>;
  edges: Array<{ from: number; to: number; label: string }>;
}

export interface GcReport {
  before: GcStats;
  after: GcStats;
  collections: GcCollection[];
  /** [type, objects freed from cycles], most first. */
  freedByType: Array<[string, number]>;
  freedTotal: number;
  /** The largest cycles freed. */
  cycles: GcCycle[];
  ms: number;
  generations: number;
  implementation: string;
  /** The script died before the report: only its collections so far are known. */
  partial?: boolean;
  /**
   * How many collections (the first ones) had what they found typed; `typedAll`:
   * every collection of the run (the budget of distinct objects was not reached).
   */
  typedCollections?: number;
  typedAll?: boolean;
}

/** [offset, opname as the adaptive interpreter left it, the generic opname, 1 if the family can specialize (it has inline caches)]. */
export type AdaptiveInstruction = [number, string, string, number];

/** The adaptive bytecode of every code object of the file after the run (3.11+), or why there is none. */
export type SpecializedReport =
  | { codes: Array<{ qualname: string; name: string; firstLine: number; instructions: AdaptiveInstruction[] }>; callError: string | null }
  | { unavailable: string };

/** A module's spec as the import observer saw it. */
export interface ImportSpec {
  finder: string;
  loader: string | null;
  origin: string | null;
  cached: string | null;
  /** The .pyc before the import: fresh, stale, missing, 'fresh (hash-based)', or null (nothing to compile). */
  pyc: string | null;
  namespace: boolean;
  package: boolean;
  /** The sys.path entry the module's file lies under. */
  pathEntry: string | null;
}

/** Microseconds over the runs: median, smallest, largest. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface ImportedModule {
  name: string;
  /** Index of the module that imported it first (-1: the script), in this preorder list. */
  parent: number;
  /** -X importtime's self and cumulative times, over the runs that imported it. */
  self: Spread;
  cumulative: Spread;
  /** In how many of the runs it was imported (a module imported only sometimes shows it). */
  runs: number;
  spec?: ImportSpec;
}

export interface ImportTrace {
  /** How many times the script ran (the setting runtime.importRuns). */
  runs: number;
  /** Every module the script imported (first imports only, as -X importtime reports them), in preorder. */
  modules: ImportedModule[];
  /** The sum of the top-level modules' cumulative medians, in microseconds. */
  totalUs: number;
}

/** One name of the module's globals (or of the stopped function's locals) and its object. */
export interface ObjectRow {
  scope: 'module' | 'local';
  name: string;
  type: string;
  /** hex(id(obj)) */
  id: string;
  repr: string;
  /** References to the object, ours left out (a list bound to three names: 3); null when immortal. */
  references: number | null;
  /** 3.12+: the object is immortal (PEP 683): its count means nothing. */
  immortal?: boolean;
  /** sys.getsizeof, and with what it refers to (each object once; modules, classes and functions not walked). */
  size: number;
  deepSize: number;
  /** The walk stopped at its cap: the deep size is at least this. */
  deepCapped: boolean;
  /** small-int cache, interned (3.13+ can tell), singleton, the shared empty tuple... */
  special: string[];
  /** Other names bound to the same object. */
  sameObject: string[];
}

export interface ObjectsReport {
  rows: ObjectRow[];
  /** Where the run stopped: the line asked for, before it ran; null: it ran to its end (or failed). */
  stopped: { line: number; function: string } | null;
  /** The line asked for, if any. */
  line: number | null;
}

/** One line on the runner's channel. */
export type RuntimeMessage =
  | { kind: 'hello'; data: RuntimeHello }
  | { kind: 'exception'; data: RuntimeException }
  | { kind: 'fatal'; data: { message: string } }
  | { kind: 'gc'; data: GcReport }
  /** Each collection as it ends (the report comes at the end; these survive a script that dies first). */
  | { kind: 'gcCollection'; data: GcCollection }
  | { kind: 'specialized'; data: SpecializedReport }
  | { kind: 'imports'; data: { specs: Record<string, ImportSpec> } }
  | { kind: 'objects'; data: ObjectsReport }
  | { kind: 'mro'; data: RuntimeMroReport }
  | { kind: 'done'; data: { status: number; seconds: number } }
  /** From the launcher (Linux), after the script's process ended: how many processes it left running, killed then. */
  | { kind: 'leftover'; data: { processes: number } };

// ------------------------------------------------------------ LSP

export interface RunParams {
  textDocument: { uri: string };
  view: RuntimeView;
  /** sys.argv[1:] for the script. */
  args?: string[];
  /** The working directory (`python file.py` run from there); default: the script's folder. */
  cwd?: string;
  /** Another installed interpreter than the server's. */
  interpreterPath?: string;
  /** Tags this run's output notifications. */
  runId: string;
  /** `specialize`: after the module ran, call this function of it (dotted from its globals) `times` times with `callArgs` (a Python expression). */
  call?: string;
  times?: number;
  callArgs?: string;
  /** `inspect`: stop when this 1-based line is first reached (before it runs); absent: at the end. */
  line?: number;
  /** `imports`: run this many times (default: the setting runtime.importRuns, 5) for the median and spread. */
  runs?: number;
}

/** How the process ended. */
export interface RunExit {
  /** The script's exit status (sys.exit, an uncaught exception: 1), or the process's. */
  status: number | null;
  signal: string | null;
  timedOut: boolean;
  cancelled: boolean;
  /** The process ended before the runner said it was done (os._exit, a crash, the memory cap). */
  early: boolean;
  /** Processes the script left behind, killed at the end (with everything below the launcher on Linux, its group elsewhere). */
  leftover: boolean;
}

export interface RunResult {
  uri: string;
  interpreter: InterpreterInfo;
  exit: RunExit;
  /** One line for people: "finished", "timed out after 10 s", "crashed: SIGSEGV (segmentation fault)"... */
  summary: string;
  exception?: RuntimeException;
  gc?: GcReport;
  specialized?: SpecializedReport;
  imports?: ImportTrace;
  objects?: ObjectsReport;
  mro?: RuntimeMroReport;
  /** Bytes the program wrote; what was shown of them is capped. */
  output: { stdout: number; stderr: number; truncated: boolean };
  ms: number;
}

export interface RunOutputParams {
  runId: string;
  stream: 'stdout' | 'stderr';
  text: string;
}

export namespace RunRequest {
  export const method = 'pythonInternals/run';
  /** client → server: run the document's file (saved or not: its current text) under one runtime view. Refused unless the client said the workspace is trusted. */
  export const type = new RequestType<RunParams, RunResult, void>(method);
}

export namespace RunOutputNotification {
  export const method = 'pythonInternals/runOutput';
  /** server → client: the program's own output, as it comes (capped per run). */
  export const type = new NotificationType<RunOutputParams>(method);
}
