/**
 * Messages between the extension and its webview panels, typed like the LSP
 * messages: vscode-jsonrpc's `RequestType` / `NotificationType` over
 * `postMessage` (extension/panels/messaging.ts and webview/shared/messaging.ts
 * carry them). Each message's comment says its direction. Call sites use these
 * objects, never bare method strings.
 */
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type { InterpreterInfo, Span } from './common';
import type { CodeObjectResult, CodeObjectsResult, OptimizeLevel } from './bytecode';
import type { PipelineResult, PipelineStage } from './pipeline';
import type { RunResult } from './runtime';
import type { MroResult } from './mro';

// ------------------------------------------------------------ shared by every panel

/** Why a panel's request has no answer. */
export type FailureKind =
  /** The panel shows no Python document. */
  | 'noDocument'
  /** The panel moved to another document since the page asked. */
  | 'moved'
  /** The request runs the user's code, which needs a trusted workspace. */
  | 'untrusted'
  /** The page named an interpreter the server did not find. */
  | 'interpreter'
  /** The run of the user's code did not finish (its output says why). */
  | 'run'
  /** The request was cancelled (a newer one superseded it). */
  | 'cancelled'
  /** The server is not running, or could not answer (its own message says why). */
  | 'server';

export interface Failure {
  /** For the user, as the page shows it. */
  message: string;
  kind: FailureKind;
}

/**
 * The one answer shape of every webview → extension request that can fail:
 * the value, or why there is none. (A result that is itself a verdict, such
 * as CPython's SyntaxError, is a value.)
 */
export type Answer<T> = { ok: true; value: T } | { ok: false; error: Failure };

export function answered<T>(value: T): Answer<T> {
  return { ok: true, value };
}

export function failed<T = never>(kind: FailureKind, message: string): Answer<T> {
  return { ok: false, error: { kind, message } };
}

/** The document a panel shows. */
export interface PanelDocument {
  uri: string;
  /** The file's name, for the header. */
  fileName: string;
  version: number;
}

/** An editor cursor or selection, in LSP units (0-based, UTF-16). */
export interface CursorParams {
  uri: string;
  /** The selection; a cursor is an empty selection. */
  selection: Span;
  /** Where the cursor is (the selection's active end). */
  active: [number, number];
}

export namespace CursorNotification {
  /** extension → webview: the editor's cursor moved in the panel's document (debounced; at once on a click). */
  export const type = new NotificationType<CursorParams>('panel/cursor');
}

export namespace ReadyNotification {
  /** webview → extension: the page is listening; send it the state. */
  export const type = new NotificationType<void>('panel/ready');
}

export interface SelectSourceParams {
  uri: string;
  span: Span;
  /** Enter: move the focus to the editor too (go to source). A click keeps it in the panel. */
  focusEditor: boolean;
}

export namespace SelectSourceNotification {
  /** webview → extension: select exactly this range in the editor and reveal it. */
  export const type = new NotificationType<SelectSourceParams>('panel/selectSource');
}

export interface HighlightParams {
  uri: string;
  /** Outlined in the editor; empty clears. */
  spans: Span[];
  /** `node`: the item under the mouse or keyboard focus; `occurrences`: a symbol's uses. */
  kind: 'node' | 'occurrences';
}

export namespace HighlightNotification {
  /** webview → extension: outline ranges in the editor (hovering a node, a symbol's occurrences). */
  export const type = new NotificationType<HighlightParams>('panel/highlight');
}

export namespace SetPinnedNotification {
  /** webview → extension: keep the panel on its document (true) or follow the active Python editor (false). */
  export const type = new NotificationType<{ pinned: boolean }>('panel/setPinned');
}

/** What a panel's page keeps across reloads (`vscode.setState`), read by its WebviewPanelSerializer. */
export interface PersistedPanelState {
  uri?: string;
  pinned?: boolean;
  tab?: string;
  interpreterPath?: string;
  /** A runtime report panel: the report shown (its page keeps it). */
  report?: RuntimeReportState;
  /** The bytecode panel: optimization level, inline caches shown, colour bands on. */
  optimize?: number;
  showCaches?: boolean;
  bands?: boolean;
}

/** What every panel that follows the editor tells its page. */
export interface FollowingPanelState {
  /** Absent when no Python editor has been seen yet. */
  document?: PanelDocument;
  pinned: boolean;
  /** The interpreter the panel's data comes from (the server's unless one was picked). */
  interpreter?: InterpreterInfo;
  /** The server's own interpreter, labelled as the default in the picker. */
  defaultInterpreter?: InterpreterInfo;
  /** Every CPython 3.8+ found, for the picker. */
  interpreters: InterpreterInfo[];
  /** Why no interpreter is usable, if none is (the syntax tree still works). */
  interpreterError?: string;
}

export namespace SetInterpreterNotification {
  /** webview → extension: show the panel's data under this interpreter (an executable), or the default (undefined). */
  export const type = new NotificationType<{ executable?: string }>('panel/setInterpreter');
}

// ------------------------------------------------------------ the pipeline (AST) panel

export type PipelinePanelState = FollowingPanelState;

export namespace PipelineStateNotification {
  /** extension → webview: the followed document, its version (after an edit, debounced), pin and interpreters. */
  export const type = new NotificationType<PipelinePanelState>('pipeline/state');
}

export interface StageParams {
  stage: PipelineStage;
  /** The version the page saw; the answer is for the document's current version. */
  version: number;
}

export namespace StageRequest {
  /** webview → extension: one stage of the followed document (the tab being shown). */
  export const type = new RequestType<StageParams, Answer<PipelineResult>, void>('pipeline/stage');
}

export interface CopyAstDumpParams {
  /** The document the tree on screen is of, and its version: the extension refuses another. */
  uri: string;
  stage: 'ast' | 'optimizedAst';
  node: number;
  version: number;
}

export namespace CopyAstDumpRequest {
  /** webview → extension: put `ast.dump(node, indent=2)` on the clipboard; answers the text copied. */
  export const type = new RequestType<CopyAstDumpParams, Answer<{ text: string }>, void>('pipeline/copyAstDump');
}

// ------------------------------------------------------------ the bytecode panel

export interface BytecodePanelState extends FollowingPanelState {
  /** The panel was opened from a hover or the palette at this 0-based line: select its code object (once per serial). */
  reveal?: { line: number; serial: number };
}

export namespace BytecodeStateNotification {
  /** extension → webview: the followed document, its version (after an edit, debounced), pin and interpreters. */
  export const type = new NotificationType<BytecodePanelState>('bytecode/state');
}

/** What to compile the document with: the panel's interpreter unless `interpreterPath` names another (a comparison). */
export interface CompileChoice {
  version: number;
  interpreterPath?: string;
  optimize: OptimizeLevel;
}

export namespace CodeObjectsPanelRequest {
  /** webview → extension: the followed document's tree of code objects. */
  export const type = new RequestType<CompileChoice, Answer<CodeObjectsResult>, void>('bytecode/codeObjects');
}

export namespace CodeObjectPanelRequest {
  /** webview → extension: one code object of the followed document in full. */
  export const type = new RequestType<CompileChoice & { path: number[] }, Answer<CodeObjectResult>, void>('bytecode/codeObject');
}

/** A source line's colour band: [0-based line, band index 0..BAND_COUNT-1]. */
export type LineBand = [number, number];

/** How many band colours there are (the editor's and the page's share them: theme chart colours). */
export const BAND_COUNT = 6;

export namespace LineBandsNotification {
  /** webview → extension: colour these lines of the document (godbolt-style bands); an empty list clears them. */
  export const type = new NotificationType<{ uri: string; bands: LineBand[] }>('bytecode/lineBands');
}

// ------------------------------------------------------------ the runtime lab's report panels

export interface RuntimeReportState {
  /** The run's answer from the server (its report inside). */
  result: RunResult;
  fileName: string;
  /** The object inspector's line (1-based), to run to again. */
  line?: number;
  /** The call made after the module ran, if one was asked for. */
  call?: ChosenCall;
}

export namespace RuntimeReportNotification {
  /** extension → webview: a run's report to show (the page keeps it across reloads). */
  export const type = new NotificationType<RuntimeReportState>('runtime/report');
}

export namespace OpenLocationNotification {
  /** webview → extension: open a file at a 1-based line (a traceback frame, a module). */
  export const type = new NotificationType<{ file: string; line?: number }>('runtime/openLocation');
}

/** A function of the module to call after it runs (`name(args) * times`, parsed), for the views that take one. */
export interface ChosenCall {
  call?: string;
  times?: number;
  callArgs?: string;
}

export namespace RerunNotification {
  /** webview → extension: run the same file under the same view again, with this call after the module (none: the module only). */
  export const type = new NotificationType<ChosenCall>('runtime/rerun');
}

/** A run of the user's code for a panel, and the version of the text it ran. */
export interface RunAnswer {
  result: RunResult;
  version: number;
}

export interface SpecializeParams {
  /** The tree version the page shows: the answer says if the text moved on. */
  version: number;
  /** After the module ran, call this function of it `times` times with `callArgs` (a Python expression). */
  call?: string;
  times?: number;
  callArgs?: string;
}

export namespace SpecializeRequest {
  /** webview → extension: run the file (trusted workspaces only) and answer its adaptive bytecode, with the panel's interpreter. */
  export const type = new RequestType<SpecializeParams, Answer<RunAnswer>, void>('bytecode/specialize');
}

// ------------------------------------------------------------ the MRO panel

export interface MroPanelState extends FollowingPanelState {
  /** Opened from a code lens or hover link: show the class at this position (once per serial). */
  reveal?: { line: number; character: number; serial: number };
  /** The workspace is trusted: the runtime MRO may be asked for. */
  trusted: boolean;
}

export namespace MroStateNotification {
  /** extension → webview: the followed document, its version (after an edit, debounced), pin, interpreters and trust. */
  export const type = new NotificationType<MroPanelState>('mro/state');
}

export interface MroPanelParams {
  /** The version the page saw; the answer is for the document's current version. */
  version: number;
  /** The class enclosing this position (0-based line, UTF-16 character)… */
  position?: { line: number; character: number };
  /** …or this one, by qualname. */
  qualname?: string;
}

export namespace MroPanelRequest {
  /** webview → extension: the static MRO of the followed document's classes, one in full (never runs code). */
  export const type = new RequestType<MroPanelParams, Answer<MroResult>, void>('mro/static');
}

export namespace MroRuntimeRequest {
  /** webview → extension: import the module (trusted workspaces only) with the panel's interpreter and answer every class's real `__mro__`. */
  export const type = new RequestType<{ version: number }, Answer<RunAnswer>, void>('mro/runtime');
}
