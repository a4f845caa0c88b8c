/**
 * The compiler-pipeline panel ("Show AST"): tokens, AST, optimized AST,
 * symbol table and tree-sitter tree of the Python file in the editor.
 *
 * One panel at a time, opened beside the editor. It follows the active Python
 * editor unless pinned; after an edit it tells the page the new version
 * (debounced) and the page asks again for the stage it shows. The page asks
 * for data by typed request (protocol/webview.ts) and the extension forwards
 * it to the language server: no data is ever put into the HTML.
 */
import * as vscode from 'vscode';
import {
  AstDumpRequest,
  CopyAstDumpRequest,
  CursorNotification,
  HighlightNotification,
  InterpreterInfo,
  ListInterpretersRequest,
  PersistedPanelState,
  PipelinePanelState,
  PipelineRequest,
  PipelineStateNotification,
  ReadyNotification,
  SelectSourceNotification,
  SetInterpreterNotification,
  SetPinnedNotification,
  StageAnswer,
  StageRequest,
} from '../../protocol';
import type { Ctx } from '../ctx';
import { EditorLink, rangeToSpan } from './editorLink';
import { panelHtml, webviewOptions } from './html';
import { webviewConnection } from './messaging';
import type { MessageConnection } from 'vscode-jsonrpc/node';

export const PIPELINE_VIEW_TYPE = 'pythonInternals.astPanel';

/** After typing stops, wait this long before the page asks for the new version (the server's reparse is eager). */
const EDIT_DEBOUNCE_MS = 120;
/** Keyboard cursor moves are coalesced; a click is sent at once. */
const CURSOR_DEBOUNCE_MS = 40;

export class PipelinePanel implements vscode.Disposable {
  private static current: PipelinePanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private readonly connection: MessageConnection;
  private readonly link = new EditorLink();
  private document: vscode.TextDocument | undefined;
  private pinned: boolean;
  private interpreterPath: string | undefined;
  private interpreters: InterpreterInfo[] = [];
  private editTimer: NodeJS.Timeout | undefined;
  private cursorTimer: NodeJS.Timeout | undefined;

  /** Open the panel beside the editor, or bring it forward; `document` is what to show first. */
  static show(ctx: Ctx, extensionUri: vscode.Uri, document: vscode.TextDocument | undefined): PipelinePanel {
    const existing = PipelinePanel.current;
    if (existing) {
      if (document && !existing.pinned) existing.follow(document);
      // Where the user put it, without taking the focus.
      existing.panel.reveal(existing.panel.viewColumn, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      PIPELINE_VIEW_TYPE,
      'AST',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(extensionUri),
    );
    return new PipelinePanel(ctx, extensionUri, panel, document, {});
  }

  /** A panel VS Code kept across a window reload (WebviewPanelSerializer). */
  static async revive(ctx: Ctx, extensionUri: vscode.Uri, panel: vscode.WebviewPanel, state: PersistedPanelState | undefined): Promise<void> {
    PipelinePanel.current?.dispose();
    let document: vscode.TextDocument | undefined;
    if (state?.uri) document = await Promise.resolve(vscode.workspace.openTextDocument(vscode.Uri.parse(state.uri))).catch(() => undefined);
    document ??= activePython();
    panel.webview.options = webviewOptions(extensionUri);
    new PipelinePanel(ctx, extensionUri, panel, document, state ?? {});
  }

  private constructor(
    private readonly ctx: Ctx,
    extensionUri: vscode.Uri,
    readonly panel: vscode.WebviewPanel,
    document: vscode.TextDocument | undefined,
    state: PersistedPanelState,
  ) {
    PipelinePanel.current = this;
    this.pinned = !!state.pinned && !!document;
    this.interpreterPath = state.interpreterPath;
    this.document = document ?? activePython();
    this.updateTitle();
    this.connection = webviewConnection(panel.webview);
    this.registerMessages();
    panel.webview.html = panelHtml(panel.webview, extensionUri, 'pipeline.js', 'AST');
    this.disposables.push(
      this.link,
      panel.onDidDispose(() => this.dispose()),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor && isServedPython(editor.document) && !this.pinned) this.follow(editor.document);
      }),
      // Compared by URI: a file closed and opened again is a new TextDocument object.
      vscode.workspace.onDidOpenTextDocument((document) => {
        if (this.document && document.uri.toString() === this.document.uri.toString() && document !== this.document) {
          this.document = document;
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

  private registerMessages(): void {
    const c = this.connection;
    c.onNotification(ReadyNotification.type, async () => {
      // The document first; the picker's list once every interpreter is probed.
      this.sendState();
      const editor = this.document && this.link.editorFor(this.document.uri.toString());
      if (editor) this.sendCursor(editor);
      this.interpreters = (await this.ctx.ensureStarted().then(() => this.ctx.client?.sendRequest(ListInterpretersRequest.type)).catch(() => [])) ?? [];
      this.sendState();
    });
    c.onRequest(StageRequest.type, async ({ stage }, token): Promise<StageAnswer> => {
      const document = this.document;
      if (!document) return { failure: 'Open a Python file to see its compiler pipeline.' };
      try {
        await this.ctx.ensureStarted();
        const client = this.ctx.client;
        if (!client) return { failure: 'The Python Internals server is not running.' };
        return await client.sendRequest(PipelineRequest.type, { textDocument: { uri: document.uri.toString() }, stage, interpreterPath: this.interpreterPath }, token);
      } catch (err) {
        return { failure: err instanceof Error ? err.message : String(err) };
      }
    });
    c.onRequest(CopyAstDumpRequest.type, async ({ uri, stage, node, version }) => {
      const document = this.document;
      const client = this.ctx.client;
      if (!document || !client) return { failure: 'No document.' };
      if (document.uri.toString() !== uri) return { failure: 'The panel moved to another file; copy again.' };
      try {
        const { text } = await client.sendRequest(AstDumpRequest.type, { textDocument: { uri: document.uri.toString() }, stage, node, version, interpreterPath: this.interpreterPath });
        await vscode.env.clipboard.writeText(text);
        return { text };
      } catch (err) {
        return { failure: err instanceof Error ? err.message : String(err) };
      }
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

  private isFollowed(document: vscode.TextDocument): boolean {
    return !!this.document && document.uri.toString() === this.document.uri.toString();
  }

  private follow(document: vscode.TextDocument): void {
    if (document === this.document) return;
    this.link.clear();
    this.document = document;
    this.updateTitle();
    this.sendState();
    const editor = this.link.editorFor(document.uri.toString());
    if (editor) this.sendCursor(editor);
  }

  private sendState(): void {
    const document = this.document;
    const status = this.ctx.status;
    const picked = this.interpreterPath ? this.interpreters.find((i) => i.executable === this.interpreterPath) : undefined;
    const state: PipelinePanelState = {
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
    void this.connection.sendNotification(PipelineStateNotification.type, state);
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
    this.panel.title = name ? `AST · ${name}` : 'AST';
  }

  dispose(): void {
    if (PipelinePanel.current === this) PipelinePanel.current = undefined;
    clearTimeout(this.editTimer);
    clearTimeout(this.cursorTimer);
    this.connection.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

function activePython(): vscode.TextDocument | undefined {
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
