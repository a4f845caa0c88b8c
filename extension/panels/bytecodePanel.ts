/**
 * The bytecode panel ("Show Bytecode Panel"): the file's code objects, and
 * the selected one's instructions, control flow, exception table and fields,
 * linked column-precisely to the source.
 *
 * One panel at a time (registry.ts), beside the editor (following and
 * linking: followingPanel.ts). The page asks for code objects by typed request; the
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
import { type FollowArgs, FollowingPanel, revivedDocument } from './followingPanel';
import { runView } from '../runtime';
import { LineBands } from './lineBands';

/** Which document, and the 0-based line whose code object to select (a hover's link, the palette). */
export interface BytecodeArgs extends FollowArgs {
  line?: number | undefined;
}

export class BytecodePanel extends FollowingPanel {
  private readonly bands = new LineBands();
  /** Where the panel was opened (a hover's link, the palette): the page selects the code object there once per serial. */
  private reveal: BytecodePanelState['reveal'];
  private revealSerial = 0;

  /** A panel on `panel`, new or revived with its page's checked state (registry.ts). */
  static async create(ctx: Ctx, panel: vscode.WebviewPanel, kind: 'bytecode', state: PersistedPanelState): Promise<BytecodePanel> {
    return new BytecodePanel(ctx, panel, kind, await revivedDocument(state), state);
  }

  private constructor(
    ctx: Ctx,
    panel: vscode.WebviewPanel,
    kind: 'bytecode',
    document: vscode.TextDocument | undefined,
    state: PersistedPanelState,
  ) {
    super(ctx, panel, kind, document, state);
    this.disposables.push(this.bands);
    this.registerMessages();
  }

  override show(args: BytecodeArgs): void {
    super.show(args);
    // Pinned to another file: a line of this one means nothing there.
    if (args.document && this.isFollowed(args.document)) this.revealAt(args.line);
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
}
