/**
 * Method resolution order and attribute resolution: the static MRO the
 * server computes from tree-sitter trees (no code runs, so it works in an
 * untrusted workspace), and the runtime one a trusted run reads from
 * `__mro__` (the runtime lab's `mro` view).
 */
import { RequestType } from 'vscode-jsonrpc';
import type { Span } from './common';

/**
 * How an attribute is defined, named by the data model's rules for
 * `obj.attr`: a data descriptor on the type (property, slot member, anything
 * with `__set__`/`__delete__`) beats the instance's `__dict__`, which beats a
 * non-data descriptor (a function, classmethod, staticmethod) or a plain value.
 */
export type AttributeKind =
  'method' | 'classmethod' | 'staticmethod' | 'property' | 'slot' | 'data descriptor' | 'non-data descriptor' | 'class' | 'value';

/** Kinds that win over the instance's own `__dict__`. */
export const DATA_DESCRIPTOR_KINDS: readonly AttributeKind[] = ['property', 'slot', 'data descriptor'];

/** One class in a static MRO or base list. */
export interface MroClass {
  /** Unique in one answer: `module:qualname` (module `""` for `object`). */
  key: string;
  name: string;
  qualname: string;
  /** Dotted module name as the workspace lays it out (`pkg.shapes`); `builtins` for `object`. */
  module: string;
  /** Where the class is defined (absent for `object` and unresolved bases). */
  uri?: string;
  /** The class's name in its definition (LSP units). */
  span?: Span;
  /**
   * Set when the class could not be resolved without running code: the base
   * as written and why (a builtin, a module outside the workspace, a call, a
   * subscript such as `Generic[T]`). What follows it in an MRO assumes it
   * derives from `object` only.
   */
  unresolved?: string;
}

/** One step of the C3 merge: the lists still to merge, the heads tried, the one taken. */
export interface C3Step {
  /** Each list's remaining classes (keys), in merge order: the bases' MROs, then the bases. */
  lists: string[][];
  /** Heads tried before one was taken: each was in the tail of list `inTailOf`. */
  rejected: Array<{ head: string; inTailOf: number }>;
  /** The class appended to the MRO; absent on the step that failed. */
  chosen?: string;
}

/** A name defined in a class body, and where it resolves in the MRO. */
export interface AttributeResolution {
  name: string;
  /** Key of the first class in the MRO that defines it (the winner). */
  definedIn: string;
  kind: AttributeKind;
  /** 1-based line of its definition in the winning class. */
  line?: number;
  /** Classes further down the MRO that define it too, in MRO order (shadowed). */
  shadows: Array<{ key: string; kind: AttributeKind }>;
}

export interface StaticMro {
  /** The class itself (also `mro[0]`). */
  cls: MroClass;
  /** The bases as written, each resolved or not; `object` when none are written. */
  bases: MroClass[];
  /** The linearization, `cls` first. Empty when `error` is set. */
  mro: MroClass[];
  /** Every base resolved, down to `object`: this is the MRO CPython computes. */
  complete: boolean;
  /** The first unresolved class in `mro`: the static MRO is exact up to it. */
  stopsAt?: string;
  /** CPython's TypeError, worded as CPython words it ("Cannot create a consistent method resolution order (MRO) for bases A, B"). */
  error?: string;
  /** This class's own merge (C3 of its bases' MROs); empty for one base (CPython's shortcut: C + MRO(base)). */
  steps: C3Step[];
  /** Names defined in the bodies of the resolved classes of the MRO, sorted. */
  attributes: AttributeResolution[];
  /** Every class the inheritance graph shows: the MRO's classes plus those of a failed merge. */
  graph: { classes: MroClass[]; edges: Array<{ from: string; to: string; index: number }> };
  /** `metaclass=` as written, if any. */
  metaclass?: string;
  /** `__slots__` as written, if the names are literal. */
  slots?: string[];
}

/** A class of the document, for lenses and the panel's list. */
export interface ClassSummary {
  qualname: string;
  span: Span;
  /** The linearization's names (`A → B → object`), or the error. */
  mro: string[];
  complete: boolean;
  /** Index in `mro` of the first class not resolved statically: exact up to there. */
  stopsAt?: number;
  error?: string;
}

export interface MroParams {
  textDocument: { uri: string };
  /** The class defined here (0-based line, UTF-16 character), or enclosing it… */
  position?: { line: number; character: number };
  /** …or this class by qualname. */
  qualname?: string;
}

export interface MroResult {
  uri: string;
  version: number;
  /** Every class of the document, in source order. */
  classes: ClassSummary[];
  /** The class asked for, in full; absent when the position is in no class. */
  detail?: StaticMro;
}

export namespace MroRequest {
  export const method = 'pythonInternals/mro';
  /** client → server: the static MRO of the document's classes, and of one in full. Never runs code. */
  export const type = new RequestType<MroParams, MroResult, void>(method);
}

// ------------------------------------------------------------ the runtime `mro` view (raw, from the runner)

/**
 * How a class is named to people, in the hover and the panel alike: its
 * qualname in its own module (or `home`, the class shown) and for builtins,
 * else dotted with its module; an unresolved base as written.
 */
export function classLabel(c: { module: string; qualname: string; unresolved?: string }, home: string): string {
  if (c.unresolved) return c.qualname;
  return c.module === home || c.module === 'builtins' ? c.qualname : `${c.module}.${c.qualname}`;
}

/** One class of a runtime `__mro__`. */
export interface RuntimeMroClass {
  name: string;
  qualname: string;
  module: string;
  /** Where the class is defined, if inspect can tell (absent for builtins). */
  file?: string;
  line?: number;
}

export interface RuntimeAttribute {
  name: string;
  /** Index in `mro` of the class whose `__dict__` holds it. */
  definedIn: number;
  kind: AttributeKind;
  /** The object's type name (`function`, `property`, `member_descriptor`…). */
  type: string;
  /** Indices of classes further down the MRO whose `__dict__` holds it too. */
  shadows: number[];
}

export interface RuntimeClassMro {
  qualname: string;
  mro: RuntimeMroClass[];
  /** `type(cls)`, dotted. */
  metaclass: string;
  /** `cls.__dict__['__slots__']` as names, or null when the class has none of its own. */
  slots: string[] | null;
  /** Every attribute `dir(cls)` lists, with where it resolves. */
  attributes: RuntimeAttribute[];
}

/** Every class reachable from the module's globals (nested classes too), by qualname. */
export interface RuntimeMroReport {
  module: string;
  classes: RuntimeClassMro[];
}
