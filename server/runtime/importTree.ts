/**
 * `-X importtime`'s lines as a tree, and several runs' trees as one with the
 * median and the spread of each module's times (single runs vary a lot).
 *
 * The lines come in post-order: a module's line follows the lines of the
 * modules it imported, which are indented two spaces more:
 *   import time: self [us] | cumulative | imported package
 *   import time:       208 |        208 |       _json
 *   import time:       400 |        607 |     json.scanner
 */
import type { ImportedModule, ImportSpec, ImportTrace, Spread } from '../../protocol';

export interface TimedModule {
  name: string;
  selfUs: number;
  cumulativeUs: number;
  children: TimedModule[];
}

const LINE = /^import time:\s*(\d+)\s*\|\s*(\d+)\s*\|( *)(\S.*)$/;

/** The top-level imports of one run, each with what it imported under it. */
export function parseImportTimes(lines: string[]): TimedModule[] {
  // Waiting for their importer, by depth.
  const pending = new Map<number, TimedModule[]>();
  const roots: TimedModule[] = [];
  for (const line of lines) {
    const m = LINE.exec(line);
    if (!m) continue;
    const depth = Math.max(0, Math.floor((m[3]!.length - 1) / 2));
    const node: TimedModule = {
      name: m[4]!.trim(),
      selfUs: Number(m[1]),
      cumulativeUs: Number(m[2]),
      children: pending.get(depth + 1) ?? [],
    };
    pending.delete(depth + 1);
    if (depth === 0) roots.push(node);
    else pending.set(depth, [...(pending.get(depth) ?? []), node]);
  }
  return roots;
}

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0] ?? 0, max: sorted[sorted.length - 1] ?? 0 };
}

/**
 * The runs merged: the tree of the first run (who imported whom), each
 * module's times over every run that imported it (a module is imported
 * once per run, so its name is its key), and the specs the observer saw.
 */
export function mergeRuns(runs: TimedModule[][], specs: Record<string, ImportSpec>): ImportTrace {
  const times = new Map<string, { self: number[]; cumulative: number[] }>();
  const collect = (node: TimedModule) => {
    let t = times.get(node.name);
    if (!t) times.set(node.name, (t = { self: [], cumulative: [] }));
    t.self.push(node.selfUs);
    t.cumulative.push(node.cumulativeUs);
    node.children.forEach(collect);
  };
  for (const run of runs) run.forEach(collect);
  const modules: ImportedModule[] = [];
  const seen = new Set<string>();
  const visit = (node: TimedModule, parent: number) => {
    if (seen.has(node.name)) return;
    seen.add(node.name);
    const t = times.get(node.name)!;
    const index = modules.length;
    modules.push({
      name: node.name,
      parent,
      self: spread(t.self),
      cumulative: spread(t.cumulative),
      runs: t.self.length,
      ...(specs[node.name] ? { spec: specs[node.name] } : {}),
    });
    node.children.forEach((child) => visit(child, index));
  };
  // The first run's tree, then what only later runs imported.
  for (const run of runs) run.forEach((root) => visit(root, -1));
  const totalUs = modules.filter((m) => m.parent < 0).reduce((n, m) => n + m.cumulative.median, 0);
  return { runs: runs.length, modules, totalUs };
}
