/**
 * The compiler-pipeline panel ("Show AST"): tokens, AST, optimized AST,
 * symbol table and tree-sitter tree of the Python file in the editor.
 *
 * One panel at a time (registry.ts), beside the editor (following and
 * linking: followingPanel.ts). The page asks for the stage of its tab by typed request
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
import { FollowingPanel, revivedDocument } from './followingPanel';

export class PipelinePanel extends FollowingPanel {
  /** A panel on `panel`, new or revived with its page's checked state (registry.ts). */
  static async create(ctx: Ctx, panel: vscode.WebviewPanel, kind: 'pipeline', state: PersistedPanelState): Promise<PipelinePanel> {
    return new PipelinePanel(ctx, panel, kind, await revivedDocument(state), state);
  }

  private constructor(
    ctx: Ctx,
    panel: vscode.WebviewPanel,
    kind: 'pipeline',
    document: vscode.TextDocument | undefined,
    state: PersistedPanelState,
  ) {
    super(ctx, panel, kind, document, state);
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
}
