/**
 * Text renderings of collector results: the dis-style listing shown in the
 * read-only `python-bytecode` document and printed by the CLI, and the
 * one-instruction lines used in hovers. syntaxes/python-bytecode.tmLanguage.json
 * colours exactly this format; change them together.
 */
import type { CodeObject, InterpreterInfo, Instruction } from '../../protocol';

/** `  12 >>    34 POP_JUMP_IF_FALSE       12 (to 58)`: line (when it starts), jump-target mark, offset, opname, arg, argrepr. */
export function formatInstruction(ins: Instruction, showLine: boolean): string {
  const line = showLine && ins.startsLine && ins.line !== null ? String(ins.line) : '';
  const mark = ins.isJumpTarget ? '>>' : '  ';
  const arg = ins.arg === null ? '' : String(ins.arg);
  const head = `${line.padStart(5)} ${mark} ${String(ins.offset).padStart(5)} ${ins.opname.padEnd(24)} ${arg.padStart(4)}`;
  return (ins.argrepr ? `${head} (${ins.argrepr})` : head).trimEnd();
}

/** Instructions for a hover: no line column (the hover is about one line). */
export function formatInstructions(instructions: Instruction[]): string {
  return instructions
    .map((ins) => {
      const mark = ins.isJumpTarget ? '>>' : '  ';
      const arg = ins.arg === null ? '' : String(ins.arg);
      const head = `${mark} ${String(ins.offset).padStart(4)} ${ins.opname.padEnd(22)} ${arg.padStart(3)}`;
      return (ins.argrepr ? `${head} (${ins.argrepr})` : head).trimEnd();
    })
    .join('\n');
}

export function codeObjectSummary(code: Omit<CodeObject, 'children' | 'instructions'>): string {
  const parts = [
    `args ${code.argCount}`,
    `posonly ${code.posOnlyArgCount}`,
    `kwonly ${code.kwOnlyArgCount}`,
    `locals ${code.nlocals}`,
    `stack ${code.stackSize}`,
    `flags ${code.flags.join(', ') || '-'}`,
  ];
  return parts.join(' · ');
}

function listOf(label: string, items: string[]): string | undefined {
  return items.length ? `# ${label.padEnd(9)} ${items.map((v, i) => `${i}: ${v}`).join('  ')}` : undefined;
}

export interface Listing {
  text: string;
  /** 0-based line of each code object's header in `text`. */
  codeObjectLines: Map<CodeObject, number>;
}

export function formatListing(module: CodeObject, interpreter: InterpreterInfo): Listing {
  const lines: string[] = [`# CPython ${interpreter.versionText} · ${interpreter.executable}`, `# ${module.filename}`, ''];
  const codeObjectLines = new Map<CodeObject, number>();
  const visit = (code: CodeObject): void => {
    codeObjectLines.set(code, lines.length);
    lines.push(`Disassembly of ${code.qualname} (line ${code.firstLine}):`);
    lines.push(`# ${codeObjectSummary(code)}`);
    for (const extra of [
      listOf('consts', code.consts),
      listOf('names', code.names),
      listOf('varnames', code.varnames),
      listOf('cellvars', code.cellvars),
      listOf('freevars', code.freevars),
    ]) {
      if (extra) lines.push(extra);
    }
    let previousLine: number | null | undefined;
    for (const ins of code.instructions ?? []) {
      // dis separates line runs with a blank line.
      if (ins.startsLine && previousLine !== undefined) lines.push('');
      lines.push(formatInstruction(ins, true));
      previousLine = ins.line;
    }
    if (code.exceptionTable?.length) {
      lines.push('ExceptionTable:');
      for (const e of code.exceptionTable) {
        lines.push(`  ${e.start} to ${e.end} -> ${e.target} [${e.depth}]${e.lasti ? ' lasti' : ''}`);
      }
    }
    lines.push('');
    code.children.forEach(visit);
  };
  visit(module);
  return { text: lines.join('\n'), codeObjectLines };
}
