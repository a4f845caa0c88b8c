/**
 * `<pi-gc>`: the GC report of one run. How the run ended (and the script's
 * exception, its frames one click from the source), the collections on a
 * timeline per generation (uPlot), totals per generation, the collector's
 * thresholds, counts and stats before and after, what the collections freed
 * from reference cycles by type, and the largest cycles drawn as graphs
 * (Graphviz). Everything labelled as the running interpreter reports it.
 *
 * The report arrives by message and is kept with the page's state, so the
 * panel comes back after a window reload.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { GcCycle, GcReport, RunResult } from '../../protocol/runtime';
import type { RuntimeReportState } from '../../protocol/webview';
import { CALL_HINT, callField, parseCall } from '../shared/chosenCall';
import { dotEscape, graphviz } from '../shared/graphviz';
import { filterField } from '../shared/header';
import { metrics } from '../shared/metrics';
import { ReportPage } from '../shared/reportPage';
import type { PiTimeline } from './chart';

export class GcApp extends ReportPage {
  protected readonly kind = {
    view: 'gc',
    icon: 'pulse',
    heading: 'GC report',
    rerunTitle: 'Run the file again (and the call, if one is written)',
  };
  private typeQuery = '';
  private call = '';
  private callProblem = '';

  /** Run again with the call written in the header, if it reads as one. */
  protected override rerun(): void {
    const call = parseCall(this.call);
    this.callProblem = call === 'invalid' ? CALL_HINT : '';
    this.requestUpdate();
    if (call !== 'invalid') super.rerun(call);
  }

  /** The call the report made, in the field, to run again or change. */
  protected override onReport(report: RuntimeReportState): void {
    if (report.call?.call)
      this.call = `${report.call.call}(${report.call.callArgs ?? ''})${report.call.times && report.call.times !== 100 ? ` * ${report.call.times}` : ''}`;
  }

  protected override updated(): void {
    const gc = this.report?.result.gc;
    const timeline = this.querySelector<PiTimeline>('pi-timeline');
    if (gc && timeline) timeline.show(gc.collections, gc.generations || gc.before.thresholds.length);
    void this.drawCycles(gc);
    if (gc) requestAnimationFrame(() => metrics.mark('paint:gc'));
  }

  protected renderEmpty(): TemplateResult {
    return html`<p class="message">Run <b>Python Internals: GC Report</b> on a Python file to see what its collections do.</p>`;
  }

  protected status(report: RuntimeReportState): string {
    return `CPython ${report.result.interpreter.versionText} · run ${(report.result.ms / 1000).toFixed(2)} s`;
  }

  protected override renderTools(): TemplateResult {
    return callField({
      className: 'call-field',
      placeholder: 'then call, e.g. build(1000)',
      label: 'A function of the module to call after it runs, recorded too',
      title:
        'Optional: a function of the module to call after it runs (recorded too), with its arguments and how many times (* N, 100 by default)',
      value: this.call,
      onInput: (text) => (this.call = text),
      run: () => this.rerun(),
    });
  }

  protected renderReport(report: RuntimeReportState): TemplateResult {
    const r = report.result;
    const gc = r.gc;
    return html`${this.callProblem ? html`<p class="error-text">${this.callProblem}</p>` : nothing}
      <p class="run-summary ${r.exit.status === 0 && !r.exit.signal && !r.exit.timedOut ? '' : 'error-text'}" role="status">
        ${report.call?.call ? `After the module, ${report.call.call}(${report.call.callArgs ?? ''}) × ${report.call.times ?? 100} · ` : ''}${r.summary}
      </p>
      ${r.exception ? this.renderException(r) : nothing}
      ${r.output.truncated ? html`<p class="hint">The program wrote ${mb(r.output.stdout + r.output.stderr)} of output; the Output channel shows the first part.</p>` : nothing}
      ${gc ? this.renderGc(gc) : html`<p class="message">No collection report: the run ended before the collector was watched.</p>`}`;
  }

  private renderException(r: RunResult): TemplateResult {
    const e = r.exception!;
    return html`<div class="error-banner" role="alert">
      <span class="codicon codicon-error"></span>
      <span>${e.type}: ${e.message}</span>
      <ol class="frames">
        ${e.frames.map(
          (f) =>
            html`<li>
              <a href="#" @click=${(ev: Event) => (ev.preventDefault(), this.open(f.file, f.line))}
                >${f.file.split(/[\\/]/).pop()}:${f.line}</a
              >
              in <code>${f.name}</code>${f.text ? html` · <code>${f.text}</code>` : nothing}
            </li>`,
        )}
      </ol>
    </div>`;
  }

  private renderGc(gc: GcReport): TemplateResult {
    const generations = gc.generations || gc.before.thresholds.length || 1 + Math.max(0, ...gc.collections.map((c) => c.generation));
    const perGeneration = Array.from({ length: generations }, (_, g) => {
      const mine = gc.collections.filter((c) => c.generation === g);
      return {
        g,
        count: mine.length,
        collected: sum(mine.map((c) => c.collected)),
        uncollectable: sum(mine.map((c) => c.uncollectable)),
        ms: sum(mine.map((c) => c.ms)),
      };
    });
    const query = this.typeQuery.trim().toLowerCase();
    const types = gc.freedByType.filter(([t]) => !query || t.toLowerCase().includes(query));
    return html`${gc.partial ? html`<p class="hint">The script ended before the report: these are its collections up to then.</p>` : nothing}
      <section aria-label="Totals">
        <h2>Collections</h2>
        <table class="gc-table">
          <thead>
            <tr>
              <th>Generation</th>
              <th>Collections</th>
              <th>Objects collected</th>
              <th>Uncollectable</th>
              <th>Time in the collector</th>
            </tr>
          </thead>
          <tbody>
            ${perGeneration.map(
              (p) =>
                html`<tr>
                  <td>${p.g}</td>
                  <td>${p.count}</td>
                  <td>${p.collected.toLocaleString()}</td>
                  <td>${p.uncollectable}</td>
                  <td>${p.ms.toFixed(2)} ms</td>
                </tr>`,
            )}
          </tbody>
        </table>
        <p class="hint">
          ${gc.collections.length} collections in ${(gc.ms / 1000).toFixed(2)} s of the script; ${gc.freedTotal.toLocaleString()}
          ${gc.typedAll === false ? 'distinct objects typed' : 'objects freed from reference cycles'}.
          ${gc.implementation ? `As ${gc.implementation} reports them (gc.callbacks, gc.get_stats()).` : ''}
        </p>
        ${
          gc.typedAll === false
            ? html`<p class="hint">
                The types below are of the objects the first ${gc.typedCollections} collections found (${gc.freedTotal.toLocaleString()}
                distinct objects): to see them, the report keeps what a collection finds (gc.DEBUG_SAVEALL), so the next collections find it
                again and free it; CPython's counts above include those.
              </p>`
            : nothing
        }
      </section>
      <section aria-label="Timeline">
        <h2>Timeline</h2>
        <pi-timeline role="img" aria-label="Objects collected by each collection over time, one series per generation"></pi-timeline>
      </section>
      ${gc.before.thresholds.length ? this.renderStats(gc) : nothing}
      <section aria-label="Freed from cycles">
        <h2>Freed from reference cycles, by type</h2>
        ${filterField({ className: 'type-filter', placeholder: 'Type', label: 'Filter by type', value: this.typeQuery, onInput: (text) => ((this.typeQuery = text), this.requestUpdate()) })}
        ${
          types.length
            ? html`<table class="gc-table types">
                <thead>
                  <tr>
                    <th>Type</th>
                    <th>Objects</th>
                    <th>Share</th>
                  </tr>
                </thead>
                <tbody>
                  ${types.slice(0, 200).map(
                    ([t, n]) =>
                      html`<tr tabindex="0">
                        <td><code>${t}</code></td>
                        <td>${n.toLocaleString()}</td>
                        <td>${gc.freedTotal ? ((100 * n) / gc.freedTotal).toFixed(1) : '0'}%</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
            : html`<p class="hint">
                ${gc.freedByType.length ? 'No type matches.' : 'Nothing was freed from reference cycles: everything went by reference counting.'}
              </p>`
        }
      </section>
      ${
        gc.cycles.length
          ? html`<section aria-label="The largest cycles">
              <h2>The largest cycles freed</h2>
              ${gc.cycles.map(
                (c, i) =>
                  html`<figure class="cycle">
                    <figcaption>
                      ${c.objects} objects${c.objects > c.nodes.length ? ` (the first ${c.nodes.length} drawn)` : ''}: ${cycleTypes(c)}
                    </figcaption>
                    <div class="cycle-graph" data-cycle=${i}></div>
                  </figure>`,
              )}
            </section>`
          : nothing
      }`;
  }

  private renderStats(gc: GcReport): TemplateResult {
    const rows = gc.before.thresholds.map((_, g) => ({
      g,
      threshold: gc.before.thresholds[g],
      countBefore: gc.before.counts[g],
      countAfter: gc.after.counts[g],
      before: gc.before.stats[g],
      after: gc.after.stats[g],
    }));
    return html`<section aria-label="The collector's state">
      <h2>The collector before and after the script</h2>
      <table class="gc-table">
        <thead>
          <tr>
            <th>Generation</th>
            <th>Threshold</th>
            <th>Count before → after</th>
            <th>gc.get_stats() collections</th>
            <th>collected</th>
            <th>uncollectable</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (r) =>
              html`<tr>
                <td>${r.g}</td>
                <td>${r.threshold}</td>
                <td>${r.countBefore ?? '—'} → ${r.countAfter ?? '—'}</td>
                <td>${r.before?.collections ?? '—'} → ${r.after?.collections ?? '—'}</td>
                <td>${r.before?.collected ?? '—'} → ${r.after?.collected ?? '—'}</td>
                <td>${r.before?.uncollectable ?? '—'} → ${r.after?.uncollectable ?? '—'}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${
        gc.after.stats.length !== gc.before.thresholds.length
          ? html`<p class="hint">
              This interpreter reports ${gc.after.stats.length} generations in gc.get_stats() and ${gc.before.thresholds.length} thresholds.
            </p>`
          : nothing
      }
    </section>`;
  }

  private drawn = new WeakMap<GcCycle, true>();

  /** Each cycle as a small graph: objects by type, references by attribute, key or index. */
  private async drawCycles(gc: GcReport | undefined): Promise<void> {
    if (!gc?.cycles.length) return;
    const viz = await graphviz();
    gc.cycles.forEach((cycle, i) => {
      const host = this.querySelector<HTMLElement>(`.cycle-graph[data-cycle="${i}"]`);
      if (!host || (this.drawn.has(cycle) && host.firstChild)) return;
      const dot = [
        'digraph cycle {',
        'graph [bgcolor="transparent", rankdir=LR, nodesep=0.25, ranksep=0.4];',
        'node [shape=box, style=rounded, fontname="Helvetica", fontsize=10, margin="0.1,0.04"];',
        'edge [fontname="Helvetica", fontsize=9, arrowsize=0.6];',
        ...cycle.nodes.map((n) => `n${n.id} [label="${dotEscape(n.type)}"];`),
        ...cycle.edges.map((e) => `n${e.from} -> n${e.to} [label="${dotEscape(e.label)}"];`),
        '}',
      ].join('\n');
      // Graphviz's own SVG of our DOT (labels escaped): no page data is HTML.
      host.innerHTML = viz.dot(dot, 'svg');
      this.drawn.set(cycle, true);
    });
  }
}

function cycleTypes(c: GcCycle): string {
  const counts = new Map<string, number>();
  for (const n of c.nodes) counts.set(n.type, (counts.get(n.type) ?? 0) + 1);
  return [...counts].map(([t, n]) => (n > 1 ? `${t} ×${n}` : t)).join(', ');
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function mb(bytes: number): string {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}

customElements.define('pi-gc', GcApp);
