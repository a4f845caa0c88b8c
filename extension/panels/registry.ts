/**
 * The one place panels are made, from the descriptor table (descriptors.ts),
 * as GitLens's webviewsController does it: a kind's panel opens beside the
 * editor, or its one open panel comes forward; each kind's serializer
 * revives a panel VS Code kept across a window reload, from its page's saved
 * state once that state is checked (a malformed one: a fresh panel, and a
 * line in the log); a panel that closes is forgotten.
 */
import * as vscode from 'vscode';
import type { PersistedPanelState, RuntimeReportState } from '../../protocol';
import type { Ctx } from '../ctx';
import { type BytecodeArgs, BytecodePanel } from './bytecodePanel';
import { PANEL_KINDS, PANELS, type PanelKind } from './descriptors';
import type { FollowArgs } from './followingPanel';
import { createBeside, webviewOptions } from './html';
import { type MroArgs, MroPanel } from './mroPanel';
import { PipelinePanel } from './pipelinePanel';
import { ReportPanel } from './reportPanel';

/** What a command asks each kind of panel to show. */
export interface PanelArgs {
  pipeline: FollowArgs;
  bytecode: BytecodeArgs;
  mro: MroArgs;
  gc: RuntimeReportState;
  imports: RuntimeReportState;
  objects: RuntimeReportState;
}

/** A panel as the registry keeps it. */
export interface ServedPanel<K extends PanelKind> extends vscode.Disposable {
  /** Bring the panel forward, showing what a command asked for. */
  show(args: PanelArgs[K]): void;
  /** Fires once, when the panel closes. */
  readonly onDidDispose: vscode.Event<void>;
}

/** The class that serves a kind of panel (its static side). */
export interface PanelClass<K extends PanelKind> {
  /** Whether a page's saved state is one this class reads (it comes from disk: never trusted as is). */
  isState(state: unknown): state is PersistedPanelState;
  /** A panel on `panel`: new (an empty state), or revived with its page's checked state. */
  create(ctx: Ctx, panel: vscode.WebviewPanel, kind: K, state: PersistedPanelState): Promise<ServedPanel<K>>;
}

/** The class that serves each kind: the table's other half (descriptors.ts holds its data, free of `vscode`). */
const SERVED_BY: { readonly [K in PanelKind]: PanelClass<K> } = {
  pipeline: PipelinePanel,
  bytecode: BytecodePanel,
  mro: MroPanel,
  gc: ReportPanel,
  imports: ReportPanel,
  objects: ReportPanel,
};

type OpenPanels = { [K in PanelKind]?: Promise<ServedPanel<K>> };

export class PanelRegistry implements vscode.Disposable {
  /** One panel per kind, while it is being made too (two quick commands make one panel). */
  private readonly open: OpenPanels = {};
  private readonly serializers: vscode.Disposable[];

  constructor(private readonly ctx: Ctx) {
    this.serializers = PANEL_KINDS.map((kind) =>
      vscode.window.registerWebviewPanelSerializer(PANELS[kind].viewType, {
        deserializeWebviewPanel: (panel, state: unknown) => this.revive(kind, panel, state),
      }),
    );
  }

  /** Open `kind`'s panel beside the editor, or bring its open one forward, showing `args`. */
  async show<K extends PanelKind>(kind: K, args: PanelArgs[K]): Promise<void> {
    const served = await (this.opened(kind) ?? this.serve(kind, createBeside(PANELS[kind], this.ctx.extensionUri), {}));
    served.show(args);
  }

  /** A panel VS Code kept across a window reload: served again, from its saved state if that is one its class reads. */
  private async revive<K extends PanelKind>(kind: K, panel: vscode.WebviewPanel, saved: unknown): Promise<void> {
    const served: PanelClass<K> = SERVED_BY[kind];
    let state: PersistedPanelState = {};
    if (served.isState(saved)) state = saved;
    else if (saved !== undefined && saved !== null)
      this.ctx.log.warn(`The ${PANELS[kind].title} panel's saved state is not one this version reads; it opens afresh.`);
    const previous = this.opened(kind);
    panel.webview.options = webviewOptions(this.ctx.extensionUri);
    await this.serve(kind, panel, state);
    // One panel per kind: the revived one replaces any opened meanwhile.
    void previous?.then((p) => {
      p.dispose();
    });
  }

  private opened<K extends PanelKind>(kind: K): Promise<ServedPanel<K>> | undefined {
    return this.open[kind];
  }

  private serve<K extends PanelKind>(kind: K, panel: vscode.WebviewPanel, state: PersistedPanelState): Promise<ServedPanel<K>> {
    const served: PanelClass<K> = SERVED_BY[kind];
    const made = served.create(this.ctx, panel, kind, state);
    // (The table keyed by K itself: TypeScript cannot relate a write to `this.open[kind]` to K.)
    const open: { [P in K]?: Promise<ServedPanel<P>> } = this.open;
    open[kind] = made;
    const forget = () => {
      if (open[kind] === made) delete open[kind];
    };
    made.then(
      (p) => p.onDidDispose(forget),
      (err: unknown) => {
        forget();
        panel.dispose();
        this.ctx.log.error(`Opening the ${PANELS[kind].title} panel: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      },
    );
    return made;
  }

  /** The serializers only: open panels stay (VS Code keeps them across a reload, and revives them through these). */
  dispose(): void {
    for (const s of this.serializers.splice(0)) s.dispose();
  }
}
