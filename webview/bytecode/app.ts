/**
 * `<pi-bytecode>`: the bytecode panel's page. Header (file, interpreter,
 * optimization level, pin), the file's code objects, and the selected one's
 * instructions, control-flow graph, exception table and fields, linked both
 * ways to the editor through typed messages.
 *
 * Data flow: the extension sends the followed document's state (URI,
 * version); the page asks for the tree of code objects at that version, then
 * for the code object at the cursor (or the one picked in the tree). A cursor
 * notification selects the code object there and marks the instructions
 * whose source holds the cursor. A file that does not compile shows CPython's
 * message and keeps the last listing, greyed. A request a newer one
 * supersedes is cancelled (webview/shared/latest.ts).
 *
 * Here: the page's state and the editor link. Elsewhere: the views' data
 * (state.ts), the bars (toolbar.ts), the tabs (instructionsTab.ts, cfg.ts,
 * tables.ts, compareTab.ts) and Specialize (specialize.ts).
 */
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import type { MessageConnection } from 'vscode-jsonrpc/browser';
import type { CodeObjectResult, CodeObjectsResult, OptimizeLevel } from '../../protocol/bytecode';
import type { Span } from '../../protocol/pipeline';
import {
  type Answer,
  BytecodeStateNotification,
  type BytecodePanelState,
  CodeObjectPanelRequest,
  CodeObjectsPanelRequest,
  CursorNotification,
  type CursorParams,
  HighlightNotification,
  type LineBand,
  LineBandsNotification,
  ReadyNotification,
  SelectSourceNotification,
} from '../../protocol/webview';
import { errorBanner } from '../shared/errorBanner';
import { compareStates } from '../shared/header';
import { LatestRequest } from '../shared/latest';
import { metrics } from '../shared/metrics';
import { spanEquals } from '../shared/spans';
import type { PiTree, TreeSelectDetail } from '../shared/tree';
import { persist } from '../shared/vscodeApi';
import { CompareTab } from './compareTab';
import { renderAlsoOnLine, renderCodePane } from './codePane';
import { renderInstructionsTab } from './instructionsTab';
import { InstructionModel } from './models';
import { Specializer } from './specialize';
import {
  BYTECODE_TABS,
  type BytecodeTab,
  chosenSpanOf,
  type CodeView,
  codeViewOf,
  cursorMarks,
  NO_MARKS,
  savedSettings,
  spanOfAll,
  TAB_LABELS,
  type TreeView,
  treeViewOf,
} from './state';
import { type Detail, renderExceptions, renderFields } from './tables';
import { codeStatus, renderHeader, renderToggles } from './toolbar';

export class BytecodeApp extends LitElement {
  private connection!: MessageConnection;
  private state: BytecodePanelState | undefined;
  private settings = savedSettings();
  private tree: TreeView | undefined;
  private code: CodeView | undefined;
  private readonly treeRequest = new LatestRequest<Answer<CodeObjectsResult>>();
  private readonly codeRequest = new LatestRequest<Answer<CodeObjectResult>>();
  private cursor: CursorParams | undefined;
  /** The code object shown, in the tree model (-1: none yet). */
  private selected = -1;
  /** The code object the user picked in the tree: it stays while the cursor is on one of its lines. */
  private picked = -1;
  /** The instruction last clicked: while the editor's selection is its span, it stays the one marked. */
  private chosen = -1;
  private marks = NO_MARKS;
  /** The instruction row under the mouse or keyboard focus: the opcode reference describes it. */
  private refRow = -1;
  private lastReveal = 0;
  private readonly specializer = new Specializer({
    connection: () => this.connection,
    version: () => this.tree?.version,
    optimize: () => this.settings.optimize,
    counts: () => this.code?.model?.adaptiveCounts() ?? undefined,
    changed: () => this.redrawInstructions(),
    update: () => this.requestUpdate(),
  });
  private readonly compareTab = new CompareTab({
    connection: () => this.connection,
    state: () => this.state,
    optimize: () => this.settings.optimize,
    active: () => this.settings.tab === 'compare',
    current: () => ({
      ...(this.code ? { code: this.code } : {}),
      ...(this.selected >= 0 && this.tree?.model ? { node: this.tree.model.nodes[this.selected] } : {}),
    }),
    update: () => this.requestUpdate(),
    select: (span, focusEditor) => this.select(span, focusEditor),
  });

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  connect(connection: MessageConnection): void {
    this.connection = connection;
    connection.onNotification(BytecodeStateNotification.type, (state) => this.onState(state));
    connection.onNotification(CursorNotification.type, (cursor) => this.onCursor(cursor));
    void connection.sendNotification(ReadyNotification.type);
  }

  private get uri(): string | undefined {
    return this.state?.document?.uri;
  }

  private onState(state: BytecodePanelState): void {
    const before = this.state;
    this.state = state;
    const { sameDocument, sameInterpreter } = compareStates(before, state);
    if (!sameDocument || !sameInterpreter) this.restart(!sameDocument);
    if (state.reveal && state.reveal.serial !== this.lastReveal) {
      this.lastReveal = state.reveal.serial;
      this.picked = -1;
      this.cursor = {
        uri: state.document?.uri ?? '',
        selection: [state.reveal.line, 0, state.reveal.line, 0],
        active: [state.reveal.line, 0],
      };
      if (this.tree?.model) this.selectCode(this.tree.model.atLine(state.reveal.line + 1));
    }
    persist({ uri: state.document?.uri, pinned: state.pinned });
    this.requestUpdate();
    void this.loadTree();
  }

  /** Everything shown is of another document, interpreter or level: start afresh, cancelling what is asked. */
  private restart(newDocument: boolean): void {
    this.treeRequest.cancel();
    this.codeRequest.cancel();
    this.tree = undefined;
    this.code = undefined;
    this.selected = this.picked = this.chosen = -1;
    this.marks = NO_MARKS;
    this.compareTab.reset();
    this.specializer.reset();
    if (newDocument) this.cursor = undefined;
    this.sendBands();
  }

  private async loadTree(): Promise<void> {
    const version = this.state?.document?.version;
    if (version === undefined) return;
    const tree = this.tree;
    if (tree && tree.version >= version && !tree.failure) return;
    const optimize = this.settings.optimize;
    const answer = await this.treeRequest.ask(`${version}`, (token) => {
      metrics.mark('request:codeObjects');
      return this.connection.sendRequest(CodeObjectsPanelRequest.type, { version, optimize }, token);
    });
    if (answer) this.acceptTree(version, answer);
  }

  private acceptTree(version: number, answer: Answer<CodeObjectsResult>): void {
    const previous = this.tree;
    const view = treeViewOf(answer, version, this.uri, previous);
    if (!view) return;
    const before = previous?.model && this.selected >= 0 ? previous.model.nodes[this.selected] : undefined;
    const pickedBefore = previous?.model && this.picked >= 0 ? previous.model.nodes[this.picked] : undefined;
    this.tree = view;
    metrics.mark('data:codeObjects');
    if (view.model && !view.stale) {
      // The same code object after an edit: found again by name (its place may have moved).
      this.picked = pickedBefore ? view.model.idOfName(pickedBefore.qualname, pickedBefore.kind, pickedBefore.firstLine) : -1;
      const again = before ? view.model.idOfName(before.qualname, before.kind, before.firstLine) : -1;
      const line = this.cursor ? this.cursor.active[0] + 1 : undefined;
      const keepPicked = this.picked >= 0 && line !== undefined && view.model.hasLine(this.picked, line);
      this.selectCode(keepPicked ? this.picked : line !== undefined ? view.model.atLine(line) : again >= 0 ? again : 0, true);
    } else if (this.code) {
      this.code = { ...this.code, stale: true };
      // The lines have moved under the bands: clear them until the file compiles again.
      this.sendBands();
    }
    this.requestUpdate();
  }

  /** Show code object `id` of the tree (its detail is asked for unless here at this version). */
  private selectCode(id: number, refresh = false): void {
    const model = this.tree?.model;
    if (!model || id < 0) return;
    const changed = id !== this.selected;
    this.selected = id;
    if (changed) this.chosen = this.refRow = -1;
    this.requestUpdate();
    if (changed || refresh) void this.loadCode();
    void this.updateComplete.then(() => this.codeTree?.reveal(id));
  }

  /** The selected code object at the tree's version; asking for another one cancels the last. */
  private async loadCode(): Promise<void> {
    const model = this.tree?.model;
    const version = this.tree?.version;
    if (!model || version === undefined || this.selected < 0 || this.tree?.stale) return;
    const path = model.path(this.selected);
    const code = this.code;
    if (code && code.version >= version && code.path.join('.') === path.join('.') && !code.failure) return;
    const optimize = this.settings.optimize;
    const answer = await this.codeRequest.ask(`${version}|${path.join('.')}`, (token) => {
      metrics.mark('request:codeObject');
      return this.connection.sendRequest(CodeObjectPanelRequest.type, { version, optimize, path }, token);
    });
    if (answer) this.acceptCode(version, path, answer);
  }

  private acceptCode(version: number, path: number[], answer: Answer<CodeObjectResult>): void {
    const view = codeViewOf(answer, { version, path }, this.uri, this.code, (detail) => this.instructionModel(detail));
    if (!view) return;
    this.code = view;
    metrics.mark('data:codeObject');
    this.compareTab.load();
    this.markCursor();
    this.sendBands();
    this.requestUpdate();
    void this.updateComplete.then(() => {
      this.revealCurrent();
      requestAnimationFrame(() => metrics.mark('paint:codeObject'));
    });
  }

  private get codeTree(): PiTree | null {
    return this.querySelector<PiTree>('pi-tree.code-tree');
  }

  private get listing(): PiTree | null {
    return this.querySelector<PiTree>('pi-tree.instructions');
  }

  private onCursor(cursor: CursorParams): void {
    if (cursor.uri !== this.uri) return;
    this.cursor = cursor;
    metrics.mark('cursor');
    const model = this.tree?.model;
    if (model && !this.tree?.stale) {
      const line = cursor.active[0] + 1;
      const keep = this.picked >= 0 && model.hasLine(this.picked, line);
      const chosenSpan = chosenSpanOf(this.code, this.chosen);
      // A selection made by clicking an instruction stays in its code object.
      if (!keep && !(chosenSpan && spanEquals(chosenSpan, cursor.selection))) {
        this.picked = -1;
        this.selectCode(model.atLine(line));
      }
    }
    this.markCursor();
    this.requestUpdate();
    void this.updateComplete.then(() => {
      this.revealCurrent();
      requestAnimationFrame(() => metrics.mark('cursor-marked'));
    });
  }

  /** Mark the instructions at the cursor (and their blocks). */
  private markCursor(): void {
    this.marks = cursorMarks(this.code, this.cursor, this.chosen);
  }

  private revealCurrent(): void {
    if (this.marks.currentRow >= 0) this.listing?.reveal(this.marks.currentRow);
  }

  private sendBands(): void {
    const uri = this.uri;
    if (!uri) return;
    const model = this.code?.model;
    const bands: LineBand[] = [];
    if (this.settings.bands && model && !this.code?.stale) for (const [line, band] of model.bandOfLine) bands.push([line - 1, band]);
    void this.connection.sendNotification(LineBandsNotification.type, { uri, bands });
  }

  private selectTab(tab: BytecodeTab): void {
    if (tab === this.settings.tab) return;
    this.settings.tab = tab;
    persist({ tab });
    this.highlight([]);
    this.compareTab.load();
    this.requestUpdate();
    void this.updateComplete.then(() => this.revealCurrent());
  }

  private highlight(spans: Span[]): void {
    const uri = this.uri;
    if (uri) void this.connection.sendNotification(HighlightNotification.type, { uri, spans, kind: 'node' });
  }

  private select(span: Span, focusEditor: boolean): void {
    const uri = this.uri;
    if (uri) void this.connection.sendNotification(SelectSourceNotification.type, { uri, span, focusEditor });
  }

  private onCodeSelect(e: CustomEvent<TreeSelectDetail>): void {
    const model = this.tree?.model;
    if (!model || this.tree?.stale) return;
    e.stopPropagation();
    this.pick(e.detail.id);
    const node = model.nodes[e.detail.id];
    // Enter goes to the code object's first line.
    if (e.detail.focusEditor && node) this.select([node.firstLine - 1, 0, node.firstLine - 1, 0], true);
  }

  /** A code object picked (in the tree, or a chip of the cursor's line): it stays while the cursor is in it. */
  private pick(id: number): void {
    this.picked = id;
    this.selectCode(id);
  }

  private onInstructionSelect(e: CustomEvent<TreeSelectDetail>): void {
    const model = this.code?.model;
    if (!model || this.code?.stale) return;
    e.stopPropagation();
    const ins = model.instructionOf(e.detail.id);
    const span = model.span(e.detail.id);
    this.chosen = ins;
    if (span) this.select(span, e.detail.focusEditor);
  }

  private onInstructionHover(e: CustomEvent<TreeSelectDetail>): void {
    const model = this.code?.model;
    if (!model || this.code?.stale) return;
    e.stopPropagation();
    const span = e.detail.id >= 0 ? model.span(e.detail.id) : null;
    this.highlight(span ? [span] : []);
    if (e.detail.id >= 0 && e.detail.id !== this.refRow) {
      this.refRow = e.detail.id;
      this.requestUpdate();
    }
  }

  /** A CFG block or an exception-table entry: outline its instructions' sources, select from the first to the last. */
  private selectInstructions(from: number, to: number, focusEditor: boolean): void {
    const detail = this.code?.detail;
    if (!detail || this.code?.stale) return;
    const spans = detail.instructions.slice(from, to).flatMap((ins) => (ins.span ? [ins.span] : []));
    this.highlight(spans);
    const all = spanOfAll(spans);
    if (all) this.select(all, focusEditor);
  }

  private onBlockSelect(e: CustomEvent<{ block: number; focusEditor: boolean }>): void {
    const block = this.code?.detail?.blocks[e.detail.block];
    if (block) this.selectInstructions(block.start, block.end, e.detail.focusEditor);
  }

  private setOptimize(level: OptimizeLevel): void {
    if (level === this.settings.optimize) return;
    this.settings.optimize = level;
    persist({ optimize: level });
    this.restart(false);
    this.requestUpdate();
    void this.loadTree();
  }

  private toggleCaches(): void {
    this.settings.showCaches = !this.settings.showCaches;
    persist({ showCaches: this.settings.showCaches });
    this.redrawInstructions();
  }

  private toggleBands(): void {
    this.settings.bands = !this.settings.bands;
    persist({ bands: this.settings.bands });
    this.redrawInstructions();
    this.sendBands();
  }

  /** A new instruction model with the toggles and the last run, so the table draws its rows again. */
  private redrawInstructions(): void {
    const code = this.code;
    if (code?.detail) {
      code.model = this.instructionModel(code.detail);
      this.markCursor();
    }
    this.requestUpdate();
  }

  /** A table of these instructions with the panel's toggles and, after a run, their adaptive forms. */
  private instructionModel(detail: Detail): InstructionModel {
    const model = new InstructionModel(detail.instructions, this.settings.showCaches);
    model.bands = this.settings.bands;
    const adaptive = this.specializer.adaptive(detail.code.qualname, detail.code.firstLine);
    if (adaptive) model.adaptive = adaptive;
    return model;
  }

  protected override updated(): void {
    // The code objects' pane as tall as its rows, up to 30% of the panel (bytecode.css); CSSOM: the CSP blocks style attributes.
    const pane = this.querySelector<HTMLElement>('.code-pane');
    pane?.style.setProperty('--code-rows', String(this.tree?.model?.size ?? 0));
  }

  protected override render(): TemplateResult {
    return html`${renderHeader(this.connection, this.state, this.settings.optimize, (level) => this.setOptimize(level))}
    ${this.renderBody()}`;
  }

  private renderBody(): TemplateResult {
    const state = this.state;
    const tree = this.tree;
    if (!state?.document) return html`<p class="message">Open a Python file: the panel shows the bytecode CPython compiles for it.</p>`;
    if (state.interpreterError && !state.interpreter) return html`<p class="message error-text">${state.interpreterError}</p>`;
    if (!tree) return html`<p class="message"><vscode-progress-ring></vscode-progress-ring> Compiling…</p>`;
    return html`${tree.error ? this.renderError(tree) : nothing}
    ${tree.failure ? html`<p class="message error-text">${tree.failure}</p>` : nothing}
    ${tree.model ? html`${renderCodePane(tree, tree.model, this.selected, (e) => this.onCodeSelect(e))}${this.renderCode()}` : nothing}`;
  }

  private renderCode(): TemplateResult {
    const code = this.code;
    const tab = this.settings.tab;
    const node = this.selected >= 0 ? this.tree?.model?.nodes[this.selected] : undefined;
    return html`<vscode-tabs
        panel
        selected-index=${BYTECODE_TABS.indexOf(tab)}
        @vsc-tabs-select=${(e: CustomEvent<{ selectedIndex: number }>) => this.selectTab(BYTECODE_TABS[e.detail.selectedIndex] ?? 'instructions')}
      >
        ${BYTECODE_TABS.map((t) => html`<vscode-tab-header slot="header" data-tab=${t}>${TAB_LABELS[t]}</vscode-tab-header>`)}
        ${BYTECODE_TABS.map(() => html`<vscode-tab-panel></vscode-tab-panel>`)}
      </vscode-tabs>
      <div class="stage-tools">
        <span class="code-title">${node ? (this.selected === 0 ? '<module>' : node.qualname) : ''}</span>
        ${
          tab === 'instructions'
            ? html`${renderToggles({
                bands: this.settings.bands,
                showCaches: this.settings.showCaches,
                toggleBands: () => this.toggleBands(),
                toggleCaches: () => this.toggleCaches(),
              })}${this.specializer.renderTools()}`
            : nothing
        }
        <span class="status">${code ? codeStatus(code) : ''}</span>
      </div>
      ${tab === 'instructions' && this.specializer.shown ? html`<div class="specialize-line">${this.specializer.renderStatus()}</div>` : nothing}
      ${this.tree?.model && !this.tree.stale && this.cursor ? renderAlsoOnLine(this.tree.model, this.cursor.active[0] + 1, this.selected, (id) => this.pick(id)) : nothing}
      ${code?.error ? this.renderError(code) : nothing} ${code?.failure ? html`<p class="message error-text">${code.failure}</p>` : nothing}
      ${!code ? html`<p class="message"><vscode-progress-ring></vscode-progress-ring> Reading the code object…</p>` : this.renderTab(code)}`;
  }

  private renderTab(code: CodeView): TemplateResult | typeof nothing {
    const detail = code.detail;
    const model = code.model;
    if (!detail || !model) return nothing;
    switch (this.settings.tab) {
      case 'instructions':
        return renderInstructionsTab(code, model, {
          currentRow: this.marks.currentRow,
          marked: this.marks.marked,
          refRow: this.refRow,
          onSelect: (e) => this.onInstructionSelect(e),
          onHover: (e) => this.onInstructionHover(e),
        });
      case 'cfg':
        return html`<pi-cfg
          class="cfg"
          .input=${detail}
          .marked=${this.marks.blocks}
          @block-select=${(e: CustomEvent<{ block: number; focusEditor: boolean }>) => this.onBlockSelect(e)}
        ></pi-cfg>`;
      case 'exceptions':
        return renderExceptions(detail, {
          versionText: code.answer?.interpreter.versionText ?? '',
          holdsCursor: (from, to) =>
            [...this.marks.marked].some((row) => {
              const i = model.instructionOf(row);
              return i >= from && i < to;
            }),
          select: (from, to, focusEditor) => this.selectInstructions(from, to, focusEditor),
          highlight: (spans) => this.highlight(spans),
        });
      case 'fields':
        return renderFields(detail);
      case 'compare':
        return this.compareTab.render();
    }
  }

  private renderError(view: TreeView | CodeView): TemplateResult {
    const note = view.stale ? 'Showing the last bytecode that compiled.' : undefined;
    return errorBanner(view.error!, note, (span) => this.select(span, true));
  }
}

customElements.define('pi-bytecode', BytecodeApp);
