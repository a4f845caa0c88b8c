/**
 * What the static MRO needs of one module, read from its tree-sitter trees
 * without running anything: its classes (bases as written, `metaclass=`,
 * the names their bodies define and how) and the module-level bindings a
 * base name can go through (imports, `from x import Y as Z`, `Alias = B`).
 *
 * A document's trees are its chunks (documents/chunks.ts). An edit reparses
 * one chunk and only moves the others (same Tree object, rows shifted), so
 * each tree's outline is kept and only its rows are moved: after a keystroke
 * in a 16k-line file one chunk is read again.
 */
import type { Tree } from 'web-tree-sitter';
import type { Binding, ClassDecl, ModuleOutline } from './model';
import { readModuleBlock } from './bindings';
import { readClass } from './classes';

interface Cached {
  outline: ModuleOutline;
  /** The chunk's first row when it was read. */
  row: number;
}

const byTree = new WeakMap<Tree, Cached>();

/**
 * The outline of a module parsed as `trees` (one per chunk), `startRows[i]`
 * the first row of chunk i. Unchanged chunks cost a row shift.
 */
export function outlineOf(trees: readonly Tree[], startRows: readonly number[]): ModuleOutline {
  const classes: ClassDecl[] = [];
  const bindings: Binding[] = [];
  let all: string[] | undefined;
  trees.forEach((tree, i) => {
    const row = startRows[i] ?? 0;
    let cached = byTree.get(tree);
    if (!cached) {
      cached = { outline: readTree(tree), row };
      byTree.set(tree, cached);
    } else if (cached.row !== row) {
      shift(cached.outline, row - cached.row);
      cached.row = row;
    }
    classes.push(...cached.outline.classes);
    bindings.push(...cached.outline.bindings);
    if (cached.outline.all) all = [...(all ?? []), ...cached.outline.all];
  });
  return { classes, bindings, ...(all ? { all } : {}) };
}

function shift(outline: ModuleOutline, by: number): void {
  for (const c of outline.classes) {
    c.row += by;
    c.span = [c.span[0] + by, c.span[1], c.span[2] + by, c.span[3]];
    for (const b of c.bases) b.span = [b.span[0] + by, b.span[1], b.span[2] + by, b.span[3]];
    for (const m of c.members) m.row += by;
  }
  for (const b of outline.bindings) {
    b.row += by;
    if (b.target.kind === 'class') b.target = { ...b.target, row: b.target.row + by };
  }
  for (const c of outline.classes) if (c.moduleRow !== undefined) c.moduleRow += by;
}

export function readTree(tree: Tree): ModuleOutline {
  const outline: ModuleOutline = { classes: [], bindings: [] };
  const root = tree.rootNode;
  readModuleBlock(root, outline, false);
  // Functions whose locals were recorded (once each, however many classes they hold).
  const functions = new Set<number>();
  for (const node of root.descendantsOfType('class_definition')) {
    if (node) outline.classes.push(readClass(node, outline.bindings, functions));
  }
  return outline;
}
