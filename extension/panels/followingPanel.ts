/**
 * What every panel beside the editor shares: it shows one Python document,
 * follows the active Python editor unless pinned, tells its page the
 * document's version after an edit (debounced) and the editor's cursor, and
 * links back to the editor (exact selections, outlines). Data travels by
 * typed message only (protocol/webview.ts); the page asks, the extension
 * forwards to the language server.
 *
 * A subclass names its kind (its page: descriptors.ts) and answers the
 * page's own requests; it sends its state through `sendState`. The registry
 * (registry.ts) makes, keeps and revives it.
 */
import * as vscode from 'vscode';
import type { CancellationToken, MessageConnection, RequestType } from 'vscode-jsonrpc/node';
import {
  type Answer,
  CursorNotification,
  FollowingPanelState,
  HighlightNotification,
  InterpreterInfo,
  ListInterpretersRequest,
  PersistedPanelState,
  ReadyNotification,
  SelectSourceNotification,
  SetInterpreterNotification,
  SetPinnedNotification,
} from '../../protocol';
import type { Ctx } from '../ctx';
import { PANELS, type PanelKind } from './descriptors';
import { EditorLink, rangeToSpan } from './editorLink';
import { answerOf, forward } from './forward';
import { panelHtml } from './html';
import { isFollowingState } from './savedState';
import { webviewConnection } from './messaging';

/** After typing stops, wait this long before the page asks for the new version (the server's reparse is eager). */
const EDIT_DEBOUNCE_MS = 120;
/** Keyboard cursor moves are coalesced; a click is sent at once. */
const CURSOR_DEBOUNCE_MS = 40;

/** What a command asks a following panel to show: this document (unless pinned to another). */
export interface FollowArgs {
  document?: vscode.TextDocument | undefined;
}

export abstract class FollowingPanel implements vscode.Disposable {
  /** The state its page persisted, checked before a revived panel reads it. */
  static readonly isState = isFollowingState;
  protected readonly disposables: vscode.Disposable[] = [];
  private readonly disposed$ = new vscode.EventEmitter<void>();
  /** Fires once, when the panel closes. */
  readonly onDidDispose = this.disposed$.event;
  protected readonly connection: MessageConnection;
  protected readonly link = new EditorLink();
  protected document: vscode.TextDocument | undefined;
  protected pinned: boolean;
  /** The interpreter picked in the panel's header; undefined: the server's. */
  protected interpreterPath: string | undefined;
  protected interpreters: InterpreterInfo[] = [];
  private editTimer: NodeJS.Timeout | undefined;
  private cursorTimer: NodeJS.Timeout | undefined;
  private disposed = false;

  protected constructor(
    protected readonly ctx: Ctx,
    readonly panel: vscode.WebviewPanel,
    private readonly kind: PanelKind,
    document: vscode.TextDocument | undefined,
    state: PersistedPanelState,
  ) {
    this.pinned = !!state.pinned && !!document;
    this.interpreterPath = state.interpreterPath;
    this.document = document ?? activePython();
    this.updateTitle();
    this.connection = webviewConnection(panel.webview);
    this.registerCommonMessages();
    panel.webview.html = panelHtml(panel.webview, ctx.extensionUri, PANELS[kind]);
    this.disposables.push(
      this.link,
      panel.onDidDispose(() => this.dispose()),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor && isServedPython(editor.document) && !this.pinned) this.follow(editor.document);
      }),
      // Compared by URI: a file closed and opened again is a new TextDocument object.
      vscode.workspace.onDidOpenTextDocument((opened) => {
        if (this.document && opened.uri.toString() === this.document.uri.toString() && opened !== this.document) {
          this.document = opened;
          this.sendState();
        }
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!this.isFollowed(e.document) || e.contentChanges.length === 0) return;
        clearTimeout(this.editTimer);
        this.editTimer = setTimeout(() => this.sendState(), EDIT_DEBOUNCE_MS);
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (!this.isFollowed(e.textEditor.document)) return;
        clearTimeout(this.cursorTimer);
        if (e.kind === vscode.TextEditorSelectionChangeKind.Mouse) this.sendCursor(e.textEditor);
        else this.cursorTimer = setTimeout(() => this.sendCursor(e.textEditor), CURSOR_DEBOUNCE_MS);
      }),
      ctx.onDidChangeStatus(() => this.sendState()),
    );
  }

  /** Tell the page what it shows: its document, pin and interpreters (subclasses add their own). */
  protected abstract sendState(): void;

  /** Bring the panel forward (where the user put it, without the focus), following `document` unless pinned. */
  show({ document }: FollowArgs): void {
    if (document && !this.pinned) this.follow(document);
    this.panel.reveal(this.panel.viewColumn, true);
  }

  private registerCommonMessages(): void {
    const c = this.connection;
    c.onNotification(ReadyNotification.type, async () => {
      // The document first; the picker's list once every interpreter is probed.
      this.sendState();
      const editor = this.document && this.link.editorFor(this.document.uri.toString());
      if (editor) this.sendCursor(editor);
      const found = await answerOf(async () => (await this.ctx.client()).sendRequest(ListInterpretersRequest.type));
      this.interpreters = found.ok ? found.value : [];
      this.sendState();
    });
    c.onNotification(SelectSourceNotification.type, ({ uri, span, focusEditor }) => {
      this.link.select(uri, span, focusEditor).catch((err) => this.ctx.log.warn(`Selecting source: ${String(err)}`));
    });
    c.onNotification(HighlightNotification.type, ({ uri, spans, kind }) => this.link.highlight(uri, spans, kind));
    c.onNotification(SetPinnedNotification.type, ({ pinned }) => {
      // Pinned to nothing would ignore every editor.
      this.pinned = pinned && !!this.document;
      // Unpinning catches up with the editor the user is in now.
      const active = activePython();
      if (!pinned && active && active !== this.document) this.follow(active);
      else this.sendState();
    });
    c.onNotification(SetInterpreterNotification.type, ({ executable }) => {
      this.interpreterPath = executable;
      this.sendState();
    });
  }

  /**
   * Ask the language server (started if need be) for the page, cancelled
   * with the page's request: the answer, or why there is none (forward.ts).
   */
  protected forward<P, R>(type: RequestType<P, R, void>, params: P, token?: CancellationToken): Promise<Answer<R>> {
    return forward(() => this.ctx.client(), type, params, token);
  }

  /** The state every panel's page gets. */
  protected followingState(): FollowingPanelState {
    const document = this.document;
    const status = this.ctx.status;
    const picked = this.interpreterPath ? this.interpreters.find((i) => i.executable === this.interpreterPath) : undefined;
    return {
      document: document && {
        uri: document.uri.toString(),
        fileName: document.uri.path.split('/').pop() ?? document.uri.toString(),
        version: document.version,
      },
      pinned: this.pinned,
      interpreter: picked ?? status?.interpreter,
      defaultInterpreter: status?.interpreter,
      interpreters: this.interpreters,
      interpreterError: picked ? undefined : status?.error,
    };
  }

  /** The panel moves to another document: what it drew in editors goes. */
  protected clearEditor(): void {
    this.link.clear();
  }

  protected isFollowed(document: vscode.TextDocument): boolean {
    return !!this.document && document.uri.toString() === this.document.uri.toString();
  }

  private follow(document: vscode.TextDocument): void {
    if (document === this.document) return;
    this.clearEditor();
    this.document = document;
    this.updateTitle();
    this.sendState();
    const editor = this.link.editorFor(document.uri.toString());
    if (editor) this.sendCursor(editor);
  }

  private sendCursor(editor: vscode.TextEditor): void {
    const selection = editor.selection;
    void this.connection.sendNotification(CursorNotification.type, {
      uri: editor.document.uri.toString(),
      selection: rangeToSpan(selection),
      active: [selection.active.line, selection.active.character],
    });
  }

  private updateTitle(): void {
    const name = this.document?.uri.path.split('/').pop();
    const title = PANELS[this.kind].title;
    this.panel.title = name ? `${title} · ${name}` : title;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.editTimer);
    clearTimeout(this.cursorTimer);
    this.connection.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    this.disposed$.fire();
    this.disposed$.dispose();
  }
}

/** The active Python editor's document, else a visible one's. */
export function activePython(): vscode.TextDocument | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor && isServedPython(editor.document)) return editor.document;
  return vscode.window.visibleTextEditors.find((e) => isServedPython(e.document))?.document;
}

/**
 * Python the language server has: the client syncs files and untitled
 * documents, not a diff's `git:` side or a notebook cell.
 */
export function isServedPython(document: vscode.TextDocument): boolean {
  return document.languageId === 'python' && (document.uri.scheme === 'file' || document.uri.scheme === 'untitled');
}

/** The document a panel shows first: the one it showed before a window reload, else the active one. */
export async function revivedDocument(state: PersistedPanelState): Promise<vscode.TextDocument | undefined> {
  const uri = state.uri;
  const document = uri
    ? await Promise.resolve()
        .then(() => vscode.workspace.openTextDocument(vscode.Uri.parse(uri)))
        .catch(() => undefined)
    : undefined;
  return document ?? activePython();
}
