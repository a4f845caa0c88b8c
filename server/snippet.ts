/**
 * The source compiled for a hover: one top-level statement, on its own
 * lines, with every module-scope import statement.
 *
 * Why the imports: from 3.11, CPython compiles `module.func()` differently when
 * `module` was bound by an import at module scope (the symbol table marks it),
 * so a def compiled without them can differ from the same def in the file.
 * `from __future__` imports change compilation too. Imports are placed on one
 * line just above the statement (or just below it, when it starts on line 1),
 * so every line of the statement keeps its number and its columns.
 */
import type { Node, Tree } from 'web-tree-sitter';

const IMPORT_TYPES = new Set(['import_statement', 'import_from_statement', 'future_import_statement']);
/** Bodies that are not module scope. */
const NESTED_SCOPE_TYPES = new Set(['function_definition', 'class_definition', 'lambda']);

export interface Snippet {
  source: string;
  /** 1-based lines of the statement in the file (and in `source`). */
  startLine: number;
  endLine: number;
}

export function moduleScopeImports(tree: Tree, exclude?: Node): { future: string[]; other: string[] } {
  const future: string[] = [];
  const other: string[] = [];
  const visit = (node: Node): void => {
    for (const child of node.namedChildren) {
      if (!child || (exclude && child.equals(exclude))) continue;
      if (IMPORT_TYPES.has(child.type)) {
        const text = oneLine(child);
        (child.type === 'future_import_statement' ? future : other).push(text);
      } else if (!NESTED_SCOPE_TYPES.has(child.type)) {
        // if/try/with/for blocks at module level are still module scope.
        visit(child);
      }
    }
  };
  visit(tree.rootNode);
  return { future, other };
}

/** An import statement's text on one line: comments cut, line breaks (and backslash continuations) made spaces. */
function oneLine(node: Node): string {
  const start = node.startIndex;
  let text = node.text;
  const comments = node.descendantsOfType('comment').filter((c): c is Node => !!c);
  for (const comment of comments.reverse()) {
    text = text.slice(0, comment.startIndex - start) + text.slice(comment.endIndex - start);
  }
  return text.replace(/\\\r?\n/g, ' ').replace(/\r\n|\r|\n/g, ' ');
}

export function buildSnippet(tree: Tree, statement: Node, lines: string[]): Snippet {
  let { startRow, endRow } = rowsOf(statement);
  // Whole lines are compiled, so take in any statement that shares a line
  // with this one (`x = (1,\n 2); y = lambda: 3`), until the span is stable.
  for (let changed = true; changed; ) {
    changed = false;
    for (const sibling of tree.rootNode.namedChildren) {
      if (!sibling) continue;
      const rows = rowsOf(sibling);
      if (rows.endRow < startRow || rows.startRow > endRow) continue;
      if (rows.startRow < startRow || rows.endRow > endRow) {
        startRow = Math.min(startRow, rows.startRow);
        endRow = Math.max(endRow, rows.endRow);
        changed = true;
      }
    }
  }
  const { future, other } = moduleScopeImports(tree, statement);
  const out: string[] = new Array<string>(endRow + 1).fill('');
  for (let row = startRow; row <= endRow; row++) out[row] = lines[row] ?? '';
  if (startRow > 0) {
    const prelude = [...future, ...other];
    if (prelude.length) out[startRow - 1] = prelude.join('; ');
  } else if (other.length) {
    // Line 1: nothing can precede it (and no __future__ import can come after it).
    out.push(other.join('; '));
  }
  return { source: out.join('\n') + '\n', startLine: startRow + 1, endLine: endRow + 1 };
}

function rowsOf(node: Node): { startRow: number; endRow: number } {
  const startRow = node.startPosition.row;
  let endRow = node.endPosition.row;
  // A node ending at column 0 ends on the previous line (its end is just past a newline).
  if (node.endPosition.column === 0 && endRow > startRow) endRow--;
  return { startRow, endRow };
}

/** Split like LSP: \r\n, \r and \n all end a line. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}
