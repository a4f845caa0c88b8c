/**
 * The MRO panel ("Show MRO"): the class at the cursor's inheritance graph,
 * its linearization, the C3 merge step by step and where each attribute
 * resolves; beside it, after a trusted run, CPython's own `__mro__`.
 *
 * One panel at a time, opened beside the editor (following and linking:
 * followingPanel.ts). The static MRO never runs code; the runtime one is a
 * run of the runtime lab (trusted workspaces only).
 */
import * as vscode from 'vscode';
import {
  answered,
  failed,
  MroPanelRequest,
  MroRequest,
  MroRuntimeRequest,
  type MroPanelState,
  MroStateNotification,
  type PersistedPanelState,
} from '../../protocol';
import type { Ctx } from '../ctx';
import { runView } from '../runtime';
import { FollowingPanel, prepareRevived } from './followingPanel';
import { createBeside } from './html';

export const MRO_VIEW_TYPE = 'pythonInternals.mroPanel';

const PAGE = { bundle: 'mro.js', title: 'MRO', wasm: true };

export class MroPanel extends FollowingPanel {
  private static current: MroPanel | undefined;
  private reveal: MroPanelState['reveal'];
  private revealSerial = 0;

  static show(
    ctx: Ctx,
    extensionUri: vscode.Uri,
    document: vscode.TextDocument | undefined,
    at?: { line: number; character: number },
  ): MroPanel {
    const existing = MroPanel.current;
    if (existing) {
      existing.showDocument(document);
      if (document && existing.isFollowed(document)) existing.revealAt(at);
      return existing;
    }
    const panel = createBeside(MRO_VIEW_TYPE, PAGE.title, extensionUri);
    const created = new MroPanel(ctx, extensionUri, panel, document, {});
    created.revealAt(at);
    return created;
  }

  static async revive(
    ctx: Ctx,
    extensionUri: vscode.Uri,
    panel: vscode.WebviewPanel,
    state: PersistedPanelState | undefined,
  ): Promise<void> {
    MroPanel.current?.dispose();
    const document = await prepareRevived(panel, extensionUri, state);
    new MroPanel(ctx, extensionUri, panel, document, state ?? {});
  }

  private constructor(
    ctx: Ctx,
    extensionUri: vscode.Uri,
    panel: vscode.WebviewPanel,
    document: vscode.TextDocument | undefined,
    state: PersistedPanelState,
  ) {
    super(ctx, extensionUri, panel, document, state, PAGE);
    MroPanel.current = this;
    this.disposables.push(vscode.workspace.onDidGrantWorkspaceTrust(() => this.sendState()));
    this.registerMessages();
  }

  private registerMessages(): void {
    const c = this.connection;
    c.onRequest(MroPanelRequest.type, async ({ position, qualname }, token) => {
      const document = this.document;
      if (!document) return failed('noDocument', 'Open a Python file to see its classes.');
      const params = {
        textDocument: { uri: document.uri.toString() },
        ...(position ? { position } : {}),
        ...(qualname ? { qualname } : {}),
      };
      return this.forward(MroRequest.type, params, token);
    });
    c.onRequest(MroRuntimeRequest.type, async (_params, token) => {
      const document = this.document;
      if (!document) return failed('noDocument', 'Open a Python file to see its classes.');
      const version = document.version;
      if (!vscode.workspace.isTrusted) return failed('untrusted', 'The runtime MRO imports your module: trust this workspace first.');
      const run = await runView(this.ctx, document, 'mro', this.interpreterPath ? { interpreterPath: this.interpreterPath } : {}, token);
      return run.ok
        ? answered({ result: run.value, version })
        : failed(run.error.kind, 'The run did not finish (see Python Internals: Program Output).');
    });
  }

  private revealAt(at: { line: number; character: number } | undefined): void {
    if (!at) return;
    this.reveal = { ...at, serial: ++this.revealSerial };
    this.sendState();
  }

  protected sendState(): void {
    const state: MroPanelState = {
      ...this.followingState(),
      trusted: vscode.workspace.isTrusted,
      ...(this.reveal ? { reveal: this.reveal } : {}),
    };
    void this.connection.sendNotification(MroStateNotification.type, state);
  }

  protected override clearEditor(): void {
    super.clearEditor();
    this.reveal = undefined;
  }

  override dispose(): void {
    if (MroPanel.current === this) MroPanel.current = undefined;
    super.dispose();
  }
}
