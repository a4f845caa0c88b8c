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
 * Each chunk also keeps the names it may bind to a class (classes, imports,
 * `Alias = B`) and whether it has a star import: the hover asks that before
 * resolving anything (most hovered names cannot name a class).
 */
import { createHash } from 'node:crypto';
import type { Node, Tree } from 'web-tree-sitter';
import type { Binding, ClassDecl, ModuleOutline } from './model';
import { readModuleStatement } from './bindings';
import { readClass } from './classes';

/** What one top-level statement contributes, read at `row`; never changed once made (copies are handed out). */
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
}

/** A chunk's outline and the class-name index of it. */
interface Chunk {
  outline: ModuleOutline;
  /** The chunk's first row as its outline's rows stand. */
  row: number;
  /** Names some binding of the chunk may bind to a class: classes, imports, `Alias = B` (any scope). */
  names: Set<string>;
  star: boolean;
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
    if (chunk.row !== row) {
      shift(chunk.outline, row - chunk.row);
      chunk.row = row;
    }
    classes.push(...chunk.outline.classes);
    bindings.push(...chunk.outline.bindings);
    if (chunk.outline.all) all = [...(all ?? []), ...chunk.outline.all];
  });
  return { classes, bindings, ...(all ? { all } : {}) };
}

/**
 * Whether `name` may refer to a class of the workspace anywhere in the module:
 * some binding of it is a class statement, an import or an alias, or a star
 * import may bring it. False means no lookup of it can end at a class.
 */
export function mayNameClass(trees: readonly Tree[], startRows: readonly number[], name: string): boolean {
  return trees.some((tree, i) => {
    const chunk = chunkOf(tree, startRows[i] ?? 0);
    return chunk.star || chunk.names.has(name);
  });
}

/** The chunk's outline, read if the tree is new (its rows as read; outlineOf moves them). */
function chunkOf(tree: Tree, row: number): Chunk {
  let chunk = byTree.get(tree);
  if (!chunk) {
    const outline = assemble(statementsOf(tree).map((stmt) => cachedPart(stmt)));
    chunk = { outline, row, ...classNames(outline) };
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

/** A statement's part: the last read of the same text moved to its rows, else read now. */
function cachedPart(stmt: Node): Part {
  // A statement with a syntax error may parse differently beside other text: always read.
  if (stmt.hasError) return readPart(stmt);
  // Comments after the last statement of a block belong to the block in tree-sitter-python's tree
  // (a line typed after a class ends up inside it): they change nothing here, so they are not part of the key.
  const text = stmt.text.slice(0, contentEnd(stmt) - stmt.startIndex);
  const key = `${stmt.startPosition.column}:${createHash('sha1').update(text).digest('base64')}`;
  const row = stmt.startPosition.row;
  const known = parts.get(key);
  if (known) {
    // Most recently used last.
    parts.delete(key);
    parts.set(key, known);
    return copy(known, row - known.row);
  }
  const part = readPart(stmt);
  parts.set(key, copy(part, 0));
  if (parts.size > MAX_PARTS) parts.delete(parts.keys().next().value!);
  return part;
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
  };
}

function classNames(outline: ModuleOutline): { names: Set<string>; star: boolean } {
  const names = new Set<string>();
  let star = false;
  for (const c of outline.classes) names.add(c.name);
  for (const b of outline.bindings) {
    if (b.target.kind === 'star') star = true;
    else if (b.target.kind !== 'other') names.add(b.name);
  }
  return { names, star };
}

/** A deep copy of a part, its rows moved by `by`. */
function copy(part: Part, by: number): Part {
  const binding = (b: Binding): Binding => ({
    ...b,
    row: b.row + by,
    target: b.target.kind === 'class' ? { ...b.target, row: b.target.row + by } : b.target,
  });
  return {
    row: part.row + by,
    nested: part.nested.map(binding),
    bindings: part.bindings.map(binding),
    classes: part.classes.map((c) => ({
      ...c,
      row: c.row + by,
      span: [c.span[0] + by, c.span[1], c.span[2] + by, c.span[3]],
      ...(c.moduleRow !== undefined ? { moduleRow: c.moduleRow + by } : {}),
      bases: c.bases.map((b) => ({ ...b, span: [b.span[0] + by, b.span[1], b.span[2] + by, b.span[3]] })),
      members: c.members.map((m) => ({ ...m, row: m.row + by })),
      ...(c.slots ? { slots: [...c.slots] } : {}),
    })),
    classBindings: part.classBindings.map(binding),
    ...(part.all ? { all: part.all } : {}),
  };
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
