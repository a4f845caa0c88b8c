/**
 * The bytecode panel's Instructions tab: the column headings, the table of
 * instructions (a `<pi-tree>` in table mode, its rows from models.ts) and the
 * reference of the hovered instruction's opcode in this interpreter.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { TreeSelectDetail } from '../shared/tree';
import type { InstructionModel } from './models';
import { describeOpcode } from './opcodeDocs';
import type { CodeView } from './state';

export interface InstructionsTabOptions {
  /** The first row at the cursor, and every row there. */
  currentRow: number;
  marked: ReadonlySet<number>;
  /** The row under the mouse or keyboard focus (-1: none): the opcode reference describes it, else the current row. */
  refRow: number;
  onSelect(e: CustomEvent<TreeSelectDetail>): void;
  onHover(e: CustomEvent<TreeSelectDetail>): void;
}

export function renderInstructionsTab(code: CodeView, model: InstructionModel, options: InstructionsTabOptions): TemplateResult {
  return html`<div class="ins-header" aria-hidden="true">
      <span class="cell line">Line</span><span class="cell offset">Offset</span
      ><span class="cell depth" title="Value-stack depth before the instruction">Stack</span
      ><span class="cell opname">Instruction</span>${model.adaptive ? html`<span class="cell adaptive">After a run</span>` : nothing}<span
        class="cell arg"
        >Arg</span
      ><span class="cell argrepr">Argument</span>
    </div>
    <pi-tree
      class="instructions"
      .model=${model}
      .current=${options.currentRow}
      .marked=${options.marked}
      ?stale=${code.stale}
      mode="table"
      label="Instructions"
      @tree-select=${options.onSelect}
      @tree-hover=${options.onHover}
      @tree-focus=${options.onHover}
    ></pi-tree>
    ${renderOpcodeReference(code, model, options)}`;
}

/** What the hovered (else the marked) instruction's opcode does in this interpreter, with its dis documentation. */
function renderOpcodeReference(code: CodeView, model: InstructionModel, options: InstructionsTabOptions): TemplateResult {
  const version = code.answer?.interpreter.version;
  const row = options.refRow >= 0 && options.refRow < model.size ? options.refRow : options.currentRow;
  const ins = row >= 0 ? model.instructions[model.instructionOf(row)] : undefined;
  if (!ins || !version) return html`<div class="opcode-ref hint">Hover or focus an instruction to see what it does.</div>`;
  const doc = describeOpcode(ins.opname, version);
  return html`<div class="opcode-ref" role="note">
    <code class="opname">${ins.opname}</code>
    <span class="text">${doc.text ?? 'No description of this opcode here yet.'}</span>
    <a href=${doc.url} title="Open the dis documentation of CPython ${version[0]}.${version[1]}"
      >dis docs for ${version[0]}.${version[1]}</a
    >
  </div>`;
}
