/**
 * Open documents: the LSP text plus its syntax trees, kept in step on every
 * change. Each content change is applied with `tree.edit`; only the chunk of
 * lines that holds it is parsed again (see chunks.ts), so a keystroke costs
 * about the same in a 100-line file and in an 18,000-line one.
 *
 * tree-sitter's web binding counts indices and columns in UTF-16 code units,
 * the same unit as LSP positions, so no conversion is needed.
 */
import { fileURLToPath } from 'node:url';
import type { Edit, Parser, Point, Tree } from 'web-tree-sitter';
import { ChunkedTree, ChunkOptions } from './chunks';
import { LineText } from './text';

export interface ContentChange {
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
  text: string;
}

export class ParsedDocument {
  private readonly document: LineText;
  private readonly chunks: ChunkedTree;
  private currentVersion: number;

  constructor(
    parser: Parser,
    readonly uri: string,
    version: number,
    text: string,
    options: ChunkOptions = {},
  ) {
    this.document = new LineText(text);
    this.currentVersion = version;
    this.chunks = new ChunkedTree(parser, this.document, options);
  }

  get version(): number {
    return this.currentVersion;
  }

  get text(): string {
    return this.document.getText();
  }

  /** The syntax tree that holds row `row` (0-based): the tree of its chunk. */
  treeAt(row: number): Tree {
    return this.chunks.treeAt(row);
  }

  /** Every tree of the module, in order (one per chunk). */
  get trees(): Tree[] {
    return this.chunks.trees;
  }

  /** Where each chunk (a run of whole top-level statements) starts: 0-based rows, the first 0. */
  get chunkStartRows(): number[] {
    return this.chunks.startRows;
  }

  get chunkCount(): number {
    return this.chunks.chunkCount;
  }

  /** The name CPython's compile() gets: the file's path for file: URIs, else the URI. */
  get filename(): string {
    return filenameForUri(this.uri);
  }

  /** One line's text (0-based row) without its line break. */
  lineAt(row: number): string {
    return this.document.lineAt(row);
  }

  get lineCount(): number {
    return this.document.lineCount;
  }

  offsetAt(position: { line: number; character: number }): number {
    return this.document.offsetAt(position);
  }

  update(changes: ContentChange[], version: number): void {
    let reset = false;
    for (const change of changes) {
      if (change.range) {
        if (!reset) this.chunks.edit(this.editFor(change.range, change.text));
        this.document.replace(change.range, change.text);
      } else {
        // A full-text change leaves nothing to reuse; later changes of the same batch build on it.
        this.document.setText(change.text);
        reset = true;
      }
    }
    this.currentVersion = version;
    if (reset) this.chunks.reset();
    else this.chunks.reparse();
  }

  dispose(): void {
    this.chunks.dispose();
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

  constructor(
    private readonly parser: Parser,
    private readonly options: ChunkOptions = {},
  ) {}

  open(uri: string, version: number, text: string): ParsedDocument {
    this.docs.get(uri)?.dispose();
    const doc = new ParsedDocument(this.parser, uri, version, text, this.options);
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
