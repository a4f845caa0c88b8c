/**
 * A module's bindings, read from its tree-sitter tree for the static MRO:
 * what each module-level name is bound to (imports in every form, aliases,
 * star imports, values we do not follow, branches), `__all__`, and the names
 * a function binds. Also the small readers of targets and dotted names the
 * class reader (classes.ts) shares.
 */
import type { Node } from 'web-tree-sitter';
import { innerBlocks } from '../documents/scope';
import type { Binding, ModuleOutline } from './model';

/** Module-level statements, into if/try/with/for/while blocks (`conditional`) but not into defs or classes. */
export function readModuleBlock(block: Node, outline: ModuleOutline, conditional: boolean): void {
  const bindings: Binding[] = [];
  readStatements(block, bindings, outline);
  if (conditional) for (const b of bindings) b.conditional = true;
  outline.bindings.push(...bindings);
}

/**
 * One top-level statement (a chunk of the module is read statement by
 * statement, see outline.ts): its own bindings are returned, those of the
 * blocks inside it go to `outline` at once, as readModuleBlock orders them.
 */
export function readModuleStatement(stmt: Node, outline: ModuleOutline): Binding[] {
  const bindings: Binding[] = [];
  readStatement(stmt, bindings, outline);
  return bindings;
}

function readStatements(block: Node, bindings: Binding[], outline: ModuleOutline): void {
  for (const stmt of block.namedChildren) if (stmt) readStatement(stmt, bindings, outline);
}

function readStatement(stmt: Node, bindings: Binding[], outline: ModuleOutline): void {
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
      for (const name of compoundTargets(stmt))
        bindings.push({ name, row, scope: '', target: { kind: 'other', what: 'a loop, with or except target' }, conditional: true });
      for (const inner of innerBlocks(stmt)) readModuleBlock(inner, outline, true);
      break;
  }
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
export function readAssignment(node: Node, row: number, bindings: Binding[], scope: string): void {
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
  for (const name of simple)
    bindings.push({ name, row, scope, target: path ? { kind: 'alias', path } : { kind: 'other', what: `\`${short(right.text)}\`` } });
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

/** The names a function's or lambda's parameters bind (no global statement can take them). */
export function parameterNames(fn: Node): string[] {
  const names: string[] = [];
  const params = fn.childForFieldName('parameters');
  for (const p of params?.namedChildren ?? []) {
    if (!p) continue;
    if (p.type === 'identifier') names.push(p.text);
    else {
      const name =
        p.childForFieldName('name') ??
        p.namedChildren.find(
          (c) => c?.type === 'identifier' || c?.type === 'list_splat_pattern' || c?.type === 'dictionary_splat_pattern',
        ) ??
        null;
      if (name)
        for (const n of name.type === 'identifier'
          ? [name.text]
          : name.namedChildren.filter((c) => c?.type === 'identifier').map((c) => c!.text))
          names.push(n);
    }
  }
  return names;
}

/**
 * Every name a function binds (its parameters and any assignment, import,
 * loop or `as` target in its body). With `own` false, nested scopes' too: a
 * name that may be the function's own is not followed to the module. With
 * `own`, exactly the function's own locals as far as they are read here
 * (nested scopes left out, `global` names taken out): a name found is
 * certainly local, one missed is only looked up for nothing.
 */
export function functionLocals(fn: Node, own = false): string[] {
  const names = new Set<string>(parameterNames(fn));
  const body = fn.childForFieldName('body');
  if (!body) return [...names];
  const globals = new Set<string>();
  if (own) {
    for (const g of body.descendantsOfType('global_statement')) {
      if (g && innermostScope(g)?.equals(fn)) for (const name of g.namedChildren) if (name) globals.add(name.text);
    }
  }
  for (const n of body.descendantsOfType([
    'assignment',
    'augmented_assignment',
    'for_statement',
    'for_in_clause',
    'as_pattern_target',
    'except_clause',
    'named_expression',
    'import_statement',
    'import_from_statement',
    'function_definition',
  ])) {
    if (!n) continue;
    // A nested def's name is the function's own; the rest of it is its own scope.
    if (own && !innermostScope(n)?.equals(fn)) continue;
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
  for (const name of globals) names.delete(name);
  return [...names];
}

/** Node types that open a scope of their own (comprehensions too: their targets are theirs). */
const SCOPES = new Set([
  'function_definition',
  'lambda',
  'class_definition',
  'list_comprehension',
  'set_comprehension',
  'dictionary_comprehension',
  'generator_expression',
]);

/** The innermost scope-opening node above `node` (a def's parameters and body both count as in it). */
function innermostScope(node: Node): Node | null {
  for (let n = node.parent; n; n = n.parent) if (SCOPES.has(n.type)) return n;
  return null;
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

export function short(text: string): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > 40 ? `${one.slice(0, 39)}…` : one;
}

/** `'a'`, `('a', 'b')`, `['a']` (`__slots__`, `__all__`): the names; anything else is not literal. */
export function literalStrings(node: Node): string[] | undefined {
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
