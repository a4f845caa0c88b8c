/**
 * The bytecode panel's two static tabs: the exception table (3.11+; each
 * entry's instructions selectable in the editor and marked when they hold
 * the cursor) and the code object's fields with its line table. Pure
 * templates over the collector's data; the page passes what they act on.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { CodeObjectResult, LinkedInstruction } from '../../protocol/bytecode';
import type { Span } from '../../protocol/pipeline';

/** A code object in full, as the panel shows it. */
export type Detail = Extract<CodeObjectResult['result'], { instructions: unknown }>;

export interface ExceptionTableActions {
  /** "CPython 3.10.13": for the note where there is no table. */
  versionText: string;
  /** Instructions `from`..`to` (indices) hold the cursor. */
  holdsCursor(from: number, to: number): boolean;
  /** Select those instructions' source in the editor (Enter: and focus it). */
  select(from: number, to: number, focusEditor: boolean): void;
  /** Outline spans in the editor. */
  highlight(spans: Span[]): void;
}

export function renderExceptions(detail: Detail, actions: ExceptionTableActions): TemplateResult {
  const table = detail.code.exceptionTable;
  if (table === null) {
    return html`<p class="message unavailable">
      <span class="codicon codicon-info"></span> CPython ${actions.versionText} has no exception table (new in 3.11): handlers are entered
      through SETUP_FINALLY, SETUP_WITH and their kin, whose jumps the control-flow graph draws dashed.
    </p>`;
  }
  if (table.length === 0) return html`<p class="message">This code object has no exception handlers.</p>`;
  const byOffset = new Map(detail.instructions.map((ins, i) => [ins.offset, i]));
  const indexAt = (offset: number) => {
    // The first instruction at or after `offset` (an entry's end may be past the last one).
    let best = detail.instructions.length;
    for (const [o, i] of byOffset) if (o >= offset && i < best) best = i;
    return best;
  };
  return html`<div class="table-scroll">
    <table class="exception-table">
      <thead>
        <tr>
          <th>Start</th>
          <th>End</th>
          <th>Target</th>
          <th>Depth</th>
          <th>lasti</th>
          <th>Instructions</th>
        </tr>
      </thead>
      <tbody>
        ${table.map((entry) => {
          const from = indexAt(entry.start);
          const to = indexAt(entry.end);
          return html`<tr
            tabindex="0"
            aria-current=${actions.holdsCursor(from, to) ? 'true' : nothing}
            @click=${() => actions.select(from, to, false)}
            @keydown=${(e: KeyboardEvent) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                actions.select(from, to, e.key === 'Enter');
              }
            }}
            @mouseenter=${() => actions.highlight(detail.instructions.slice(from, to).flatMap((ins) => (ins.span ? [ins.span] : [])))}
          >
            <td>${entry.start}</td>
            <td>${entry.end}</td>
            <td>${entry.target}</td>
            <td>${entry.depth}</td>
            <td>${entry.lasti ? 'yes' : ''}</td>
            <td>${describeRange(detail.instructions, from, to)}</td>
          </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
}

/** co_* fields, the stack depth found along the control flow, and the line table. */
export function renderFields(detail: Detail): TemplateResult {
  const c = detail.code;
  const list = (items: string[]) =>
    items.length
      ? html`<ol start="0" class="values">
          ${items.map((v) => html`<li><code>${v}</code></li>`)}
        </ol>`
      : html`<span class="empty">none</span>`;
  return html`<div class="fields-scroll">
    <dl class="fields">
      <dt>co_qualname</dt>
      <dd><code>${c.qualname}</code></dd>
      <dt>co_firstlineno</dt>
      <dd>${c.firstLine}</dd>
      <dt>co_argcount</dt>
      <dd>${c.argCount}</dd>
      <dt>co_posonlyargcount</dt>
      <dd>${c.posOnlyArgCount}</dd>
      <dt>co_kwonlyargcount</dt>
      <dd>${c.kwOnlyArgCount}</dd>
      <dt>co_nlocals</dt>
      <dd>${c.nlocals}</dd>
      <dt>co_stacksize</dt>
      <dd>${c.stackSize} <span class="hint">(the deepest stack along the control flow: ${detail.maxDepth})</span></dd>
      <dt>co_flags</dt>
      <dd>${c.flags.map((f) => html`<span class="flag">${f}</span>`)}</dd>
      <dt>co_consts</dt>
      <dd>${list(c.consts)}</dd>
      <dt>co_names</dt>
      <dd>${list(c.names)}</dd>
      <dt>co_varnames</dt>
      <dd>${list(c.varnames)}</dd>
      <dt>co_cellvars</dt>
      <dd>${list(c.cellvars)}</dd>
      <dt>co_freevars</dt>
      <dd>${list(c.freevars)}</dd>
      <dt>Line table</dt>
      <dd>
        <table class="line-table">
          <thead>
            <tr>
              <th>Start</th>
              <th>End</th>
              <th>Line</th>
            </tr>
          </thead>
          <tbody>
            ${detail.lineTable.map(
              ([start, end, line]) =>
                html`<tr>
                  <td>${start}</td>
                  <td>${end}</td>
                  <td>${line ?? '—'}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </dd>
    </dl>
  </div>`;
}

function describeRange(instructions: LinkedInstruction[], from: number, to: number): string {
  const first = instructions[from];
  const last = instructions[to - 1];
  if (!first || !last || to <= from) return '';
  return from === to - 1 ? first.opname : `${first.opname} … ${last.opname} (${to - from})`;
}
