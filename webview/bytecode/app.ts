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
 * message and keeps the last listing, greyed.
 */
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import type { MessageConnection } from 'vscode-jsonrpc/browser';
import type { SpecializedReport } from '../../protocol/runtime';
import type { CodeObjectResult, CodeObjectsResult, LinkedInstruction, OptimizeLevel } from '../../protocol/bytecode';
import type { Span, StageError } from '../../protocol/pipeline';
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
  SpecializeRequest,
} from '../../protocol/webview';
import { CALL_HINT, parseCall } from '../shared/chosenCall';
import { metrics } from '../shared/metrics';
import { spanEquals, spanLabel } from '../shared/spans';
import type { PiTree, TreeSelectDetail } from '../shared/tree';
import { fileLabel, interpreterPicker, pinButton } from '../shared/header';
import { persist, persisted } from '../shared/vscodeApi';
import { CompareTab, OPTIMIZE_LABELS } from './compareTab';
import { CodeTreeModel, InstructionModel } from './models';
import { describeOpcode } from './opcodeDocs';
import { type Detail, renderExceptions, renderFields } from './tables';

export const BYTECODE_TABS = ['instructions', 'cfg', 'exceptions', 'fields', 'compare'] as const;
export type BytecodeTab = (typeof BYTECODE_TABS)[number];

const TAB_LABELS: Record<BytecodeTab, string> = {
  instructions: 'Instructions',
  cfg: 'Control flow',
  exceptions: 'Exception table',
  fields: 'Code object',
  compare: 'Compare',
};

interface TreeView {
  version: number;
  model?: CodeTreeModel;
  /** The model is from an older version: the current text does not compile. */
  stale: boolean;
  error?: StageError;
  failure?: string;
  answer?: CodeObjectsResult;
}

interface CodeView {
  version: number;
  path: number[];
  detail?: Detail;
  model?: InstructionModel;
  stale: boolean;
  error?: StageError;
  failure?: string;
  answer?: CodeObjectResult;
}

export class BytecodeApp extends LitElement {
  private connection!: MessageConnection;
  private state: BytecodePanelState | undefined;
  private tab: BytecodeTab = 'instructions';
  private optimize: OptimizeLevel = 0;
  private showCaches = false;
  private bands = true;
  private tree: TreeView | undefined;
  private code: CodeView | undefined;
  /** Bumped when what the views show changes meaning (document, interpreter, level): older answers are dropped. */
  private generation = 0;
  private treeRequest: { version: number; generation: number } | undefined;
  private codeRequest: { version: number; generation: number; path: string } | undefined;
  private cursor: CursorParams | undefined;
  /** The code object shown, in the tree model (-1: none yet). */
  private selected = -1;
  /** The code object the user picked in the tree: it stays while the cursor is on one of its lines. */
  private picked = -1;
  /** The instruction last clicked: while the editor's selection is its span, it stays the one marked. */
  private chosen = -1;
  private marked: ReadonlySet<number> = new Set();
  private currentRow = -1;
  private markedBlocks: ReadonlySet<number> = new Set();
  /** The instruction row under the mouse or keyboard focus: the opcode reference describes it. */
  private refRow = -1;
  private lastReveal = 0;
  /** The adaptive bytecode of the last run (Specialize), for the document and interpreter shown. */
  private specialized: { version: number; report: SpecializedReport; running?: boolean; failure?: string } | undefined;
  private readonly compareTab = new CompareTab({
    connection: () => this.connection,
    state: () => this.state,
    optimize: () => this.optimize,
    generation: () => this.generation,
    active: () => this.tab === 'compare',
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
    const saved = persisted();
    if (saved.tab && (BYTECODE_TABS as readonly string[]).includes(saved.tab)) this.tab = saved.tab as BytecodeTab;
    if (saved.optimize === 1 || saved.optimize === 2) this.optimize = saved.optimize;
    this.showCaches = !!saved.showCaches;
    this.bands = saved.bands !== false;
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
    // A file closed and opened again starts its versions afresh: its text may be another.
    const reopened = !!before?.document && !!state.document && state.document.version < before.document.version;
    const sameDocument = before?.document?.uri === state.document?.uri && !reopened;
    const sameInterpreter = before?.interpreter?.executable === state.interpreter?.executable;
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
    this.loadTree();
  }

  /** Everything shown is of another document, interpreter or level: start afresh. */
  private restart(newDocument: boolean): void {
    this.generation++;
    this.tree = undefined;
    this.code = undefined;
    this.treeRequest = undefined;
    this.codeRequest = undefined;
    this.selected = this.picked = this.chosen = -1;
    this.marked = new Set();
    this.markedBlocks = new Set();
    this.currentRow = -1;
    this.compareTab.reset();
    this.specialized = undefined;
    if (newDocument) this.cursor = undefined;
    this.sendBands();
  }

  private loadTree(): void {
    const version = this.state?.document?.version;
    if (version === undefined) return;
    const tree = this.tree;
    if (tree && tree.version >= version && !tree.failure) return;
    const generation = this.generation;
    if (this.treeRequest && this.treeRequest.version === version && this.treeRequest.generation === generation) return;
    this.treeRequest = { version, generation };
    metrics.mark('request:codeObjects');
    void this.connection.sendRequest(CodeObjectsPanelRequest.type, { version, optimize: this.optimize }).then((answer) => {
      if (this.treeRequest?.version === version && this.treeRequest.generation === generation) this.treeRequest = undefined;
      if (generation !== this.generation) return;
      this.acceptTree(version, answer);
    });
  }

  private acceptTree(version: number, answer: Answer<CodeObjectsResult>): void {
    if (answer.ok && answer.value.uri !== this.uri) return;
    const previous = this.tree;
    const answered = answer.ok ? answer.value.version : version;
    if (previous && previous.version > answered) return;
    const view: TreeView = { version: answered, stale: false };
    if (!answer.ok) view.failure = answer.error.message;
    else {
      view.answer = answer.value;
      const result = answer.value.result;
      if ('module' in result) view.model = new CodeTreeModel(result.module);
      else view.error = result.error;
    }
    if (!view.model && previous?.model) {
      view.model = previous.model;
      view.stale = true;
    }
    const before = previous?.model && this.selected >= 0 ? previous.model.nodes[this.selected] : undefined;
    const pickedBefore = previous?.model && this.picked >= 0 ? previous.model.nodes[this.picked] : undefined;
    this.tree = view;
    metrics.mark('data:codeObjects');
    if (view.model && !view.stale) {
      // The same code object after an edit: found again by name (its place may have moved).
      this.picked = pickedBefore ? view.model.idOfName(pickedBefore.qualname, pickedBefore.kind, pickedBefore.firstLine) : -1;
      const again = before ? view.model.idOfName(before.qualname, before.kind, before.firstLine) : -1;
      const atCursor = this.cursor ? view.model.atLine(this.cursor.active[0] + 1) : 0;
      this.selectCode(
        this.picked >= 0 && this.cursor && view.model.hasLine(this.picked, this.cursor.active[0] + 1)
          ? this.picked
          : this.cursor
            ? atCursor
            : again >= 0
              ? again
              : 0,
        true,
      );
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
    if (changed || refresh) this.loadCode();
    void this.updateComplete.then(() => this.codeTree?.reveal(id));
  }

  private loadCode(): void {
    const model = this.tree?.model;
    const version = this.tree?.version;
    if (!model || version === undefined || this.selected < 0 || this.tree?.stale) return;
    const path = model.path(this.selected);
    const key = path.join('.');
    const code = this.code;
    if (code && code.version >= version && code.path.join('.') === key && !code.failure) return;
    const generation = this.generation;
    if (
      this.codeRequest &&
      this.codeRequest.version === version &&
      this.codeRequest.path === key &&
      this.codeRequest.generation === generation
    )
      return;
    this.codeRequest = { version, generation, path: key };
    metrics.mark('request:codeObject');
    void this.connection.sendRequest(CodeObjectPanelRequest.type, { version, optimize: this.optimize, path }).then((answer) => {
      if (this.codeRequest?.path === key && this.codeRequest.version === version && this.codeRequest.generation === generation)
        this.codeRequest = undefined;
      if (generation !== this.generation) return;
      // Another code object was selected meanwhile.
      if (this.tree?.model?.path(this.selected).join('.') !== key) return;
      this.acceptCode(version, path, answer);
    });
  }

  private acceptCode(version: number, path: number[], answer: Answer<CodeObjectResult>): void {
    const previous = this.code;
    if (answer.ok) {
      const { uri, version: answered } = answer.value;
      if (uri !== this.uri) return;
      // The server answers for the document's current text: a path from an older tree may name
      // another code object there. Wait for the tree of that version (the state announcing it is on its way).
      if (answered !== version) return;
      // Answers can overtake each other: never go back in time.
      if (previous && previous.path.join('.') === path.join('.') && previous.version > answered) return;
    }
    const view: CodeView = { version: answer.ok ? answer.value.version : version, path, stale: false };
    if (!answer.ok) view.failure = answer.error.message;
    else {
      view.answer = answer.value;
      const result = answer.value.result;
      if ('instructions' in result) {
        view.detail = result;
        view.model = this.instructionModel(result.instructions, result.code.qualname, result.code.firstLine);
      } else view.error = result.error;
    }
    if (!view.model && previous?.model) {
      view.model = previous.model;
      view.detail = previous.detail;
      view.stale = true;
    }
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
      const chosenSpan = this.chosenSpan();
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

  private chosenSpan(): Span | null {
    const model = this.code?.model;
    return model && this.chosen >= 0 ? model.span(model.rowOf(this.chosen)) : null;
  }

  /** Mark the instructions at the cursor (and their blocks). */
  private markCursor(): void {
    const model = this.code?.model;
    const detail = this.code?.detail;
    const cursor = this.cursor;
    if (!model || !detail || !cursor || this.code?.stale) {
      this.marked = new Set();
      this.markedBlocks = new Set();
      this.currentRow = -1;
      return;
    }
    const chosenSpan = this.chosenSpan();
    const instructions =
      chosenSpan && spanEquals(chosenSpan, cursor.selection) ? [this.chosen] : model.instructionsAt(cursor.selection, cursor.active);
    this.marked = new Set(instructions.map((i) => model.rowOf(i)));
    this.currentRow = instructions.length ? model.rowOf(instructions[0]!) : -1;
    const blocks = new Set<number>();
    detail.blocks.forEach((block, b) => {
      if (instructions.some((i) => i >= block.start && i < block.end)) blocks.add(b);
    });
    this.markedBlocks = blocks;
  }

  private revealCurrent(): void {
    if (this.currentRow >= 0) this.listing?.reveal(this.currentRow);
  }

  private sendBands(): void {
    const uri = this.uri;
    if (!uri) return;
    const model = this.code?.model;
    const bands: LineBand[] = [];
    if (this.bands && model && !this.code?.stale) for (const [line, band] of model.bandOfLine) bands.push([line - 1, band]);
    void this.connection.sendNotification(LineBandsNotification.type, { uri, bands });
  }

  private selectTab(tab: BytecodeTab): void {
    if (tab === this.tab) return;
    this.tab = tab;
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
    this.picked = e.detail.id;
    this.selectCode(e.detail.id);
    const node = model.nodes[e.detail.id];
    // Enter goes to the code object's first line.
    if (e.detail.focusEditor && node) this.select([node.firstLine - 1, 0, node.firstLine - 1, 0], true);
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
    const first = spans.reduce<Span | null>((a, s) => (!a || s[0] < a[0] || (s[0] === a[0] && s[1] < a[1]) ? s : a), null);
    const last = spans.reduce<Span | null>((a, s) => (!a || s[2] > a[2] || (s[2] === a[2] && s[3] > a[3]) ? s : a), null);
    if (first && last) this.select([first[0], first[1], last[2], last[3]], focusEditor);
  }

  private onBlockSelect(e: CustomEvent<{ block: number; focusEditor: boolean }>): void {
    const block = this.code?.detail?.blocks[e.detail.block];
    if (block) this.selectInstructions(block.start, block.end, e.detail.focusEditor);
  }

  private setOptimize(level: OptimizeLevel): void {
    if (level === this.optimize) return;
    this.optimize = level;
    persist({ optimize: level });
    this.restart(false);
    this.requestUpdate();
    this.loadTree();
  }

  private toggleCaches(): void {
    this.showCaches = !this.showCaches;
    persist({ showCaches: this.showCaches });
    const code = this.code;
    if (code?.detail) {
      code.model = this.instructionModel(code.detail.instructions, code.detail.code.qualname, code.detail.code.firstLine);
      this.markCursor();
    }
    this.requestUpdate();
  }

  /** A table of these instructions with the panel's toggles and, after a run, their adaptive forms. */
  private instructionModel(instructions: LinkedInstruction[], qualname: string, firstLine: number): InstructionModel {
    const model = new InstructionModel(instructions, this.showCaches);
    model.bands = this.bands;
    const report = this.specialized?.report;
    if (report && 'codes' in report) {
      const mine = report.codes.filter((c) => c.qualname === qualname);
      const code = mine.length
        ? mine.reduce((a, b) => (Math.abs(b.firstLine - firstLine) < Math.abs(a.firstLine - firstLine) ? b : a))
        : undefined;
      if (code) model.adaptive = new Map(code.instructions.map((i) => [i[0], i]));
    }
    return model;
  }

  /** Run the file (the extension asks for trust) and show what the adaptive interpreter made of each instruction. */
  /** "work(1000)" or "work(1000) * 50": a call to repeat after the module runs (default 100 times). */
  private specializeCall = '';

  private async specialize(): Promise<void> {
    const version = this.tree?.version ?? 0;
    if (this.optimize !== 0) {
      // The run compiles as `python file.py` does: its offsets are those of the default level.
      this.specialized = {
        version,
        report: { unavailable: '' },
        failure: 'Specialize runs the file as python file.py does: switch the panel to No optimization to see it.',
      };
      this.requestUpdate();
      return;
    }
    const call = parseCall(this.specializeCall);
    if (call === 'invalid') {
      this.specialized = { version, report: { unavailable: '' }, failure: CALL_HINT };
      this.requestUpdate();
      return;
    }
    this.specialized = { version, report: { unavailable: '' }, running: true };
    this.requestUpdate();
    const generation = this.generation;
    const answer = await this.connection.sendRequest(SpecializeRequest.type, {
      version,
      ...(call.call ? { call: call.call, times: call.times, ...(call.callArgs ? { callArgs: call.callArgs } : {}) } : {}),
    });
    if (generation !== this.generation) return;
    const report = answer.ok ? answer.value.result.specialized : undefined;
    const ran = answer.ok ? answer.value.version : version;
    this.specialized = report
      ? { version: ran, report }
      : {
          version: ran,
          report: { unavailable: '' },
          failure: answer.ok ? answer.value.result.summary : answer.error.message,
        };
    const code = this.code;
    if (code?.detail) {
      code.model = this.instructionModel(code.detail.instructions, code.detail.code.qualname, code.detail.code.firstLine);
      this.markCursor();
    }
    metrics.mark('data:specialized');
    this.requestUpdate();
  }

  private specializeStatus(): TemplateResult | typeof nothing {
    const s = this.specialized;
    if (!s) return nothing;
    if (s.running) return html`<span class="hint">Running the file…</span>`;
    if (s.failure) return html`<span class="hint error-text">${s.failure}</span>`;
    if ('unavailable' in s.report) return html`<span class="hint">${s.report.unavailable}</span>`;
    const counts = this.code?.model?.adaptiveCounts();
    const moved = this.tree && this.tree.version !== s.version ? ' (from an earlier version of the text)' : '';
    return html`<span class="hint specialize-summary"
      >${counts ? `After a run: ${counts.specialized} of ${counts.specializable} specializable instructions specialized${moved}` : `After a run${moved}`}${s.report.callError ? ` · ${s.report.callError}` : ''}</span
    >`;
  }

  private toggleBands(): void {
    this.bands = !this.bands;
    persist({ bands: this.bands });
    const code = this.code;
    if (code?.detail) {
      // A new model, so the table draws its rows again.
      code.model = this.instructionModel(code.detail.instructions, code.detail.code.qualname, code.detail.code.firstLine);
      this.markCursor();
    }
    this.sendBands();
    this.requestUpdate();
  }

  protected override updated(): void {
    // The code objects' pane as tall as its rows, up to 30% of the panel (bytecode.css); CSSOM: the CSP blocks style attributes.
    const pane = this.querySelector<HTMLElement>('.code-pane');
    pane?.style.setProperty('--code-rows', String(this.tree?.model?.size ?? 0));
  }

  protected override render(): TemplateResult {
    const state = this.state;
    return html`<header class="toolbar">
        ${fileLabel(state)} ${this.renderOptimize()}
        ${interpreterPicker(this.connection, state, 'See the bytecode of another installed interpreter')}
        ${pinButton(this.connection, state)}
      </header>
      ${this.renderBody()}`;
  }

  private renderOptimize(): TemplateResult {
    return html`<vscode-single-select
      class="optimize"
      aria-label="Optimization level"
      title="Compile as python, python -O or python -OO would"
      .value=${String(this.optimize)}
      @change=${(e: Event) => this.setOptimize(Number((e.target as HTMLSelectElement).value) as OptimizeLevel)}
    >
      ${([0, 1, 2] as const).map((level) => html`<vscode-option value=${String(level)} ?selected=${level === this.optimize}>${OPTIMIZE_LABELS[level]}</vscode-option>`)}
    </vscode-single-select>`;
  }

  private renderBody(): TemplateResult {
    const state = this.state;
    const tree = this.tree;
    if (!state?.document) return html`<p class="message">Open a Python file: the panel shows the bytecode CPython compiles for it.</p>`;
    if (state.interpreterError && !state.interpreter) return html`<p class="message error-text">${state.interpreterError}</p>`;
    if (!tree) return html`<p class="message"><vscode-progress-ring></vscode-progress-ring> Compiling…</p>`;
    return html`${tree.error ? this.renderError(tree.error, tree.stale) : nothing}
    ${tree.failure ? html`<p class="message error-text">${tree.failure}</p>` : nothing}
    ${
      tree.model
        ? html`<div class="code-pane">
              <div class="pane-title">Code objects <span class="status">${this.treeStatus(tree)}</span></div>
              <pi-tree
                class="code-tree"
                .model=${tree.model}
                .current=${this.selected}
                ?stale=${tree.stale}
                mode="tree"
                label="Code objects"
                @tree-select=${this.onCodeSelect}
                @tree-hover=${(e: Event) => e.stopPropagation()}
                @tree-focus=${(e: Event) => e.stopPropagation()}
              ></pi-tree>
            </div>
            ${this.renderCode()}`
        : nothing
    }`;
  }

  private treeStatus(tree: TreeView): string {
    const parts = [`${tree.model?.size ?? 0}`];
    const a = tree.answer;
    if (a) parts.push(`CPython ${a.interpreter.versionText}`, `${Math.round(a.ms)} ms`);
    if (tree.stale) parts.push('out of date');
    return parts.join(' · ');
  }

  private renderCode(): TemplateResult {
    const code = this.code;
    const node = this.selected >= 0 ? this.tree?.model?.nodes[this.selected] : undefined;
    return html`<vscode-tabs
        panel
        selected-index=${BYTECODE_TABS.indexOf(this.tab)}
        @vsc-tabs-select=${(e: CustomEvent<{ selectedIndex: number }>) => this.selectTab(BYTECODE_TABS[e.detail.selectedIndex] ?? 'instructions')}
      >
        ${BYTECODE_TABS.map((tab) => html`<vscode-tab-header slot="header" data-tab=${tab}>${TAB_LABELS[tab]}</vscode-tab-header>`)}
        ${BYTECODE_TABS.map(() => html`<vscode-tab-panel></vscode-tab-panel>`)}
      </vscode-tabs>
      <div class="stage-tools">
        <span class="code-title">${node ? (this.selected === 0 ? '<module>' : node.qualname) : ''}</span>
        ${
          this.tab === 'instructions'
            ? html`<vscode-toolbar-button
                  icon="symbol-color"
                  label="Colour bands"
                  title="Colour each source line and its instructions alike"
                  toggleable
                  ?checked=${this.bands}
                  aria-pressed=${String(this.bands)}
                  @click=${() => this.toggleBands()}
                ></vscode-toolbar-button
                ><vscode-toolbar-button
                  icon="layers"
                  label="Inline caches"
                  title="Show the inline cache entries after each instruction (3.11+)"
                  toggleable
                  ?checked=${this.showCaches}
                  aria-pressed=${String(this.showCaches)}
                  @click=${() => this.toggleCaches()}
                ></vscode-toolbar-button
                ><vscode-toolbar-button
                  class="specialize"
                  icon="zap"
                  label="Specialize"
                  title="Run the file (trusted workspaces only) and show the specialized bytecode CPython 3.11+ writes into each instruction as it runs"
                  ?disabled=${!!this.specialized?.running}
                  @click=${() => void this.specialize()}
                ></vscode-toolbar-button
                ><vscode-textfield
                  class="specialize-call"
                  placeholder="then call, e.g. work(1000) * 50"
                  aria-label="A call to repeat after the module runs, before its bytecode is read"
                  title="Optional: a function of the module to call after it runs, with its arguments, and how many times (100 by default)"
                  .value=${this.specializeCall}
                  @input=${(e: Event) => (this.specializeCall = (e.target as HTMLInputElement).value)}
                  @keydown=${(e: KeyboardEvent) => {
                    if (e.key === 'Enter') void this.specialize();
                  }}
                ></vscode-textfield>`
            : nothing
        }
        <span class="status">${code ? this.codeStatus(code) : ''}</span>
      </div>
      ${this.tab === 'instructions' && this.specialized ? html`<div class="specialize-line">${this.specializeStatus()}</div>` : nothing}
      ${this.renderAlsoOnLine()} ${code?.error ? this.renderError(code.error, code.stale) : nothing}
      ${code?.failure ? html`<p class="message error-text">${code.failure}</p>` : nothing}
      ${!code ? html`<p class="message"><vscode-progress-ring></vscode-progress-ring> Reading the code object…</p>` : this.renderTab(code)}`;
  }

  /** The cursor's line runs in other code objects too: name them, innermost first, one click away. */
  private renderAlsoOnLine(): TemplateResult | typeof nothing {
    const model = this.tree?.model;
    const line = this.cursor ? this.cursor.active[0] + 1 : undefined;
    if (!model || line === undefined || this.tree?.stale) return nothing;
    const ids = model.withLine(line);
    if (ids.length < 2) return nothing;
    return html`<div class="also-on-line" role="group" aria-label="Code objects with instructions on line ${line}">
      <span class="hint">Line ${line} runs in</span>
      ${ids.map((id) => {
        const node = model.nodes[id]!;
        const name = id === 0 ? '<module>' : node.qualname;
        return html`<vscode-button
          secondary
          class="code-chip"
          aria-current=${id === this.selected ? 'true' : nothing}
          title="Show ${name}"
          @click=${() => {
            this.picked = id;
            this.selectCode(id);
          }}
          >${name}</vscode-button
        >`;
      })}
    </div>`;
  }

  private codeStatus(code: CodeView): string {
    const parts: string[] = [];
    const d = code.detail;
    if (d) {
      parts.push(`${d.instructions.length} instructions`, `${d.blocks.length} blocks`);
      parts.push(
        d.maxDepth === d.code.stackSize ? `stack ${d.maxDepth} (= co_stacksize)` : `stack ${d.maxDepth}, co_stacksize ${d.code.stackSize}`,
      );
    }
    if (code.answer) parts.push(`${Math.round(code.answer.ms)} ms`);
    if (code.stale) parts.push('out of date');
    return parts.join(' · ');
  }

  private renderTab(code: CodeView): TemplateResult | typeof nothing {
    const detail = code.detail;
    if (!detail || !code.model) return nothing;
    switch (this.tab) {
      case 'instructions':
        return html`<div class="ins-header" aria-hidden="true">
            <span class="cell line">Line</span><span class="cell offset">Offset</span
            ><span class="cell depth" title="Value-stack depth before the instruction">Stack</span
            ><span class="cell opname">Instruction</span
            >${code.model.adaptive ? html`<span class="cell adaptive">After a run</span>` : nothing}<span class="cell arg">Arg</span
            ><span class="cell argrepr">Argument</span>
          </div>
          <pi-tree
            class="instructions"
            .model=${code.model}
            .current=${this.currentRow}
            .marked=${this.marked}
            ?stale=${code.stale}
            mode="table"
            label="Instructions"
            @tree-select=${this.onInstructionSelect}
            @tree-hover=${this.onInstructionHover}
            @tree-focus=${this.onInstructionHover}
          ></pi-tree>
          ${this.renderOpcodeReference(code)}`;
      case 'cfg':
        return html`<pi-cfg
          class="cfg"
          .input=${detail}
          .marked=${this.markedBlocks}
          @block-select=${(e: CustomEvent<{ block: number; focusEditor: boolean }>) => this.onBlockSelect(e)}
        ></pi-cfg>`;
      case 'exceptions':
        return renderExceptions(detail, {
          versionText: this.code?.answer?.interpreter.versionText ?? '',
          holdsCursor: (from, to) =>
            [...this.marked].some((row) => {
              const i = this.code?.model?.instructionOf(row) ?? -1;
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

  /** What the hovered (else the marked) instruction's opcode does in this interpreter, with its dis documentation. */
  private renderOpcodeReference(code: CodeView): TemplateResult | typeof nothing {
    const model = code.model;
    const version = code.answer?.interpreter.version;
    const row = this.refRow >= 0 && this.refRow < (model?.size ?? 0) ? this.refRow : this.currentRow;
    const ins = model && row >= 0 ? model.instructions[model.instructionOf(row)] : undefined;
    if (!ins || !version) return html`<div class="opcode-ref hint">Hover or focus an instruction to see what it does.</div>`;
    const doc = describeOpcode(ins.opname, version);
    return html`<div class="opcode-ref" role="note">
      <code class="opname">${ins.opname}</code>
      <span class="text">${doc.text ?? 'No description of this opcode here yet.'}</span>
      <a href=${doc.url} title="Open the dis documentation of CPython ${version[0]}.${version[1]}"
        >dis docs for ${version[0]}.${version[1]}</a
      >
    </div>`;
  }

  private renderError(error: StageError, stale: boolean): TemplateResult {
    const span = error.span;
    return html`<div class="error-banner" role="alert">
      <span class="codicon codicon-error"></span>
      ${span ? html`<a href="#" @click=${(e: Event) => (e.preventDefault(), this.select(span, true))}>${error.message} (${spanLabel(span)})</a>` : html`<span>${error.message}</span>`}
      ${stale ? html`<span class="hint">Showing the last bytecode that compiled.</span>` : nothing}
    </div>`;
  }
}

customElements.define('pi-bytecode', BytecodeApp);
