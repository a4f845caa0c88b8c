/**
 * The hover's Markdown. Compact by design: the hovered line's instructions
 * come first, in a `python-bytecode` block that VS Code colours with our
 * grammar; the rest of the code object is one click away.
 */
import { BYTECODE_LANGUAGE_ID, LineBytecode, OPEN_BYTECODE_PANEL_COMMAND, SHOW_BYTECODE_COMMAND } from '../../protocol';
import { codeObjectSummary, formatInstructions } from './listing';

export function hoverMarkdown(result: LineBytecode, uri: string, mode: 'compact' | 'detailed'): string {
  const code = result.codeObject;
  const count = result.instructions.length;
  const lines = [
    '```' + BYTECODE_LANGUAGE_ID,
    formatInstructions(result.instructions),
    '```',
    `\`${code.qualname}\` · line ${result.line}: ${count} of ${result.instructionCount} instructions · CPython ${result.interpreter.versionText}` +
      ` · [Full listing](${commandUri(uri, result.line - 1)}) · [Bytecode panel](${commandUri(uri, result.line - 1, OPEN_BYTECODE_PANEL_COMMAND)})`,
  ];
  // The same line in other code objects, innermost first.
  for (const other of result.alsoIn ?? []) {
    lines.push(
      '',
      '```' + BYTECODE_LANGUAGE_ID,
      formatInstructions(other.instructions),
      '```',
      `\`${other.qualname}\` · line ${result.line}: ${other.instructions.length} of ${other.instructionCount} instructions`,
    );
  }
  if (result.moduleAlso)
    lines.push('', `Module-level code runs on this line too: see the [full listing](${commandUri(uri, result.line - 1)}).`);
  if (mode === 'detailed') lines.push('', codeObjectSummary(code));
  return lines.join('\n');
}

export function commandUri(uri: string, line: number, command = SHOW_BYTECODE_COMMAND): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify([{ uri, line }]))}`;
}
