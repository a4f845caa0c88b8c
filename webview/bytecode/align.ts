/**
 * The same code object under two interpreters, or at two optimization
 * levels, aligned: jsdiff's `diffArrays` (an LCS) over what each instruction
 * does, and a one-line summary of what changed. Pure (no DOM): the unit
 * tests run it in Node; compare.ts draws it.
 */
import { diffArrays } from 'diff';
import type { LinkedInstruction } from '../../protocol/bytecode';

export interface CompareSide {
  /** "CPython 3.10.13" or "CPython 3.13.0 -O". */
  label: string;
  instructions: LinkedInstruction[];
  stackSize: number;
  /** Major.minor, to tell whether the interpreter specializes at all (3.11+). */
  version: readonly number[];
}

export interface AlignedRow {
  kind: 'same' | 'removed' | 'added';
  left?: number;
  right?: number;
}

/**
 * What an instruction does, for matching: its opname and its argument's
 * value. Jump offsets differ whenever anything before the target does, so a
 * jump compares by opname only.
 */
function key(ins: LinkedInstruction): string {
  return ins.argKind === 'jump' ? ins.opname : `${ins.opname} ${ins.argrepr}`;
}

export function alignInstructions(left: LinkedInstruction[], right: LinkedInstruction[]): AlignedRow[] {
  const rows: AlignedRow[] = [];
  let l = 0;
  let r = 0;
  for (const change of diffArrays(left.map(key), right.map(key))) {
    for (let k = 0; k < change.count; k++) {
      if (change.removed) rows.push({ kind: 'removed', left: l++ });
      else if (change.added) rows.push({ kind: 'added', right: r++ });
      else rows.push({ kind: 'same', left: l++, right: r++ });
    }
  }
  return rows;
}

/** Instructions with inline caches: the ones the adaptive interpreter (3.11+) may specialize, by opname. */
function specializable(side: CompareSide): Map<string, number> {
  const out = new Map<string, number>();
  for (const ins of side.instructions) if (ins.caches.length > 0) out.set(ins.opname, (out.get(ins.opname) ?? 0) + 1);
  return out;
}

function specializableText(side: CompareSide): string {
  if ((side.version[0] ?? 3) === 3 && (side.version[1] ?? 0) < 11) return 'none (no specialization before 3.11)';
  const families = [...specializable(side)].sort((a, b) => b[1] - a[1]);
  const total = families.reduce((n, [, c]) => n + c, 0);
  if (total === 0) return '0';
  return `${total} (${families
    .slice(0, 4)
    .map(([name, count]) => `${name} ×${count}`)
    .join(', ')}${families.length > 4 ? ', …' : ''})`;
}

/** One line: sizes, what was added and removed, stack size, specializable instructions. */
export function compareSummary(left: CompareSide, right: CompareSide, rows: AlignedRow[]): string {
  const added = rows.filter((r) => r.kind === 'added').length;
  const removed = rows.filter((r) => r.kind === 'removed').length;
  const parts = [
    `${left.instructions.length} → ${right.instructions.length} instructions (+${added} −${removed})`,
    left.stackSize === right.stackSize ? `stack size ${left.stackSize}` : `stack size ${left.stackSize} → ${right.stackSize}`,
    `specializable: ${specializableText(left)} → ${specializableText(right)}`,
  ];
  return parts.join(' · ');
}
