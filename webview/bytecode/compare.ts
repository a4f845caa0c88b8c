/**
 * The aligned comparison (align.ts) as a model for `<pi-tree>` in table
 * mode: long functions stay virtualized. Left: the panel's own code object;
 * right: the same one compiled the other way.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Span } from '../../protocol/pipeline';
import type { TreeModel } from '../shared/tree';
import type { AlignedRow, CompareSide } from './align';

export class CompareModel implements TreeModel {
  readonly size: number;
  readonly roots: number[];

  constructor(
    readonly left: CompareSide,
    readonly right: CompareSide,
    readonly rows: AlignedRow[],
  ) {
    this.size = rows.length;
    this.roots = rows.map((_, i) => i);
  }

  children(): readonly number[] {
    return [];
  }

  parent(): number {
    return -1;
  }

  /** The left side is the panel's own code: its spans are the editor's document. */
  span(id: number): Span | null {
    const row = this.rows[id];
    return row?.left !== undefined ? (this.left.instructions[row.left]?.span ?? null) : null;
  }

  rowClass(id: number): string {
    return `diff-${this.rows[id]?.kind ?? 'same'}`;
  }

  private cell(side: CompareSide, index: number | undefined): TemplateResult {
    if (index === undefined) return html`<span class="cell side empty"></span>`;
    const ins = side.instructions[index]!;
    return html`<span class="cell side"
      ><span class="offset">${ins.offset}</span>
      <span class="opname">${ins.opname}</span> ${ins.argrepr ? html`<span class="argrepr">${ins.argrepr}</span>` : nothing}</span
    >`;
  }

  render(id: number): TemplateResult {
    const row = this.rows[id]!;
    const mark = row.kind === 'added' ? '+' : row.kind === 'removed' ? '−' : '';
    return html`<span class="cell mark" aria-label=${row.kind}>${mark}</span
      >${this.cell(this.left, row.left)}${this.cell(this.right, row.right)}`;
  }

  text(id: number): string {
    const row = this.rows[id]!;
    const side = (s: CompareSide, i: number | undefined) =>
      i === undefined ? '' : `${s.instructions[i]!.opname} ${s.instructions[i]!.argrepr}`;
    return `${row.kind} ${side(this.left, row.left)} | ${side(this.right, row.right)}`;
  }
}
