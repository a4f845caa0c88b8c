/**
 * The bytecode panel's bars: the header (file, optimization level,
 * interpreter, pin), the instructions tab's toggles, and the status text of
 * the code objects' pane and of the code object shown.
 */
import { html, type TemplateResult } from 'lit';
import type { MessageConnection } from 'vscode-jsonrpc/browser';
import type { OptimizeLevel } from '../../protocol/bytecode';
import type { BytecodePanelState } from '../../protocol/webview';
import { fileLabel, interpreterPicker, pinButton } from '../shared/header';
import { type CodeView, OPTIMIZE_LABELS, type TreeView } from './state';

export function renderHeader(
  connection: MessageConnection,
  state: BytecodePanelState | undefined,
  optimize: OptimizeLevel,
  setOptimize: (level: OptimizeLevel) => void,
): TemplateResult {
  return html`<header class="toolbar">
    ${fileLabel(state)}
    <vscode-single-select
      class="optimize"
      aria-label="Optimization level"
      title="Compile as python, python -O or python -OO would"
      .value=${String(optimize)}
      @change=${(e: Event) => setOptimize(Number((e.target as HTMLSelectElement).value) as OptimizeLevel)}
    >
      ${([0, 1, 2] as const).map((level) => html`<vscode-option value=${String(level)} ?selected=${level === optimize}>${OPTIMIZE_LABELS[level]}</vscode-option>`)}
    </vscode-single-select>
    ${interpreterPicker(connection, state, 'See the bytecode of another installed interpreter')} ${pinButton(connection, state)}
  </header>`;
}

/** The instructions tab's toggles: colour bands and inline caches. */
export function renderToggles(options: { bands: boolean; showCaches: boolean; toggleBands(): void; toggleCaches(): void }): TemplateResult {
  const bands = toggle(
    'symbol-color',
    'Colour bands',
    'Colour each source line and its instructions alike',
    options.bands,
    options.toggleBands,
  );
  const caches = toggle(
    'layers',
    'Inline caches',
    'Show the inline cache entries after each instruction (3.11+)',
    options.showCaches,
    options.toggleCaches,
  );
  return html`${bands}${caches}`;
}

function toggle(icon: string, label: string, title: string, checked: boolean, flip: () => void): TemplateResult {
  return html`<vscode-toolbar-button
    icon=${icon}
    label=${label}
    title=${title}
    toggleable
    ?checked=${checked}
    aria-pressed=${String(checked)}
    @click=${() => flip()}
  ></vscode-toolbar-button>`;
}

/** "4 · CPython 3.13.0 · 12 ms": the code objects' pane title. */
export function treeStatus(tree: TreeView): string {
  const parts = [`${tree.model?.size ?? 0}`];
  const a = tree.answer;
  if (a) parts.push(`CPython ${a.interpreter.versionText}`, `${Math.round(a.ms)} ms`);
  if (tree.stale) parts.push('out of date');
  return parts.join(' · ');
}

/** "45 instructions · 14 blocks · stack 5 (= co_stacksize) · 4 ms". */
export function codeStatus(code: CodeView): string {
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
