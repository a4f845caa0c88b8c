/**
 * `<pi-objects>`: the object inspector's table. One row per name of the
 * module's globals (and of the function the run stopped in): type, id,
 * references (the inspector's own left out; "immortal" on 3.12+ where the
 * count means nothing), size and deep size, and what is special about the
 * object (small-int cache, interned, singleton, other names bound to it).
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ObjectRow } from '../../protocol/runtime';
import type { RuntimeReportState } from '../../protocol/webview';
import { filterField } from '../shared/header';
import { ReportPage } from '../shared/reportPage';

export class ObjectsApp extends ReportPage {
  protected readonly kind = { view: 'objects', icon: 'symbol-variable', heading: 'Objects', rerunTitle: 'Run to the same place again' };
  private query = '';

  protected renderEmpty(): TemplateResult {
    return html`<p class="message">
      Run <b>Python Internals: Inspect Objects</b> with the cursor on a line: the file runs until it reaches that line.
    </p>`;
  }

  protected status(report: RuntimeReportState): string {
    return `CPython ${report.result.interpreter.versionText}`;
  }

  protected renderReport(report: RuntimeReportState): TemplateResult {
    const r = report.result;
    const objects = r.objects;
    const q = this.query.trim().toLowerCase();
    const rows = (objects?.rows ?? []).filter((row) => !q || row.name.toLowerCase().includes(q) || row.type.toLowerCase().includes(q));
    const where = objects?.stopped
      ? `Stopped before line ${objects.stopped.line} ran, in ${objects.stopped.function === '<module>' ? 'the module' : `${objects.stopped.function}()`}`
      : objects?.line
        ? `Line ${objects.line} never ran: the module as it ended`
        : 'The module as it ended';
    const frame = r.exception?.frames.at(-1);
    return html`<p class="run-summary ${r.exit.status === 0 ? '' : 'error-text'}" role="status">${objects ? where : ''} · ${r.summary}</p>
      ${
        r.exception
          ? html`<p class="error-text">
              ${r.exception.type}: ${r.exception.message}
              ${frame ? html`(<a href="#" @click=${(e: Event) => (e.preventDefault(), this.open(frame.file, frame.line))}>line ${frame.line}</a>)` : nothing}
            </p>`
          : nothing
      }
      ${filterField({ className: 'type-filter', placeholder: 'Name or type', label: 'Filter names', value: this.query, onInput: (text) => ((this.query = text), this.requestUpdate()) })}
      <table class="gc-table objects">
        <thead>
          <tr>
            <th>Name</th>
            <th>Type</th>
            <th>References</th>
            <th>Size</th>
            <th>Deep size</th>
            <th>Special</th>
            <th>id</th>
            <th>Value</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map((row) => this.renderRow(row))}
        </tbody>
      </table>
      <p class="hint">
        References are sys.getrefcount's, less the ones the inspector holds while it reads them. Deep size: the object and what it refers
        to, each once (modules, classes and functions not walked).
      </p>`;
  }

  private renderRow(row: ObjectRow): TemplateResult {
    const special = [...row.special, ...(row.sameObject.length ? [`also ${row.sameObject.join(', ')}`] : [])];
    return html`<tr tabindex="0" class=${row.scope === 'local' ? 'local' : ''}>
      <td><code>${row.name}</code>${row.scope === 'local' ? html` <span class="flag">local</span>` : nothing}</td>
      <td><code>${row.type}</code></td>
      <td>
        ${row.immortal ? html`<span class="flag" title="Immortal (PEP 683): its reference count is never changed">immortal</span>` : row.references}
      </td>
      <td>${row.size >= 0 ? row.size.toLocaleString() : '—'}</td>
      <td>${row.deepCapped ? '≥ ' : ''}${row.deepSize.toLocaleString()}</td>
      <td class="special">${special.join(' · ')}</td>
      <td class="id"><code>${row.id}</code></td>
      <td class="value"><code>${row.repr}</code></td>
    </tr>`;
  }
}

customElements.define('pi-objects', ObjectsApp);
