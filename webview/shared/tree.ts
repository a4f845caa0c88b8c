/**
 * `<pi-tree>`: a keyboard-usable tree of any size. Only the rows in view
 * exist in the DOM (@tanstack/virtual-core computes which), so a 16,000-line
 * file's 150,000 AST nodes cost the same to show as a dozen.
 *
 * Accessibility and test contract: the container is `role="tree"` with
 * `aria-activedescendant` on the keyboard focus; rows are `role="treeitem"`
 * with `aria-level` and `aria-expanded`; the row that follows the editor
 * cursor carries `aria-selected="true"` and is scrolled into view.
 * Keys: ↑ ↓ move, → expands or enters, ← collapses or leaves, Home / End,
 * Enter goes to the source (focus to the editor), Space selects it in the editor.
 *
 * Light DOM: base.css (webview/shared) styles the rows, with the theme's variables and codicons.
 */
import { elementScroll, observeElementOffset, observeElementRect, Virtualizer } from '@tanstack/virtual-core';
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { Span } from '../../protocol/pipeline';

export interface TreeModel {
  /** Items are numbered 0..size-1. */
  readonly size: number;
  readonly roots: readonly number[];
  children(id: number): readonly number[];
  parent(id: number): number;
  span(id: number): Span | null;
  render(id: number): TemplateResult | string;
  /** Plain text of the row (copy, screen readers' fallbacks). */
  text(id: number): string;
  /** Extra classes for the row (the bytecode panel's colour bands). */
  rowClass?(id: number): string;
  /** The items open when the tree is first shown (default: a single root). */
  initialExpansion?(): readonly number[];
}

export interface TreeSelectDetail {
  id: number;
  focusEditor: boolean;
}

const INDENT = 14;

interface Row {
  id: number;
  depth: number;
}

export class PiTree extends LitElement {
  static override properties = {
    model: { attribute: false },
    current: { type: Number },
    marked: { attribute: false },
    stale: { type: Boolean, reflect: true },
    filter: { attribute: false },
    label: { type: String },
    mode: { type: String },
  };

  model: TreeModel | undefined;
  /** The item that follows the editor cursor (-1: none); it is scrolled into view. */
  current = -1;
  /** More items that follow the cursor with it (several instructions come from one place), marked alike. */
  marked: ReadonlySet<number> | null = null;
  /** A stale tree (the file has a syntax error now) is shown greyed out. */
  stale = false;
  /** When set, only matching items and their ancestors are shown, expanded. */
  filter: ((id: number) => boolean) | null = null;
  label = 'Tree';
  /** `table`: a flat list of rows (`role="grid"`), the cursor's row marked `aria-current="true"`. */
  mode: 'tree' | 'table' = 'tree';

  private expanded = new Set<number>();
  private rows: Row[] = [];
  private rowOf = new Map<number, number>();
  private focused = -1;
  private hovered = -1;
  private scroller: HTMLDivElement | null = null;
  private virtualizer: Virtualizer<HTMLDivElement, Element> | undefined;
  private cleanup: (() => void) | undefined;
  private readonly idPrefix = `t${Math.random().toString(36).slice(2, 8)}`;
  /** Set when the rows must be rebuilt before the next render. */
  private dirty = true;
  private pendingReveal = -1;
  matchCount = 0;
  /** A row's height in pixels: base.css's --pi-row-height, which draws the rows. */
  private rowHeight = 0;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.rowHeight = parseFloat(getComputedStyle(this).getPropertyValue('--pi-row-height'));
    if (!(this.rowHeight > 0)) throw new Error('<pi-tree> needs base.css: --pi-row-height is not set');
    this.virtualizer = new Virtualizer<HTMLDivElement, Element>({
      count: this.rows.length,
      getScrollElement: () => this.scroller,
      estimateSize: () => this.rowHeight,
      overscan: 12,
      scrollToFn: elementScroll,
      observeElementRect,
      observeElementOffset,
      onChange: () => this.requestUpdate(),
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.cleanup?.();
    this.cleanup = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('model')) {
      // A new version of the same tree (after an edit): the same places stay open and focused.
      const previous: TreeModel | undefined = changed.get('model');
      const next = this.model;
      const carried = previous && next ? [...this.expanded].map((id) => resolvePath(next, pathOf(previous, id))) : [];
      this.expanded = new Set([...(next ? this.initialExpansion(next) : []), ...carried.filter((id) => id >= 0)]);
      this.focused = previous && next && this.focused >= 0 ? resolvePath(next, pathOf(previous, this.focused)) : -1;
      this.hovered = -1;
      this.dirty = true;
    }
    if (changed.has('filter')) this.dirty = true;
    if (changed.has('current') && this.current >= 0) this.pendingReveal = this.current;
    if (this.pendingReveal >= 0) this.expandTo(this.pendingReveal);
    if (this.dirty) this.rebuild();
  }

  protected override firstUpdated(): void {
    this.scroller = this.querySelector('.tree-scroll');
    this.cleanup = this.virtualizer?._didMount();
  }

  protected override updated(): void {
    this.place();
    this.virtualizer?._willUpdate();
    if (this.pendingReveal >= 0) {
      const row = this.rowOf.get(this.pendingReveal);
      this.pendingReveal = -1;
      if (row !== undefined) this.virtualizer?.scrollToIndex(row, { align: 'auto' });
    }
  }

  /**
   * Position the rows through the CSSOM: the panel's CSP has no
   * 'unsafe-inline' for styles, which blocks `style` attributes (and so lit's
   * styleMap on a first render), but not `element.style`.
   */
  private place(): void {
    const sizer = this.querySelector<HTMLElement>('.tree-sizer');
    if (sizer) sizer.style.height = `${this.virtualizer?.getTotalSize() ?? 0}px`;
    for (const row of this.querySelectorAll<HTMLElement>('.tree-row')) {
      row.style.transform = `translateY(${row.dataset.top ?? 0}px)`;
      row.style.paddingLeft = `${row.dataset.indent ?? 0}px`;
    }
  }

  /** Expand the path to `id` and scroll it into view. */
  reveal(id: number): void {
    this.pendingReveal = id;
    this.requestUpdate();
  }

  /** The item under the keyboard focus, else the one following the cursor. */
  get active(): number {
    return this.focused >= 0 ? this.focused : this.current;
  }

  override focus(): void {
    this.querySelector<HTMLElement>('.tree-scroll')?.focus();
  }

  /** Roots and their direct children open: the module's statements show at once. */
  private initialExpansion(model: TreeModel): readonly number[] {
    if (model.initialExpansion) return model.initialExpansion();
    return model.roots.length === 1 ? [...model.roots] : [];
  }

  private expandTo(id: number): void {
    const model = this.model;
    if (!model || id < 0 || id >= model.size) return;
    for (let p = model.parent(id); p >= 0; p = model.parent(p)) {
      if (!this.expanded.has(p)) {
        this.expanded.add(p);
        this.dirty = true;
      }
    }
  }

  private rebuild(): void {
    this.dirty = false;
    const model = this.model;
    const rows: Row[] = [];
    const rowOf = new Map<number, number>();
    let keep: Uint8Array | undefined;
    this.matchCount = 0;
    if (model && this.filter) {
      keep = new Uint8Array(model.size);
      for (let id = 0; id < model.size; id++) {
        if (!this.filter(id)) continue;
        this.matchCount++;
        for (let p = id; p >= 0 && !keep[p]; p = model.parent(p)) keep[p] = 1;
      }
    }
    if (model) {
      const stack: Row[] = [];
      for (let i = model.roots.length - 1; i >= 0; i--) stack.push({ id: model.roots[i]!, depth: 0 });
      while (stack.length) {
        const row = stack.pop()!;
        if (keep && !keep[row.id]) continue;
        rowOf.set(row.id, rows.length);
        rows.push(row);
        if (keep || this.expanded.has(row.id)) {
          const children = model.children(row.id);
          for (let i = children.length - 1; i >= 0; i--) stack.push({ id: children[i]!, depth: row.depth + 1 });
        }
      }
    }
    this.rows = rows;
    this.rowOf = rowOf;
    this.virtualizer?.setOptions({ ...this.virtualizer.options, count: rows.length });
  }

  private toggle(id: number, open?: boolean): void {
    const isOpen = this.expanded.has(id);
    const next = open ?? !isOpen;
    if (next === isOpen) return;
    if (next) this.expanded.add(id);
    else this.expanded.delete(id);
    this.dirty = true;
    this.requestUpdate();
  }

  private focusRow(id: number): void {
    if (id < 0) return;
    this.focused = id;
    const row = this.rowOf.get(id);
    if (row !== undefined) this.virtualizer?.scrollToIndex(row, { align: 'auto' });
    this.requestUpdate();
    this.emit('tree-focus', id);
  }

  private emit(name: string, id: number, focusEditor = false): void {
    this.dispatchEvent(new CustomEvent(name, { detail: { id, focusEditor } satisfies TreeSelectDetail, bubbles: true }));
  }

  private onKeyDown(e: KeyboardEvent): void {
    const model = this.model;
    if (!model || this.rows.length === 0) return;
    const id = this.active >= 0 && this.rowOf.has(this.active) ? this.active : this.rows[0]!.id;
    const row = this.rowOf.get(id) ?? 0;
    const page = Math.max(1, Math.floor((this.scroller?.clientHeight ?? 200) / this.rowHeight) - 1);
    const at = (r: number) => this.rows[Math.max(0, Math.min(this.rows.length - 1, r))]!.id;
    const hasChildren = model.children(id).length > 0;
    switch (e.key) {
      case 'ArrowDown':
        this.focusRow(at(row + 1));
        break;
      case 'ArrowUp':
        this.focusRow(at(row - 1));
        break;
      case 'PageDown':
        this.focusRow(at(row + page));
        break;
      case 'PageUp':
        this.focusRow(at(row - page));
        break;
      case 'Home':
        this.focusRow(at(0));
        break;
      case 'End':
        this.focusRow(at(this.rows.length - 1));
        break;
      case 'ArrowRight': {
        if (!hasChildren) break;
        if (!this.filter && !this.expanded.has(id)) {
          this.toggle(id, true);
          break;
        }
        // Into the first child shown (a filter may hide some).
        const shown = model.children(id).find((child) => this.rowOf.has(child));
        if (shown !== undefined) this.focusRow(shown);
        break;
      }
      case 'ArrowLeft':
        if (hasChildren && this.expanded.has(id) && !this.filter) this.toggle(id, false);
        else if (model.parent(id) >= 0) this.focusRow(model.parent(id));
        break;
      case 'Enter':
        this.focused = id;
        this.emit('tree-select', id, true);
        break;
      case ' ':
        this.focused = id;
        this.emit('tree-select', id, false);
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  private onRowClick(e: MouseEvent, id: number): void {
    if ((e.target as HTMLElement).closest('.twisty')) {
      this.toggle(id);
      return;
    }
    this.focused = id;
    this.requestUpdate();
    this.emit('tree-select', id, false);
  }

  private onHover(id: number): void {
    if (id === this.hovered) return;
    this.hovered = id;
    this.emit('tree-hover', id);
  }

  protected override render(): TemplateResult {
    const model = this.model;
    const items = this.virtualizer?.getVirtualItems() ?? [];
    const active = this.active;
    return html`<div
      class="tree-scroll"
      role=${this.mode === 'tree' ? 'tree' : 'grid'}
      tabindex="0"
      aria-label=${this.label}
      aria-activedescendant=${active >= 0 && items.some((item) => this.rows[item.index]?.id === active) ? `${this.idPrefix}-${active}` : nothing}
      @keydown=${this.onKeyDown}
      @mouseleave=${() => this.onHover(-1)}
    >
      <div class="tree-sizer">
        ${
          model
            ? items.map((item) => {
                const row = this.rows[item.index];
                if (!row) return nothing;
                const id = row.id;
                const children = model.children(id).length;
                const open = children > 0 && (this.filter !== null || this.expanded.has(id));
                const isCurrent = id === this.current || !!this.marked?.has(id);
                return html`<div
                  id="${this.idPrefix}-${id}"
                  class="tree-row ${id === this.focused ? 'focused' : ''} ${isCurrent ? 'current' : ''} ${model.rowClass?.(id) ?? ''}"
                  role=${this.mode === 'tree' ? 'treeitem' : 'row'}
                  aria-level=${this.mode === 'tree' ? row.depth + 1 : nothing}
                  aria-setsize=${this.mode === 'tree' ? siblingsOf(model, id).length : this.rows.length}
                  aria-posinset=${this.mode === 'tree' ? siblingsOf(model, id).indexOf(id) + 1 : item.index + 1}
                  aria-expanded=${children > 0 ? String(open) : nothing}
                  aria-selected=${this.mode === 'tree' ? (isCurrent ? 'true' : 'false') : nothing}
                  aria-current=${this.mode === 'table' && isCurrent ? 'true' : nothing}
                  data-id=${id}
                  data-top=${item.start}
                  data-indent=${row.depth * INDENT + 4}
                  @click=${(e: MouseEvent) => this.onRowClick(e, id)}
                  @mouseenter=${() => this.onHover(id)}
                >
                  ${
                    this.mode === 'tree'
                      ? html`<span
                          class="twisty codicon ${children > 0 ? (open ? 'codicon-chevron-down' : 'codicon-chevron-right') : 'blank'}"
                        ></span>`
                      : nothing
                  }
                  ${model.render(id)}
                </div>`;
              })
            : nothing
        }
      </div>
    </div>`;
  }
}

function siblingsOf(model: TreeModel, id: number): readonly number[] {
  const parent = model.parent(id);
  return parent >= 0 ? model.children(parent) : model.roots;
}

/** Where `id` is, as its place among its parent's children at each level from a root. */
function pathOf(model: TreeModel, id: number): number[] {
  const path: number[] = [];
  for (let at = id; at >= 0; at = model.parent(at)) path.push(siblingsOf(model, at).indexOf(at));
  return path.reverse();
}

/** The item at `path` in another version of the tree, or -1. */
function resolvePath(model: TreeModel, path: number[]): number {
  let level = model.roots;
  let id = -1;
  for (const place of path) {
    id = level[place] ?? -1;
    if (id < 0) return -1;
    level = model.children(id);
  }
  return id;
}

customElements.define('pi-tree', PiTree);
