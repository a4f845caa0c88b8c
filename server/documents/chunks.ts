/**
 * A module parsed in chunks: each chunk is a tree-sitter tree over a run of
 * whole lines (a run of top-level statements), parsed with `includedRanges`
 * so that its nodes carry the document's own indices and rows.
 *
 * Why: tree-sitter-python's incremental reparse costs time in proportion to
 * the rest of the file after the edit (one blank line inserted near the top of
 * 4,000 small functions takes about 40 ms; see docs/performance.md). A chunk of
 * a few hundred lines reparses in a millisecond or two whatever the size of the
 * file; the chunks after an edit only move (`tree.edit`), they are not parsed.
 *
 * Why it is sound: a top-level statement that starts at column 0 parses the
 * same alone as in its file. A boundary that is not such a start shows: the
 * chunk before it leaves a string, bracket or backslash continuation open
 * (openness.ts reads that from the text, as tree-sitter's error recovery may
 * hide it) or ends in an error (a decorator with nothing after it), or the
 * chunk after it starts with an error (an `else:` with no `if`) or an indented
 * line. Such neighbours are merged and parsed together until no boundary
 * shows it, so in a file that parses the chunks hold the same top-level nodes
 * as a parse of the whole file (test/unit/documents.test.ts checks this after
 * random edits).
 *
 * Indices and columns are UTF-16 code units, as in LSP and web-tree-sitter.
 */
import type { Edit, Node, Parser, Range, Tree } from 'web-tree-sitter';
import { opennessAtEnd } from './openness';

/** The text the chunks are parsed from; rows are 0-based, as in LSP. */
export interface ChunkSource {
  /** The text between two indices. */
  slice(start: number, end: number): string;
  readonly length: number;
  /** Index where `row` starts; the text's length for rows past the end. */
  rowStart(row: number): number;
  readonly lineCount: number;
}

export interface ChunkOptions {
  /** Rows per chunk when a chunk is split; a chunk is split once it holds twice as many. */
  chunkRows?: number;
}

/** Large enough that splitting is rare, small enough that a reparse stays near a millisecond. */
const DEFAULT_CHUNK_ROWS = 128;

interface Chunk {
  /** The chunk holds rows from here to the next chunk's start row (or the end of the text). */
  startRow: number;
  /** The last parse, edited to the current text by `tree.edit`; null when the chunk needs a fresh parse. */
  tree: Tree | null;
  /** Edited since the last parse. */
  dirty: boolean;
}

export class ChunkedTree {
  private chunks: Chunk[] = [];
  private readonly chunkRows: number;
  /** tree-sitter reads through this callback, and so does `Node.text` later: always the current text. */
  private readonly read = (index: number): string => this.source.slice(index, index + 2048);

  constructor(
    private readonly parser: Parser,
    private readonly source: ChunkSource,
    options: ChunkOptions = {},
  ) {
    this.chunkRows = Math.max(1, options.chunkRows ?? DEFAULT_CHUNK_ROWS);
    this.reset();
  }

  /** Every chunk's tree, in document order. */
  get trees(): Tree[] {
    return this.chunks.map((chunk) => this.treeOf(chunk));
  }

  /** The tree of the chunk that holds `row`. */
  treeAt(row: number): Tree {
    return this.treeOf(this.chunks[this.indexOfRow(row)]!);
  }

  /** The row each chunk starts at, in order (the first is 0). */
  get startRows(): number[] {
    return this.chunks.map((chunk) => chunk.startRow);
  }

  /** How many chunks the text is parsed in (for tests and the benchmark). */
  get chunkCount(): number {
    return this.chunks.length;
  }

  /** Parse the whole text afresh (a new document, or a change that replaced all of it). */
  reset(): void {
    this.dispose();
    this.chunks = [{ startRow: 0, tree: null, dirty: true }];
    this.reparse();
  }

  /**
   * Record an edit, given in the coordinates of the text before it: the chunk
   * that holds it is marked for a reparse (merged with the chunks the edit
   * reaches into), the chunks after it move. Call `reparse` once the text is updated.
   */
  edit(edit: Edit): void {
    let first = this.indexOfRow(edit.startPosition.row);
    // Whole lines inserted between two chunks go to the smaller one (the one before on a tie): a line
    // typed above a 3,000-line class then reparses the small chunk above, not
    // the class. Sound either way: lines that do not end a statement at the
    // end of the chunk before (a decorator, an open bracket) or start one at
    // the start of the chunk after (an indented line) show at that edge, and
    // settling merges the two.
    if (
      first > 0 &&
      edit.startPosition.column === 0 &&
      this.chunks[first]!.startRow === edit.startPosition.row &&
      edit.oldEndIndex === edit.startIndex &&
      edit.newEndPosition.column === 0 &&
      this.rowsOf(first - 1) <= this.rowsOf(first)
    ) {
      first--;
    }
    let last = this.indexOfRow(edit.oldEndPosition.row);
    // An edit that ends just where the next chunk starts (it replaced the line
    // break before that chunk) leaves it alone if the new text ends a line too.
    if (
      last > first &&
      edit.oldEndPosition.column === 0 &&
      this.chunks[last]!.startRow === edit.oldEndPosition.row &&
      edit.newEndPosition.column === 0
    ) {
      last--;
    }
    if (last > first) this.merge(first, last);
    const chunk = this.chunks[first]!;
    chunk.tree?.edit(edit);
    chunk.dirty = true;
    const rowDelta = edit.newEndPosition.row - edit.oldEndPosition.row;
    for (let i = first + 1; i < this.chunks.length; i++) {
      const after = this.chunks[i]!;
      after.startRow += rowDelta;
      after.tree?.edit(edit);
    }
  }

  /**
   * Parse the edited chunks; merge any of them with a neighbour across a
   * boundary that the parse shows is not a statement start; split chunks
   * that grew too large.
   */
  reparse(): void {
    for (let i = 0; i < this.chunks.length; i++) {
      if (!this.chunks[i]!.dirty) continue;
      i = this.parseAndSettle(i);
      this.split(i);
    }
  }

  dispose(): void {
    for (const chunk of this.chunks) chunk.tree?.delete();
    this.chunks = [];
  }

  /**
   * Parse chunk `i`, then merge it with neighbours while an inner edge has an
   * error; returns its new index. Each further merge in one direction takes
   * twice as many chunks as the one before (an unclosed string swallows the
   * rest of the file), so settling parses at most about twice the text it
   * ends up covering, never once per chunk.
   */
  private parseAndSettle(i: number): number {
    let forward = 0;
    let backward = 0;
    for (;;) {
      this.parseChunk(i);
      const edges = edgeErrors(this.chunks[i]!.tree!, i === 0);
      // A chunk left open at its end (string, bracket, continuation) always
      // parses with an error in tree-sitter-python, so a clean one needs no scan.
      if (i + 1 < this.chunks.length && (edges.end || (this.chunks[i]!.tree!.rootNode.hasError && this.endsOpen(i)))) {
        this.merge(i, Math.min(this.chunks.length - 1, i + (1 << forward++)));
      } else if (edges.start && i > 0) {
        const to = Math.max(0, i - (1 << backward++));
        this.merge(to, i);
        i = to;
      } else {
        return i;
      }
    }
  }

  /**
   * Does chunk `i` leave a string, a bracket or a backslash continuation open
   * (so the next chunk does not start a statement)? A bracket left open before
   * a `def`, `class` or `import` line is a typo in this chunk, not a boundary
   * to move: no valid code has those inside brackets, and merging would pull
   * in the rest of the file until the bracket is closed.
   */
  private endsOpen(i: number): boolean {
    const range = this.rangeOf(i);
    const open = opennessAtEnd(this.source.slice(range.startIndex, range.endIndex));
    if (open !== 'bracket') return open !== null;
    const nextLine = this.source.slice(range.endIndex, range.endIndex + 64);
    return !/^(?:async[ \t]+def|def|class|import|from[ \t]+\S+[ \t]+import)\b/.test(nextLine);
  }

  private parseChunk(i: number): void {
    const chunk = this.chunks[i]!;
    const range = this.rangeOf(i);
    const options = this.chunks.length > 1 ? { includedRanges: [range] } : {};
    const tree = this.parser.parse(this.read, chunk.tree, options);
    if (!tree) throw new Error('tree-sitter could not parse the document');
    chunk.tree?.delete();
    chunk.tree = tree;
    chunk.dirty = false;
  }

  /**
   * Merge chunks first..last into the first, to be parsed afresh. Not from the
   * first one's tree: tree-sitter would reuse its last statement as it was
   * parsed at the old end, where a block cut short by that end stays short.
   */
  private merge(first: number, last: number): void {
    for (let i = first; i <= last; i++) this.chunks[i]!.tree?.delete();
    this.chunks.splice(first + 1, last - first);
    this.chunks[first]!.tree = null;
    this.chunks[first]!.dirty = true;
  }

  /** Split chunk `i` at top-level statements when it is over twice the chunk size and parses cleanly. */
  private split(i: number): void {
    const chunk = this.chunks[i]!;
    const tree = chunk.tree!;
    const endRow = chunk.startRow + this.rowsOf(i);
    if (endRow - chunk.startRow <= 2 * this.chunkRows || tree.rootNode.hasError) return;
    const starts: number[] = [];
    let previousEnd = -1;
    let previousBig = false;
    let pieceStart = chunk.startRow;
    for (const node of tree.rootNode.children) {
      if (!node) continue;
      const row = node.startPosition.row;
      // A boundary goes before a statement that starts a line of its own, at
      // column 0, once the piece is large enough; and around a statement larger
      // than a chunk (a 3,000-line class), which then is a chunk of its own: an
      // edit beside it reparses the small chunk it is in, not the big one.
      const big = node.type !== 'comment' && node.endPosition.row - row >= this.chunkRows;
      const boundary =
        node.type !== 'comment' &&
        node.startPosition.column === 0 &&
        row > previousEnd &&
        row > pieceStart &&
        ((row - pieceStart >= this.chunkRows && endRow - row >= this.chunkRows / 2) || big || previousBig);
      if (boundary) {
        starts.push(row);
        pieceStart = row;
      }
      if (node.type !== 'comment') previousBig = big;
      previousEnd = node.endPosition.row;
    }
    if (starts.length === 0) return;
    const pieces: Chunk[] = [chunk.startRow, ...starts].map((startRow) => ({ startRow, tree: null, dirty: false }));
    this.chunks.splice(i, 1, ...pieces);
    let clean = true;
    for (let k = 0; k < pieces.length; k++) {
      const piece = pieces[k]!;
      // The big tree as the old tree: tree-sitter reuses its statements, so a split costs little parsing.
      const parsed = this.parser.parse(this.read, tree, { includedRanges: [this.rangeOf(i + k)] });
      if (!parsed) throw new Error('tree-sitter could not parse the document');
      piece.tree = parsed;
      const edges = edgeErrors(parsed, i + k === 0);
      if (edges.start || edges.end) clean = false;
    }
    if (clean) {
      tree.delete();
      return;
    }
    // Not expected (the boundaries came from a clean parse), but never keep a split that changes the trees.
    for (const piece of pieces) piece.tree?.delete();
    this.chunks.splice(i, pieces.length, chunk);
  }

  private rangeOf(i: number): Range {
    const startRow = this.chunks[i]!.startRow;
    const startIndex = this.source.rowStart(startRow);
    const start = { row: startRow, column: 0 };
    const next = this.chunks[i + 1];
    if (next)
      return {
        startIndex,
        endIndex: this.source.rowStart(next.startRow),
        startPosition: start,
        endPosition: { row: next.startRow, column: 0 },
      };
    const lastRow = this.source.lineCount - 1;
    const endIndex = this.source.length;
    return { startIndex, endIndex, startPosition: start, endPosition: { row: lastRow, column: endIndex - this.source.rowStart(lastRow) } };
  }

  /** How many rows chunk `i` holds. */
  private rowsOf(i: number): number {
    const next = this.chunks[i + 1];
    return (next ? next.startRow : this.source.lineCount) - this.chunks[i]!.startRow;
  }

  /** The last chunk whose start row is at or before `row`. */
  private indexOfRow(row: number): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.chunks[mid]!.startRow <= row) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private treeOf(chunk: Chunk): Tree {
    if (!chunk.tree || chunk.dirty) throw new Error('ChunkedTree: reparse() was not called after edit()');
    return chunk.tree;
  }
}

/**
 * Whether a chunk's tree shows that its start or its end is not a boundary
 * between top-level statements. At the end: the last token (comments aside)
 * is in an ERROR node, is MISSING or is a backslash continuation, as when a
 * bracket or string is left open. At the start (for any chunk but the first):
 * the first token is in an ERROR node (an `else:` with no `if`), or the chunk
 * starts with an indented line, which in the whole file would continue the
 * block above. An error inside a statement, away from both edges, is the
 * statement's own and needs no merge.
 */
function edgeErrors(tree: Tree, firstChunk: boolean): { start: boolean; end: boolean } {
  const root = tree.rootNode;
  const first = root.child(0);
  const indented = !firstChunk && !!first && first.startPosition.column > 0;
  if (!root.hasError) return { start: indented, end: false };
  // tree-sitter may make the root itself an ERROR (a dedent inside a long
  // class can do it); the edges are still read from the statements it holds.
  return { start: indented || (!firstChunk && spineHasError(root, 'first')), end: spineHasError(root, 'last') };
}

/** Walk from `root` to its first (or last) token, skipping comments and empty nodes: is any node on the way an error? */
function spineHasError(root: Node, side: 'first' | 'last'): boolean {
  let node: Node | null = root;
  while (node) {
    if ((node !== root && node.isError) || node.isMissing || node.type === 'line_continuation') return true;
    const count: number = node.childCount;
    let next: Node | null = null;
    for (let n = 0; n < count && !next; n++) {
      const child = node.child(side === 'first' ? n : count - 1 - n);
      if (!child || child.type === 'comment') continue;
      if (child.isMissing || child.endIndex > child.startIndex) next = child;
    }
    node = next;
  }
  return false;
}
