/**
 * Open documents: LSP text plus a tree-sitter tree kept in step incrementally.
 * Each content change is applied to the old tree with `tree.edit`, then the
 * text is reparsed once from the edited tree; the old tree is freed.
 *
 * tree-sitter's web binding counts indices and columns in UTF-16 code units,
 * the same unit as LSP positions, so no conversion is needed.
 */
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Edit, Parser, Point, Tree } from 'web-tree-sitter';

export interface ContentChange {
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
  text: string;
}

export class ParsedDocument {
  private document: TextDocument;
  private currentTree: Tree;

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

  get tree(): Tree {
    return this.currentTree;
  }

  /** The name CPython's compile() gets: the file's path for file: URIs, else the URI. */
  get filename(): string {
    return filenameForUri(this.uri);
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
        continue;
      }
      this.currentTree.edit(this.editFor(change.range, change.text));
      this.document = TextDocument.update(this.document, [change], version);
    }
    const full = changes.some((c) => !c.range);
    const next = this.parse(this.document.getText(), full ? null : this.currentTree);
    this.currentTree.delete();
    this.currentTree = next;
  }

  dispose(): void {
    this.currentTree.delete();
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
