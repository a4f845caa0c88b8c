/**
 * Open documents: LSP text plus a tree-sitter tree kept in step incrementally.
 * Each content change is applied to the old tree with `tree.edit`; the text is
 * reparsed from the edited tree (and the old tree freed) when someone next asks
 * for `tree`, or after a short idle time.
 *
 * Why deferred: with tree-sitter-python, an incremental reparse costs time in
 * proportion to the rest of the file after the edit (tens of ms on a 16k-line
 * file, see docs/performance.md). A hover in one top-level statement does not
 * need the reparse when every edit since the last parse was inside *other*
 * function or class definitions: `treeForHover` gives the edited tree then,
 * whose nodes' positions tree.edit has already moved.
 *
 * tree-sitter's web binding counts indices and columns in UTF-16 code units,
 * the same unit as LSP positions, so no conversion is needed.
 */
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Edit, Node, Parser, Point, Tree } from 'web-tree-sitter';

export interface ContentChange {
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
  text: string;
}

/** Reparse an edited tree after this long without further edits (or sooner, when asked). */
const IDLE_REPARSE_MS = 250;

/** Top-level statements an edit may touch without changing how other statements compile. */
const LOCAL_TOP_LEVEL = new Set(['function_definition', 'class_definition', 'decorated_definition', 'comment']);

interface PendingEdit {
  /** Indices in the current text that the edit's new text spans (start ≤ end). */
  start: number;
  end: number;
  /**
   * Whole blank or comment lines inserted at a line start: they change no
   * statement (comments do not count for indentation), only move the ones after.
   */
  wholeLines: boolean;
}

export class ParsedDocument {
  private document: TextDocument;
  private currentTree: Tree;
  /** Edits applied to `currentTree` with tree.edit and not yet reparsed. */
  private pending: PendingEdit[] = [];
  /** Some pending edit touched module-level code or imports: every hover needs the reparse. */
  private pendingNonLocal = false;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly parser: Parser,
    readonly uri: string,
    version: number,
    text: string,
  ) {
    this.document = TextDocument.create(uri, 'python', version, text);
    this.currentTree = this.parse(text, null);
  }

  get version(): number {
    return this.document.version;
  }

  get text(): string {
    return this.document.getText();
  }

  /** The up-to-date tree (reparses now if edits are pending). */
  get tree(): Tree {
    this.flush();
    return this.currentTree;
  }

  /**
   * A tree good for a hover at `point`: the edited tree without a reparse when
   * all pending edits were inside other function or class definitions (so the
   * statement at `point`, its scopes and the module's imports are unchanged),
   * else the reparsed tree. If those other edits broke the file, the hover
   * answers from its own statement as written (as it does in any broken file)
   * until the idle reparse.
   */
  treeForHover(point: Point): Tree {
    if (this.pending.length === 0) return this.currentTree;
    if (this.pendingNonLocal) return this.tree;
    const index = this.document.offsetAt({ line: point.row, character: point.column });
    const statement = topLevelAt(this.currentTree, index);
    if (!statement) return this.tree;
    const touched = this.pending.some((e) =>
      e.wholeLines
        ? e.start > statement.startIndex && e.start <= statement.endIndex
        : // One character of margin: typing right after a statement's last character extends it.
          e.start <= statement.endIndex + 1 && e.end >= statement.startIndex - 1,
    );
    return touched ? this.tree : this.currentTree;
  }

  /** Reparse now if edits are pending. */
  flush(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (this.pending.length === 0) return;
    this.reparse(this.currentTree);
  }

  /** Parse the current text (from `old` when given), free the old tree, clear pending edits. */
  private reparse(old: Tree | null): void {
    const next = this.parse(this.document.getText(), old);
    this.currentTree.delete();
    this.currentTree = next;
    this.pending = [];
    this.pendingNonLocal = false;
  }

  /** The name CPython's compile() gets: the file's path for file: URIs, else the URI. */
  get filename(): string {
    return filenameForUri(this.uri);
  }

  /** One line's text (0-based row) without its line break. */
  lineAt(row: number): string {
    const text = this.document.getText({ start: { line: row, character: 0 }, end: { line: row + 1, character: 0 } });
    return text.replace(/\r?\n$|\r$/, '');
  }

  get lineCount(): number {
    return this.document.lineCount;
  }

  offsetAt(position: { line: number; character: number }): number {
    return this.document.offsetAt(position);
  }

  update(changes: ContentChange[], version: number): void {
    for (const change of changes) {
      if (!change.range) {
        // A full-text change: nothing to reuse.
        this.document = TextDocument.update(this.document, [change], version);
        this.reparse(null);
        continue;
      }
      const edit = this.editFor(change.range, change.text);
      if (!this.pendingNonLocal && !this.isLocal(edit, change.text)) this.pendingNonLocal = true;
      this.currentTree.edit(edit);
      this.document = TextDocument.update(this.document, [change], version);
      this.trackPending(edit, isWholeLines(edit, change.text));
    }
    if (this.pending.length === 0) return;
    // Node.text reads through the tree's text callback: point it at the new text
    // so the edited tree's nodes read what is now there (web-tree-sitter 0.25
    // keeps the callback of the parse that made the tree; pinned exactly).
    const text = this.document.getText();
    (this.currentTree as unknown as { textCallback: (index: number) => string }).textCallback = (index) => text.slice(index);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.flush(), IDLE_REPARSE_MS);
    this.idleTimer.unref?.();
  }

  dispose(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.currentTree.delete();
  }

  /**
   * Does this edit stay inside function/class definitions (or comments) at top
   * level, without adding an import? Checked on the tree before the edit.
   */
  private isLocal(edit: Edit, insertedText: string): boolean {
    if (/\bimport\b|__future__/.test(insertedText)) return false;
    // Text removed across lines could have been a whole body or header; the reparse would tell.
    if (edit.oldEndPosition.row !== edit.startPosition.row) return false;
    // Whole comment or blank lines: statements only move down.
    if (isWholeLines(edit, insertedText)) return true;
    const first = topLevelAt(this.currentTree, edit.startIndex);
    const last = topLevelAt(this.currentTree, edit.oldEndIndex);
    // Between statements (no statement holds it): a new unindented line there
    // changes no other statement; an indented one may continue the one above.
    if (!first && !last) return edit.startPosition.column === 0 && !/^[ \t]/.test(insertedText);
    return !!first && !!last && first.equals(last) && LOCAL_TOP_LEVEL.has(first.type);
  }

  /** Keep pending ranges in current-text coordinates, then add this edit's. */
  private trackPending(edit: Edit, wholeLines: boolean): void {
    const delta = edit.newEndIndex - edit.oldEndIndex;
    for (const e of this.pending) {
      if (e.start >= edit.oldEndIndex) {
        e.start += delta;
        e.end += delta;
      } else if (e.end >= edit.startIndex) {
        // Overlaps: widen (erring on the side of a reparse).
        e.start = Math.min(e.start, edit.startIndex);
        e.end = Math.max(e.end + delta, edit.newEndIndex);
        e.wholeLines = false;
      }
    }
    this.pending.push({ start: edit.startIndex, end: edit.newEndIndex, wholeLines });
  }

  private editFor(range: NonNullable<ContentChange['range']>, text: string): Edit {
    const startIndex = this.document.offsetAt(range.start);
    const oldEndIndex = this.document.offsetAt(range.end);
    // Positions clamped by offsetAt, so edits past the end stay consistent.
    const start = this.document.positionAt(startIndex);
    const oldEnd = this.document.positionAt(oldEndIndex);
    const startPosition: Point = { row: start.line, column: start.character };
    return {
      startIndex,
      oldEndIndex,
      newEndIndex: startIndex + text.length,
      startPosition,
      oldEndPosition: { row: oldEnd.line, column: oldEnd.character },
      newEndPosition: endPoint(startPosition, text),
    };
  }

  private parse(text: string, old: Tree | null): Tree {
    const tree = this.parser.parse(text, old);
    if (!tree) throw new Error(`tree-sitter could not parse ${this.uri}`);
    return tree;
  }
}

/** An insertion of whole blank or comment lines at the start of a line. */
function isWholeLines(edit: Edit, insertedText: string): boolean {
  if (edit.oldEndIndex !== edit.startIndex || edit.startPosition.column !== 0 || !/\n$/.test(insertedText)) return false;
  return insertedText
    .replace(/\r?\n$/, '')
    .split(/\r\n|\r|\n/)
    .every((line) => /^[ \t]*(#.*)?$/.test(line) && !line.endsWith('\\'));
}

/** The top-level statement (child of the module) whose span holds `index`, if any. */
function topLevelAt(tree: Tree, index: number): Node | undefined {
  const root = tree.rootNode;
  let node: Node | null = root.descendantForIndex(index);
  while (node && node.parent && !node.parent.equals(root)) node = node.parent;
  if (!node || node.equals(root) || index < node.startIndex || index > node.endIndex) return undefined;
  return node;
}

export function filenameForUri(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

/** Where `text` ends when inserted at `start`. LSP counts \r\n, \n and \r as line breaks. */
export function endPoint(start: Point, text: string): Point {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length === 1) return { row: start.row, column: start.column + text.length };
  return { row: start.row + lines.length - 1, column: lines[lines.length - 1]!.length };
}

export class DocumentStore {
  private readonly docs = new Map<string, ParsedDocument>();

  constructor(private readonly parser: Parser) {}

  open(uri: string, version: number, text: string): ParsedDocument {
    this.docs.get(uri)?.dispose();
    const doc = new ParsedDocument(this.parser, uri, version, text);
    this.docs.set(uri, doc);
    return doc;
  }

  change(uri: string, version: number, changes: ContentChange[]): ParsedDocument | undefined {
    const doc = this.docs.get(uri);
    doc?.update(changes, version);
    return doc;
  }

  close(uri: string): void {
    this.docs.get(uri)?.dispose();
    this.docs.delete(uri);
  }

  get(uri: string): ParsedDocument | undefined {
    return this.docs.get(uri);
  }

  all(): ParsedDocument[] {
    return [...this.docs.values()];
  }
}
