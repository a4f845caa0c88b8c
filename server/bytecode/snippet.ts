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
 * blanks the rest (a 3,000-line class then compiles like a 30-line one). A
 * method under `if`/`else` in the class body (subprocess.Popen's) keeps its
 * place: each header it is under becomes `if 1:` at the header's column.
 */
import type { Node, Tree } from 'web-tree-sitter';
import { innerBlocks } from '../documents/scope';

const IMPORT_TYPES = new Set(['import_statement', 'import_from_statement', 'future_import_statement']);
/**
 * Nodes that can hold statements in the same scope: compound statements, their
 * clauses and blocks (and ERROR nodes, in broken code). Definitions open a
 * scope of their own; simple statements and expressions hold no statements.
 */
const STATEMENT_CONTAINERS = new Set([
  'if_statement',
  'elif_clause',
  'else_clause',
  'for_statement',
  'while_statement',
  'try_statement',
  'except_clause',
  'except_group_clause',
  'finally_clause',
  'with_statement',
  'match_statement',
  'case_clause',
  'block',
  'ERROR',
]);
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

/** An import statement on one line, and the names it binds ('*' for a star import). */
export interface ModuleImport {
  text: string;
  binds: string[] | '*';
}

interface TreeImports {
  future: string[];
  other: ModuleImport[];
}

const importsByTree = new WeakMap<Tree, TreeImports>();

/** Combined imports by their text: the same imports give the same object, whichever trees they were read from. */
const combined = new Map<string, TreeImports>();
const MAX_COMBINED = 64;

/**
 * The module's import statements at module scope (outside `exclude`), from
 * all of its trees in order. The same object as last time when the imports
 * are the same (a snippet built with it is still right), though an edit
 * reparsed, split or merged the chunks they are in.
 */
export function moduleScopeImports(trees: readonly Tree[], exclude?: Node): TreeImports {
  const parts = trees.map((tree) => treeImports(tree, exclude && exclude.tree === tree ? exclude : undefined));
  const future = parts.flatMap((p) => p.future);
  const other = parts.flatMap((p) => p.other);
  const key = [...future, '', ...other.map((i) => i.text)].join('\n');
  const known = combined.get(key);
  if (known) {
    // Most recently used last.
    combined.delete(key);
    combined.set(key, known);
    return known;
  }
  const imports: TreeImports = { future, other };
  combined.set(key, imports);
  if (combined.size > MAX_COMBINED) combined.delete(combined.keys().next().value!);
  return imports;
}

/** The names `import ...` / `from ... import ...` (on one line, comments cut) binds. */
export function importBinds(text: string): string[] | '*' {
  const from = /^from\s+\S+\s+import\s+(.*)$/s.exec(text);
  const list = from ? from[1]!.replace(/[()]/g, ' ') : text.replace(/^import\s+/, '');
  const binds: string[] = [];
  for (const part of list.split(',')) {
    const words = part.trim().split(/\s+/).filter(Boolean);
    if (words[0] === '*') return '*';
    if (words.length === 0) continue;
    // `a.b.c as d` binds d; `import a.b.c` binds a; `from m import x` binds x.
    const bound = words[1] === 'as' && words[2] ? words[2] : from ? words[0]! : words[0]!.split('.')[0]!;
    binds.push(bound.trim());
  }
  return binds;
}

function treeImports(tree: Tree, exclude?: Node): TreeImports {
  // A definition holds no module-scope import, so excluding it changes nothing: cache per tree.
  const cacheable = !exclude || DEFINITION_TYPES.has(exclude.type);
  if (cacheable) {
    const hit = importsByTree.get(tree);
    if (hit) return hit;
  }
  const future: string[] = [];
  const other: ModuleImport[] = [];
  // A cursor, not Node objects: this runs over a whole chunk after each edit.
  const cursor = tree.walk();
  const isExcluded = (): boolean =>
    !!exclude && cursor.startIndex === exclude.startIndex && cursor.endIndex === exclude.endIndex && cursor.nodeType === exclude.type;
  const visitChildren = (): void => {
    if (!cursor.gotoFirstChild()) return;
    do {
      const type = cursor.nodeType;
      if (IMPORT_TYPES.has(type)) {
        if (isExcluded()) continue;
        const text = oneLine(cursor.currentNode);
        if (type === 'future_import_statement') future.push(text);
        else other.push({ text, binds: importBinds(text) });
      } else if (STATEMENT_CONTAINERS.has(type) && !isExcluded()) {
        // if/try/with/for blocks at module level are still module scope.
        visitChildren();
      }
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  };
  try {
    visitChildren();
  } finally {
    cursor.delete();
  }
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

/**
 * Statements a class body's methods may sit in (`if sys.platform == ...:`,
 * `try:`/`except:`): their clauses start at the statement's own column, so
 * each header a method is under can become `if 1:` in the snippet, and the
 * method still compiles to the same code object (its code depends on its own
 * text, the class's name and the module's imports, not on the branch it is in).
 */
const METHOD_HOLDERS = new Set([
  'if_statement',
  'elif_clause',
  'else_clause',
  'try_statement',
  'except_clause',
  'except_group_clause',
  'finally_clause',
  'with_statement',
  'for_statement',
  'while_statement',
]);

/** The headers between a method statement and the class body it is in (innermost first); undefined if it is not a method of that body. */
function headersBetween(method: Node, body: Node): Node[] | undefined {
  const headers: Node[] = [];
  for (let block = method.parent; block && !block.equals(body); block = block.parent?.parent ?? null) {
    const header = block.parent;
    if (block.type !== 'block' || !header || !METHOD_HOLDERS.has(header.type)) return undefined;
    headers.push(header);
    // A clause's block: go on from the statement the clause belongs to.
    if (/_clause$/.test(header.type)) block = header;
  }
  return headers;
}

/** A class's body: the method statements `only` can pick, directly in it or under if/try/with/loop headers. */
export function methodsOf(body: Node): { methods: Node[]; elsewhere: boolean } {
  const methods: Node[] = [];
  let elsewhere = false;
  const visit = (block: Node) => {
    for (const member of block.namedChildren) {
      if (!member) continue;
      const definition = member.type === 'decorated_definition' ? member.childForFieldName('definition') : member;
      if (definition?.type === 'function_definition') methods.push(member);
      else if (METHOD_HOLDERS.has(member.type)) for (const inner of innerBlocks(member)) visit(inner);
    }
  };
  visit(body);
  // Functions outside those methods (a nested class's, a lambda in a header or an assignment) need the whole class.
  for (const fn of body.descendantsOfType(['function_definition', 'lambda'])) {
    if (fn && !methods.some((m) => m.startIndex <= fn.startIndex && fn.endIndex <= m.endIndex)) {
      elsewhere = true;
      break;
    }
  }
  return { methods, elsewhere };
}

/** Whether `statement` is a method `only` can pick in the class whose body is `body`. */
export function isMethodOf(statement: Node, body: Node): boolean {
  return !!headersBetween(statement, body);
}

export interface SnippetOptions {
  /** A method statement of the class (see methodsOf): keep only the class header, the headers it is under and it. */
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
export function buildSnippet(
  trees: readonly Tree[],
  statement: Node,
  lineAt: (row: number) => string,
  options: SnippetOptions = {},
): Snippet {
  const { only, inPlace = false } = options;
  const imports = moduleScopeImports(trees, statement);
  // A chunk's tree is replaced when its text changes and only moved otherwise: by tree, offsets within it
  // and the module's imports, the same snippet, at the statement's rows now.
  const root = statement.tree.rootNode.startIndex;
  const key = inPlace ? undefined : `${statement.startIndex - root}:${statement.endIndex - root}:${only ? only.startIndex - root : ''}`;
  const byKey = key === undefined ? undefined : built.get(statement.tree);
  const known = key === undefined ? undefined : byKey?.get(key);
  const row = statement.startPosition.row;
  if (known?.imports === imports) {
    const startRow = row + known.start;
    return { source: known.source, lineDelta: startRow - 1, startLine: startRow + 1, endLine: row + known.end + 1 };
  }
  const snippet = build(statement, imports, lineAt, options);
  if (key !== undefined) {
    const map = byKey ?? new Map<string, KnownSnippet>();
    if (!byKey) built.set(statement.tree, map);
    map.set(key, { imports, source: snippet.source, start: snippet.startLine - 1 - row, end: snippet.endLine - 1 - row });
  }
  return snippet;
}

interface KnownSnippet {
  imports: TreeImports;
  source: string;
  /** The snippet's first and last rows, from the statement's first row. */
  start: number;
  end: number;
}

/** Snippets built from each tree (a hover in a function asks again after every edit elsewhere). */
const built = new WeakMap<Tree, Map<string, KnownSnippet>>();

function build(statement: Node, imports: TreeImports, lineAt: (row: number) => string, options: SnippetOptions): Snippet {
  const { only, inPlace = false } = options;
  let { startRow, endRow } = rowsOf(statement);
  // Whole lines are compiled, so take in any statement that shares a line
  // with this one (`x = (1,\n 2); y = lambda: 3`), until the span is stable.
  let first = statement;
  let last = statement;
  for (let changed = true; changed;) {
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
  let keep = (_row: number): boolean => true;
  let lastRow = endRow;
  /** Rows whose text is replaced: the headers `only` is under become `if 1:`. */
  const replaced = new Map<number, string>();
  if (only && first.equals(last)) {
    const body = (statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement)?.childForFieldName(
      'body',
    );
    const method = rowsOf(only);
    const headers = body && headersBetween(only, body);
    if (body && headers && body.startPosition.row > startRow) {
      const headerEnd = body.startPosition.row - 1;
      for (const header of headers) {
        const row = header.startPosition.row;
        replaced.set(row, lineAt(row).slice(0, header.startPosition.column) + 'if 1:');
      }
      keep = (row) => row <= headerEnd || replaced.has(row) || (row >= method.startRow && row <= method.endRow);
      // The rest of the class would be blank lines, which compile to nothing: leave them out.
      lastRow = method.endRow;
    }
  }
  const body: string[] = [];
  for (let row = startRow; row <= lastRow; row++) body.push(keep(row) ? (replaced.get(row) ?? lineAt(row)) : '');
  // Only the imports that bind a name the code mentions: an import changes how
  // code compiles only through the names it binds. A smaller prelude compiles
  // faster, and adding an unrelated import elsewhere keeps the cached compile.
  const mentioned = new Set(body.join('\n').match(/[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*/gu));
  const future = imports.future;
  const other = imports.other.filter((i) => i.binds === '*' || i.binds.some((name) => mentioned.has(name))).map((i) => i.text);
  const prelude = [...future, ...other].join('; ');
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
