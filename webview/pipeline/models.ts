/**
 * The pipeline's stages as models for `<pi-tree>`: the AST, optimized AST
 * and tree-sitter tree (NodeTree rows), the symbol table (scopes and their
 * names) and the token list. Each answers "which item is at this cursor".
 */
import { html, nothing, type TemplateResult } from 'lit';
import { NODE_STRIDE, type NodeTree, type ScopeInfo, type Span, type SymbolInfo, type Token } from '../../protocol/pipeline';
import { decodeInt32 } from '../shared/int32';
import { spanContains, spanCovers, spanLabel } from '../shared/spans';
import type { TreeModel } from '../shared/tree';

export interface LinkedModel extends TreeModel {
  /** The innermost item whose source holds the cursor, or -1. */
  itemAt(line: number, character: number): number;
  /** The innermost item whose source holds all of a selection, or -1. */
  itemCovering(selection: Span): number;
  /** Node type or kind, for the type filter. */
  typeOf(id: number): string;
  /** The row's text, lower-cased, for the search box. */
  searchText(id: number): string;
}

/** From `id` up to the first item whose span holds all of `selection` (the selection's start is inside `id`). */
function coveringAncestor(model: TreeModel, id: number, selection: Span): number {
  for (let at = id; at >= 0; at = model.parent(at)) {
    const span = model.span(at);
    if (span && spanCovers(span, selection)) return at;
  }
  return id;
}

/**
 * NodeTree rows are in preorder with parent links. Nodes with neither a
 * position nor fields of their own (Load, Store, Add, ...) are shown inside
 * their parent's row (`ctx=Load`), not as rows: they are still nodes (the
 * counts match `ast.walk`), only not worth a line each.
 */
export class NodeTreeModel implements LinkedModel {
  readonly size: number;
  readonly roots: number[] = [];
  private readonly nodes: Int32Array;
  private readonly kids: number[][];
  private readonly inline: Uint8Array;
  private readonly inlineOf: Map<number, number[]> = new Map();
  /** Scalars per node: [field index, text] pairs, flattened. */
  private readonly scalarsOf: Map<number, Array<number | string>> = new Map();

  constructor(
    readonly tree: NodeTree,
    private readonly kind: 'ast' | 'cst',
  ) {
    const nodes = (this.nodes = decodeInt32(tree.nodes));
    const size = (this.size = nodes.length / NODE_STRIDE);
    this.kids = Array.from({ length: size }, () => []);
    this.inline = new Uint8Array(size);
    const scalars = tree.scalars;
    for (let i = 0; i < scalars.length; i += 3) {
      const node = scalars[i] as number;
      let list = this.scalarsOf.get(node);
      if (!list) this.scalarsOf.set(node, (list = []));
      list.push(scalars[i + 1]!, scalars[i + 2]!);
    }
    // Every node's children, then which of them are leaves without a position or fields.
    const childCount = new Uint32Array(size);
    for (let id = 0; id < size; id++) {
      const parent = nodes[id * NODE_STRIDE + 1]!;
      if (parent >= 0) childCount[parent]!++;
    }
    for (let id = 0; id < size; id++) {
      const at = id * NODE_STRIDE;
      const parent = nodes[at + 1]!;
      if (parent < 0) {
        this.roots.push(id);
        continue;
      }
      if (kind === 'ast' && nodes[at + 4]! < 0 && childCount[id] === 0 && !this.scalarsOf.has(id)) {
        this.inline[id] = 1;
        let list = this.inlineOf.get(parent);
        if (!list) this.inlineOf.set(parent, (list = []));
        list.push(id);
      } else {
        this.kids[parent]!.push(id);
      }
    }
  }

  children(id: number): readonly number[] {
    return this.kids[id] ?? [];
  }

  parent(id: number): number {
    return id >= 0 && id < this.size ? this.nodes[id * NODE_STRIDE + 1]! : -1;
  }

  span(id: number): Span | null {
    const at = id * NODE_STRIDE;
    if (id < 0 || id >= this.size || this.nodes[at + 4]! < 0) return null;
    const n = this.nodes;
    return [n[at + 4]!, n[at + 5]!, n[at + 6]!, n[at + 7]!];
  }

  typeOf(id: number): string {
    return id >= 0 && id < this.size ? (this.tree.types[this.nodes[id * NODE_STRIDE]!] ?? '?') : '?';
  }

  /** A row is worth showing (inline leaves are part of their parent's row). */
  isRow(id: number): boolean {
    return this.inline[id] === 0;
  }

  private fieldLabel(id: number): string {
    const at = id * NODE_STRIDE;
    const fieldIndex = this.nodes[at + 2]!;
    if (fieldIndex < 0) return '';
    const field = this.tree.fields[fieldIndex] ?? '?';
    const listIndex = this.nodes[at + 3]!;
    return listIndex >= 0 ? `${field}[${listIndex}]` : field;
  }

  private scalars(id: number): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    const own = this.scalarsOf.get(id);
    if (own) for (let i = 0; i < own.length; i += 2) out.push([this.tree.fields[own[i] as number] ?? '?', own[i + 1] as string]);
    for (const leaf of this.inlineOf.get(id) ?? []) out.push([this.fieldLabel(leaf), this.typeOf(leaf)]);
    return out;
  }

  render(id: number): TemplateResult {
    const field = this.fieldLabel(id);
    const type = this.typeOf(id);
    const span = this.span(id);
    const error = this.kind === 'cst' && (type === 'ERROR' || type.startsWith('MISSING'));
    return html`${field ? html`<span class="field">${field}</span>` : nothing}<span class="type ${error ? 'error' : ''}">${type}</span
      >${this.scalars(id).map(
        ([name, value]) =>
          html` <span class="scalar ${value === 'None' || value === '[]' ? 'empty' : ''}"
            ><span class="sname">${name}</span>=<span class="svalue">${value}</span></span
          >`,
      )}${span ? html` <span class="pos">${spanLabel(span)}</span>` : nothing}`;
  }

  text(id: number): string {
    const field = this.fieldLabel(id);
    const scalars = this.scalars(id).map(([n, v]) => `${n}=${v}`);
    return [field ? `${field}:` : '', this.typeOf(id), ...scalars].filter(Boolean).join(' ');
  }

  /** Scalars and type, lower-cased, for the search box. */
  searchText(id: number): string {
    return this.text(id).toLowerCase();
  }

  itemAt(line: number, character: number): number {
    let best = -1;
    let level: readonly number[] = this.roots;
    for (;;) {
      let next = -1;
      for (const id of level) {
        const span = this.span(id);
        if (span ? spanContains(span, line, character) : this.subtreeHas(id, line, character)) {
          next = id;
          if (span) break;
        }
      }
      if (next < 0) return best;
      if (this.span(next)) best = next;
      level = this.children(next);
    }
  }

  itemCovering(selection: Span): number {
    return coveringAncestor(this, this.itemAt(selection[0], selection[1]), selection);
  }

  /** Nodes without a position (a Module, an `arguments` on 3.8) hold what their children hold. */
  private subtreeHas(id: number, line: number, character: number): boolean {
    for (const child of this.children(id)) {
      const span = this.span(child);
      if (span ? spanContains(span, line, character) : this.subtreeHas(child, line, character)) return true;
    }
    return false;
  }
}

type ScopeItem =
  | { kind: 'scope'; scope: ScopeInfo; parent: number; kids: number[] }
  | { kind: 'symbol'; symbol: SymbolInfo; scope: ScopeInfo; parent: number };

/** Scopes hold their names first, then their nested scopes, as symtable lists them. */
export class ScopeModel implements LinkedModel {
  readonly items: ScopeItem[] = [];
  readonly roots: number[];

  constructor(readonly module: ScopeInfo) {
    this.roots = [this.add(module, -1)];
  }

  private add(scope: ScopeInfo, parent: number): number {
    const id = this.items.length;
    const item: ScopeItem = { kind: 'scope', scope, parent, kids: [] };
    this.items.push(item);
    for (const symbol of scope.symbols) {
      item.kids.push(this.items.length);
      this.items.push({ kind: 'symbol', symbol, scope, parent: id });
    }
    for (const child of scope.children) item.kids.push(this.add(child, id));
    return id;
  }

  get size(): number {
    return this.items.length;
  }

  children(id: number): readonly number[] {
    const item = this.items[id];
    return item?.kind === 'scope' ? item.kids : [];
  }

  parent(id: number): number {
    return this.items[id]?.parent ?? -1;
  }

  span(id: number): Span | null {
    const item = this.items[id];
    if (!item) return null;
    return item.kind === 'scope' ? item.scope.span : (item.symbol.occurrences[0] ?? null);
  }

  occurrences(id: number): Span[] {
    const item = this.items[id];
    return item?.kind === 'symbol' ? item.symbol.occurrences : [];
  }

  typeOf(id: number): string {
    const item = this.items[id];
    return !item ? '?' : item.kind === 'scope' ? item.scope.type : item.symbol.flags.join(' ');
  }

  render(id: number): TemplateResult {
    const item = this.items[id]!;
    if (item.kind === 'scope') {
      const s = item.scope;
      return html`<span class="codicon ${scopeIcon(s.type)}"></span> <span class="type">${s.type}</span> <span class="name">${s.name}</span>
        <span class="pos">line ${s.line + 1} · ${s.symbols.length} names</span>`;
    }
    const sym = item.symbol;
    return html`<span class="codicon codicon-symbol-variable"></span> <span class="name">${sym.name}</span> ${sym.flags.map(
        (f) => html`<span class="flag flag-${f}">${f}</span> `,
      )}${sym.occurrences.length ? html`<span class="pos">${sym.occurrences.length}×</span>` : nothing}`;
  }

  text(id: number): string {
    const item = this.items[id]!;
    return item.kind === 'scope' ? `${item.scope.type} ${item.scope.name}` : `${item.symbol.name} ${item.symbol.flags.join(' ')}`;
  }

  searchText(id: number): string {
    return this.text(id).toLowerCase();
  }

  itemCovering(selection: Span): number {
    return coveringAncestor(this, this.itemAt(selection[0], selection[1]), selection);
  }

  /** A name under the cursor if it is one of a scope's occurrences, else the innermost scope. */
  itemAt(line: number, character: number): number {
    let scope = this.roots[0] ?? -1;
    for (;;) {
      const item = this.items[scope];
      if (!item || item.kind !== 'scope') return -1;
      for (const kid of item.kids) {
        const k = this.items[kid]!;
        if (k.kind === 'symbol' && k.symbol.occurrences.some((o) => spanContains(o, line, character))) return kid;
      }
      const inner = item.kids.find((kid) => {
        const k = this.items[kid]!;
        return k.kind === 'scope' && k.scope.span && spanContains(k.scope.span, line, character);
      });
      if (inner === undefined) return scope;
      scope = inner;
    }
  }
}

function scopeIcon(type: string): string {
  if (type === 'module') return 'codicon-symbol-namespace';
  if (type === 'class') return 'codicon-symbol-class';
  if (type === 'function') return 'codicon-symbol-method';
  return 'codicon-symbol-misc';
}

/** Tokens as flat rows: position, type, exact type, text. */
export class TokenModel implements LinkedModel {
  readonly roots: number[];

  constructor(readonly tokens: Token[]) {
    this.roots = tokens.map((_, i) => i);
  }

  get size(): number {
    return this.tokens.length;
  }

  children(): readonly number[] {
    return [];
  }

  parent(): number {
    return -1;
  }

  span(id: number): Span | null {
    const t = this.tokens[id];
    return t ? [t[3], t[4], t[5], t[6]] : null;
  }

  typeOf(id: number): string {
    const t = this.tokens[id];
    return t ? `${t[0]} ${t[1]}` : '?';
  }

  render(id: number): TemplateResult {
    const t = this.tokens[id]!;
    return html`<span class="cell pos" role="gridcell">${spanLabel([t[3], t[4], t[5], t[6]])}</span
      ><span class="cell type" role="gridcell">${t[0]}</span><span class="cell exact" role="gridcell">${t[1] !== t[0] ? t[1] : ''}</span
      ><span class="cell value" role="gridcell">${JSON.stringify(t[2])}</span>`;
  }

  text(id: number): string {
    const t = this.tokens[id]!;
    return `${t[0]} ${t[1]} ${JSON.stringify(t[2])}`;
  }

  searchText(id: number): string {
    return this.text(id).toLowerCase();
  }

  itemCovering(selection: Span): number {
    return this.itemAt(selection[0], selection[1]);
  }

  itemAt(line: number, character: number): number {
    // Tokens are in source order: binary search for the last one starting at or before the cursor.
    let lo = 0;
    let hi = this.tokens.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const t = this.tokens[mid]!;
      if (t[3] < line || (t[3] === line && t[4] <= character)) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // Zero-width tokens (NEWLINE at EOF, DEDENT) share a start with the next: prefer one that holds the cursor.
    for (let i = found; i >= 0 && i > found - 4; i--) {
      const span = this.span(i)!;
      if (spanContains(span, line, character)) return i;
    }
    return found;
  }
}
