/**
 * The compiler-pipeline panel ("Show AST"): tokens, AST, optimized AST,
 * symbol table and tree-sitter tree of the Python file in the editor.
 *
 * One panel at a time, opened beside the editor (following and linking:
 * followingPanel.ts). The page asks for the stage of its tab by typed request
 * and the extension forwards it to the language server.
 */
import * as vscode from 'vscode';
import {
  AstDumpRequest,
  CopyAstDumpRequest,
  failed,
  PersistedPanelState,
  PipelineRequest,
  PipelineStateNotification,
  StageRequest,
} from '../../protocol';
import type { Ctx } from '../ctx';
import { FollowingPanel, prepareRevived } from './followingPanel';
import { createBeside } from './html';

export const PIPELINE_VIEW_TYPE = 'pythonInternals.astPanel';

const PAGE = { bundle: 'pipeline.js', title: 'AST' };

export class PipelinePanel extends FollowingPanel {
  private static current: PipelinePanel | undefined;

  /** Open the panel beside the editor, or bring it forward; `document` is what to show first. */
  static show(ctx: Ctx, extensionUri: vscode.Uri, document: vscode.TextDocument | undefined): PipelinePanel {
    const existing = PipelinePanel.current;
    if (existing) {
      existing.showDocument(document);
      return existing;
    }
    const panel = createBeside(PIPELINE_VIEW_TYPE, PAGE.title, extensionUri);
    return new PipelinePanel(ctx, extensionUri, panel, document, {});
  }

  /** A panel VS Code kept across a window reload (WebviewPanelSerializer). */
  static async revive(
    ctx: Ctx,
    extensionUri: vscode.Uri,
    panel: vscode.WebviewPanel,
    state: PersistedPanelState | undefined,
  ): Promise<void> {
    PipelinePanel.current?.dispose();
    const document = await prepareRevived(panel, extensionUri, state);
    new PipelinePanel(ctx, extensionUri, panel, document, state ?? {});
  }

  private constructor(
    ctx: Ctx,
    extensionUri: vscode.Uri,
    panel: vscode.WebviewPanel,
    document: vscode.TextDocument | undefined,
    state: PersistedPanelState,
  ) {
    super(ctx, extensionUri, panel, document, state, PAGE);
    PipelinePanel.current = this;
    this.registerMessages();
  }

  private registerMessages(): void {
    const c = this.connection;
    c.onRequest(StageRequest.type, async ({ stage }, token) => {
      const document = this.document;
      if (!document) return failed('noDocument', 'Open a Python file to see its compiler pipeline.');
      const params = { textDocument: { uri: document.uri.toString() }, stage, interpreterPath: this.interpreterPath };
      return this.forward(PipelineRequest.type, params, token);
    });
    c.onRequest(CopyAstDumpRequest.type, async ({ uri, stage, node, version }, token) => {
      const document = this.document;
      if (!document) return failed('noDocument', 'Open a Python file to copy its AST.');
      if (document.uri.toString() !== uri) return failed('moved', 'The panel moved to another file; copy again.');
      const params = { textDocument: { uri }, stage, node, version, interpreterPath: this.interpreterPath };
      const dump = await this.forward(AstDumpRequest.type, params, token);
      if (dump.ok) await vscode.env.clipboard.writeText(dump.value.text);
      return dump;
    });
  }

  protected sendState(): void {
    void this.connection.sendNotification(PipelineStateNotification.type, this.followingState());
  }

  override dispose(): void {
    if (PipelinePanel.current === this) PipelinePanel.current = undefined;
    super.dispose();
  }
}
