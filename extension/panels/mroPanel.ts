/**
 * The MRO panel ("Show MRO"): the class at the cursor's inheritance graph,
 * its linearization, the C3 merge step by step and where each attribute
 * resolves; beside it, after a trusted run, CPython's own `__mro__`.
 *
 * One panel at a time (registry.ts), beside the editor (following and
 * linking: followingPanel.ts). The static MRO never runs code; the runtime one is a
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
import { type FollowArgs, FollowingPanel, revivedDocument } from './followingPanel';

/** Which document, and where the class to show is (a code lens, the class hover's link; else the cursor's). */
export interface MroArgs extends FollowArgs {
  at?: { line: number; character: number } | undefined;
}

export class MroPanel extends FollowingPanel {
  private reveal: MroPanelState['reveal'];
  private revealSerial = 0;

  /** A panel on `panel`, new or revived with its page's checked state (registry.ts). */
  static async create(ctx: Ctx, panel: vscode.WebviewPanel, kind: 'mro', state: PersistedPanelState): Promise<MroPanel> {
    return new MroPanel(ctx, panel, kind, await revivedDocument(state), state);
  }

  private constructor(
    ctx: Ctx,
    panel: vscode.WebviewPanel,
    kind: 'mro',
    document: vscode.TextDocument | undefined,
    state: PersistedPanelState,
  ) {
    super(ctx, panel, kind, document, state);
    this.disposables.push(vscode.workspace.onDidGrantWorkspaceTrust(() => this.sendState()));
    this.registerMessages();
  }

  override show(args: MroArgs): void {
    super.show(args);
    if (args.document && this.isFollowed(args.document)) this.revealAt(args.at);
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
}
