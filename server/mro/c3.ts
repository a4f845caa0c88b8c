/**
 * C3 linearization as CPython's `mro_implementation` does it
 * (Objects/typeobject.c), over the classes resolve.ts finds, recording each
 * merge step for the panel:
 *
 * - no bases: `C, object`; one base: `C` + its MRO (CPython's shortcut, no
 *   merge, no error possible);
 * - several: `C` + merge(MRO(B1), …, MRO(Bn), [B1, …, Bn]). Each round takes
 *   the first list's head that is in no list's tail, trying the lists in
 *   order, and starts again from the first list; when every head is in some
 *   tail the class cannot be created, and the TypeError names the remaining
 *   heads, in list order, by `__name__`.
 *
 * A base that cannot be followed statically is taken as deriving from
 * `object` only (`[X, object]`): the MRO is marked incomplete and says where.
 */
import type { C3Step, MroClass, StaticMro } from '../../protocol';
import type { ModuleSource } from './modules';
import type { ClassDecl, ModuleOutline } from './model';
import { type Resolved, Resolver } from './resolve';

export const OBJECT: MroClass = { key: 'builtins:object', name: 'object', qualname: 'object', module: 'builtins' };

/** A class's linearization, as its subclasses merge it. */
export interface Linearization {
  cls: MroClass;
  /** Empty when the class cannot be created (`error`). */
  mro: MroClass[];
  complete: boolean;
  error?: string;
  bases: MroClass[];
  steps: C3Step[];
  decl?: ClassDecl;
  module?: ModuleSource;
}

/**
 * `module:qualname`, as the runtime's `__module__` and `__qualname__` make
 * it; a class that a later one of the same qualname replaces gets its line
 * too (`m:A@3`): only the last is what the name holds in the end.
 */
export function classKey(module: ModuleSource, decl: ClassDecl): string {
  const replaced = (lastRows(module.outline).get(decl.qualname) ?? decl.row) > decl.row;
  return replaced ? `${module.name}:${decl.qualname}@${decl.row + 1}` : `${module.name}:${decl.qualname}`;
}

/** Per outline: each qualname's last class statement row (an outline is rebuilt whenever its classes change). */
const lastRowsOf = new WeakMap<ModuleOutline, Map<string, number>>();

function lastRows(outline: ModuleOutline): Map<string, number> {
  let rows = lastRowsOf.get(outline);
  if (!rows) {
    rows = new Map();
    for (const c of outline.classes) rows.set(c.qualname, Math.max(rows.get(c.qualname) ?? -1, c.row));
    lastRowsOf.set(outline, rows);
  }
  return rows;
}

export function describeClass(module: ModuleSource, decl: ClassDecl): MroClass {
  return { key: classKey(module, decl), name: decl.name, qualname: decl.qualname, module: module.name, uri: module.uri, span: decl.span };
}

function unresolvedClass(name: string, why: string): MroClass {
  return {
    key: `?:${name}`,
    name: name.split('.').pop() || name,
    qualname: name,
    module: name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : '',
    unresolved: why,
  };
}

/** One computation over a consistent view of the workspace (one request, one document version). */
export class C3Engine {
  private readonly memo = new Map<string, Linearization>();
  private readonly inProgress = new Set<string>();
  private readonly resolver: Resolver;

  constructor(resolver: Resolver) {
    this.resolver = resolver;
  }

  /** The class a base expression of `decl` names, as MroClass (and its linearization, when it is a class). */
  private baseOf(module: ModuleSource, decl: ClassDecl, index: number): { cls: MroClass; lin?: Linearization } {
    const base = decl.bases[index]!;
    if (!base.path) return { cls: unresolvedClass(base.text, base.why ?? 'known only at run time') };
    const found: Resolved = this.resolver.lookup(module, decl.scope, base.path, {
      scope: decl.row,
      ...(decl.moduleRow !== undefined ? { module: decl.moduleRow } : {}),
    });
    switch (found.kind) {
      case 'object':
        return { cls: OBJECT };
      case 'class': {
        const lin = this.linearize(found.module, found.decl);
        if (lin.error) return { cls: { ...lin.cls, unresolved: `its own MRO fails: ${lin.error}` } };
        return { cls: lin.cls, lin };
      }
      case 'module':
        return { cls: unresolvedClass(base.text, `\`${base.text}\` is a module, not a class`) };
      case 'unresolved':
        return { cls: unresolvedClass(found.name, found.why) };
    }
  }

  linearize(module: ModuleSource, decl: ClassDecl): Linearization {
    const key = classKey(module, decl);
    const known = this.memo.get(key);
    if (known) return known;
    const cls = describeClass(module, decl);
    if (this.inProgress.has(key)) {
      // Only reachable through a binding that names the class itself before it exists.
      return {
        cls: { ...cls, unresolved: 'the class inherits from itself' },
        mro: [],
        complete: false,
        error: 'the class inherits from itself',
        bases: [],
        steps: [],
      };
    }
    this.inProgress.add(key);
    try {
      const result = this.compute(module, decl, cls);
      this.memo.set(key, result);
      return result;
    } finally {
      this.inProgress.delete(key);
    }
  }

  private compute(module: ModuleSource, decl: ClassDecl, cls: MroClass): Linearization {
    const resolvedBases = decl.noBases ? [{ cls: OBJECT }] : decl.bases.map((_, i) => this.baseOf(module, decl, i));
    const bases = resolvedBases.map((b) => b.cls);
    const mroOf = (b: { cls: MroClass; lin?: Linearization }): MroClass[] =>
      b.lin ? b.lin.mro : b.cls.key === OBJECT.key ? [OBJECT] : [b.cls, OBJECT];
    const completeOf = (b: { cls: MroClass; lin?: Linearization }) => (b.lin ? b.lin.complete : b.cls.key === OBJECT.key);
    const complete = resolvedBases.every(completeOf);
    const base: Omit<Linearization, 'mro' | 'steps'> = { cls, complete, bases, decl, module };
    // type_new refuses a repeated base before any MRO is computed.
    const seen = new Set<string>();
    for (const b of bases) {
      if (seen.has(b.key)) return { ...base, mro: [], steps: [], error: `duplicate base class ${b.name}` };
      seen.add(b.key);
    }
    if (resolvedBases.length === 1) return { ...base, mro: [cls, ...mroOf(resolvedBases[0]!)], steps: [] };
    const merged = merge([...resolvedBases.map(mroOf), bases]);
    if ('error' in merged) return { ...base, mro: [], steps: merged.steps, error: merged.error };
    return { ...base, mro: [cls, ...merged.mro], steps: merged.steps };
  }

  /** The full static answer for one class. */
  staticMro(module: ModuleSource, decl: ClassDecl): StaticMro {
    const lin = this.linearize(module, decl);
    const stopsAt = lin.mro.find((c) => c.unresolved)?.key;
    return {
      cls: lin.cls,
      bases: lin.bases,
      mro: lin.mro,
      complete: lin.complete && !lin.error,
      ...(stopsAt ? { stopsAt } : {}),
      ...(lin.error ? { error: lin.error } : {}),
      steps: lin.steps,
      attributes: attributeTable(this, lin),
      graph: this.graph(lin),
      ...(decl.metaclass ? { metaclass: decl.metaclass } : {}),
      ...(decl.slots ? { slots: decl.slots } : {}),
    };
  }

  /** The inheritance graph above a class: every class reachable through bases, edges class → base (index in the base list). */
  private graph(lin: Linearization): StaticMro['graph'] {
    const classes = new Map<string, MroClass>();
    const edges: StaticMro['graph']['edges'] = [];
    const visit = (l: Linearization) => {
      if (classes.has(l.cls.key)) return;
      classes.set(l.cls.key, l.cls);
      l.bases.forEach((b, index) => {
        edges.push({ from: l.cls.key, to: b.key, index });
        const next = b.key === OBJECT.key ? undefined : this.known(b.key);
        if (next) visit(next);
        else if (!classes.has(b.key)) classes.set(b.key, b);
      });
    };
    visit(lin);
    return { classes: [...classes.values()], edges };
  }

  /** A class linearized in this computation, by key. */
  known(key: string): Linearization | undefined {
    return this.memo.get(key);
  }
}

type MergeResult = { mro: MroClass[]; steps: C3Step[] } | { error: string; steps: C3Step[] };

/** CPython's pmerge, step by step. */
export function merge(lists: MroClass[][]): MergeResult {
  const remain = lists.map(() => 0);
  const out: MroClass[] = [];
  const steps: C3Step[] = [];
  const inTail = (j: number, key: string) => {
    const list = lists[j]!;
    for (let k = remain[j]! + 1; k < list.length; k++) if (list[k]!.key === key) return true;
    return false;
  };
  for (;;) {
    const step: C3Step = { lists: lists.map((l, i) => l.slice(remain[i]).map((c) => c.key)), rejected: [] };
    let empty = 0;
    let chosen: MroClass | undefined;
    for (let i = 0; i < lists.length && !chosen; i++) {
      const list = lists[i]!;
      if (remain[i]! >= list.length) {
        empty++;
        continue;
      }
      const candidate = list[remain[i]!]!;
      const blocking = lists.findIndex((_, j) => inTail(j, candidate.key));
      if (blocking >= 0) {
        step.rejected.push({ head: candidate.key, inTailOf: blocking });
        continue;
      }
      chosen = candidate;
    }
    if (chosen) {
      step.chosen = chosen.key;
      steps.push(step);
      out.push(chosen);
      lists.forEach((l, j) => {
        if (remain[j]! < l.length && l[remain[j]!]!.key === chosen.key) remain[j]!++;
      });
      continue;
    }
    if (empty === lists.length) return { mro: out, steps };
    steps.push(step);
    // set_mro_error: the remaining heads, each once, in list order, by __name__.
    const heads: string[] = [];
    const seen = new Set<string>();
    lists.forEach((l, i) => {
      const head = l[remain[i]!];
      if (head && !seen.has(head.key)) {
        seen.add(head.key);
        heads.push(head.name);
      }
    });
    return { error: `Cannot create a consistent method resolution order (MRO) for bases ${heads.join(', ')}`, steps };
  }
}

/** Names defined in the resolved classes' bodies: where each resolves (the first class in the MRO) and what it shadows. */
function attributeTable(engine: C3Engine, lin: Linearization): StaticMro['attributes'] {
  const rows = new Map<string, StaticMro['attributes'][number]>();
  for (const cls of lin.mro) {
    const l = cls.key === lin.cls.key ? lin : engine.known(cls.key);
    if (!l?.decl) continue;
    // A name defined twice in one body: the later definition is the attribute.
    const own = new Map<string, { kind: StaticMro['attributes'][number]['kind']; row: number }>();
    for (const m of l.decl.members) {
      const previous = own.get(m.name);
      // A property's setter keeps the property; a slot named again stays what the last statement made it.
      if (!previous || m.row >= previous.row) own.set(m.name, { kind: m.kind, row: m.row });
    }
    for (const [name, m] of own) {
      const row = rows.get(name);
      if (row) row.shadows.push({ key: cls.key, kind: m.kind });
      else rows.set(name, { name, definedIn: cls.key, kind: m.kind, line: m.row + 1, shadows: [] });
    }
  }
  return [...rows.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
