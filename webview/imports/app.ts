/**
 * `<pi-imports>`: the import trace of one file. What it imported and who
 * imported whom (an icicle chart, d3-flame-graph), each module's self and
 * cumulative time as the median over the runs with their spread, and its
 * spec: finder, loader, origin, cached .pyc, namespace package, the
 * sys.path entry it came from. The table sorts and filters; Enter or a click
 * on a module with a file opens it.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ImportedModule, ImportTrace } from '../../protocol/runtime';
import type { RuntimeReportState } from '../../protocol/webview';
import { filterField } from '../shared/header';
import { metrics } from '../shared/metrics';
import { ReportPage } from '../shared/reportPage';
import { flameTree, type PiFlame } from './flame';

type SortKey = 'order' | 'name' | 'self' | 'cumulative';

export class ImportsApp extends ReportPage {
  protected readonly kind = { view: 'imports', icon: 'references', heading: 'Import trace', rerunTitle: 'Trace the file again' };
  private query = '';
  private sort: SortKey = 'cumulative';
  private selected = -1;

  protected override onReport(): void {
    this.selected = -1;
  }

  protected override updated(): void {
    const trace = this.report?.result.imports;
    const flame = this.querySelector<PiFlame>('pi-flame');
    if (trace && flame && flame.dataset.shown !== String(this.report!.result.ms)) {
      flame.dataset.shown = String(this.report!.result.ms);
      const name = this.report!.fileName;
      flame.show(() => flameTree(trace, name));
    }
    if (this.selected >= 0) this.querySelector(`tr[data-index="${this.selected}"]`)?.scrollIntoView({ block: 'nearest' });
    if (trace) requestAnimationFrame(() => metrics.mark('paint:imports'));
  }

  /** A module with a file of its own opens in the editor (not a built-in or frozen one). */
  private openModule(module: ImportedModule): void {
    const file = module.spec?.origin;
    if (file && module.spec?.origin !== 'built-in' && module.spec?.origin !== 'frozen' && /[\\/]/.test(file)) this.open(file);
  }

  protected renderEmpty(): TemplateResult {
    return html`<p class="message">
      Run <b>Python Internals: Trace Imports</b> on a Python file to see what it imports and what that costs.
    </p>`;
  }

  protected status(report: RuntimeReportState): string {
    const trace = report.result.imports;
    return `CPython ${report.result.interpreter.versionText}${trace ? ` · ${trace.runs} run${trace.runs === 1 ? '' : 's'}` : ''}`;
  }

  protected renderReport(report: RuntimeReportState): TemplateResult {
    const r = report.result;
    const trace = r.imports;
    return html`<p class="run-summary ${r.exit.status === 0 ? '' : 'error-text'}" role="status">${r.summary}</p>
      ${trace ? this.renderTrace(trace) : html`<p class="message">No import trace: the run ended before its imports were read.</p>`}`;
  }

  private renderTrace(trace: ImportTrace): TemplateResult {
    const q = this.query.trim().toLowerCase();
    const rows = trace.modules
      .map((m, index) => ({ m, index }))
      .filter(
        ({ m }) =>
          !q ||
          m.name.toLowerCase().includes(q) ||
          (m.spec?.origin ?? '').toLowerCase().includes(q) ||
          (m.spec?.finder ?? '').toLowerCase().includes(q),
      );
    const by: Record<SortKey, (a: (typeof rows)[0], b: (typeof rows)[0]) => number> = {
      order: (a, b) => a.index - b.index,
      name: (a, b) => a.m.name.localeCompare(b.m.name),
      self: (a, b) => b.m.self.median - a.m.self.median,
      cumulative: (a, b) => b.m.cumulative.median - a.m.cumulative.median,
    };
    rows.sort(by[this.sort]);
    const header = (key: SortKey, label: string) =>
      html`<th aria-sort=${this.sort === key ? (key === 'name' || key === 'order' ? 'ascending' : 'descending') : 'none'}>
        <a href="#" @click=${(e: Event) => (e.preventDefault(), (this.sort = key), this.requestUpdate())}>${label}</a>
      </th>`;
    return html`<p class="hint">
        ${trace.modules.length} modules imported, ${(trace.totalUs / 1000).toFixed(1)} ms in all (medians of ${trace.runs} runs, as -X
        importtime measures them; first imports only).
      </p>
      <section aria-label="Who imported whom">
        <h2>Who imported whom</h2>
        <pi-flame
          role="img"
          aria-label="Icicle chart of the imports: each module as wide as its own and its imports' time, under the module that imported it"
          @module-select=${(e: CustomEvent<{ index: number }>) => {
            this.selected = e.detail.index;
            this.requestUpdate();
          }}
        ></pi-flame>
      </section>
      <section aria-label="Modules">
        <h2>Modules</h2>
        ${filterField({ className: 'type-filter', placeholder: 'Module, file or finder', label: 'Filter modules', value: this.query, onInput: (text) => ((this.query = text), this.requestUpdate()) })}
        <table class="gc-table imports">
          <thead>
            <tr>
              ${header('name', 'Module')}${header('self', 'Self (ms)')}${header('cumulative', 'Cumulative (ms)')}
              <th>Imported by</th>
              <th>Finder · loader</th>
              <th>.pyc</th>
              <th>From</th>
            </tr>
          </thead>
          <tbody>
            ${rows.slice(0, 500).map(({ m, index }) => this.renderRow(trace, m, index))}
          </tbody>
        </table>
      </section>`;
  }

  private renderRow(trace: ImportTrace, m: ImportedModule, index: number): TemplateResult {
    const spec = m.spec;
    const parent = m.parent >= 0 ? trace.modules[m.parent]!.name : '(the script)';
    const ms = (us: number) => (us / 1000).toFixed(2);
    const spreadText = (s: ImportedModule['self']) => (trace.runs > 1 ? ` (${ms(s.min)}–${ms(s.max)})` : '');
    const short = (name: string | null | undefined) => (name ?? '').split('.').pop();
    return html`<tr
      tabindex="0"
      data-index=${index}
      aria-current=${index === this.selected ? 'true' : nothing}
      @click=${() => this.openModule(m)}
      @keydown=${(e: KeyboardEvent) => {
        if (e.key === 'Enter') this.openModule(m);
      }}
      title=${spec?.origin ?? ''}
    >
      <td>
        <code>${m.name}</code
        >${spec?.namespace ? html` <span class="flag">namespace</span>` : spec?.package ? html` <span class="flag">package</span>` : nothing}
      </td>
      <td>${ms(m.self.median)}<span class="hint">${spreadText(m.self)}</span></td>
      <td>${ms(m.cumulative.median)}<span class="hint">${spreadText(m.cumulative)}</span></td>
      <td><code>${parent}</code></td>
      <td>${spec ? `${short(spec.finder)} · ${short(spec.loader) || '—'}` : '(already known)'}</td>
      <td>${spec?.pyc ?? '—'}</td>
      <td class="origin">${spec?.pathEntry ?? spec?.origin ?? ''}</td>
    </tr>`;
  }
}

customElements.define('pi-imports', ImportsApp);
