/**
 * The tree-sitter stage: the document's own syntax trees (the editor's view
 * of the code, error recovery included) as one NodeTree, for comparison with
 * CPython's AST.
 *
 * The document is parsed in chunks (documents/chunks.ts), one tree per run of
 * top-level statements; they are shown as one `module` whose children are
 * every chunk's top-level nodes. Named nodes only, ERROR and MISSING ones
 * included. An unnamed node matters in two cases: it has a field name (the
 * `operator` of `x += 1`) or it is MISSING (a `)` the parser made up): it
 * becomes a scalar of its parent. Leaves and ERROR nodes show their text.
 *
 * tree-sitter's columns are already UTF-16 (see documents.ts): no conversion.
 * The walk uses one TreeCursor per tree: Node objects would cost an
 * allocation and several WebAssembly calls each.
 */
import { NODE_STRIDE, type NodeTree } from '../../protocol';
import { encodeInt32 } from '../common/int32';
import type { Language, Tree } from 'web-tree-sitter';

/** What the walk needs of a document. */
export interface SyntaxSource {
  readonly trees: readonly Tree[];
  readonly text: string;
  readonly lineCount: number;
  lineAt(row: number): string;
}

/** Longer texts are cut here (an ERROR node can cover a whole function). */
const TEXT_LIMIT = 80;

export function syntaxTree(doc: SyntaxSource): NodeTree {
  const builder = new Builder(doc.text);
  const lastRow = Math.max(0, doc.lineCount - 1);
  builder.push(builder.type('module'), -1, -1, -1, 0, 0, lastRow, doc.lineAt(lastRow).length);
  const topLevel: number[] = [];
  for (const tree of doc.trees) builder.walk(tree, topLevel);
  builder.numberChildren(topLevel);
  return { types: builder.types, fields: builder.fields, nodes: encodeInt32(builder.nodes), scalars: builder.scalars };
}

/** A named node whose children are being walked; `start` -1: its text is shown already. */
interface Frame {
  row: number;
  start: number;
  end: number;
  /** Its named children's rows so far. */
  children: number[];
}

/** tree-sitter's symbol for ERROR nodes ((TSSymbol)-1); the grammar's `types` has no name for it. */
const ERROR_SYMBOL = 0xffff;

class Builder {
  readonly types: string[] = [];
  readonly fields: string[] = [];
  /** NODE_STRIDE numbers per node (NodeTree.nodes). */
  readonly nodes: number[] = [];
  readonly scalars: Array<number | string> = [];
  private count = 0;
  private readonly typeIds = new Map<string, number>();
  private readonly fieldIds = new Map<string, number>();
  private readonly textField: number;
  private readonly missingField: number;
  private readonly lines: LineStarts;
  /** Per grammar symbol: its index in `types` + 1 (0: not seen yet), or for unnamed symbols -1 - its index in `tokens`. */
  private readonly symbols = new Int32Array(0x10000);
  /** Unnamed symbols' types (`+=`), quoted: scalar values, not row types. */
  private readonly tokens: string[] = [];
  /** Per grammar field id: its index in `fields` + 1 (0: not seen yet). */
  private readonly fieldIdMap = new Int32Array(1024);
  /** The row of the last node's start: preorder starts never go back. */
  private startRow = 0;

  constructor(private readonly text: string) {
    this.textField = this.field('text');
    this.missingField = this.field('missing');
    this.lines = new LineStarts(text);
  }

  /**
   * Walk one chunk's tree; its root's children become `topLevel` children of
   * row 0. Each cursor getter is a WebAssembly call: per node, only the
   * symbol, field id, indices and moves are asked for; named-ness and names
   * are looked up once per symbol, rows and columns come from the indices.
   */
  walk(tree: Tree, topLevel: number[]): void {
    const cursor = tree.walk();
    const language = tree.language;
    // Only a tree with an error can hold MISSING nodes: a clean one skips the check on every token.
    const mayMiss = tree.rootNode.hasError;
    try {
      if (!cursor.gotoFirstChild()) return;
      const frames: Frame[] = [{ row: 0, start: 0, end: 0, children: topLevel }];
      for (;;) {
        const frame = frames[frames.length - 1]!;
        const symbol = cursor.nodeTypeId;
        let known = this.symbols[symbol]!;
        if (known === 0) known = this.learn(language, symbol);
        let descended = false;
        if (known > 0) {
          const start = cursor.startIndex;
          const end = cursor.endIndex;
          const missing = mayMiss && start === end && cursor.nodeIsMissing;
          const type = missing ? this.type(`MISSING ${this.types[known - 1]}`) : known - 1;
          const fieldId = cursor.currentFieldId;
          const field = fieldId === 0 ? -1 : this.fieldOf(language, fieldId);
          const from = (this.startRow = this.lines.row(start, this.startRow));
          const to = this.lines.row(end, from);
          const row = this.push(type, frame.row, field, -1, from, start - this.lines.start(from), to, end - this.lines.start(to));
          frame.children.push(row);
          const isError = symbol === ERROR_SYMBOL;
          if (isError) this.addScalar(row, this.textField, this.textOf(start, end));
          if (cursor.gotoFirstChild()) {
            frames.push({ row, start: isError ? -1 : start, end, children: [] });
            descended = true;
          } else if (!isError && !missing) {
            this.addScalar(row, this.textField, this.textOf(start, end));
          }
        } else if (frame.row !== 0) {
          // Operators and other field tokens, and tokens the parser made up, are their parent's scalars.
          const fieldId = cursor.currentFieldId;
          const missing = mayMiss && cursor.nodeIsMissing;
          if (fieldId !== 0 || missing) {
            // The token's type is its text (`+=`); an alias (`not in`) reads better as typed than as written.
            const value = this.tokens[-known - 1]!;
            this.addScalar(
              frame.row,
              fieldId !== 0 ? this.fieldOf(language, fieldId) : this.missingField,
              missing ? `MISSING ${value}` : value,
            );
          }
        }
        if (descended) continue;
        while (!cursor.gotoNextSibling()) {
          if (frames.length === 1) return;
          cursor.gotoParent();
          this.finish(frames.pop()!);
        }
      }
    } finally {
      cursor.delete();
    }
  }

  private learn(language: Language, symbol: number): number {
    const name = symbol === ERROR_SYMBOL ? 'ERROR' : (language.types[symbol] ?? `symbol ${symbol}`);
    const named = symbol === ERROR_SYMBOL || language.nodeTypeIsNamed(symbol);
    const known = named ? this.type(name) + 1 : -1 - (this.tokens.push(JSON.stringify(name)) - 1);
    this.symbols[symbol] = known;
    return known;
  }

  private fieldOf(language: Language, fieldId: number): number {
    const known = fieldId < this.fieldIdMap.length ? this.fieldIdMap[fieldId]! : 0;
    if (known > 0) return known - 1;
    const index = this.field(language.fields[fieldId] ?? `field ${fieldId}`);
    if (fieldId < this.fieldIdMap.length) this.fieldIdMap[fieldId] = index + 1;
    return index;
  }

  /** After a node's children: its text if no child is named (`pass`, `..`); list indices for its children. */
  private finish(frame: Frame): void {
    if (frame.children.length === 0 && frame.start >= 0) this.addScalar(frame.row, this.textField, this.textOf(frame.start, frame.end));
    this.numberChildren(frame.children);
  }

  /**
   * Children without a field form a list (a block's statements, a call's
   * arguments), numbered in order; so does a field that holds several. A
   * field with one child is not a list.
   */
  numberChildren(children: number[]): void {
    const nodes = this.nodes;
    let unfielded = 0;
    for (let i = 0; i < children.length; i++) {
      const at = children[i]! * NODE_STRIDE;
      const field = nodes[at + 2]!;
      if (field === -1) {
        nodes[at + 3] = unfielded++;
        continue;
      }
      // Nodes have a handful of fields: counting by scanning beats a Map per node.
      let index = 0;
      let count = 0;
      for (let j = 0; j < children.length; j++) {
        if (nodes[children[j]! * NODE_STRIDE + 2] !== field) continue;
        if (j < i) index++;
        count++;
      }
      if (count > 1) nodes[at + 3] = index;
    }
  }

  type(name: string): number {
    let id = this.typeIds.get(name);
    if (id === undefined) {
      id = this.types.push(name) - 1;
      this.typeIds.set(name, id);
    }
    return id;
  }

  field(name: string): number {
    let id = this.fieldIds.get(name);
    if (id === undefined) {
      id = this.fields.push(name) - 1;
      this.fieldIds.set(name, id);
    }
    return id;
  }

  private addScalar(row: number, field: number, value: string): void {
    this.scalars.push(row, field, value);
  }

  /** Append a node; its index. */
  push(
    type: number,
    parent: number,
    field: number,
    index: number,
    startLine: number,
    startChar: number,
    endLine: number,
    endChar: number,
  ): number {
    this.nodes.push(type, parent, field, index, startLine, startChar, endLine, endChar);
    return this.count++;
  }

  private textOf(start: number, end: number): string {
    if (end - start <= TEXT_LIMIT) return JSON.stringify(this.text.slice(start, end));
    let cut = start + TEXT_LIMIT;
    // Not between the halves of a surrogate pair (🐍).
    const last = this.text.charCodeAt(cut - 1);
    if (last >= 0xd800 && last <= 0xdbff) cut--;
    return JSON.stringify(`${this.text.slice(start, cut)}…`);
  }
}

/**
 * Where each line starts, for rows and columns from tree-sitter's indices
 * (UTF-16, like LSP). Lines break at \r\n, \r and \n, as in LSP; tree-sitter
 * itself counts only \n, so this is also the more faithful row.
 */
class LineStarts {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) {
        if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  /** The row that holds `index`; `from` is a row known to start at or before it. */
  row(index: number, from = 0): number {
    const starts = this.starts;
    if (starts[from]! > index) from = 0;
    // A node usually ends on the row it starts on, and starts on the row the previous one started on.
    if (from + 1 >= starts.length || starts[from + 1]! > index) return from;
    let lo = from;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  start(row: number): number {
    return this.starts[row]!;
  }
}
