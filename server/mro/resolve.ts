/**
 * What a base expression names, followed statically through the module's
 * bindings: a class of the workspace, `object`, a module, or something the
 * static MRO cannot follow, with the reason and the base's dotted name as
 * far as it is known (`collections.OrderedDict` for an `OrderedDict`
 * imported from outside the workspace).
 *
 * Python's rules, simplified where they need a run: a class statement's bases
 * are evaluated in the scope it runs in (a class body's names included), then
 * enclosing functions, then the module, then builtins; at module level only
 * what was bound before the statement counts (the last such binding).
 */
import type { Binding, ClassDecl } from './outline';
import type { ModuleIndex, ModuleSource } from './modules';
import { BUILTIN_NAMES } from './builtins';

export type Resolved =
  | { kind: 'class'; module: ModuleSource; decl: ClassDecl }
  | { kind: 'object' }
  | { kind: 'module'; module: ModuleSource }
  | { kind: 'unresolved'; name: string; why: string };

/** Imports chained further than this are taken for a cycle. */
const MAX_DEPTH = 24;

export class Resolver {
  constructor(private readonly index: ModuleIndex) {}

  /**
   * `path` (a dotted name as written) looked up from `scope` of `module`;
   * `beforeRow`: only bindings before this row count in the module's own
   * scope (a class statement at module level).
   */
  lookup(module: ModuleSource, scope: string, path: string[], beforeRow: number | undefined, depth = 0): Resolved {
    if (depth > MAX_DEPTH) return { kind: 'unresolved', name: path.join('.'), why: 'the imports go round in a cycle' };
    const [first, ...rest] = path;
    if (!first) return { kind: 'unresolved', name: '', why: 'an empty name' };
    const head = this.name(module, scope, first, beforeRow, depth);
    return this.attributes(head, rest, depth);
  }

  /** Follow `.a.b` from what the first name resolved to. */
  private attributes(start: Resolved, rest: string[], depth: number): Resolved {
    let current = start;
    for (let i = 0; i < rest.length; i++) {
      const part = rest[i]!;
      if (current.kind === 'unresolved') {
        return { kind: 'unresolved', name: [current.name, ...rest.slice(i)].join('.'), why: current.why };
      }
      if (current.kind === 'object') return { kind: 'unresolved', name: ['object', ...rest.slice(i)].join('.'), why: 'an attribute of `object`' };
      if (current.kind === 'class') {
        const nestedName = `${current.decl.qualname}.${part}`;
        const nested = current.module.outline.classes.find((c) => c.qualname === nestedName);
        if (!nested) return { kind: 'unresolved', name: `${current.decl.qualname}.${rest.slice(i).join('.')}`, why: `\`${part}\` is not a class defined in the body of \`${current.decl.qualname}\`` };
        current = { kind: 'class', module: current.module, decl: nested };
        continue;
      }
      current = this.member(current.module, part, depth + 1);
    }
    return current;
  }

  /** `module.part`: a name the module binds, else its submodule. */
  private member(module: ModuleSource, part: string, depth: number): Resolved {
    const bound = this.moduleBinding(module, part, undefined, depth);
    if (bound) return bound;
    const sub = this.index.resolve(module, `${module.name}.${part}`.replace(/^\./, ''), 0) ?? (module.isPackage && module.file ? this.index.resolve(module, part, 1) : undefined);
    if (sub) return { kind: 'module', module: sub };
    return { kind: 'unresolved', name: `${module.name}.${part}`, why: `\`${part}\` is not defined in module \`${module.name}\`` };
  }

  private name(module: ModuleSource, scope: string, name: string, beforeRow: number | undefined, depth: number): Resolved {
    // The scope the statement runs in, then enclosing functions' scopes (a class body's names do not reach nested scopes).
    for (const s of scopeChain(scope)) {
      const binding = lastBinding(module.outline.bindings, s, name, s === scope ? beforeRow : undefined);
      if (binding) return this.follow(module, binding, depth);
    }
    const global = this.moduleBinding(module, name, scope === '' ? beforeRow : undefined, depth);
    if (global) return global;
    if (name === 'object') return { kind: 'object' };
    if (BUILTIN_NAMES.has(name)) return { kind: 'unresolved', name, why: `a builtin: its MRO is known at run time` };
    const later = lastBinding(module.outline.bindings, '', name, undefined);
    if (later && beforeRow !== undefined && scope === '') return { kind: 'unresolved', name, why: `\`${name}\` is bound only after this line` };
    return { kind: 'unresolved', name, why: `\`${name}\` is not defined in module \`${module.name || module.uri}\`` };
  }

  /** A module-level name: its last binding (before `beforeRow`), else a `from m import *` that may bind it. */
  private moduleBinding(module: ModuleSource, name: string, beforeRow: number | undefined, depth: number): Resolved | undefined {
    const binding = lastBinding(module.outline.bindings, '', name, beforeRow);
    if (binding) return this.follow(module, binding, depth);
    const stars = module.outline.bindings.filter((b) => b.scope === '' && b.target.kind === 'star' && (beforeRow === undefined || b.row < beforeRow));
    for (const star of stars.reverse()) {
      if (star.target.kind !== 'star') continue;
      const target = this.index.resolve(module, star.target.module, star.target.level);
      if (!target) continue;
      const found = this.moduleBinding(target, name, undefined, depth + 1);
      if (found && found.kind !== 'unresolved') return found;
    }
    return undefined;
  }

  private follow(module: ModuleSource, binding: Binding, depth: number): Resolved {
    const t = binding.target;
    switch (t.kind) {
      case 'class': {
        const decl = module.outline.classes.find((c) => c.qualname === t.qualname);
        return decl ? { kind: 'class', module, decl } : { kind: 'unresolved', name: t.qualname, why: 'the class was not found' };
      }
      case 'module': {
        const target = this.index.resolve(module, t.module, t.level);
        if (target) return { kind: 'module', module: target };
        return { kind: 'unresolved', name: t.module, why: `module \`${t.module}\` is not in the workspace (the standard library or an installed package)` };
      }
      case 'from': {
        const source = this.index.resolve(module, t.module, t.level);
        const dotted = `${'.'.repeat(t.level)}${t.module}`;
        if (!source) return { kind: 'unresolved', name: t.level ? t.name : `${t.module}.${t.name}`, why: `module \`${dotted}\` is not in the workspace (the standard library or an installed package)` };
        if (source.file === module.file && source.name === module.name) return { kind: 'unresolved', name: t.name, why: 'the module imports from itself' };
        return this.member(source, t.name, depth + 1);
      }
      case 'alias':
        return this.lookup(module, binding.scope, t.path, binding.row, depth + 1);
      case 'star':
        return { kind: 'unresolved', name: binding.name, why: 'a star import' };
      case 'other':
        return { kind: 'unresolved', name: binding.name, why: `\`${binding.name}\` is bound to ${t.what}` };
    }
  }
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

function lastBinding(bindings: readonly Binding[], scope: string, name: string, beforeRow: number | undefined): Binding | undefined {
  let found: Binding | undefined;
  for (const b of bindings) {
    if (b.scope !== scope || b.name !== name) continue;
    if (beforeRow !== undefined && b.row >= beforeRow) continue;
    if (!found || b.row >= found.row) found = b;
  }
  return found;
}
