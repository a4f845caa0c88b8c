/**
 * The opcode reference for the bytecode panel: what an instruction does in the
 * selected interpreter's version (our own text, from `opcodes.ts`), and a link
 * to that version's `dis` documentation. Pure: no DOM, no lit.
 */
import { OPCODE_FAMILIES, type OpcodeFamily, type PyVersion } from './opcodes';

export interface OpcodeDoc {
  opname: string;
  /** Our description for this version, or null when no family covers the opname. */
  text: string | null;
  /** The opcode's entry in that version's `dis` documentation. */
  url: string;
  /** The family that matched (its name, else its first pattern, e.g. `LOAD_ATTR_*`), or null. */
  family: string | null;
}

/** `https://docs.python.org/<major.minor>/library/dis.html#opcode-<OPNAME>`; any version, even one newer than we know. */
export function disDocsUrl(opname: string, version: readonly number[]): string {
  const [major, minor] = version;
  const docsVersion = major === undefined ? '3' : minor === undefined ? String(major) : `${major}.${minor}`;
  return `https://docs.python.org/${docsVersion}/library/dis.html#opcode-${encodeURIComponent(opname)}`;
}

function compare(a: readonly number[], b: PyVersion): number {
  return (a[0] ?? 0) - b[0] || (a[1] ?? 0) - b[1];
}

function inRange(version: readonly number[], since: PyVersion | undefined, until: PyVersion | undefined): boolean {
  return (since === undefined || compare(version, since) >= 0) && (until === undefined || compare(version, until) <= 0);
}

interface Hit {
  family: OpcodeFamily;
  pattern: string;
  /** What `*` matched; the whole opname for an exact pattern. */
  rest: string;
}

/** Names some family lists exactly, in any version. */
const EXACT_NAMES = new Set(OPCODE_FAMILIES.flatMap((f) => f.match.filter((p) => !p.endsWith('*'))));

/**
 * The family describing `opname` in `version`: exact names first, then the
 * longest prefix, then file order. A name listed exactly is never matched by a
 * prefix: outside its listed versions it is not described (so, say,
 * CALL_FUNCTION on 3.11 is not taken for a specialization of CALL).
 */
function findFamily(opname: string, version: readonly number[]): Hit | null {
  const exactOnly = EXACT_NAMES.has(opname);
  let best: Hit | null = null;
  let bestPrefix = -1;
  for (const family of OPCODE_FAMILIES) {
    if (!inRange(version, family.since, family.until)) continue;
    for (const pattern of family.match) {
      if (pattern === opname) return { family, pattern, rest: opname };
      if (!exactOnly && pattern.endsWith('*')) {
        const prefix = pattern.slice(0, -1);
        if (opname.length > prefix.length && opname.startsWith(prefix) && prefix.length > bestPrefix) {
          best = { family, pattern, rest: opname.slice(prefix.length) };
          bestPrefix = prefix.length;
        }
      }
    }
  }
  return best;
}

export function describeOpcode(opname: string, version: readonly number[]): OpcodeDoc {
  const url = disDocsUrl(opname, version);
  const hit = findFamily(opname, version);
  if (!hit) return { opname, text: null, url, family: null };
  const parts = [hit.family.text];
  for (const note of hit.family.notes ?? []) {
    if (inRange(version, note.since, note.until)) parts.push(note.text);
  }
  const text = parts.join(' ').replaceAll('{*}', hit.rest);
  return { opname, text, url, family: hit.family.name ?? hit.family.match[0] ?? hit.pattern };
}
