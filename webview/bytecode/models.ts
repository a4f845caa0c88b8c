/**
 * The bytecode panel's data as models for `<pi-tree>`: the file's code
 * objects (a tree) and one code object's instructions (a table, with its
 * inline cache entries on demand). Each knows which of its items a cursor
 * is in.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { CodeKind, CodeNode, LinkedInstruction, OperandKind } from '../../protocol/bytecode';
import type { AdaptiveInstruction } from '../../protocol/runtime';
import type { Span } from '../../protocol/pipeline';
import { BAND_COUNT } from '../../protocol/webview';
import { spanContains, spanCovers } from '../shared/spans';
import type { TreeModel } from '../shared/tree';

const KIND_ICONS: Record<CodeKind, string> = {
  module: 'file-code',
  class: 'symbol-class',
  function: 'symbol-method',
  'async function': 'symbol-event',
  generator: 'symbol-enum',
  'async generator': 'symbol-enum',
  lambda: 'symbol-operator',
  comprehension: 'symbol-array',
  'generator expression': 'symbol-array',
  'annotation scope': 'symbol-parameter',
};

/** The code objects of a file, numbered in preorder. */
export class CodeTreeModel implements TreeModel {
  readonly size: number;
  readonly roots = [0];
  readonly nodes: CodeNode[] = [];
  private readonly parents: number[] = [];
  private readonly kids: number[][] = [];
  private readonly paths: number[][] = [];
  private readonly lineSets: Array<Set<number>> = [];
  /** [first, last] line of each code object with its children. */
  private readonly extents: Array<[number, number]> = [];

  constructor(readonly module: CodeNode) {
    const visit = (node: CodeNode, parent: number, path: number[]): number => {
      const id = this.nodes.length;
      this.nodes.push(node);
      this.parents.push(parent);
      this.kids.push([]);
      this.paths.push(path);
      this.lineSets.push(new Set(node.lines));
      let first = node.lines.length ? Math.min(node.firstLine, node.lines[0]!) : node.firstLine;
      let last = node.lines.length ? node.lines[node.lines.length - 1]! : node.firstLine;
      this.extents.push([first, last]);
      node.children.forEach((child, i) => {
        const childId = visit(child, id, [...path, i]);
        this.kids[id]!.push(childId);
        const [cf, cl] = this.extents[childId]!;
        first = Math.min(first, cf);
        last = Math.max(last, cl);
      });
      this.extents[id] = [first, last];
      return id;
    };
    visit(module, -1, []);
    this.size = this.nodes.length;
  }

  children(id: number): readonly number[] {
    return this.kids[id] ?? [];
  }

  parent(id: number): number {
    return this.parents[id] ?? -1;
  }

  /** Code objects have no span of their own in the answer; the instructions do. */
  span(): Span | null {
    return null;
  }

  path(id: number): number[] {
    return this.paths[id] ?? [];
  }

  /** The code object at `path`, or -1 when this tree has none there. */
  idOfPath(path: readonly number[]): number {
    let id = 0;
    for (const place of path) {
      id = this.kids[id]?.[place] ?? -1;
      if (id < 0) return -1;
    }
    return id;
  }

  /** The first code object with this qualified name and kind (a code object's identity across edits and interpreters). */
  idOfName(qualname: string, kind: CodeKind, near?: number): number {
    let best = -1;
    for (let id = 0; id < this.size; id++) {
      const node = this.nodes[id]!;
      if (node.qualname !== qualname || node.kind !== kind) continue;
      if (near === undefined) return id;
      if (best < 0 || Math.abs(node.firstLine - near) < Math.abs(this.nodes[best]!.firstLine - near)) best = id;
    }
    return best;
  }

  /** Every code object open: a file's nesting is shallow, and the rows are virtualized. */
  initialExpansion(): readonly number[] {
    return this.roots.length ? Array.from({ length: this.size }, (_, i) => i).filter((id) => this.kids[id]!.length > 0) : [];
  }

  /** How deep a code object is (the module: 0). */
  depth(id: number): number {
    let d = 0;
    for (let at = this.parents[id]!; at >= 0; at = this.parents[at]!) d++;
    return d;
  }

  /**
   * Every code object with instructions on `line`, innermost first: a line can
   * compile into several (a comprehension's first iterable, a def's defaults
   * and decorators run in the enclosing code; the rest in its own).
   */
  withLine(line: number): number[] {
    const ids: number[] = [];
    for (let id = 0; id < this.size; id++) if (this.lineSets[id]!.has(line)) ids.push(id);
    return ids.sort((a, b) => this.depth(b) - this.depth(a) || a - b);
  }

  hasLine(id: number, line: number): boolean {
    return this.lineSets[id]?.has(line) ?? false;
  }

  /**
   * The code object for a 1-based source line: the innermost with
   * instructions there (a comprehension inside a function, not the
   * function), else the innermost whose lines hold it (a blank line in a
   * method), else the module.
   */
  atLine(line: number): number {
    let id = 0;
    for (;;) {
      const next = this.kids[id]!.find((child) => {
        const [first, last] = this.extents[child]!;
        return line >= first && line <= last;
      });
      if (next === undefined) break;
      id = next;
    }
    // Down to the innermost whose extent holds the line; back up to one that has code there.
    for (let at = id; at >= 0; at = this.parents[at]!) if (this.lineSets[at]!.has(line)) return at;
    return id;
  }

  render(id: number): TemplateResult {
    const node = this.nodes[id]!;
    return html`<span class="codicon codicon-${KIND_ICONS[node.kind] ?? 'symbol-misc'}" title=${node.kind}></span
      ><span class="code-name">${id === 0 ? '<module>' : node.qualname}</span><span class="pos">line ${node.firstLine}</span
      ><span class="pos">${node.instructionCount} instructions</span>`;
  }

  text(id: number): string {
    const node = this.nodes[id]!;
    return `${node.kind} ${node.qualname} line ${node.firstLine}`;
  }
}

const OPERAND_CLASS: Record<OperandKind, string> = {
  const: 'op-const',
  name: 'op-name',
  local: 'op-local',
  free: 'op-free',
  jump: 'op-jump',
  compare: 'op-compare',
  number: 'op-number',
  none: '',
};

const OPERAND_TITLE: Record<OperandKind, string> = {
  const: 'a constant (co_consts)',
  name: 'a name (co_names)',
  local: 'a local variable (co_varnames)',
  free: 'a cell or free variable',
  jump: 'a jump target',
  compare: 'a comparison',
  number: 'a number',
  none: '',
};

/** A row of the instruction table: an instruction, or one inline cache entry after it. */
type Row = { ins: number } | { ins: number; cache: number };

/** One code object's instructions as a table; with `showCaches`, each instruction's inline cache entries follow it. */
export class InstructionModel implements TreeModel {
  readonly size: number;
  readonly roots: number[];
  private readonly rows: Row[] = [];
  private readonly rowOfIns: number[] = [];
  private readonly offsetToIns = new Map<number, number>();
  /** Each source line's band (its place among the code object's lines, modulo BAND_COUNT). */
  readonly bandOfLine = new Map<number, number>();
  bands = true;
  /** After a run (3.11+): offset → [the adaptive opname, the generic one, 1 if the family can specialize]. */
  adaptive: ReadonlyMap<number, AdaptiveInstruction> | null = null;

  constructor(
    readonly instructions: LinkedInstruction[],
    readonly showCaches: boolean,
  ) {
    instructions.forEach((ins, i) => {
      this.rowOfIns.push(this.rows.length);
      this.rows.push({ ins: i });
      this.offsetToIns.set(ins.offset, i);
      if (showCaches) ins.caches.forEach((_, c) => this.rows.push({ ins: i, cache: c }));
      if (ins.line !== null && ins.line >= 1 && !this.bandOfLine.has(ins.line))
        this.bandOfLine.set(ins.line, this.bandOfLine.size % BAND_COUNT);
    });
    this.size = this.rows.length;
    this.roots = Array.from({ length: this.size }, (_, i) => i);
  }

  children(): readonly number[] {
    return [];
  }

  parent(): number {
    return -1;
  }

  /** The instruction a row shows (a cache row: the instruction it follows). */
  instructionOf(id: number): number {
    return this.rows[id]?.ins ?? -1;
  }

  rowOf(instruction: number): number {
    return this.rowOfIns[instruction] ?? -1;
  }

  rowOfOffset(offset: number): number {
    const ins = this.offsetToIns.get(offset);
    return ins === undefined ? -1 : this.rowOf(ins);
  }

  span(id: number): Span | null {
    const row = this.rows[id];
    return row ? (this.instructions[row.ins]?.span ?? null) : null;
  }

  /**
   * The instructions the cursor is in: with an empty selection, those whose
   * source holds the cursor (3.11+), or those of its line (before); with a
   * selection, those whose source lies inside it.
   */
  instructionsAt(selection: Span, active: [number, number]): number[] {
    const empty = selection[0] === selection[2] && selection[1] === selection[3];
    const out: number[] = [];
    this.instructions.forEach((ins, i) => {
      const span = ins.span;
      if (!span) return;
      if (!ins.precise) {
        if (ins.line === active[0] + 1) out.push(i);
      } else if (empty ? spanContains(span, active[0], active[1]) : spanCovers(selection, span) && !isEmpty(span)) {
        out.push(i);
      }
    });
    return out;
  }

  rowClass(id: number): string {
    const row = this.rows[id];
    if (!row) return '';
    const ins = this.instructions[row.ins]!;
    const classes = ['cache' in row ? 'cache-row' : 'ins-row'];
    if (this.bands && ins.line !== null && ins.line >= 1) classes.push(`band-${this.bandOfLine.get(ins.line) ?? 0}`);
    if (ins.line === null) classes.push('no-line');
    if (ins.depth === null) classes.push('unreachable');
    return classes.join(' ');
  }

  render(id: number): TemplateResult {
    const row = this.rows[id]!;
    const ins = this.instructions[row.ins]!;
    if ('cache' in row) {
      const [name, size] = ins.caches[row.cache]!;
      return html`<span class="cell line"></span><span class="cell offset"></span><span class="cell depth"></span
        ><span class="cell opname cache-name">CACHE</span><span class="cell arg"></span
        ><span class="cell argrepr">${name}: ${size} code unit${size === 1 ? '' : 's'}</span>`;
    }
    const effect = ins.effect === null ? '' : ins.effect > 0 ? `+${ins.effect}` : String(ins.effect);
    return html`<span class="cell line" title=${ins.line === null ? 'No source line: the compiler added it' : `line ${ins.line}`}
        >${ins.line === null ? '—' : ins.startsLine ? ins.line : ''}</span
      ><span class="cell offset"
        >${ins.isJumpTarget ? html`<span class="target-mark" title="A jump target">»</span>` : nothing}${ins.offset}</span
      ><span class="cell depth" title=${ins.depth === null ? 'No path reaches it' : `Stack depth before: ${ins.depth}; effect ${effect}`}
        >${ins.depth === null ? '·' : ins.depth}</span
      ><span class="cell opname">${ins.opname}</span>${this.renderAdaptive(ins)}<span class="cell arg">${ins.arg ?? ''}</span
      ><span class="cell argrepr ${OPERAND_CLASS[ins.argKind]}" title=${OPERAND_TITLE[ins.argKind]}
        >${ins.argKind === 'jump' && ins.jumpTarget !== null ? html`<span class="codicon codicon-arrow-${ins.jumpTarget > ins.offset ? 'down' : 'up'}"></span>` : nothing}${ins.argrepr}</span
      >${this.showCaches || ins.caches.length === 0 ? nothing : html`<span class="cell caches" title="Inline cache entries (show them with Caches)">+${ins.caches.length} cache</span>`}`;
  }

  /** What the run left in this instruction: its specialization, or that its family did not specialize. */
  private renderAdaptive(ins: LinkedInstruction): TemplateResult | typeof nothing {
    if (!this.adaptive) return nothing;
    const a = this.adaptive.get(ins.offset);
    if (!a) return html`<span class="cell adaptive"></span>`;
    const [, opname, base, family] = a;
    if (opname !== ins.opname && opname !== base)
      return html`<span class="cell adaptive specialized" title="Specialized by the adaptive interpreter during the run"
        >→ ${opname}</span
      >`;
    if (family)
      return html`<span
        class="cell adaptive unspecialized"
        title="Can specialize, but did not during the run (not run often enough, or its operands varied)"
        >not specialized</span
      >`;
    return html`<span class="cell adaptive"></span>`;
  }

  /** Specialized · specializable, after a run. */
  adaptiveCounts(): { specialized: number; specializable: number } | null {
    if (!this.adaptive) return null;
    let specialized = 0;
    let specializable = 0;
    for (const ins of this.instructions) {
      const a = this.adaptive.get(ins.offset);
      if (!a) continue;
      const changed = a[1] !== ins.opname && a[1] !== a[2];
      if (a[3] || changed) specializable++;
      if (changed) specialized++;
    }
    return { specialized, specializable };
  }

  text(id: number): string {
    const row = this.rows[id]!;
    const ins = this.instructions[row.ins]!;
    return 'cache' in row ? `CACHE ${ins.caches[row.cache]![0]}` : `${ins.offset} ${ins.opname} ${ins.arg ?? ''} ${ins.argrepr}`;
  }
}

function isEmpty(span: Span): boolean {
  return span[0] === span[2] && span[1] === span[3];
}
