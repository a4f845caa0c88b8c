/**
 * What the MRO page derives from the server's static answer and a runtime
 * report, kept apart from rendering so it can be read (and tested) alone:
 * runtime classes keyed like static ones, the two linearizations compared,
 * the attribute table with both sides, and the `obj.attr` rule per kind.
 */
import {
  type AttributeKind,
  DATA_DESCRIPTOR_KINDS,
  type MroClass,
  type RuntimeClassMro,
  type RuntimeMroClass,
  type StaticMro,
} from '../../protocol/mro';

/** A runtime class's key, as the static side builds it (`module:qualname`). */
export const runtimeKey = (c: RuntimeMroClass): string => `${c.module}:${c.qualname}`;

/** A static class as the runtime names it: `module:qualname` (its key also tells apart two classes of one qualname). */
export const staticIdentity = (c: MroClass): string => (c.unresolved ? c.key : `${c.module}:${c.qualname}`);

/** The static MRO beside the runtime one: per position, whether they agree; `upTo`: how far the static one is exact. */
export interface MroComparison {
  agree: boolean;
  /** Per static position: the runtime class there differs. */
  differs: boolean[];
  /** Positions checked: all of them for a complete static MRO, else up to where it stops. */
  upTo: number;
}

export function compareMro(stat: StaticMro, runtime: RuntimeClassMro): MroComparison {
  const runtimeKeys = runtime.mro.map(runtimeKey);
  const stop = stat.mro.findIndex((c) => c.unresolved);
  const upTo = stop >= 0 ? stop : stat.mro.length;
  const differs = stat.mro.map((c, i) => i < upTo && runtimeKeys[i] !== staticIdentity(c));
  const agree = !differs.some(Boolean) && (stop >= 0 ? true : runtimeKeys.length === stat.mro.length);
  return { agree, differs, upTo };
}

/** How `obj.attr` treats an attribute of this kind found on the type: a short label and the rule in full. */
export function ruleOf(kind: AttributeKind): { label: string; rule: string } {
  if (DATA_DESCRIPTOR_KINDS.includes(kind))
    return {
      label: 'beats obj.__dict__',
      rule: 'A data descriptor on the type: obj.attr uses it even when the instance’s __dict__ has the name.',
    };
  if (kind === 'value' || kind === 'class')
    return { label: 'obj.__dict__ first', rule: 'A plain value on the type: an instance attribute of the same name hides it.' };
  return { label: 'obj.__dict__ first', rule: 'A non-data descriptor (no __set__): an instance attribute of the same name hides it.' };
}

/** Names every class gets from `type` or `object`: hidden unless asked for. */
export const IMPLICIT = new Set([
  '__module__',
  '__qualname__',
  '__doc__',
  '__dict__',
  '__weakref__',
  '__firstlineno__',
  '__static_attributes__',
  '__annotations__',
  '__slots__',
]);

export interface AttributeRow {
  name: string;
  /** Static side (absent: only the run knows it, e.g. a dataclass's __init__). */
  definedIn?: MroClass;
  kind?: AttributeKind;
  line?: number;
  shadows: Array<{ cls: MroClass; kind: AttributeKind }>;
  /** Runtime side, when a run was made. */
  runtime?: { definedIn: RuntimeMroClass; kind: AttributeKind; type: string; shadows: RuntimeMroClass[] };
  /** Both sides known and they disagree on where or what it is. */
  differs: boolean;
}

/** The static table, with the runtime's answer beside each name; runtime-only names after (object's and implicit ones only if asked). */
export function attributeRows(stat: StaticMro, runtime: RuntimeClassMro | undefined, showImplicit: boolean): AttributeRow[] {
  const byKey = new Map(stat.graph.classes.map((c) => [c.key, c]));
  const fallback = (key: string): MroClass => byKey.get(key) ?? { key, name: key.split(':').pop() ?? key, qualname: key, module: '' };
  const runtimeByName = new Map((runtime?.attributes ?? []).map((a) => [a.name, a]));
  const rows: AttributeRow[] = [];
  const seen = new Set<string>();
  const runtimeSide = (name: string): AttributeRow['runtime'] => {
    const a = runtimeByName.get(name);
    if (!a || !runtime) return undefined;
    return { definedIn: runtime.mro[a.definedIn]!, kind: a.kind, type: a.type, shadows: a.shadows.map((i) => runtime.mro[i]!) };
  };
  for (const a of stat.attributes) {
    seen.add(a.name);
    const rt = runtimeSide(a.name);
    rows.push({
      name: a.name,
      definedIn: fallback(a.definedIn),
      kind: a.kind,
      ...(a.line ? { line: a.line } : {}),
      shadows: a.shadows.map((s) => ({ cls: fallback(s.key), kind: s.kind })),
      ...(rt ? { runtime: rt } : {}),
      differs: !!runtime && (!rt || runtimeKey(rt.definedIn) !== staticIdentity(fallback(a.definedIn)) || rt.kind !== a.kind),
    });
  }
  for (const a of runtime?.attributes ?? []) {
    if (seen.has(a.name)) continue;
    const owner = runtime!.mro[a.definedIn]!;
    if (!showImplicit && (owner.module === 'builtins' || IMPLICIT.has(a.name))) continue;
    rows.push({ name: a.name, shadows: [], runtime: runtimeSide(a.name)!, differs: false });
  }
  return rows;
}
