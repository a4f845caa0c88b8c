/**
 * The bytecode panel ("Show Bytecode Panel"): the file's code objects, and
 * the selected one's instructions, control flow, exception table and fields,
 * linked column-precisely to the source.
 *
 * One panel at a time, opened beside the editor (following and linking:
 * followingPanel.ts). The page asks for code objects by typed request; the
 * extension forwards to the language server, with the panel's interpreter
 * unless the page names another (a comparison).
 */
import * as vscode from 'vscode';
import {
  answered,
  BytecodePanelState,
  BytecodeStateNotification,
  CodeObjectPanelRequest,
  CodeObjectRequest,
  CodeObjectsPanelRequest,
  CodeObjectsRequest,
  failed,
  LineBandsNotification,
  PersistedPanelState,
  SpecializeRequest,
} from '../../protocol';
import type { Ctx } from '../ctx';
import { FollowingPanel, prepareRevived } from './followingPanel';
import { createBeside } from './html';
import { runView } from '../runtime';
import { LineBands } from './lineBands';

export const BYTECODE_VIEW_TYPE = 'pythonInternals.bytecodePanel';

const PAGE = { bundle: 'bytecode.js', title: 'Bytecode', wasm: true };

export class BytecodePanel extends FollowingPanel {
  private static current: BytecodePanel | undefined;
  private readonly bands = new LineBands();
  /** Where the panel was opened (a hover's link, the palette): the page selects the code object there once per serial. */
  private reveal: BytecodePanelState['reveal'];
  private revealSerial = 0;

  static show(ctx: Ctx, extensionUri: vscode.Uri, document: vscode.TextDocument | undefined, line?: number): BytecodePanel {
    const existing = BytecodePanel.current;
    if (existing) {
      existing.showDocument(document);
      // Pinned to another file: a line of this one means nothing there.
      if (document && existing.isFollowed(document)) existing.revealAt(line);
      return existing;
    }
    const panel = createBeside(BYTECODE_VIEW_TYPE, PAGE.title, extensionUri);
    const created = new BytecodePanel(ctx, extensionUri, panel, document, {});
    created.revealAt(line);
    return created;
  }

  static async revive(
    ctx: Ctx,
    extensionUri: vscode.Uri,
    panel: vscode.WebviewPanel,
    state: PersistedPanelState | undefined,
  ): Promise<void> {
    BytecodePanel.current?.dispose();
    const document = await prepareRevived(panel, extensionUri, state);
    new BytecodePanel(ctx, extensionUri, panel, document, state ?? {});
  }

  private constructor(
    ctx: Ctx,
    extensionUri: vscode.Uri,
    panel: vscode.WebviewPanel,
    document: vscode.TextDocument | undefined,
    state: PersistedPanelState,
  ) {
    super(ctx, extensionUri, panel, document, state, PAGE);
    BytecodePanel.current = this;
    this.disposables.push(this.bands);
    this.registerMessages();
  }

  private registerMessages(): void {
    const c = this.connection;
    c.onRequest(CodeObjectsPanelRequest.type, async ({ interpreterPath, optimize }, token) => {
      const document = this.document;
      if (!document) return failed('noDocument', 'Open a Python file to see its bytecode.');
      if (!this.knownInterpreter(interpreterPath))
        return failed('interpreter', `Not an interpreter found on this machine: ${interpreterPath}`);
      const params = { textDocument: { uri: document.uri.toString() }, interpreterPath: interpreterPath ?? this.interpreterPath, optimize };
      return this.forward(CodeObjectsRequest.type, params, token);
    });
    c.onRequest(CodeObjectPanelRequest.type, async ({ interpreterPath, optimize, path }, token) => {
      const document = this.document;
      if (!document) return failed('noDocument', 'Open a Python file to see its bytecode.');
      if (!this.knownInterpreter(interpreterPath))
        return failed('interpreter', `Not an interpreter found on this machine: ${interpreterPath}`);
      const params = {
        textDocument: { uri: document.uri.toString() },
        interpreterPath: interpreterPath ?? this.interpreterPath,
        optimize,
        path,
      };
      return this.forward(CodeObjectRequest.type, params, token);
    });
    c.onRequest(SpecializeRequest.type, async ({ call, times, callArgs }, token) => {
      const document = this.document;
      if (!document) return failed('noDocument', 'Open a Python file to see its bytecode.');
      const version = document.version;
      const run = await runView(
        this.ctx,
        document,
        'specialize',
        {
          ...(this.interpreterPath ? { interpreterPath: this.interpreterPath } : {}),
          ...(call ? { call, times, callArgs } : {}),
        },
        token,
      );
      if (run.ok) return answered({ result: run.value, version });
      if (run.error.kind === 'untrusted')
        return failed('untrusted', 'Specialized bytecode needs a run of your code: trust this workspace first.');
      return failed(run.error.kind, 'The run did not finish (see Python Internals: Program Output).');
    });
    c.onNotification(LineBandsNotification.type, ({ uri, bands }) => {
      if (this.document?.uri.toString() === uri) this.bands.show(uri, bands);
    });
  }

  /** The page may name only an interpreter the server found (it starts what it is given). */
  private knownInterpreter(executable: string | undefined): boolean {
    return executable === undefined || this.interpreters.some((i) => i.executable === executable);
  }

  private revealAt(line: number | undefined): void {
    if (line === undefined) return;
    this.reveal = { line, serial: ++this.revealSerial };
    this.sendState();
  }

  protected sendState(): void {
    const state: BytecodePanelState = { ...this.followingState(), ...(this.reveal ? { reveal: this.reveal } : {}) };
    void this.connection.sendNotification(BytecodeStateNotification.type, state);
  }

  protected override clearEditor(): void {
    super.clearEditor();
    this.bands.clear();
    this.reveal = undefined;
  }

  override dispose(): void {
    if (BytecodePanel.current === this) BytecodePanel.current = undefined;
    super.dispose();
  }
}
