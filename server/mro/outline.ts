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
  /**
   * The row of the module-level statement the class statement runs in
   * (itself, or the outermost class it is nested in), when no function is
   * in between: module names are looked up as bound before it.
   */
  moduleRow?: number;
  bases: BaseExpr[];
  /** `class C:` or `class C():`: no bases written (object). */
  noBases: boolean;
  metaclass?: string;
  members: Member[];
  slots?: string[];
}

/** A name bound at module level (or a class name in any scope) and what it refers to. */
export type BindingTarget =
  /** The class statement at `row` (a module may define two classes of one name). */
  | { kind: 'class'; qualname: string; row: number }
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
  /** Made inside an if/try/with/for/while block: whether it runs is known only at run time. */
  conditional?: boolean;
}

export interface ModuleOutline {
  classes: ClassDecl[];
  bindings: Binding[];
  /** `__all__` when the module sets it to a literal list of names: what `from m import *` takes. */
  all?: string[];
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
  let all: string[] | undefined;
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
    if (cached.outline.all) all = [...(all ?? []), ...cached.outline.all];
  });
  return { classes, bindings, ...(all ? { all } : {}) };
}

function shift(outline: ModuleOutline, by: number): void {
  for (const c of outline.classes) {
    c.row += by;
    c.span = [c.span[0] + by, c.span[1], c.span[2] + by, c.span[3]];
    for (const b of c.bases) b.span = [b.span[0] + by, b.span[1], b.span[2] + by, b.span[3]];
    for (const m of c.members) m.row += by;
  }
  for (const b of outline.bindings) {
    b.row += by;
    if (b.target.kind === 'class') b.target = { ...b.target, row: b.target.row + by };
  }
  for (const c of outline.classes) if (c.moduleRow !== undefined) c.moduleRow += by;
}

export function readTree(tree: Tree): ModuleOutline {
  const outline: ModuleOutline = { classes: [], bindings: [] };
  const root = tree.rootNode;
  readModuleBlock(root, outline, false);
  // Functions whose locals were recorded (once each, however many classes they hold).
  const functions = new Set<number>();
  for (const node of root.descendantsOfType('class_definition')) {
    if (node) outline.classes.push(readClass(node, outline.bindings, functions));
  }
  return outline;
}

const spanOf = (node: Node): Span => [node.startPosition.row, node.startPosition.column, node.endPosition.row, node.endPosition.column];

/** Module-level statements, into if/try/with/for/while blocks (`conditional`) but not into defs or classes. */
function readModuleBlock(block: Node, outline: ModuleOutline, conditional: boolean): void {
  const bindings: Binding[] = [];
  readStatements(block, bindings, outline);
  if (conditional) for (const b of bindings) b.conditional = true;
  outline.bindings.push(...bindings);
}

function readStatements(block: Node, bindings: Binding[], outline: ModuleOutline): void {
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
        for (const child of stmt.namedChildren) {
          if (child?.type !== 'assignment') continue;
          readAssignment(child, row, bindings, '');
          if (child.childForFieldName('left')?.text === '__all__') {
            const right = child.childForFieldName('right');
            const names = right ? literalStrings(right) : undefined;
            if (names) outline.all = names;
          }
        }
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
        // The loop variable, `with … as x`, `except … as e`: names bound to what we do not follow.
        for (const name of compoundTargets(stmt)) bindings.push({ name, row, scope: '', target: { kind: 'other', what: 'a loop, with or except target' }, conditional: true });
        for (const inner of innerBlocks(stmt)) readModuleBlock(inner, outline, true);
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

/**
 * `X = a.B` binds X to a dotted name; `X = anything else`, or X unpacked from
 * a tuple, binds it to something we do not follow. Chains (`X = Y = B`) bind
 * each. An annotation alone (`x: int`) binds nothing.
 */
function readAssignment(node: Node, row: number, bindings: Binding[], scope: string): void {
  let right = node.childForFieldName('right');
  const simple: string[] = [];
  const unpacked: string[] = [];
  const take = (left: Node | null) => {
    if (!left) return;
    if (left.type === 'identifier') simple.push(left.text);
    else unpacked.push(...targetNames(left));
  };
  take(node.childForFieldName('left'));
  while (right?.type === 'assignment') {
    take(right.childForFieldName('left'));
    right = right.childForFieldName('right');
  }
  if (!right) return;
  const path = dottedPath(right);
  for (const name of simple) bindings.push({ name, row, scope, target: path ? { kind: 'alias', path } : { kind: 'other', what: `\`${short(right.text)}\`` } });
  for (const name of unpacked) bindings.push({ name, row, scope, target: { kind: 'other', what: 'a value unpacked from a sequence' } });
}

/** The names a binding target binds: `a`, `a, (b, *c)`; none for `a.b` or `a[0]`. */
function targetNames(node: Node): string[] {
  switch (node.type) {
    case 'identifier':
      return [node.text];
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'expression_list':
    case 'tuple':
    case 'list':
    case 'list_splat_pattern':
    case 'parenthesized_expression':
    case 'as_pattern_target':
      return node.namedChildren.flatMap((c) => (c ? targetNames(c) : []));
    default:
      return [];
  }
}

/** A compound statement's own targets: `for x in`, `with … as x`, `except … as e`. */
function compoundTargets(stmt: Node): string[] {
  const names: string[] = [];
  if (stmt.type === 'for_statement') {
    const left = stmt.childForFieldName('left');
    if (left) names.push(...targetNames(left));
  }
  for (const n of stmt.descendantsOfType(['as_pattern_target', 'except_clause'])) {
    if (!n) continue;
    // Only this statement's own clauses: not a nested def's or class's.
    if (n.type === 'as_pattern_target') names.push(...targetNames(n));
    else {
      const alias = n.childForFieldName('alias');
      if (alias?.type === 'identifier') names.push(alias.text);
    }
  }
  return names;
}

/**
 * Every name a function binds (its parameters and any assignment, import,
 * loop or `as` target in its body, nested scopes included: a name that may
 * be the function's own is not followed to the module).
 */
function functionLocals(fn: Node): string[] {
  const names = new Set<string>();
  const params = fn.childForFieldName('parameters');
  for (const p of params?.namedChildren ?? []) {
    if (!p) continue;
    if (p.type === 'identifier') names.add(p.text);
    else {
      const name = p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'identifier' || c?.type === 'list_splat_pattern' || c?.type === 'dictionary_splat_pattern') ?? null;
      if (name) for (const n of name.type === 'identifier' ? [name.text] : name.namedChildren.filter((c) => c?.type === 'identifier').map((c) => c!.text)) names.add(n);
    }
  }
  const body = fn.childForFieldName('body');
  if (!body) return [...names];
  for (const n of body.descendantsOfType(['assignment', 'augmented_assignment', 'for_statement', 'for_in_clause', 'as_pattern_target', 'except_clause', 'named_expression', 'import_statement', 'import_from_statement', 'function_definition'])) {
    if (!n) continue;
    if (n.type === 'assignment' || n.type === 'augmented_assignment' || n.type === 'for_statement' || n.type === 'for_in_clause') {
      const left = n.childForFieldName('left');
      if (left) for (const name of targetNames(left)) names.add(name);
    } else if (n.type === 'as_pattern_target') for (const name of targetNames(n)) names.add(name);
    else if (n.type === 'except_clause') {
      const alias = n.childForFieldName('alias');
      if (alias?.type === 'identifier') names.add(alias.text);
    } else if (n.type === 'named_expression') {
      const name = n.childForFieldName('name');
      if (name) names.add(name.text);
    } else if (n.type === 'function_definition') {
      const name = n.childForFieldName('name');
      if (name) names.add(name.text);
    } else {
      for (const name of n.childrenForFieldName('name')) {
        if (!name) continue;
        const local = name.type === 'aliased_import' ? name.childForFieldName('alias')?.text : name.text.split('.')[0];
        if (local) names.add(local);
      }
    }
  }
  return [...names];
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

function readClass(node: Node, bindings: Binding[], functions: Set<number>): ClassDecl {
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
  bindings.push({ name, row: decl.row, scope, target: { kind: 'class', qualname, row: decl.row }, ...(inBranch(node) ? { conditional: true } : {}) });
  // In a function: its own names (parameters, locals) shadow the module's; we do not follow them.
  for (let p = node.parent; p; p = p.parent) {
    if (p.type !== 'function_definition' || functions.has(p.startIndex)) continue;
    functions.add(p.startIndex);
    const prefix = functionScope(p);
    const what = `a name of ${prefix.replace(/\.<locals>$/, '')}()`;
    for (const local of functionLocals(p)) bindings.push({ name: local, row: p.startPosition.row, scope: prefix, target: { kind: 'other', what } });
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
    decl.bases.push({ text: 'Generic', why: 'type parameters (PEP 695) add typing.Generic, whose MRO is known at run time', span: spanOf(node.childForFieldName('type_parameters')!) });
  }
  const body = node.childForFieldName('body');
  if (body) readBody(body, decl, bindings);
  return decl;
}

/** The statement is inside an if/try/with/for/while of its own scope: whether it runs is known at run time. */
function inBranch(node: Node): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'class_definition' || p.type === 'function_definition' || p.type === 'module') return false;
    if (p.type === 'if_statement' || p.type === 'try_statement' || p.type === 'with_statement' || p.type === 'for_statement' || p.type === 'while_statement') return true;
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
  else if (left.type === 'pattern_list' || left.type === 'tuple_pattern') for (const c of left.namedChildren) if (c?.type === 'identifier') names.push(c.text);
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

/** `'a'`, `('a', 'b')`, `['a']` (`__slots__`, `__all__`): the names; anything else is not literal. */
function literalStrings(node: Node): string[] | undefined {
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
