/** CPython's error for the text shown (a SyntaxError), one click from its place in the editor. */
import { html, nothing, type TemplateResult } from 'lit';
import type { Span, StageError } from '../../protocol/pipeline';
import { spanLabel } from './spans';

/** `staleNote`: what the page shows instead (its last good data, greyed), if anything; `go` selects the error's span, focus to the editor. */
export function errorBanner(error: StageError, staleNote: string | undefined, go: (span: Span) => void): TemplateResult {
  const span = error.span;
  return html`<div class="error-banner" role="alert">
    <span class="codicon codicon-error"></span>
    ${span ? html`<a href="#" @click=${(e: Event) => (e.preventDefault(), go(span))}>${error.message} (${spanLabel(span)})</a>` : html`<span>${error.message}</span>`}
    ${staleNote ? html`<span class="hint">${staleNote}</span>` : nothing}
  </div>`;
}
