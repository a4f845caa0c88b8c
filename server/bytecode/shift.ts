/**
 * Statement snippets are compiled at a fixed place (their first line is line 2,
 * after the import prelude on line 1), so the compile cache survives edits
 * elsewhere in the file. Bytecode does not depend on where a statement sits,
 * only its line numbers do: these helpers move results to the file's lines.
 */
import type { CodeObject, Instruction } from '../../protocol';

const CODE_LABEL = /<code object (.*?), line (-?\d+)>/g;

/** The collector's stable label for a code-object constant carries its first line. */
export function shiftLabel(text: string, delta: number): string {
  if (delta === 0 || !text.includes('<code object ')) return text;
  return text.replace(CODE_LABEL, (_m, name: string, line: string) => `<code object ${name}, line ${Number(line) + delta}>`);
}

export function shiftInstruction(ins: Instruction, delta: number): Instruction {
  if (delta === 0) return ins;
  const moved: Instruction = { ...ins, line: ins.line === null ? null : ins.line + delta, argrepr: shiftLabel(ins.argrepr, delta) };
  if (ins.positions) {
    const [line, endLine, column, endColumn] = ins.positions;
    moved.positions = [line === null ? null : line + delta, endLine === null ? null : endLine + delta, column, endColumn];
  }
  return moved;
}

/** A code object's own fields (first line, code-object constants) moved by `delta` lines. */
export function shiftFields<T extends Pick<CodeObject, 'firstLine' | 'consts'>>(fields: T, delta: number): T {
  if (delta === 0) return fields;
  return { ...fields, firstLine: fields.firstLine + delta, consts: fields.consts.map((c) => shiftLabel(c, delta)) };
}

/** A code object moved by `delta` lines, with its instructions and nested code objects. */
export function shiftCode(code: CodeObject, delta: number): CodeObject {
  if (delta === 0) return code;
  const moved: CodeObject = { ...shiftFields(code, delta), children: code.children.map((c) => shiftCode(c, delta)) };
  if (code.instructions) moved.instructions = code.instructions.map((i) => shiftInstruction(i, delta));
  return moved;
}
