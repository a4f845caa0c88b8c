/**
 * What the static MRO needs of one module, read from its tree-sitter trees
 * without running anything: its classes (bases as written, `metaclass=`,
 * the names their bodies define and how) and the module-level bindings a
 * base name can go through (imports, `from x import Y as Z`, `Alias = B`).
 *
 * Read in proportion to what changed, at two levels:
 * - A document's trees are its chunks (documents/chunks.ts). An edit reparses
 *   one chunk and only moves the others (same Tree object, rows shifted), so
 *   each tree's outline is kept and only its rows are moved.
 * - The reparsed chunk is read statement by statement, and a top-level
 *   statement whose text did not change (a line inserted before a 3,000-line
 *   class) is taken from the last read, moved to its rows. Reading a big class
 *   costs tens of milliseconds; hashing its text, a fraction of one.
 *
 * Each statement's part also keeps the names it may bind to a class (classes,
 * imports, `Alias = B`) and whether it has a star import: the hover asks that
 * before resolving anything (most hovered names cannot name a class).
 */
import { createHash } from 'node:crypto';
import type { Node, Tree } from 'web-tree-sitter';
import type { Binding, ClassDecl, ModuleOutline } from './model';
import { readModuleStatement } from './bindings';
import { readClass } from './classes';

/** What one top-level statement contributes, read at `row`; never changed once made (shared by every chunk that has it). */
interface Part {
  row: number;
  /** The bindings made in the blocks inside the statement (if/try/…) … */
  nested: Binding[];
  /** … the statement's own … */
  bindings: Binding[];
  /** … its classes (in source order) and the bindings reading them made. */
  classes: ClassDecl[];
  classBindings: Binding[];
  all?: string[];
  /** Names some binding of the statement may bind to a class: classes, `from` imports, `Alias = B` (any scope) … */
  names: Set<string>;
  /** … names `import m` binds to a module (a class only through an attribute: `m.C`) … */
  modules: Set<string>;
  /** … and whether a star import may bring any name. */
  star: boolean;
}

/** A chunk: its statements' parts, each at `part.row + by` as the chunk stood at `row`. */
interface Chunk {
  parts: Array<{ part: Part; by: number }>;
  /** The chunk's first row when its parts were taken … */
  row: number;
  /** … and its outline, assembled when first asked for, with its rows as they stand at `outlineRow`. */
  outline?: ModuleOutline;
  outlineRow?: number;
}

const byTree = new WeakMap<Tree, Chunk>();

/** Parts of statements by their text (and start column); the oldest go first. */
const parts = new Map<string, Part>();
const MAX_PARTS = 8192;

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
    const chunk = chunkOf(tree, row);
    if (!chunk.outline) {
      chunk.outline = assemble(chunk.parts.map(({ part, by }) => moved(part, by + row - chunk.row)));
    } else if (chunk.outlineRow !== row) {
      moveRows(chunk.outline.classes, [chunk.outline.bindings], row - chunk.outlineRow!, false);
    }
    chunk.outlineRow = row;
    classes.push(...chunk.outline.classes);
    bindings.push(...chunk.outline.bindings);
    if (chunk.outline.all) all = [...(all ?? []), ...chunk.outline.all];
  });
  return { classes, bindings, ...(all ? { all } : {}) };
}

/**
 * Whether the dotted name `path` (`C`, `m.C`) may refer to a class of the
 * workspace anywhere in the module: some binding of its first name is a
 * class statement, a `from` import or an alias (or, for a dotted name, an
 * `import`), or a star import may bring it. False means no lookup of it can
 * end at a class. Asked by the hover: a chunk an edit reparsed costs a hash
 * per statement, no copy.
 */
export function mayNameClass(trees: readonly Tree[], startRows: readonly number[], path: readonly string[]): boolean {
  const [name] = path;
  if (name === undefined) return false;
  const dotted = path.length > 1;
  return trees.some((tree, i) => {
    // A chunk not read yet (an edit reparsed it) is read only if its text could bind the name: a
    // binding's name is in the text as written, and so is a star import. Reading costs a hash per statement.
    if (!byTree.has(tree)) {
      const text = tree.rootNode.text;
      if (!text.includes(name) && !STAR_IMPORT.test(text)) return false;
    }
    return chunkOf(tree, startRows[i] ?? 0).parts.some(
      ({ part }) => part.star || part.names.has(name) || (dotted && part.modules.has(name)),
    );
  });
}

const STAR_IMPORT = /\bimport\s*\*/;

/** The chunk of a tree, its statements read (or found by their text) if the tree is new. */
function chunkOf(tree: Tree, row: number): Chunk {
  let chunk = byTree.get(tree);
  if (!chunk) {
    chunk = { parts: statementsOf(tree).map(cachedPart), row };
    byTree.set(tree, chunk);
  }
  return chunk;
}

/** A whole file read once (a module on disk): no part is kept. */
export function readTree(tree: Tree): ModuleOutline {
  return assemble(statementsOf(tree).map(readPart));
}

function statementsOf(tree: Tree): Node[] {
  return tree.rootNode.namedChildren.filter((n): n is Node => !!n && n.type !== 'comment');
}

/** In the order one pass over the chunk made them: blocks' bindings, the statements' own, then the classes'. */
function assemble(list: Part[]): ModuleOutline {
  const outline: ModuleOutline = { classes: [], bindings: [] };
  const own: Binding[] = [];
  const classBindings: Binding[] = [];
  for (const part of list) {
    outline.bindings.push(...part.nested);
    own.push(...part.bindings);
    outline.classes.push(...part.classes);
    classBindings.push(...part.classBindings);
    // The last `__all__ = [...]` of the chunk holds.
    if (part.all) outline.all = part.all;
  }
  outline.bindings.push(...own, ...classBindings);
  return outline;
}

/** A statement's part, shared: the last read of the same text (and `by`, how far it moved), else read now. */
function cachedPart(stmt: Node): { part: Part; by: number } {
  const row = stmt.startPosition.row;
  // A statement with a syntax error may parse differently beside other text: always read.
  if (stmt.hasError) return { part: readPart(stmt), by: 0 };
  // Comments after the last statement of a block belong to the block in tree-sitter-python's tree
  // (a line typed after a class ends up inside it): they change nothing here, so they are not part of the key.
  const text = stmt.text.slice(0, contentEnd(stmt) - stmt.startIndex);
  const key = `${stmt.startPosition.column}:${createHash('sha1').update(text).digest('base64')}`;
  const known = parts.get(key);
  if (known) {
    // Most recently used last.
    parts.delete(key);
    parts.set(key, known);
    return { part: known, by: row - known.row };
  }
  const part = readPart(stmt);
  parts.set(key, part);
  if (parts.size > MAX_PARTS) parts.delete(parts.keys().next().value!);
  return { part, by: 0 };
}

/** Where a node's text ends without the comments it ends with. */
function contentEnd(node: Node): number {
  for (let i = node.childCount - 1; i >= 0; i--) {
    const child = node.child(i);
    if (child && child.type !== 'comment') return contentEnd(child);
  }
  return node.endIndex;
}

function readPart(stmt: Node): Part {
  const module: ModuleOutline = { classes: [], bindings: [] };
  const own = readModuleStatement(stmt, module);
  const classBindings: Binding[] = [];
  // Functions whose locals were recorded (once each, however many classes they hold).
  const functions = new Set<number>();
  for (const node of stmt.descendantsOfType('class_definition')) {
    if (node) module.classes.push(readClass(node, classBindings, functions));
  }
  return {
    row: stmt.startPosition.row,
    nested: module.bindings,
    bindings: own,
    classes: module.classes,
    classBindings,
    ...(module.all ? { all: module.all } : {}),
    ...classNames(module.classes, [...module.bindings, ...own, ...classBindings]),
  };
}

function classNames(classes: readonly ClassDecl[], bindings: readonly Binding[]): Pick<Part, 'names' | 'modules' | 'star'> {
  const names = new Set<string>();
  const modules = new Set<string>();
  let star = false;
  for (const c of classes) names.add(c.name);
  for (const b of bindings) {
    if (b.target.kind === 'star') star = true;
    else if (b.target.kind === 'module') modules.add(b.name);
    else if (b.target.kind !== 'other') names.add(b.name);
  }
  return { names, modules, star };
}

/** A copy of a part's outline, its rows moved by `by` (the part itself is shared and never changes). */
function moved(part: Part, by: number): Part {
  const copy = {
    ...part,
    classes: [...part.classes],
    nested: [...part.nested],
    bindings: [...part.bindings],
    classBindings: [...part.classBindings],
  };
  moveRows(copy.classes, [copy.nested, copy.bindings, copy.classBindings], by, true);
  return copy;
}

/**
 * Move the rows of the classes and bindings in these arrays by `by`: each
 * element replaced by a moved copy (the arrays of a part's copy), or, with
 * `copy` false, changed in place (a chunk's outline when the chunk moved; no
 * allocation, it runs for every chunk after an edit). One function, so that
 * a row field added to the model is moved in both.
 */
function moveRows(classes: ClassDecl[], bindingLists: Binding[][], by: number, copy: boolean): void {
  const span = (s: ClassDecl['span']): ClassDecl['span'] => [s[0] + by, s[1], s[2] + by, s[3]];
  for (let i = 0; i < classes.length; i++) {
    const c = classes[i]!;
    const o = copy
      ? {
          ...c,
          bases: c.bases.map((b) => ({ ...b })),
          members: c.members.map((m) => ({ ...m })),
          ...(c.slots ? { slots: [...c.slots] } : {}),
        }
      : c;
    o.row += by;
    o.span = span(o.span);
    for (const b of o.bases) b.span = span(b.span);
    for (const m of o.members) m.row += by;
    if (o.moduleRow !== undefined) o.moduleRow += by;
    classes[i] = o;
  }
  for (const list of bindingLists) {
    for (let i = 0; i < list.length; i++) {
      const o = copy ? { ...list[i]! } : list[i]!;
      o.row += by;
      if (o.target.kind === 'class') o.target = { ...o.target, row: o.target.row + by };
      list[i] = o;
    }
  }
}
