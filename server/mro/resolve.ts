/**
 * What a base expression names, followed statically through the module's
 * bindings: a class of the workspace, `object`, a module, or something the
 * static MRO cannot follow, with the reason and the base's dotted name as
 * far as it is known (`collections.OrderedDict` for an `OrderedDict`
 * imported from outside the workspace).
 *
 * Python's rules, kept where they can be read from the text: a class
 * statement's bases are evaluated in the scope it runs in (a class body's own
 * names included), then enclosing functions, then the module, then builtins.
 * Only what is bound before the statement counts: in its own scope, and in
 * the module before the module-level statement it runs in (a class nested in
 * classes runs with them). Where the text cannot tell (a name a function
 * binds, one bound differently in two branches, a star import from outside
 * the workspace), the name is left unresolved and says why.
 */
import type { Binding, ClassDecl, ModuleOutline } from './model';
import type { ModuleIndex, ModuleSource } from './modules';
import { BUILTIN_NAMES } from './builtins';

export type Resolved =
  | { kind: 'class'; module: ModuleSource; decl: ClassDecl }
  | { kind: 'object' }
  | { kind: 'module'; module: ModuleSource }
  | { kind: 'unresolved'; name: string; why: string };

/** Only bindings before these rows count: in the statement's own scope, and in the module. Absent: any. */
export interface LookupRows {
  scope?: number;
  module?: number;
}

/** Imports chained further than this are taken for a cycle. */
const MAX_DEPTH = 24;

const cycle = (name: string): Resolved => ({ kind: 'unresolved', name, why: 'the imports go round in a cycle' });

export class Resolver {
  constructor(private readonly index: ModuleIndex) {}

  /** `path` (a dotted name as written) looked up from `scope` of `module`. */
  lookup(module: ModuleSource, scope: string, path: string[], rows: LookupRows, depth = 0): Resolved {
    if (depth > MAX_DEPTH) return cycle(path.join('.'));
    const [first, ...rest] = path;
    if (!first) return { kind: 'unresolved', name: '', why: 'an empty name' };
    return this.attributes(this.name(module, scope, first, rows, depth), rest, depth);
  }

  /** Follow `.a.b` from what the first name resolved to. */
  private attributes(start: Resolved, rest: string[], depth: number): Resolved {
    let current = start;
    for (let i = 0; i < rest.length; i++) {
      const part = rest[i]!;
      if (current.kind === 'unresolved') return { kind: 'unresolved', name: [current.name, ...rest.slice(i)].join('.'), why: current.why };
      if (current.kind === 'object')
        return { kind: 'unresolved', name: ['object', ...rest.slice(i)].join('.'), why: 'an attribute of `object`' };
      if (current.kind === 'class') {
        const nestedName = `${current.decl.qualname}.${part}`;
        const nested = lastClass(current.module, nestedName);
        if (!nested)
          return {
            kind: 'unresolved',
            name: `${current.decl.qualname}.${rest.slice(i).join('.')}`,
            why: `\`${part}\` is not a class defined in the body of \`${current.decl.qualname}\``,
          };
        current = { kind: 'class', module: current.module, decl: nested };
        continue;
      }
      current = this.member(current.module, part, depth + 1);
    }
    return current;
  }

  /** `module.part`: a name the module binds, else its submodule. */
  private member(module: ModuleSource, part: string, depth: number, bindings = true): Resolved {
    if (depth > MAX_DEPTH) return cycle(`${module.name}.${part}`);
    const bound = bindings ? this.moduleBinding(module, part, undefined, depth) : undefined;
    if (bound) return bound;
    const sub = module.isPackage && module.file ? this.index.resolve(module, part, 1) : undefined;
    if (sub) return { kind: 'module', module: sub };
    return { kind: 'unresolved', name: `${module.name}.${part}`, why: `\`${part}\` is not defined in module \`${module.name}\`` };
  }

  private name(module: ModuleSource, scope: string, name: string, rows: LookupRows, depth: number): Resolved {
    // The scope the statement runs in, then enclosing functions' scopes (a class body's names do not reach nested scopes).
    for (const s of scopeChain(scope)) {
      const picked = pick(named(module.outline, s, name), rows.scope);
      if (picked === 'ambiguous') return ambiguous(name);
      if (picked) return this.follow(module, picked, depth);
    }
    const global = this.moduleBinding(module, name, rows.module, depth);
    if (global) return global;
    if (name === 'object') return { kind: 'object' };
    if (BUILTIN_NAMES.has(name)) return { kind: 'unresolved', name, why: 'a builtin: its MRO is known at run time' };
    if (rows.module !== undefined && pick(named(module.outline, '', name), undefined))
      return { kind: 'unresolved', name, why: `\`${name}\` is bound only after this class statement runs` };
    return { kind: 'unresolved', name, why: `\`${name}\` is not defined in module \`${module.name || module.uri}\`` };
  }

  /**
   * A module-level name: its last binding (before `beforeRow`), or what a
   * later `from m import *` brings in its place; undefined when nothing binds it.
   */
  private moduleBinding(module: ModuleSource, name: string, beforeRow: number | undefined, depth: number): Resolved | undefined {
    if (depth > MAX_DEPTH) return cycle(name);
    const picked = pick(named(module.outline, '', name), beforeRow);
    if (picked === 'ambiguous') return ambiguous(name);
    const after = picked ? picked.row : -1;
    const stars = indexOf(module.outline).stars.filter((b) => b.row > after && (beforeRow === undefined || b.row < beforeRow));
    for (const star of stars.sort((a, b) => b.row - a.row)) {
      if (star.target.kind !== 'star') continue;
      const target = this.index.resolve(module, star.target.module, star.target.level);
      const dotted = `${'.'.repeat(star.target.level)}${star.target.module}`;
      if (!target)
        return { kind: 'unresolved', name, why: `\`from ${dotted} import *\` may bind it, and \`${dotted}\` is not in the workspace` };
      if (!exports(target, name)) continue;
      const found = this.moduleBinding(target, name, undefined, depth + 1);
      if (found) return found;
    }
    return picked ? this.follow(module, picked, depth) : undefined;
  }

  private follow(module: ModuleSource, binding: Binding, depth: number): Resolved {
    if (depth > MAX_DEPTH) return cycle(binding.name);
    const t = binding.target;
    switch (t.kind) {
      case 'class': {
        const decl = module.outline.classes.find((c) => c.qualname === t.qualname && c.row === t.row);
        return decl ? { kind: 'class', module, decl } : { kind: 'unresolved', name: t.qualname, why: 'the class was not found' };
      }
      case 'module': {
        const target = this.index.resolve(module, t.module, t.level);
        if (target) return { kind: 'module', module: target };
        return {
          kind: 'unresolved',
          name: t.module,
          why: `module \`${t.module}\` is not in the workspace (the standard library or an installed package)`,
        };
      }
      case 'from': {
        const source = this.index.resolve(module, t.module, t.level);
        const dotted = `${'.'.repeat(t.level)}${t.module}`;
        if (!source)
          return {
            kind: 'unresolved',
            name: t.level ? t.name : `${t.module}.${t.name}`,
            why: `module \`${dotted}\` is not in the workspace (the standard library or an installed package)`,
          };
        // `from . import models` in a package's __init__: the submodule, not the name being bound.
        const itself = source.file === module.file && source.name === module.name;
        return this.member(source, t.name, depth + 1, !itself);
      }
      case 'alias':
        return this.lookup(
          module,
          binding.scope,
          t.path,
          { scope: binding.row, ...(binding.scope === '' ? { module: binding.row } : {}) },
          depth + 1,
        );
      case 'star':
        return { kind: 'unresolved', name: binding.name, why: 'a star import' };
      case 'other':
        return { kind: 'unresolved', name: binding.name, why: `\`${binding.name}\` is bound to ${t.what}` };
    }
  }
}

/** The last class of this qualname in the module (the one its name is bound to in the end). */
function lastClass(module: ModuleSource, qualname: string): ClassDecl | undefined {
  let found: ClassDecl | undefined;
  for (const c of module.outline.classes) if (c.qualname === qualname && (!found || c.row > found.row)) found = c;
  return found;
}

/** `from m import *` takes `name`: in `__all__` when m sets it, else any name not starting with `_`. */
function exports(module: ModuleSource, name: string): boolean {
  return module.outline.all ? module.outline.all.includes(name) : !name.startsWith('_');
}

function ambiguous(name: string): Resolved {
  return { kind: 'unresolved', name, why: `\`${name}\` is bound in more than one branch (if/try…): which one holds is known at run time` };
}

/** The scopes a name in `scope` is looked up in before the module: the scope itself, then enclosing functions' scopes. */
function scopeChain(scope: string): string[] {
  if (!scope) return [];
  const chain = [scope];
  const parts = scope.split('.');
  for (let i = parts.length - 1; i > 0; i--) {
    const prefix = parts.slice(0, i).join('.');
    if (prefix.endsWith('<locals>')) chain.push(prefix);
  }
  return chain;
}

/**
 * The binding of `name` in `scope` that holds before `beforeRow`: the last
 * one; 'ambiguous' when that one is made in a branch and another binding
 * (in another branch, or before it) may hold instead.
 */
function pick(bindings: readonly Binding[], beforeRow: number | undefined): Binding | 'ambiguous' | undefined {
  let found: Binding | undefined;
  let count = 0;
  for (const b of bindings) {
    if (beforeRow !== undefined && b.row >= beforeRow) continue;
    count++;
    if (!found || b.row >= found.row) found = b;
  }
  if (found?.conditional && count > 1) return 'ambiguous';
  return found;
}

/** An outline's bindings by scope and name, and its module-level star imports, in outline order. */
interface BindingIndex {
  byName: Map<string, Binding[]>;
  stars: Binding[];
}

/** Per outline (one is built per document version): resolving every class of an 18,000-line file looks up thousands of names. */
const indexes = new WeakMap<ModuleOutline, BindingIndex>();

function indexOf(outline: ModuleOutline): BindingIndex {
  let index = indexes.get(outline);
  if (!index) {
    index = { byName: new Map(), stars: [] };
    for (const b of outline.bindings) {
      if (b.target.kind === 'star') {
        if (b.scope === '') index.stars.push(b);
        continue;
      }
      const key = `${b.scope}\0${b.name}`;
      const list = index.byName.get(key);
      if (list) list.push(b);
      else index.byName.set(key, [b]);
    }
    indexes.set(outline, index);
  }
  return index;
}

/** The bindings of `name` in `scope` (star imports aside), in outline order. */
function named(outline: ModuleOutline, scope: string, name: string): readonly Binding[] {
  return indexOf(outline).byName.get(`${scope}\0${name}`) ?? [];
}
