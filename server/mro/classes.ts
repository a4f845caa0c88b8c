/**
 * A class statement, read from its tree-sitter node for the static MRO: its
 * qualname and scope, its bases as written (dotted names, or why one cannot
 * be followed), `metaclass=`, and what its body defines and how (method,
 * classmethod, staticmethod, property, slot, value, class); its body's
 * assignments are also bindings its nested classes see.
 */
import type { Node } from 'web-tree-sitter';
import type { AttributeKind, Span } from '../../protocol';
import { innerBlocks } from '../documents/scope';
import { dottedPath, functionLocals, literalStrings, readAssignment, short } from './bindings';
import type { BaseExpr, Binding, ClassDecl } from './model';

const spanOf = (node: Node): Span => [node.startPosition.row, node.startPosition.column, node.endPosition.row, node.endPosition.column];

/** The qualname prefix of the scope a node is in, as CPython builds `__qualname__`. */
function scopeOf(node: Node): string {
  const parts: string[] = [];
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'class_definition') parts.unshift(p.childForFieldName('name')?.text ?? '?');
    else if (p.type === 'function_definition') parts.unshift(`${p.childForFieldName('name')?.text ?? '?'}.<locals>`);
  }
  return parts.join('.');
}

export function readClass(node: Node, bindings: Binding[], functions: Set<number>): ClassDecl {
  const nameNode = node.childForFieldName('name');
  const name = nameNode?.text ?? '?';
  const scope = scopeOf(node);
  const qualname = scope ? `${scope}.${name}` : name;
  const moduleRow = moduleStatementRow(node);
  const decl: ClassDecl = {
    name,
    qualname,
    span: nameNode ? spanOf(nameNode) : spanOf(node),
    row: node.startPosition.row,
    scope,
    ...(moduleRow !== undefined ? { moduleRow } : {}),
    bases: [],
    noBases: true,
    members: [],
  };
  bindings.push({
    name,
    row: decl.row,
    scope,
    target: { kind: 'class', qualname, row: decl.row },
    ...(inBranch(node) ? { conditional: true } : {}),
  });
  // In a function: its own names (parameters, locals) shadow the module's; we do not follow them.
  for (let p = node.parent; p; p = p.parent) {
    if (p.type !== 'function_definition' || functions.has(p.startIndex)) continue;
    functions.add(p.startIndex);
    const prefix = functionScope(p);
    const what = `a name of ${prefix.replace(/\.<locals>$/, '')}()`;
    for (const local of functionLocals(p))
      bindings.push({ name: local, row: p.startPosition.row, scope: prefix, target: { kind: 'other', what } });
  }
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
  // PEP 695 (3.12+): `class C[T]:` gets typing.Generic as its last base.
  if (node.childForFieldName('type_parameters')) {
    decl.noBases = false;
    decl.bases.push({
      text: 'Generic',
      why: 'type parameters (PEP 695) add typing.Generic, whose MRO is known at run time',
      span: spanOf(node.childForFieldName('type_parameters')!),
    });
  }
  const body = node.childForFieldName('body');
  if (body) readBody(body, decl, bindings);
  return decl;
}

/** The statement is inside an if/try/with/for/while of its own scope: whether it runs is known at run time. */
function inBranch(node: Node): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'class_definition' || p.type === 'function_definition' || p.type === 'module') return false;
    if (
      p.type === 'if_statement' ||
      p.type === 'try_statement' ||
      p.type === 'with_statement' ||
      p.type === 'for_statement' ||
      p.type === 'while_statement'
    )
      return true;
  }
  return false;
}

/** A function's scope prefix as `__qualname__` builds it (`Outer.f.<locals>`). */
function functionScope(fn: Node): string {
  const own = `${fn.childForFieldName('name')?.text ?? '?'}.<locals>`;
  const outer = scopeOf(fn);
  return outer ? `${outer}.${own}` : own;
}

/** The row of the module-level statement a class statement runs in, unless a function is in between. */
function moduleStatementRow(node: Node): number | undefined {
  let top = node;
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'function_definition') return undefined;
    if (p.type === 'class_definition') top = p;
  }
  return top.startPosition.row;
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

/** The names a class body defines, into if/try blocks of the body; its assignments are also bindings of its scope (a nested class's bases see them). */
function readBody(block: Node, decl: ClassDecl, bindings: Binding[]): void {
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
        for (const child of stmt.namedChildren) {
          if (child?.type !== 'assignment') continue;
          readClassAssignment(child, row, decl);
          readAssignment(child, row, bindings, decl.qualname);
        }
        break;
      case 'if_statement':
      case 'try_statement':
      case 'with_statement':
        for (const inner of innerBlocks(stmt)) readBody(inner, decl, bindings);
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
  else if (left.type === 'pattern_list' || left.type === 'tuple_pattern')
    for (const c of left.namedChildren) if (c?.type === 'identifier') names.push(c.text);
  if (right.type === 'assignment') readClassAssignment(right, row, decl);
  const valueNode = right.type === 'assignment' ? undefined : right;
  for (const name of names) {
    if (name === '__slots__' && valueNode) {
      const slots = literalStrings(valueNode);
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
