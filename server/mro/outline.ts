/**
 * What the static MRO needs of one module, read from its tree-sitter trees
 * without running anything: its classes (bases as written, `metaclass=`,
 * the names their bodies define and how) and the module-level bindings a
 * base name can go through (imports, `from x import Y as Z`, `Alias = B`).
 *
 * A document's trees are its chunks (documents/chunks.ts). An edit reparses
 * one chunk and only moves the others (same Tree object, rows shifted), so
 * each tree's outline is kept and only its rows are moved: after a keystroke
 * in a 16k-line file one chunk is read again.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { AttributeKind, Span } from '../../protocol';

export interface BaseExpr {
  /** The base as written. */
  text: string;
  /** A dotted name (`pkg.mod.Base`), when the base is one. */
  path?: string[];
  /** Why a base that is not a dotted name cannot be followed statically. */
  why?: string;
  span: Span;
}

export interface Member {
  name: string;
  kind: AttributeKind;
  /** 0-based row of its definition. */
  row: number;
}

export interface ClassDecl {
  name: string;
  /** As CPython's `__qualname__`: `Outer.Inner`, `f.<locals>.C`. */
  qualname: string;
  /** The class's name in its `class` statement. */
  span: Span;
  /** The `class` statement's first row (its decorators excluded). */
  row: number;
  /** The scope the class statement runs in: `''` the module, else a class's or function's qualname. */
  scope: string;
  bases: BaseExpr[];
  /** `class C:` or `class C():`: no bases written (object). */
  noBases: boolean;
  metaclass?: string;
  members: Member[];
  slots?: string[];
}

/** A name bound at module level (or a class name in any scope) and what it refers to. */
export type BindingTarget =
  | { kind: 'class'; qualname: string }
  /** `import a.b` binds `a` to module `a`; `import a.b as c` binds `c` to module `a.b`. */
  | { kind: 'module'; module: string; level: number }
  /** `from .m import Y as Z` binds `Z` to `Y` of module `.m` (level 1). */
  | { kind: 'from'; module: string; level: number; name: string }
  /** `from m import *`. */
  | { kind: 'star'; module: string; level: number }
  /** `Alias = pkg.Base` */
  | { kind: 'alias'; path: string[] }
  /** Anything else (a def, another value): the name is not a class we can follow. */
  | { kind: 'other'; what: string };

export interface Binding {
  name: string;
  row: number;
  scope: string;
  target: BindingTarget;
}

export interface ModuleOutline {
  classes: ClassDecl[];
  bindings: Binding[];
}

interface Cached {
  outline: ModuleOutline;
  /** The chunk's first row when it was read. */
  row: number;
}

const byTree = new WeakMap<Tree, Cached>();

/**
 * The outline of a module parsed as `trees` (one per chunk), `startRows[i]`
 * the first row of chunk i. Unchanged chunks cost a row shift.
 */
export function outlineOf(trees: readonly Tree[], startRows: readonly number[]): ModuleOutline {
  const classes: ClassDecl[] = [];
  const bindings: Binding[] = [];
  trees.forEach((tree, i) => {
    const row = startRows[i] ?? 0;
    let cached = byTree.get(tree);
    if (!cached) {
      cached = { outline: readTree(tree), row };
      byTree.set(tree, cached);
    } else if (cached.row !== row) {
      shift(cached.outline, row - cached.row);
      cached.row = row;
    }
    classes.push(...cached.outline.classes);
    bindings.push(...cached.outline.bindings);
  });
  return { classes, bindings };
}

function shift(outline: ModuleOutline, by: number): void {
  for (const c of outline.classes) {
    c.row += by;
    c.span = [c.span[0] + by, c.span[1], c.span[2] + by, c.span[3]];
    for (const b of c.bases) b.span = [b.span[0] + by, b.span[1], b.span[2] + by, b.span[3]];
    for (const m of c.members) m.row += by;
  }
  for (const b of outline.bindings) b.row += by;
}

export function readTree(tree: Tree): ModuleOutline {
  const outline: ModuleOutline = { classes: [], bindings: [] };
  const root = tree.rootNode;
  readModuleBlock(root, outline.bindings);
  for (const node of root.descendantsOfType('class_definition')) {
    if (node) outline.classes.push(readClass(node, outline.bindings));
  }
  return outline;
}

const spanOf = (node: Node): Span => [node.startPosition.row, node.startPosition.column, node.endPosition.row, node.endPosition.column];

/** Module-level statements, into if/try/with/for/while blocks but not into defs or classes. */
function readModuleBlock(block: Node, bindings: Binding[]): void {
  for (const stmt of block.namedChildren) {
    if (!stmt) continue;
    const row = stmt.startPosition.row;
    switch (stmt.type) {
      case 'import_statement':
        for (const name of stmt.childrenForFieldName('name')) {
          if (!name) continue;
          if (name.type === 'aliased_import') {
            const dotted = name.childForFieldName('name')?.text;
            const alias = name.childForFieldName('alias')?.text;
            if (dotted && alias) bindings.push({ name: alias, row, scope: '', target: { kind: 'module', module: dotted, level: 0 } });
          } else {
            const first = name.text.split('.')[0]!;
            bindings.push({ name: first, row, scope: '', target: { kind: 'module', module: first, level: 0 } });
          }
        }
        break;
      case 'import_from_statement': {
        const from = fromModule(stmt.childForFieldName('module_name'));
        if (!from) break;
        if (stmt.namedChildren.some((c) => c?.type === 'wildcard_import')) {
          bindings.push({ name: '*', row, scope: '', target: { kind: 'star', ...from } });
          break;
        }
        for (const name of stmt.childrenForFieldName('name')) {
          if (!name) continue;
          const imported = name.type === 'aliased_import' ? name.childForFieldName('name')?.text : name.text;
          const local = name.type === 'aliased_import' ? name.childForFieldName('alias')?.text : name.text;
          if (imported && local) bindings.push({ name: local, row, scope: '', target: { kind: 'from', ...from, name: imported } });
        }
        break;
      }
      case 'expression_statement':
        for (const child of stmt.namedChildren) if (child?.type === 'assignment') readAssignment(child, row, bindings);
        break;
      case 'function_definition':
        bindName(stmt, row, bindings, 'a function');
        break;
      case 'decorated_definition': {
        const def = stmt.childForFieldName('definition');
        if (def?.type === 'function_definition') bindName(def, row, bindings, 'a decorated function');
        // A decorated class's name is bound to what the decorator returns: usually the class.
        break;
      }
      case 'if_statement':
      case 'try_statement':
      case 'with_statement':
      case 'for_statement':
      case 'while_statement':
        for (const inner of innerBlocks(stmt)) readModuleBlock(inner, bindings);
        break;
    }
  }
}

/** A compound statement's blocks: its own body and its clauses' (`elif`, `else`, `except`, `finally`). */
function innerBlocks(stmt: Node): Node[] {
  const blocks: Node[] = [];
  for (const part of stmt.namedChildren) {
    if (!part) continue;
    if (part.type === 'block') blocks.push(part);
    else if (/_clause$/.test(part.type)) for (const inner of part.namedChildren) if (inner?.type === 'block') blocks.push(inner);
  }
  return blocks;
}

function bindName(def: Node, row: number, bindings: Binding[], what: string): void {
  const name = def.childForFieldName('name')?.text;
  if (name) bindings.push({ name, row, scope: '', target: { kind: 'other', what } });
}

/** `X = a.B` binds X to a dotted name; `X = anything else` binds it to something we do not follow. Chains (`X = Y = B`) bind both. */
function readAssignment(node: Node, row: number, bindings: Binding[]): void {
  const left = node.childForFieldName('left');
  let right = node.childForFieldName('right');
  const targets: string[] = [];
  if (left?.type === 'identifier') targets.push(left.text);
  while (right?.type === 'assignment') {
    const l = right.childForFieldName('left');
    if (l?.type === 'identifier') targets.push(l.text);
    right = right.childForFieldName('right');
  }
  if (!right) return;
  const path = dottedPath(right);
  for (const name of targets) {
    bindings.push({ name, row, scope: '', target: path ? { kind: 'alias', path } : { kind: 'other', what: `\`${short(right.text)}\`` } });
  }
}

function fromModule(node: Node | null): { module: string; level: number } | undefined {
  if (!node) return undefined;
  if (node.type === 'dotted_name') return { module: node.text, level: 0 };
  if (node.type === 'relative_import') {
    const prefix = node.namedChildren.find((c) => c?.type === 'import_prefix')?.text ?? '';
    const name = node.namedChildren.find((c) => c?.type === 'dotted_name')?.text ?? '';
    return { module: name, level: prefix.length };
  }
  return undefined;
}

/** `a.b.C` as ['a', 'b', 'C']; undefined for anything but identifiers and attribute chains. */
export function dottedPath(node: Node): string[] | undefined {
  if (node.type === 'identifier') return [node.text];
  if (node.type === 'attribute') {
    const object = node.childForFieldName('object');
    const attribute = node.childForFieldName('attribute');
    const head = object && dottedPath(object);
    return head && attribute ? [...head, attribute.text] : undefined;
  }
  return undefined;
}

function short(text: string): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > 40 ? `${one.slice(0, 39)}…` : one;
}

/** The qualname prefix of the scope a node is in, as CPython builds `__qualname__`. */
function scopeOf(node: Node): string {
  const parts: string[] = [];
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'class_definition') parts.unshift(p.childForFieldName('name')?.text ?? '?');
    else if (p.type === 'function_definition') parts.unshift(`${p.childForFieldName('name')?.text ?? '?'}.<locals>`);
  }
  return parts.join('.');
}

function readClass(node: Node, bindings: Binding[]): ClassDecl {
  const nameNode = node.childForFieldName('name');
  const name = nameNode?.text ?? '?';
  const scope = scopeOf(node);
  const qualname = scope ? `${scope}.${name}` : name;
  const decl: ClassDecl = {
    name,
    qualname,
    span: nameNode ? spanOf(nameNode) : spanOf(node),
    row: node.startPosition.row,
    scope,
    bases: [],
    noBases: true,
    members: [],
  };
  bindings.push({ name, row: decl.row, scope, target: { kind: 'class', qualname } });
  const superclasses = node.childForFieldName('superclasses');
  for (const arg of superclasses?.namedChildren ?? []) {
    if (!arg || arg.type === 'comment') continue;
    if (arg.type === 'keyword_argument') {
      if (arg.childForFieldName('name')?.text === 'metaclass') decl.metaclass = arg.childForFieldName('value')?.text;
      continue;
    }
    decl.noBases = false;
    const path = dottedPath(arg);
    const base: BaseExpr = { text: short(arg.text), span: spanOf(arg) };
    if (path) base.path = path;
    else base.why = whyNotFollowed(arg);
    decl.bases.push(base);
  }
  const body = node.childForFieldName('body');
  if (body) readBody(body, decl);
  return decl;
}

function whyNotFollowed(node: Node): string {
  switch (node.type) {
    case 'subscript':
      return 'a subscript: its `__mro_entries__` picks the base at run time';
    case 'call':
      return 'a call: the base is whatever it returns at run time';
    case 'list_splat':
    case 'dictionary_splat':
      return 'unpacked bases: known only at run time';
    default:
      return 'an expression: known only at run time';
  }
}

/** The names a class body defines, into if/try blocks of the body. */
function readBody(block: Node, decl: ClassDecl): void {
  for (const stmt of block.namedChildren) {
    if (!stmt) continue;
    const row = stmt.startPosition.row;
    switch (stmt.type) {
      case 'function_definition': {
        const name = stmt.childForFieldName('name')?.text;
        if (name) decl.members.push({ name, kind: implicitKind(name), row });
        break;
      }
      case 'decorated_definition': {
        const def = stmt.childForFieldName('definition');
        const name = def?.childForFieldName('name')?.text;
        if (!def || !name) break;
        const kind = def.type === 'class_definition' ? 'class' : decoratedKind(stmt, name);
        decl.members.push({ name, kind, row: def.startPosition.row });
        break;
      }
      case 'class_definition': {
        const name = stmt.childForFieldName('name')?.text;
        if (name) decl.members.push({ name, kind: 'class', row });
        break;
      }
      case 'expression_statement':
        for (const child of stmt.namedChildren) if (child?.type === 'assignment') readClassAssignment(child, row, decl);
        break;
      case 'if_statement':
      case 'try_statement':
      case 'with_statement':
        for (const inner of innerBlocks(stmt)) readBody(inner, decl);
        break;
    }
  }
}

/** Methods the type machinery wraps without a decorator. */
function implicitKind(name: string): AttributeKind {
  if (name === '__init_subclass__' || name === '__class_getitem__') return 'classmethod';
  if (name === '__new__') return 'staticmethod';
  return 'method';
}

/** The outermost decorator decides what the name is bound to; `abstractmethod` returns the function it gets. */
function decoratedKind(stmt: Node, name: string): AttributeKind {
  const decorators = stmt.namedChildren.filter((c): c is Node => c?.type === 'decorator');
  for (const decorator of decorators) {
    const expr = decorator.namedChildren.find((c) => c && c.type !== 'comment');
    const path = expr ? dottedPath(expr) : undefined;
    const last = path?.[path.length - 1];
    if (!path || !last) return 'method';
    if (last === 'abstractmethod' || last === 'override' || last === 'final') continue;
    if (last === 'property') return 'property';
    if (last === 'classmethod') return 'classmethod';
    if (last === 'staticmethod') return 'staticmethod';
    if (last === 'cached_property') return 'non-data descriptor';
    if (path.length === 2 && path[0] === name && (last === 'setter' || last === 'getter' || last === 'deleter')) return 'property';
    // Another decorator: most return a function (functools.wraps); the runtime view knows.
    return 'method';
  }
  return implicitKind(name);
}

function readClassAssignment(node: Node, row: number, decl: ClassDecl): void {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  // `x: int` alone defines no attribute (only an annotation).
  if (!left || !right) return;
  const names: string[] = [];
  if (left.type === 'identifier') names.push(left.text);
  else if (left.type === 'pattern_list' || left.type === 'tuple_pattern') for (const c of left.namedChildren) if (c?.type === 'identifier') names.push(c.text);
  if (right.type === 'assignment') readClassAssignment(right, row, decl);
  const valueNode = right.type === 'assignment' ? undefined : right;
  for (const name of names) {
    if (name === '__slots__' && valueNode) {
      const slots = literalSlots(valueNode);
      if (slots) {
        decl.slots = slots;
        for (const slot of slots) if (slot !== '__dict__' && slot !== '__weakref__') decl.members.push({ name: slot, kind: 'slot', row });
      }
    }
    decl.members.push({ name, kind: valueNode ? valueKind(valueNode) : 'value', row });
  }
}

/** `property(...)`, `classmethod(f)`, `staticmethod(f)` assigned in a class body. */
function valueKind(node: Node): AttributeKind {
  if (node.type === 'call') {
    const fn = node.childForFieldName('function');
    const path = fn ? dottedPath(fn) : undefined;
    const last = path?.[path.length - 1];
    if (last === 'property') return 'property';
    if (last === 'classmethod') return 'classmethod';
    if (last === 'staticmethod') return 'staticmethod';
  }
  if (node.type === 'lambda') return 'method';
  return 'value';
}

/** `__slots__ = 'a'`, `('a', 'b')`, `['a']`: the names; anything else is not literal. */
function literalSlots(node: Node): string[] | undefined {
  const stringValue = (s: Node): string | undefined => {
    if (s.type !== 'string') return undefined;
    const content = s.namedChildren.filter((c) => c?.type === 'string_content');
    if (s.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
    return content.map((c) => c!.text).join('');
  };
  if (node.type === 'string') {
    const one = stringValue(node);
    return one === undefined ? undefined : [one];
  }
  if (node.type === 'tuple' || node.type === 'list' || node.type === 'parenthesized_expression') {
    const names: string[] = [];
    for (const item of node.namedChildren) {
      if (!item || item.type === 'comment') continue;
      const value = stringValue(item);
      if (value === undefined) return undefined;
      names.push(value);
    }
    return names;
  }
  return undefined;
}
