/**
 * The bytecode panel's code objects: the pane with their tree (as tall as
 * its rows, up to 30% of the panel: bytecode.css), and the chips naming every
 * code object the cursor's line runs in.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { TreeSelectDetail } from '../shared/tree';
import type { CodeTreeModel } from './models';
import type { TreeView } from './state';
import { treeStatus } from './toolbar';

export function renderCodePane(
  tree: TreeView,
  model: CodeTreeModel,
  selected: number,
  onSelect: (e: CustomEvent<TreeSelectDetail>) => void,
): TemplateResult {
  return html`<div class="code-pane">
    <div class="pane-title">Code objects <span class="status">${treeStatus(tree)}</span></div>
    <pi-tree
      class="code-tree"
      .model=${model}
      .current=${selected}
      ?stale=${tree.stale}
      mode="tree"
      label="Code objects"
      @tree-select=${onSelect}
      @tree-hover=${(e: Event) => e.stopPropagation()}
      @tree-focus=${(e: Event) => e.stopPropagation()}
    ></pi-tree>
  </div>`;
}

/** The cursor's line (1-based) runs in other code objects too: name them, innermost first, one click away. */
export function renderAlsoOnLine(
  model: CodeTreeModel,
  line: number,
  selected: number,
  pick: (id: number) => void,
): TemplateResult | typeof nothing {
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
        aria-current=${id === selected ? 'true' : nothing}
        title="Show ${name}"
        @click=${() => pick(id)}
        >${name}</vscode-button
      >`;
    })}
  </div>`;
}
