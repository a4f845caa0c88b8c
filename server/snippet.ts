/**
 * The source compiled for a hover: one top-level statement, on its own
 * lines, with every module-scope import statement.
 *
 * Why the imports: from 3.11, CPython compiles `module.func()` differently when
 * `module` was bound by an import at module scope (the symbol table marks it),
 * so a def compiled without them can differ from the same def in the file.
 * `from __future__` imports change compilation too.
 *
 * Layout: the imports on line 1, the statement from line 2 on, columns kept.
 * The place is fixed so that the compile cache (keyed by source) survives
 * edits elsewhere in the file; `lineDelta` moves results to the file's lines
 * (see shift.ts).
 *
 * Inside a large class only the method at hand matters: a method's code object
 * depends on the class's name (private-name mangling) and its header, not on
 * the class's other statements, so `only` keeps the header and that method and
 * blanks the rest (a 3,000-line class then compiles like a 30-line one).
 */
import type { Node, Tree } from 'web-tree-sitter';

const IMPORT_TYPES = new Set(['import_statement', 'import_from_statement', 'future_import_statement']);
/** Bodies that are not module scope. */
const NESTED_SCOPE_TYPES = new Set(['function_definition', 'class_definition', 'lambda']);
/** Top-level statements that are definitions (hold no module-scope code but their header). */
const DEFINITION_TYPES = new Set(['function_definition', 'class_definition', 'decorated_definition']);

export interface Snippet {
  source: string;
  /** Add to a line of `source` to get the file's line. */
  lineDelta: number;
  /** 1-based lines of the statement in the file. */
  startLine: number;
  endLine: number;
}

const importsByTree = new WeakMap<Tree, { future: string[]; other: string[] }>();

/** The module's import statements at module scope (outside `exclude`), from all of its trees in order. */
export function moduleScopeImports(trees: readonly Tree[], exclude?: Node): { future: string[]; other: string[] } {
  const future: string[] = [];
  const other: string[] = [];
  for (const tree of trees) {
    const found = treeImports(tree, exclude && exclude.tree === tree ? exclude : undefined);
    future.push(...found.future);
    other.push(...found.other);
  }
  return { future, other };
}

function treeImports(tree: Tree, exclude?: Node): { future: string[]; other: string[] } {
  // A definition holds no module-scope import, so excluding it changes nothing: cache per tree.
  const cacheable = !exclude || DEFINITION_TYPES.has(exclude.type);
  if (cacheable) {
    const hit = importsByTree.get(tree);
    if (hit) return hit;
  }
  const future: string[] = [];
  const other: string[] = [];
  const visit = (node: Node): void => {
    for (const child of node.namedChildren) {
      if (!child || (exclude && child.equals(exclude))) continue;
      if (IMPORT_TYPES.has(child.type)) {
        const text = oneLine(child);
        (child.type === 'future_import_statement' ? future : other).push(text);
      } else if (!NESTED_SCOPE_TYPES.has(child.type) && !DEFINITION_TYPES.has(child.type)) {
        // if/try/with/for blocks at module level are still module scope.
        visit(child);
      }
    }
  };
  visit(tree.rootNode);
  const result = { future, other };
  if (cacheable) importsByTree.set(tree, result);
  return result;
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

export interface SnippetOptions {
  /** A method statement directly in the class body: keep only the class header and it. */
  only?: Node;
  /**
   * Keep the statement on its own lines in the file (imports on the line above,
   * or after it when it starts on line 1): for code whose constants hold its
   * own line (3.13+ class bodies store `__firstlineno__`).
   */
  inPlace?: boolean;
}

/**
 * The snippet for top-level `statement`; with `only` (a method statement
 * directly in the body of the class that `statement` is), just the class's
 * header and that method. Lines come from `lineAt` (0-based rows).
 */
export function buildSnippet(trees: readonly Tree[], statement: Node, lineAt: (row: number) => string, options: SnippetOptions = {}): Snippet {
  const { only, inPlace = false } = options;
  let { startRow, endRow } = rowsOf(statement);
  // Whole lines are compiled, so take in any statement that shares a line
  // with this one (`x = (1,\n 2); y = lambda: 3`), until the span is stable.
  let first = statement;
  let last = statement;
  for (let changed = true; changed; ) {
    changed = false;
    const before = first.previousNamedSibling;
    if (before && rowsOf(before).endRow >= startRow) {
      first = before;
      startRow = Math.min(startRow, rowsOf(before).startRow);
      changed = true;
    }
    const after = last.nextNamedSibling;
    if (after && rowsOf(after).startRow <= endRow) {
      last = after;
      endRow = Math.max(endRow, rowsOf(after).endRow);
      changed = true;
    }
  }
  const { future, other } = moduleScopeImports(trees, statement);
  let keep = (_row: number): boolean => true;
  if (only && first.equals(last)) {
    const body = (statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement)?.childForFieldName('body');
    const method = rowsOf(only);
    if (body && body.startPosition.row > startRow) {
      const headerEnd = body.startPosition.row - 1;
      keep = (row) => row <= headerEnd || (row >= method.startRow && row <= method.endRow);
    }
  }
  const prelude = [...future, ...other].join('; ');
  const body: string[] = [];
  for (let row = startRow; row <= endRow; row++) body.push(keep(row) ? lineAt(row) : '');
  if (!inPlace) {
    return { source: [prelude, ...body].join('\n') + '\n', lineDelta: startRow - 1, startLine: startRow + 1, endLine: endRow + 1 };
  }
  // Line 1 can have nothing before it (and no __future__ import can come after it).
  const above = startRow > 0 ? [...new Array<string>(startRow - 1).fill(''), prelude] : [];
  const below = startRow === 0 && other.length ? [other.join('; ')] : [];
  return { source: [...above, ...body, ...below].join('\n') + '\n', lineDelta: 0, startLine: startRow + 1, endLine: endRow + 1 };
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
