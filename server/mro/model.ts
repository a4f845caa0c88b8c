/**
 * The static MRO's model of a module, as outline.ts reads it: its classes
 * (bases as written, members) and the names it binds. Types only, so the
 * readers (outline.ts, bindings.ts, classes.ts) and the users (resolve.ts,
 * c3.ts, service.ts) share them without importing each other.
 */
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
