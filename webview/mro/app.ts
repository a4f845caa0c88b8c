/**
 * `<pi-mro>`: the MRO panel's page. For the class at the editor's cursor (or
 * one picked from the file's list): its linearization, the inheritance graph,
 * the C3 merge step by step, and where each attribute resolves, all from the
 * static MRO (nothing runs); "Run" adds CPython's own `__mro__` and
 * attribute kinds beside them, differences flagged.
 *
 * Data flow: the extension sends the followed document's state; the page
 * asks for the class at the cursor at that version (the server answers for
 * its current one); cursor notifications ask again. The list item of the
 * class that follows the cursor carries aria-current.
 */
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import type { MessageConnection } from 'vscode-jsonrpc/browser';
import { type C3Step, classLabel, type MroClass, type MroResult, type RuntimeClassMro, type StaticMro } from '../../protocol/mro';
import type { RunResult } from '../../protocol/runtime';
import {
  type Answer,
  CursorNotification,
  type MroPanelState,
  MroPanelRequest,
  MroRuntimeRequest,
  MroStateNotification,
  ReadyNotification,
  type RunAnswer,
  SelectSourceNotification,
} from '../../protocol/webview';
import { fileLabel, filterField, interpreterPicker, pinButton } from '../shared/header';
import { LatestRequest } from '../shared/latest';
import { metrics } from '../shared/metrics';
import { persist } from '../shared/vscodeApi';
import { attributeRows, compareMro, ruleOf } from './models';

export class MroApp extends LitElement {
  private connection!: MessageConnection;
  private state: MroPanelState | undefined;
  private result: MroResult | undefined;
  private failure = '';
  /** The editor's cursor in the followed document (0-based, UTF-16). */
  private cursor: { line: number; character: number } | undefined;
  /** A class picked from the list: shown until the cursor moves. */
  private picked: string | undefined;
  private revealSerial = 0;
  private runtime: { result: RunResult; version: number } | undefined;
  private runtimeBusy = false;
  private runtimeFailure = '';
  private query = '';
  private showImplicit = false;
  /** The static MRO asked for: a newer request (the cursor moved) cancels the last. */
  private readonly mroRequest = new LatestRequest<Answer<MroResult>>();
  /** A run of the module, cancelled when the panel moves to another file. */
  private readonly runRequest = new LatestRequest<Answer<RunAnswer>>();
  /** The class shown is the one at the editor's cursor (not one picked from the list, nor kept while the cursor is outside every class). */
  private atCursor = false;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  connect(connection: MessageConnection): void {
    this.connection = connection;
    connection.onNotification(MroStateNotification.type, (state) => this.onState(state));
    connection.onNotification(CursorNotification.type, (c) => {
      if (c.uri !== this.state?.document?.uri) return;
      this.cursor = { line: c.active[0], character: c.active[1] };
      this.picked = undefined;
      void this.request();
    });
    void connection.sendNotification(ReadyNotification.type);
  }

  private onState(state: MroPanelState): void {
    const before = this.state;
    this.state = state;
    // For the panel's serializer: after a window reload it comes back on this file, pinned as it was.
    persist({ uri: state.document?.uri, pinned: state.pinned });
    const sameDocument = before?.document?.uri === state.document?.uri;
    if (!sameDocument) {
      this.result = undefined;
      // A run of the last file is not about what the panel shows now.
      this.runRequest.cancel();
      this.runtimeBusy = false;
      this.runtime = undefined;
      this.runtimeFailure = '';
      this.picked = undefined;
      this.cursor = undefined;
    }
    if (state.reveal && state.reveal.serial !== this.revealSerial) {
      this.revealSerial = state.reveal.serial;
      this.cursor = { line: state.reveal.line, character: state.reveal.character };
      this.picked = undefined;
    }
    if (!sameDocument || before?.document?.version !== state.document?.version || state.reveal) void this.request();
    this.requestUpdate();
  }

  /** Ask for the picked class, else the one at the cursor; `keep`: this once, the class shown (the cursor left every class). */
  private async request(keep?: string): Promise<void> {
    const doc = this.state?.document;
    if (!doc) return;
    const qualname = keep ?? this.picked;
    const params = { version: doc.version, ...(qualname ? { qualname } : this.cursor ? { position: this.cursor } : {}) };
    const answer = await this.mroRequest.ask(JSON.stringify(params), (token) => {
      metrics.mark('mro:request');
      return this.connection.sendRequest(MroPanelRequest.type, params, token);
    });
    if (!answer) return;
    if (!answer.ok) {
      this.failure = answer.error.message;
    } else {
      this.failure = '';
      const result = answer.value;
      // Nothing at the cursor (between classes): keep showing the last class, if the file still has it.
      const shown = this.result?.detail?.cls.qualname;
      if (!result.detail && !keep && shown && result.classes.some((c) => c.qualname === shown)) return void this.request(shown);
      this.result = result;
      this.atCursor = !qualname && !!result.detail;
    }
    this.requestUpdate();
    await this.updateComplete;
    metrics.mark('mro:painted');
  }

  private async run(): Promise<void> {
    const doc = this.state?.document;
    if (!doc || this.runtimeBusy) return;
    this.runtimeBusy = true;
    this.runtimeFailure = '';
    this.requestUpdate();
    try {
      const answer = await this.runRequest.ask(`${doc.uri}|${doc.version}`, (token) =>
        this.connection.sendRequest(MroRuntimeRequest.type, { version: doc.version }, token),
      );
      // Cancelled: the panel moved to another file meanwhile (onState ended the run).
      if (!answer) return;
      if (answer.ok) this.runtime = answer.value;
      else this.runtimeFailure = answer.error.message;
    } catch (err) {
      this.runtimeFailure = `The run failed: ${err instanceof Error ? err.message : String(err)}`;
    }
    this.runtimeBusy = false;
    this.requestUpdate();
  }

  private goTo(c: MroClass | undefined, focusEditor: boolean): void {
    if (!c?.uri || !c.span) return;
    void this.connection.sendNotification(SelectSourceNotification.type, { uri: c.uri, span: c.span, focusEditor });
  }

  private pick(qualname: string): void {
    this.picked = qualname;
    void this.request();
  }

  protected override render(): TemplateResult {
    const state = this.state;
    const detail = this.result?.detail;
    return html`<header class="toolbar">
        <span class="codicon codicon-type-hierarchy"></span>
        ${fileLabel(state)} ${interpreterPicker(this.connection, state, 'The interpreter the runtime MRO runs under')}
        ${pinButton(this.connection, state)}
        <vscode-button
          class="run-mro"
          icon="play"
          ?disabled=${this.runtimeBusy || !state?.document}
          title=${state?.trusted ? 'Import the module and read CPython’s own __mro__ (runs your code)' : 'Runs your code: trusted workspaces only'}
          @click=${() => void this.run()}
          >${this.runtimeBusy ? 'Running…' : 'Run: real __mro__'}</vscode-button
        >
      </header>
      <div class="report-scroll mro">
        ${this.failure ? html`<p class="error-text" role="alert">${this.failure}</p>` : nothing}
        ${this.runtimeFailure ? html`<p class="error-text" role="alert">${this.runtimeFailure}</p>` : nothing}
        ${this.runtime ? this.renderRunSummary(this.runtime.result) : nothing} ${this.renderClassList(detail)}
        ${
          detail
            ? this.renderDetail(detail)
            : this.result
              ? html`<p class="message">
                  ${this.result.classes.length ? 'Put the cursor in a class, or pick one above.' : 'No class in this file.'}
                </p>`
              : html`<p class="message">${state?.document ? 'Reading the classes…' : 'Open a Python file.'}</p>`
        }
      </div>`;
  }

  private renderRunSummary(r: RunResult): TemplateResult {
    const stale = this.runtime && this.state?.document && this.runtime.version !== this.state.document.version;
    return html`<p class="run-summary ${r.exit.status === 0 ? '' : 'error-text'}" role="status">
      Runtime: CPython ${r.interpreter.versionText}, module ${r.mro?.module ?? '?'} imported ·
      ${r.summary}${stale ? ' · the file changed since: run again' : ''}
    </p>`;
  }

  private renderClassList(detail: StaticMro | undefined): TemplateResult | typeof nothing {
    const classes = this.result?.classes ?? [];
    if (classes.length === 0) return nothing;
    return html`<nav class="mro-classes" aria-label="Classes in this file">
      <ul>
        ${classes.map((c) => {
          const current = detail?.cls.qualname === c.qualname;
          return html`<li>
            <a
              href="#"
              class=${current ? 'current' : ''}
              aria-current=${current && this.atCursor ? 'true' : 'false'}
              aria-label=${current ? `${c.qualname} (shown)` : c.qualname}
              @click=${(e: Event) => (e.preventDefault(), this.pick(c.qualname))}
              title=${c.error ?? c.mro.join(' → ')}
              ><code>${c.qualname}</code
              >${c.error ? html` <span class="flag error">TypeError</span>` : c.complete ? nothing : html` <span class="flag">partial</span>`}</a
            >
          </li>`;
        })}
      </ul>
    </nav>`;
  }

  private runtimeClass(detail: StaticMro): RuntimeClassMro | undefined {
    return this.runtime?.result.mro?.classes.find(
      (c) => c.qualname === detail.cls.qualname && this.runtime!.result.mro!.module === detail.cls.module,
    );
  }

  private renderDetail(detail: StaticMro): TemplateResult {
    const runtime = this.runtimeClass(detail);
    return html`<section class="mro-detail">
      <h2>
        <a href="#" @click=${(e: Event) => (e.preventDefault(), this.goTo(detail.cls, false))}><code>${detail.cls.qualname}</code></a>
        ${detail.metaclass ? html`<span class="hint">metaclass=${detail.metaclass}</span>` : nothing}
        ${detail.slots ? html`<span class="hint">__slots__ = (${detail.slots.map((s) => `'${s}'`).join(', ')})</span>` : nothing}
      </h2>
      ${detail.error ? html`<p class="error-text mro-error" role="alert">TypeError: ${detail.error}</p>` : nothing}
      ${this.renderLinearization(detail, runtime)}
      <h3>Inheritance graph</h3>
      <p class="hint">
        Bases above their subclasses; the numbers are the MRO's order; edges numbered by base position. Dashed: not followed statically.
      </p>
      <pi-mro-graph
        .detail=${detail}
        @class-select=${(e: CustomEvent<{ key: string; focusEditor: boolean }>) =>
          this.goTo(
            detail.graph.classes.find((c) => c.key === e.detail.key),
            e.detail.focusEditor,
          )}
      ></pi-mro-graph>
      ${this.renderSteps(detail)} ${this.renderAttributes(detail, runtime)}
    </section>`;
  }

  private chip(c: MroClass, home: string, differs = false): TemplateResult {
    const label = classLabel(c, home);
    const title = c.unresolved
      ? `Not resolved statically: ${c.unresolved}`
      : c.uri
        ? `${c.module}.${c.qualname}: click to go to its definition`
        : `${c.module}.${c.qualname}`;
    return html`<li>
      <a
        href="#"
        class="mro-chip ${c.unresolved ? 'unresolved' : ''} ${differs ? 'differs' : ''}"
        title=${title}
        @click=${(e: Event) => (e.preventDefault(), this.goTo(c, false))}
        @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && (e.preventDefault(), this.goTo(c, true))}
        ><code>${label}</code></a
      >
    </li>`;
  }

  private renderLinearization(detail: StaticMro, runtime: RuntimeClassMro | undefined): TemplateResult {
    const home = detail.cls.module;
    const comparison = runtime && !detail.error ? compareMro(detail, runtime) : undefined;
    const stop = detail.mro.find((c) => c.key === detail.stopsAt);
    return html`<h3>Linearization</h3>
      <div class="mro-row">
        <span class="mro-side">Static</span>
        <ol class="mro-line" aria-label="Static MRO">
          ${detail.mro.map((c, i) => this.chip(c, home, comparison?.differs[i]))}
        </ol>
      </div>
      ${stop ? html`<p class="hint">Exact up to <code>${stop.qualname}</code>: ${stop.unresolved}. What follows assumes it derives from <code>object</code> only; run it for the real MRO.</p>` : nothing}
      ${
        detail.metaclass && detail.metaclass !== 'type'
          ? html`<p class="hint">
              With <code>metaclass=${detail.metaclass}</code>: a metaclass that defines <code>mro()</code> replaces C3; the static MRO
              assumes it does not.
            </p>`
          : nothing
      }
      ${
        runtime
          ? html`<div class="mro-row">
                <span class="mro-side">Runtime</span>
                <ol class="mro-line" aria-label="Runtime MRO">
                  ${runtime.mro.map(
                    (c) =>
                      html`<li>
                        <span class="mro-chip runtime" title=${c.file ?? c.module}><code>${classLabel(c, home)}</code></span>
                      </li>`,
                  )}
                </ol>
              </div>
              <p class="hint ${comparison?.agree ? '' : 'error-text'}">
                ${
                  comparison?.agree
                    ? comparison.upTo === detail.mro.length
                      ? 'The static MRO is CPython’s.'
                      : `They agree up to where the static MRO stops (${comparison.upTo} classes).`
                    : 'The static and runtime MROs differ (flagged): the file changed since the run, or a base is rebound at run time.'
                }
                Metaclass ${runtime.metaclass}${runtime.slots ? ` · __slots__ ${runtime.slots.join(', ')}` : ''}.
              </p>`
          : this.runtime && !detail.error
            ? html`<p class="hint">
                The run has no class <code>${detail.cls.qualname}</code> (defined in a function, or the module failed before it).
              </p>`
            : nothing
      }`;
  }

  private renderSteps(detail: StaticMro): TemplateResult {
    const home = detail.cls.module;
    const byKey = new Map(detail.graph.classes.map((c) => [c.key, c]));
    const name = (key: string) => {
      const c = byKey.get(key);
      return c ? classLabel(c, home) : key;
    };
    if (detail.steps.length === 0) {
      const only = detail.bases[0];
      return html`<h3>C3 merge</h3>
        <p class="hint">
          ${
            detail.error
              ? 'CPython refuses the bases before any merge.'
              : html`One base: the MRO is <code>${detail.cls.qualname}</code> followed by the MRO of
                  <code>${only ? classLabel(only, home) : 'object'}</code> (CPython takes this shortcut; no merge, no conflict possible).`
          }
        </p>`;
    }
    const listName = (i: number, count: number) => (i === count - 1 ? 'bases' : `MRO(${name(detail.bases[i]?.key ?? '')})`);
    return html`<h3>C3 merge</h3>
      <p class="hint">
        merge(MRO of each base, then the bases in order): each round takes the first head (leftmost list first) that is in no list's tail,
        removes it from every list, and starts over.
      </p>
      <table class="gc-table mro-steps">
        <thead>
          <tr>
            <th>#</th>
            <th>Lists still to merge</th>
            <th>Taken</th>
          </tr>
        </thead>
        <tbody>
          ${detail.steps.map((s, n) => this.renderStep(s, n, name, listName))}
        </tbody>
      </table>`;
  }

  private renderStep(
    step: C3Step,
    n: number,
    name: (key: string) => string,
    listName: (i: number, count: number) => string,
  ): TemplateResult {
    const rejected = new Map(step.rejected.map((r) => [r.head, r.inTailOf]));
    return html`<tr tabindex="0" class=${step.chosen ? '' : 'failed'}>
      <td>${n + 1}</td>
      <td class="lists">
        ${step.lists.map((list, i) =>
          list.length === 0
            ? nothing
            : html`<span class="c3-list" title=${listName(i, step.lists.length)}
                >[${list.map((key, k) => {
                  const inTail = k === 0 ? rejected.get(key) : undefined;
                  const cls = k === 0 ? (key === step.chosen ? 'head chosen' : inTail !== undefined ? 'head rejected' : 'head') : '';
                  return html`${k ? ', ' : ''}<span
                      class=${cls}
                      title=${inTail !== undefined ? `in the tail of ${listName(inTail, step.lists.length)}: not yet` : ''}
                      >${name(key)}</span
                    >`;
                })}]</span
              > `,
        )}
      </td>
      <td>
        ${
          step.chosen
            ? html`<code>${name(step.chosen)}</code
                >${step.rejected.length ? html`<span class="hint"> (after ${step.rejected.map((r) => name(r.head)).join(', ')}: in a tail)</span>` : nothing}`
            : html`<span class="error-text">none: every head is in another list's tail</span>`
        }
      </td>
    </tr>`;
  }

  private renderAttributes(detail: StaticMro, runtime: RuntimeClassMro | undefined): TemplateResult {
    if (detail.error) return html``;
    const home = detail.cls.module;
    const q = this.query.trim().toLowerCase();
    const rows = attributeRows(detail, runtime, this.showImplicit).filter((r) => !q || r.name.toLowerCase().includes(q));
    return html`<h3>Attribute resolution</h3>
      <p class="hint">
        <code>obj.attr</code> looks on the type first: a data descriptor there (property, slot, anything with <code>__set__</code>) wins
        over the instance's <code>__dict__</code>; otherwise the instance's own value wins, then the first class of the MRO that defines it.
      </p>
      <div class="mro-attr-tools">
        ${filterField({ className: 'type-filter', placeholder: 'Attribute', label: 'Filter attributes', value: this.query, onInput: (text) => ((this.query = text), this.requestUpdate()) })}
        ${
          runtime
            ? html`<vscode-checkbox
                ?checked=${this.showImplicit}
                @change=${(e: Event) => ((this.showImplicit = (e.target as HTMLInputElement).checked), this.requestUpdate())}
                >Also object's and implicit attributes</vscode-checkbox
              >`
            : nothing
        }
      </div>
      <table class="gc-table mro-attributes">
        <thead>
          <tr>
            <th>Attribute</th>
            <th>Resolves to</th>
            <th>Kind</th>
            <th>Shadows</th>
            <th>obj.attr</th>
            ${runtime ? html`<th>Runtime</th>` : nothing}
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (r) =>
              html`<tr
                tabindex="0"
                class=${r.differs ? 'differs' : ''}
                @click=${() => this.goToAttribute(r.definedIn, r.line, false)}
                @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && this.goToAttribute(r.definedIn, r.line, true)}
              >
                <td><code>${r.name}</code></td>
                <td>${r.definedIn ? html`<code>${classLabel(r.definedIn, home)}</code>` : html`<span class="flag">run only</span>`}</td>
                <td>${r.kind ?? r.runtime?.kind}</td>
                <td>
                  ${r.shadows.length ? r.shadows.map((s, i) => html`${i ? ', ' : ''}<code>${classLabel(s.cls, home)}</code>`) : r.runtime && !r.definedIn ? r.runtime.shadows.map((c) => classLabel(c, home)).join(', ') : '—'}
                </td>
                <td class="hint" title=${ruleOf(r.kind ?? r.runtime!.kind).rule}>${ruleOf(r.kind ?? r.runtime!.kind).label}</td>
                ${
                  runtime
                    ? html`<td>
                        ${
                          r.runtime
                            ? html`${r.differs ? html`<span class="flag error" title="The run disagrees with the static view">differs</span> ` : nothing}<code
                                  >${classLabel(r.runtime.definedIn, home)}</code
                                >
                                · ${r.runtime.kind} <span class="hint">(${r.runtime.type})</span>`
                            : html`<span class="flag error">not on the class</span>`
                        }
                      </td>`
                    : nothing
                }
              </tr>`,
          )}
        </tbody>
      </table>
      ${rows.length === 0 ? html`<p class="hint">No attribute defined in the bodies of the classes the static view resolved.</p>` : nothing}`;
  }

  private goToAttribute(cls: MroClass | undefined, line: number | undefined, focusEditor: boolean): void {
    if (!cls?.uri || !line) return this.goTo(cls, focusEditor);
    void this.connection.sendNotification(SelectSourceNotification.type, { uri: cls.uri, span: [line - 1, 0, line - 1, 0], focusEditor });
  }
}

customElements.define('pi-mro', MroApp);
