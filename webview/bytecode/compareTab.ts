/**
 * The bytecode panel's Compare tab: the selected code object (found again by
 * qualified name) compiled by another interpreter or at another
 * optimization level, aligned instruction by instruction with the panel's
 * (align.ts), each row linked to the source like the instructions table.
 * It owns its target and its answer; the page lends it what it reads.
 */
import { html, type TemplateResult } from 'lit';
import type { CancellationToken, MessageConnection } from 'vscode-jsonrpc/browser';
import type { CodeNode, CodeObjectResult, OptimizeLevel } from '../../protocol/bytecode';
import { interpreterLabel } from '../../protocol/common';
import type { Span } from '../../protocol/pipeline';
import { type BytecodePanelState, CodeObjectPanelRequest, CodeObjectsPanelRequest } from '../../protocol/webview';
import { LatestRequest } from '../shared/latest';
import { metrics } from '../shared/metrics';
import type { TreeSelectDetail } from '../shared/tree';
import { alignInstructions, compareSummary } from './align';
import { CompareModel } from './compare';
import { CodeTreeModel } from './models';
import { OPTIMIZE_LABELS } from './state';
import type { Detail } from './tables';

/** What the Compare tab sets the panel's code object against. */
export interface CompareTarget {
  /** Another interpreter (an executable); undefined: the panel's own. */
  interpreterPath?: string;
  optimize: OptimizeLevel;
}

interface CompareView {
  key: string;
  model?: CompareModel;
  summary?: string;
  /** Why there is nothing to compare (no such code object there, a failure). */
  message?: string;
}

/** The page's side of a comparison: its state and the code object it shows. */
export interface CompareHost {
  connection(): MessageConnection;
  state(): BytecodePanelState | undefined;
  optimize(): OptimizeLevel;
  /** The Compare tab is the one shown. */
  active(): boolean;
  current(): {
    code?: { version: number; path: number[]; detail?: Detail; stale: boolean; answer?: CodeObjectResult };
    node?: CodeNode;
  };
  update(): void;
  select(span: Span, focusEditor: boolean): void;
}

export class CompareTab {
  /** The target picked in the tab; undefined: the default (see target()). */
  private picked: CompareTarget | undefined;
  private view: CompareView | undefined;
  private readonly request = new LatestRequest<Omit<CompareView, 'key'>>();

  constructor(private readonly host: CompareHost) {}

  /** Another document, interpreter or level: the answer goes; a target equal to the panel's own interpreter too. */
  reset(): void {
    this.request.cancel();
    this.view = undefined;
    // A comparison with the interpreter now shown would compare it with itself.
    if (this.picked?.interpreterPath === this.host.state()?.interpreter?.executable) this.picked = undefined;
  }

  /** The comparison's target: the one picked, else another interpreter (the most distant version), else -O. */
  target(): CompareTarget {
    if (this.picked) return this.picked;
    const state = this.host.state();
    const mine = state?.interpreter;
    const others = (state?.interpreters ?? []).filter((i) => i.executable !== mine?.executable);
    if (mine && others.length) {
      const distance = (v: readonly number[]) => Math.abs((v[1] ?? 0) - (mine.version[1] ?? 0));
      const far = others.reduce((a, b) => (distance(b.version) > distance(a.version) ? b : a));
      return { interpreterPath: far.executable, optimize: this.host.optimize() };
    }
    return { optimize: this.host.optimize() === 0 ? 1 : 0 };
  }

  label(target: CompareTarget): string {
    const state = this.host.state();
    const info = target.interpreterPath ? state?.interpreters.find((i) => i.executable === target.interpreterPath) : state?.interpreter;
    return `${info ? interpreterLabel(info) : 'CPython ?'}${target.optimize === 1 ? ' -O' : target.optimize === 2 ? ' -OO' : ''}`;
  }

  /** On the Compare tab: the same code object (by qualified name) compiled the other way, aligned with this one. */
  load(): void {
    if (!this.host.active()) return;
    const { code, node } = this.host.current();
    const detail = code?.detail;
    if (!code || !detail || !node || code.stale) return;
    const target = this.target();
    const key = `${code.version}|${code.path.join('.')}|${target.interpreterPath ?? ''}|${target.optimize}`;
    if (this.view?.key === key) return;
    this.view = { key };
    this.host.update();
    const shown = (view: Omit<CompareView, 'key'>) => {
      this.view = { key, ...view };
      this.host.update();
    };
    // Another comparison asked for before this one is answered cancels it (its answer is dropped).
    void this.request
      .ask(key, (token) => this.compare({ ...code, detail }, node, target, token))
      .then(
        (view) => view && shown(view),
        (err: unknown) => shown({ message: err instanceof Error ? err.message : String(err) }),
      );
  }

  /** Ask for the tree and then the code object compiled the other way, and align them. */
  private async compare(
    code: { version: number; detail: Detail; answer?: CodeObjectResult },
    node: CodeNode,
    target: CompareTarget,
    token: CancellationToken,
  ): Promise<Omit<CompareView, 'key'>> {
    const detail = code.detail;
    const choice = {
      version: code.version,
      optimize: target.optimize,
      ...(target.interpreterPath ? { interpreterPath: target.interpreterPath } : {}),
    };
    const tree = await this.host.connection().sendRequest(CodeObjectsPanelRequest.type, choice, token);
    if (!tree.ok) return { message: tree.error.message };
    const compiled = tree.value.result;
    if ('error' in compiled) return { message: `${this.label(target)} cannot compile this file: ${compiled.error.message}` };
    const other = new CodeTreeModel(compiled.module);
    const id = node.kind === 'module' ? 0 : other.idOfName(node.qualname, node.kind, node.firstLine);
    if (id < 0)
      return {
        message: `${this.label(target)} has no code object ${node.qualname}: its compiler builds this code differently (3.12+ inlines comprehensions, PEP 709).`,
      };
    // Superseded meanwhile: the second request is not worth sending.
    if (token.isCancellationRequested) return {};
    const asked = await this.host.connection().sendRequest(CodeObjectPanelRequest.type, { ...choice, path: other.path(id) }, token);
    if (!asked.ok) return { message: asked.error.message };
    const answer = asked.value;
    if (!('instructions' in answer.result)) return { message: answer.result.error.message };
    const mineInfo = code.answer?.interpreter;
    const left = {
      label: this.label({ optimize: this.host.optimize() }),
      instructions: detail.instructions,
      stackSize: detail.code.stackSize,
      version: mineInfo?.version ?? [3, 0, 0],
    };
    const right = {
      label: this.label(target),
      instructions: answer.result.instructions,
      stackSize: answer.result.code.stackSize,
      version: answer.interpreter.version,
    };
    const rows = alignInstructions(left.instructions, right.instructions);
    metrics.mark('data:compare');
    return { model: new CompareModel(left, right, rows), summary: compareSummary(left, right, rows) };
  }

  set(patch: Partial<CompareTarget>): void {
    const next = { ...this.target(), ...patch };
    if (!next.interpreterPath || next.interpreterPath === this.host.state()?.interpreter?.executable) delete next.interpreterPath;
    this.picked = next;
    this.load();
    this.host.update();
  }

  render(): TemplateResult {
    const target = this.target();
    const state = this.host.state();
    const view = this.view;
    return html`<div class="stage-tools compare-tools">
        <span>Compare with</span>
        <vscode-single-select
          class="compare-interpreter"
          aria-label="Interpreter to compare with"
          .value=${target.interpreterPath ?? state?.interpreter?.executable ?? ''}
          @change=${(e: Event) => this.set({ interpreterPath: (e.target as HTMLSelectElement).value })}
        >
          ${(state?.interpreters ?? []).map(
            (i) =>
              html`<vscode-option
                value=${i.executable}
                ?selected=${i.executable === (target.interpreterPath ?? state?.interpreter?.executable)}
                >${interpreterLabel(i)}</vscode-option
              >`,
          )}
        </vscode-single-select>
        <vscode-single-select
          class="compare-optimize"
          aria-label="Optimization level to compare with"
          .value=${String(target.optimize)}
          @change=${(e: Event) => this.set({ optimize: Number((e.target as HTMLSelectElement).value) as OptimizeLevel })}
        >
          ${([0, 1, 2] as const).map((level) => html`<vscode-option value=${String(level)} ?selected=${level === target.optimize}>${OPTIMIZE_LABELS[level]}</vscode-option>`)}
        </vscode-single-select>
      </div>
      ${
        !view || (!view.model && !view.message)
          ? html`<p class="message"><vscode-progress-ring></vscode-progress-ring> Compiling with ${this.label(target)}…</p>`
          : view.message
            ? html`<p class="message unavailable"><span class="codicon codicon-info"></span> ${view.message}</p>`
            : html`<p class="compare-summary" role="status">${view.model!.left.label} → ${view.model!.right.label}: ${view.summary}</p>
                <div class="ins-header compare-header" aria-hidden="true">
                  <span class="cell mark"></span><span class="cell side">${view.model!.left.label}</span
                  ><span class="cell side">${view.model!.right.label}</span>
                </div>
                <pi-tree
                  class="compare"
                  .model=${view.model}
                  mode="table"
                  label="Instructions compared"
                  @tree-select=${(e: CustomEvent<TreeSelectDetail>) => {
                    e.stopPropagation();
                    const span = view.model!.span(e.detail.id);
                    if (span) this.host.select(span, e.detail.focusEditor);
                  }}
                  @tree-hover=${(e: Event) => e.stopPropagation()}
                  @tree-focus=${(e: Event) => e.stopPropagation()}
                ></pi-tree>`
      }`;
  }
}
