/**
 * `<pi-pipeline>`: the compiler-pipeline panel's page. Header (file,
 * interpreter picker, pin), one tab per stage, and the stage's tree or table,
 * linked both ways to the editor through typed messages.
 *
 * Data flow: the extension sends the followed document's state (URI,
 * version); the page asks for the stage of its tab at that version; a cursor
 * notification marks and reveals the item there. A stage that fails (a syntax
 * error) shows CPython's message and keeps the last good tree, greyed.
 */
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import type { MessageConnection } from 'vscode-jsonrpc/browser';
import { PIPELINE_STAGES, type PipelineResult, type PipelineStage, type Span, type StageError } from '../../protocol/pipeline';
import {
  type Answer,
  CopyAstDumpRequest,
  CursorNotification,
  type CursorParams,
  HighlightNotification,
  PipelineStateNotification,
  type PipelinePanelState,
  ReadyNotification,
  SelectSourceNotification,
  StageRequest,
} from '../../protocol/webview';
import { metrics } from '../shared/metrics';
import { errorBanner } from '../shared/errorBanner';
import { LatestRequest } from '../shared/latest';
import { spanEquals } from '../shared/spans';
import type { PiTree, TreeSelectDetail } from '../shared/tree';
import { compareStates, fileLabel, filterField, interpreterPicker, pinButton } from '../shared/header';
import { persist, persisted } from '../shared/vscodeApi';
import { type LinkedModel, NodeTreeModel, ScopeModel, TokenModel } from './models';

const TAB_LABELS: Record<PipelineStage, string> = {
  tokens: 'Tokens',
  ast: 'AST',
  optimizedAst: 'Optimized AST',
  symtable: 'Symbol table',
  syntaxTree: 'Syntax tree (tree-sitter)',
};

interface StageView {
  /** Version of the document this view's data is for. */
  version: number;
  model?: LinkedModel;
  /** The model is from an older version: the current one failed. */
  stale: boolean;
  error?: StageError;
  unavailable?: string;
  failure?: string;
  result?: PipelineResult;
}

export class PipelineApp extends LitElement {
  private connection!: MessageConnection;
  private state: PipelinePanelState | undefined;
  private tab: PipelineStage = 'ast';
  private readonly views = new Map<PipelineStage, StageView>();
  /** One request per stage: a newer version of a stage cancels the request for the older one. */
  private readonly requests = new Map(PIPELINE_STAGES.map((stage) => [stage, new LatestRequest<Answer<PipelineResult>>()]));
  private cursor: CursorParams | undefined;
  private current = -1;
  /** The item last clicked: when the editor's selection is exactly its span, it stays marked (a parent may share it). */
  private chosen = -1;
  private typeQuery = '';
  private searchQuery = '';
  private notice = '';

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  connect(connection: MessageConnection): void {
    this.connection = connection;
    const saved = persisted();
    if (saved.tab && (PIPELINE_STAGES as readonly string[]).includes(saved.tab)) this.tab = saved.tab as PipelineStage;
    connection.onNotification(PipelineStateNotification.type, (state) => this.onState(state));
    connection.onNotification(CursorNotification.type, (cursor) => this.onCursor(cursor));
    void connection.sendNotification(ReadyNotification.type);
  }

  private get uri(): string | undefined {
    return this.state?.document?.uri;
  }

  private onState(state: PipelinePanelState): void {
    const before = this.state;
    this.state = state;
    const { sameDocument, sameInterpreter } = compareStates(before, state);
    if (!sameDocument || !sameInterpreter) {
      // What is asked and shown is of another document or interpreter: cancelled, and dropped.
      for (const request of this.requests.values()) request.cancel();
      this.views.clear();
      this.current = -1;
      this.chosen = -1;
      if (!sameDocument) this.cursor = undefined;
    }
    persist({ uri: state.document?.uri, pinned: state.pinned });
    this.requestUpdate();
    void this.load(this.tab);
  }

  /** Ask for a stage unless it is here (or asked for) at the document's version. */
  private async load(stage: PipelineStage): Promise<void> {
    const version = this.state?.document?.version;
    if (version === undefined) return;
    const view = this.views.get(stage);
    // A failure (the worker timed out, the server restarted) is asked again; CPython's verdicts are kept.
    if (view && view.version >= version && !view.failure) return;
    const answer = await this.requests.get(stage)!.ask(`${version}`, (token) => {
      metrics.mark(`request:${stage}`);
      return this.connection.sendRequest(StageRequest.type, { stage, version }, token);
    });
    if (!answer) return;
    metrics.mark(`data:${stage}`);
    this.accept(stage, version, answer);
  }

  private accept(stage: PipelineStage, version: number, answer: Answer<PipelineResult>): void {
    const result = answer.ok ? answer.value : undefined;
    if (result && result.uri !== this.uri) return;
    const previous = this.views.get(stage);
    // Answers can overtake each other (a broken version costs CPython two parses): never go back in time.
    const answered = result ? result.version : version;
    if (previous && previous.version > answered) return;
    const view: StageView = { version: answered, stale: false };
    if (!answer.ok) view.failure = answer.error.message;
    else {
      view.result = answer.value;
      const r = answer.value.result;
      if ('data' in r) view.model = buildModel(r);
      else if ('error' in r) view.error = r.error;
      else view.unavailable = r.unavailable;
    }
    if (!view.model && previous?.model && (view.error || view.failure)) {
      view.model = previous.model;
      view.stale = true;
    }
    if (stage === 'tokens' && view.model && result && 'data' in result.result) {
      const data = result.result.data as { error?: StageError };
      view.error = data.error;
    }
    this.views.set(stage, view);
    if (stage === this.tab) {
      this.current = this.itemAtCursor();
      this.requestUpdate();
      void this.updateComplete.then(() => {
        this.tree?.reveal(this.current);
        requestAnimationFrame(() => metrics.mark(`paint:${stage}`));
      });
    }
  }

  private get view(): StageView | undefined {
    return this.views.get(this.tab);
  }

  private get tree(): PiTree | null {
    return this.querySelector<PiTree>('pi-tree');
  }

  private onCursor(cursor: CursorParams): void {
    if (cursor.uri !== this.uri) return;
    this.cursor = cursor;
    metrics.mark('cursor');
    const next = this.itemAtCursor();
    if (next !== this.current) {
      this.current = next;
      this.requestUpdate();
    }
    void this.updateComplete.then(() => {
      if (this.current >= 0) this.tree?.reveal(this.current);
      requestAnimationFrame(() => metrics.mark('cursor-marked'));
    });
  }

  private itemAtCursor(): number {
    const model = this.view?.model;
    const cursor = this.cursor;
    if (!model || !cursor) return -1;
    // A selection made by clicking an item is exactly its span: keep that item (an Expr and its Call share one).
    const chosenSpan = this.chosen >= 0 ? model.span(this.chosen) : null;
    if (chosenSpan && spanEquals(chosenSpan, cursor.selection)) return this.chosen;
    const empty = cursor.selection[0] === cursor.selection[2] && cursor.selection[1] === cursor.selection[3];
    // A cursor: the innermost item holding it. A selection: the innermost item holding all of it.
    if (empty) return model.itemAt(cursor.active[0], cursor.active[1]);
    return model.itemCovering(cursor.selection);
  }

  private selectTab(stage: PipelineStage): void {
    if (stage === this.tab) return;
    this.tab = stage;
    this.chosen = -1;
    persist({ tab: stage });
    this.current = this.itemAtCursor();
    this.highlight([], 'node');
    this.highlight([], 'occurrences');
    this.requestUpdate();
    void this.load(stage);
    void this.updateComplete.then(() => this.tree?.reveal(this.current));
  }

  private highlight(spans: Span[], kind: 'node' | 'occurrences'): void {
    const uri = this.uri;
    if (uri) void this.connection.sendNotification(HighlightNotification.type, { uri, spans, kind });
  }

  private onSelect(e: CustomEvent<TreeSelectDetail>): void {
    const model = this.view?.model;
    const uri = this.uri;
    if (!model || !uri || this.view?.stale) return;
    const span = model.span(e.detail.id);
    this.chosen = e.detail.id;
    if (model instanceof ScopeModel) this.highlight(model.occurrences(e.detail.id), 'occurrences');
    if (span) void this.connection.sendNotification(SelectSourceNotification.type, { uri, span, focusEditor: e.detail.focusEditor });
  }

  private onHover(e: CustomEvent<TreeSelectDetail>): void {
    const model = this.view?.model;
    if (!model || this.view?.stale) return;
    const span = e.detail.id >= 0 ? model.span(e.detail.id) : null;
    this.highlight(span ? [span] : [], 'node');
  }

  private async copyDump(): Promise<void> {
    const tree = this.tree;
    const view = this.view;
    if (!tree || !view || (this.tab !== 'ast' && this.tab !== 'optimizedAst')) return;
    const node = tree.active >= 0 ? tree.active : 0;
    const uri = this.uri;
    if (!uri || view.stale) return;
    const answer = await this.connection.sendRequest(CopyAstDumpRequest.type, { uri, stage: this.tab, node, version: view.version });
    this.notice = answer.ok ? 'Copied ast.dump of the node to the clipboard.' : answer.error.message;
    this.requestUpdate();
  }

  private filterFor(model: LinkedModel): ((id: number) => boolean) | null {
    const type = this.typeQuery.trim().toLowerCase();
    const search = this.searchQuery.trim().toLowerCase();
    if (!type && !search) return null;
    const rowOk = model instanceof NodeTreeModel ? (id: number) => model.isRow(id) : () => true;
    return (id) =>
      rowOk(id) && (!type || model.typeOf(id).toLowerCase().includes(type)) && (!search || model.searchText(id).includes(search));
  }

  private filterCache: { model?: LinkedModel; type: string; search: string; fn: ((id: number) => boolean) | null } = {
    type: '',
    search: '',
    fn: null,
  };

  private cachedFilter(model: LinkedModel): ((id: number) => boolean) | null {
    const c = this.filterCache;
    if (c.model !== model || c.type !== this.typeQuery || c.search !== this.searchQuery) {
      this.filterCache = { model, type: this.typeQuery, search: this.searchQuery, fn: this.filterFor(model) };
    }
    return this.filterCache.fn;
  }

  protected override render(): TemplateResult {
    const state = this.state;
    return html`<header class="toolbar">
        ${fileLabel(state)} ${interpreterPicker(this.connection, state, 'See the stages under another installed interpreter')}
        ${pinButton(this.connection, state)}
      </header>
      <vscode-tabs
        panel
        selected-index=${PIPELINE_STAGES.indexOf(this.tab)}
        @vsc-tabs-select=${(e: CustomEvent<{ selectedIndex: number }>) => this.selectTab(PIPELINE_STAGES[e.detail.selectedIndex] ?? 'ast')}
      >
        ${PIPELINE_STAGES.map((stage) => html`<vscode-tab-header slot="header" data-stage=${stage}>${TAB_LABELS[stage]}</vscode-tab-header>`)}
        ${PIPELINE_STAGES.map(() => html`<vscode-tab-panel></vscode-tab-panel>`)}
      </vscode-tabs>
      ${this.renderStage()}`;
  }

  private renderStage(): TemplateResult {
    const state = this.state;
    const view = this.view;
    if (!state?.document)
      return html`<p class="message">Open a Python file: the panel shows its tokens, AST, symbol table and syntax tree.</p>`;
    if (!view) return html`<p class="message"><vscode-progress-ring></vscode-progress-ring> Loading ${TAB_LABELS[this.tab]}…</p>`;
    const model = view.model;
    const isAst = this.tab === 'ast' || this.tab === 'optimizedAst';
    const r = view.result;
    return html`<div class="stage-tools">
        ${filterField({
          className: 'type-filter',
          placeholder: this.tab === 'tokens' ? 'Token type' : this.tab === 'symtable' ? 'Scope type or flag' : 'Node type',
          label: 'Filter by type',
          value: this.typeQuery,
          onInput: (text) => ((this.typeQuery = text), this.requestUpdate()),
        })}
        ${filterField({ className: 'search', placeholder: 'Search names and values', label: 'Search', value: this.searchQuery, icon: 'search', onInput: (text) => ((this.searchQuery = text), this.requestUpdate()) })}
        ${
          isAst
            ? html`<vscode-toolbar-button
                icon="copy"
                label="Copy as ast.dump"
                title="Copy the focused node as ast.dump(node, indent=2)"
                @click=${() => void this.copyDump()}
              ></vscode-toolbar-button>`
            : nothing
        }
        <span class="status">${this.statusText(view, r)}</span>
      </div>
      ${view.error ? this.renderError(view.error, view.stale) : nothing}
      ${view.failure ? html`<p class="message error-text">${view.failure}</p>` : nothing}
      ${view.unavailable ? html`<p class="message unavailable"><span class="codicon codicon-info"></span> ${view.unavailable}</p>` : nothing}
      ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : nothing}
      ${
        model
          ? html`<pi-tree
              .model=${model}
              .current=${this.current}
              .filter=${this.cachedFilter(model)}
              ?stale=${view.stale}
              mode=${this.tab === 'tokens' ? 'table' : 'tree'}
              label=${TAB_LABELS[this.tab]}
              class="stage-${this.tab}"
              @tree-select=${this.onSelect}
              @tree-hover=${this.onHover}
              @tree-focus=${this.onHover}
            ></pi-tree>`
          : nothing
      }`;
  }

  private statusText(view: StageView, r: PipelineResult | undefined): string {
    const parts: string[] = [];
    const tree = this.tree;
    if (view.model)
      parts.push(
        `${view.model.size.toLocaleString()} ${this.tab === 'tokens' ? 'tokens' : this.tab === 'symtable' ? 'scopes and names' : 'nodes'}`,
      );
    if (tree?.filter) parts.push(`${tree.matchCount.toLocaleString()} match`);
    if (r?.interpreter && this.tab !== 'syntaxTree') parts.push(`CPython ${r.interpreter.versionText}`);
    if (r) parts.push(`${Math.round(r.ms)} ms`);
    if (view.stale) parts.push('out of date');
    return parts.join(' · ');
  }

  private renderError(error: StageError, stale: boolean): TemplateResult {
    return errorBanner(error, stale ? 'Showing the last tree that compiled.' : undefined, (span) => {
      const uri = this.uri;
      if (uri) void this.connection.sendNotification(SelectSourceNotification.type, { uri, span, focusEditor: true });
    });
  }
}

function buildModel(result: { stage: PipelineStage; data: unknown }): LinkedModel {
  switch (result.stage) {
    case 'tokens':
      return new TokenModel((result.data as { tokens: never }).tokens);
    case 'symtable':
      return new ScopeModel(result.data as never);
    case 'syntaxTree':
      return new NodeTreeModel(result.data as never, 'cst');
    default:
      return new NodeTreeModel(result.data as never, 'ast');
  }
}

customElements.define('pi-pipeline', PipelineApp);
