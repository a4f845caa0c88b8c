/**
 * From a position to "what to compile and which code object to show", using
 * only the tree-sitter tree: the scopes that enclose the position (each of
 * which CPython compiles to its own code object) and the top-level statement
 * that contains them.
 */
import type { Node, Point, Tree } from 'web-tree-sitter';

/** Node types CPython gives a code object of their own, with the co_name it uses. */
const SCOPE_NAMES: Record<string, string | undefined> = {
  function_definition: undefined, // the def's name
  class_definition: undefined, // the class's name
  lambda: '<lambda>',
  list_comprehension: '<listcomp>',
  set_comprehension: '<setcomp>',
  dictionary_comprehension: '<dictcomp>',
  generator_expression: '<genexpr>',
};

export interface ScopeInfo {
  /** Enclosing scope nodes, innermost first; empty at module level. */
  scopes: Node[];
  /** The module-level statement that contains the position (null between statements). */
  topStatement: Node | null;
}

export function isScopeNode(node: Node): boolean {
  return node.type in SCOPE_NAMES;
}

/** The code object name CPython gives a scope node. */
export function scopeCodeName(node: Node): string {
  const fixed = SCOPE_NAMES[node.type];
  if (fixed) return fixed;
  return node.childForFieldName('name')?.text ?? '';
}

/** The line CPython reports as co_firstlineno (1-based): decorators count for defs and classes. */
export function scopeFirstLine(node: Node): number {
  const parent = node.parent;
  if (parent?.type === 'decorated_definition' && (node.type === 'function_definition' || node.type === 'class_definition')) {
    return parent.startPosition.row + 1;
  }
  return node.startPosition.row + 1;
}

export function findScope(tree: Tree, position: Point): ScopeInfo {
  const root = tree.rootNode;
  const leaf = root.descendantForPosition(position) ?? root;
  const scopes: Node[] = [];
  let topStatement: Node | null = null;
  for (let node: Node | null = leaf; node; node = node.parent) {
    if (isScopeNode(node) && positionIsInside(node, position)) scopes.push(node);
    if (node.parent && node.parent.equals(root)) topStatement = node;
  }
  return { scopes, topStatement };
}

/**
 * Whether a position inside a scope node runs in that scope's own code object.
 * Decorators, default values, annotations, base classes and a comprehension's
 * first iterable are evaluated by the enclosing scope.
 */
function positionIsInside(node: Node, p: Point): boolean {
  switch (node.type) {
    case 'function_definition':
    case 'class_definition': {
      const body = node.childForFieldName('body');
      const params = node.childForFieldName(node.type === 'function_definition' ? 'parameters' : 'superclasses');
      if (body && contains(body, p)) return true;
      // The header: the def/class keyword and name belong to the new code object
      // (its RESUME carries this line), parameters/bases/return annotation do not.
      const returnType = node.childForFieldName('return_type');
      if (params && contains(params, p)) return false;
      if (returnType && contains(returnType, p)) return false;
      return true;
    }
    case 'lambda': {
      const body = node.childForFieldName('body');
      return !!body && contains(body, p);
    }
    default: {
      // Comprehensions: the outermost iterable is evaluated outside.
      const firstFor = node.namedChildren.find((c) => c?.type === 'for_in_clause');
      const iterable = firstFor?.childForFieldName('right');
      return !(iterable && contains(iterable, p));
    }
  }
}

export function contains(node: Node, p: Point): boolean {
  const s = node.startPosition;
  const e = node.endPosition;
  const afterStart = p.row > s.row || (p.row === s.row && p.column >= s.column);
  const beforeEnd = p.row < e.row || (p.row === e.row && p.column <= e.column);
  return afterStart && beforeEnd;
}

/** The first non-blank column of a 0-based line, for line-based requests such as the CLI's --line. */
export function firstColumn(text: string, row: number): number {
  let start = 0;
  for (let r = 0; r < row; r++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return 0;
    start = next + 1;
  }
  let col = 0;
  while (start + col < text.length && (text[start + col] === ' ' || text[start + col] === '\t')) col++;
  return col;
}

/**
 * For scopes that CPython may merge into their parent (PEP 709 inlines list, set
 * and dict comprehensions from 3.12), the caller falls back to the parent code
 * object: see `locateCodeObject` in bytecode.ts.
 */
export function sameKindIndexOnLine(node: Node): number {
  // Several lambdas or comprehensions can start on one line; CPython stores
  // them in co_consts in source order, so the k-th node is the k-th code object.
  const row = node.startPosition.row;
  let scope: Node | null = node.parent;
  while (scope && !isScopeNode(scope) && scope.parent) scope = scope.parent;
  const root = scope ?? node.tree.rootNode;
  let index = 0;
  const name = scopeCodeName(node);
  const walk = (n: Node): boolean => {
    for (const child of n.namedChildren) {
      if (!child) continue;
      if (child.equals(node)) return true;
      if (child.startPosition.row > row) return false;
      if (isScopeNode(child) && scopeCodeName(child) === name && child.startPosition.row === row) index++;
      // Scopes nested in a sibling keep their code objects in that sibling's co_consts.
      if (!isScopeNode(child) && child.endPosition.row >= row && walk(child)) return true;
    }
    return false;
  };
  walk(root);
  return index;
}

/** A compound statement's blocks: its own body and its clauses' (`elif`, `else`, `except`, `finally`). */
export function innerBlocks(stmt: Node): Node[] {
  const blocks: Node[] = [];
  for (const part of stmt.namedChildren) {
    if (!part) continue;
    if (part.type === 'block') blocks.push(part);
    else if (/_clause$/.test(part.type)) for (const inner of part.namedChildren) if (inner?.type === 'block') blocks.push(inner);
  }
  return blocks;
}
