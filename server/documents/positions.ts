/**
 * The one place where CPython's positions become LSP positions.
 *
 * CPython numbers lines from 1 and counts columns in one of two units:
 *   - UTF-8 bytes: the AST's `col_offset`/`end_col_offset`, the SyntaxError
 *     offsets of symtable, the compiler and 3.8's AST builder,
 *     `Instruction.positions`;
 *   - code points: tokenize's columns, the parsers' SyntaxError offsets.
 * (pipeline/errors.ts tells a SyntaxError's unit.) LSP (and tree-sitter's web
 * binding, see documents.ts) numbers lines from 0 and counts UTF-16 code
 * units. The three agree on ASCII, which is nearly every line of nearly every
 * file, so an ASCII line costs one regex test per mapper and nothing per
 * position; other lines get a lookup table, built once per mapper and line.
 * 18k lines of the standard library are 70k AST nodes and 88k tokens:
 * positions must be cheap.
 *
 * Lines break at \r\n, \r and \n in CPython's compile() as in LSP (not at
 * \f, \v or U+2028), so rows match one to one.
 */
import type { Span } from '../../protocol';

/** What a column counts. `utf16` is already LSP's unit (tree-sitter, LSP itself). */
export type ColumnUnit = 'utf8' | 'codepoint' | 'utf16';

/** A document's lines (ParsedDocument and LineText fit). */
export interface LineSource {
  /** One line's text (0-based row) without its line break. */
  lineAt(row: number): string;
  readonly lineCount: number;
}

// eslint-disable-next-line no-control-regex -- the ASCII range starts at NUL.
const ASCII = /^[\x00-\x7f]*$/;

/** Per-line facts for a non-ASCII line: column → UTF-16 offset, one table per unit, built on demand. */
interface WideLine {
  text: string;
  utf8?: Int32Array;
  codepoint?: Int32Array;
}

/**
 * Converts positions for one version of one document. Keep one per
 * conversion pass (its per-line cache is only valid while the text does not
 * change), and drop it after.
 */
export class PositionMapper {
  /** UTF-16 length of each row's text; -1: not read yet. */
  private readonly lengths: Int32Array;
  /** Rows with a non-ASCII character; ASCII rows have no entry. */
  private readonly wide = new Map<number, WideLine>();
  private readonly lastRow: number;

  constructor(private readonly source: LineSource) {
    const count = Math.max(1, source.lineCount);
    this.lengths = new Int32Array(count).fill(-1);
    this.lastRow = count - 1;
  }

  /**
   * A CPython position (1-based line, 0-based column in `unit`) as an LSP one.
   * Out-of-range lines clamp to the document (before the first line: its
   * start; after the last: its end); columns clamp to the line (LSP's own
   * rule for a character past the end). A UTF-8 column inside a multi-byte
   * character lands on that character's start, or with `roundUp` its end.
   */
  position(line: number, column: number, unit: ColumnUnit, roundUp = false): { line: number; character: number } {
    const row = line - 1;
    if (row < 0) return { line: 0, character: 0 };
    if (row > this.lastRow) return { line: this.lastRow, character: this.length(this.lastRow) };
    return { line: row, character: this.character(row, column, unit, roundUp) };
  }

  /**
   * A CPython range as an LSP span. Null when the start is missing (a node
   * without a position); a missing or inverted end becomes the start (3.8
   * leaves some ends out).
   */
  span(
    line: number,
    column: number,
    endLine: number | null | undefined,
    endColumn: number | null | undefined,
    unit: ColumnUnit,
  ): Span | null {
    if (!(line >= 1) || !(column >= 0)) return null;
    const out: Span = [0, 0, 0, 0];
    this.spanInto(out, 0, line, column, endLine ?? -1, endColumn ?? -1, unit);
    return out;
  }

  /**
   * The hot path: write the span of a CPython range into `target[at..at+3]`,
   * allocating nothing. A missing start writes four -1s.
   */
  spanInto(
    target: number[] | Int32Array,
    at: number,
    line: number,
    column: number,
    endLine: number,
    endColumn: number,
    unit: ColumnUnit,
  ): void {
    if (!(line >= 1) || !(column >= 0)) {
      target[at] = target[at + 1] = target[at + 2] = target[at + 3] = -1;
      return;
    }
    let row = line - 1;
    let character: number;
    if (row > this.lastRow) {
      row = this.lastRow;
      character = this.length(row);
    } else {
      character = this.character(row, column, unit, false);
    }
    target[at] = row;
    target[at + 1] = character;
    let endRow = endLine - 1;
    if (!(endLine >= 1) || !(endColumn >= 0) || endRow < line - 1 || (endRow === line - 1 && endColumn < column)) {
      target[at + 2] = row;
      target[at + 3] = character;
      return;
    }
    let endCharacter: number;
    if (endRow > this.lastRow) {
      endRow = this.lastRow;
      endCharacter = this.length(endRow);
    } else {
      endCharacter = this.character(endRow, endColumn, unit, true);
    }
    target[at + 2] = endRow;
    target[at + 3] = endCharacter;
  }

  /**
   * A SyntaxError's place: `offset` and `endOffset` are 1-based (CPython's
   * convention for SyntaxError), in `unit`. Some errors point past the line's
   * end (at EOF) or give an end of 0 or -1 ("'(' was never closed",
   * "unexpected indent"); then the span covers the one character at the start,
   * or is empty at the line's end.
   */
  errorSpan(
    line: number | null | undefined,
    offset: number | null | undefined,
    endLine: number | null | undefined,
    endOffset: number | null | undefined,
    unit: ColumnUnit,
  ): Span | undefined {
    if (line === null || line === undefined || !(line >= 1)) return undefined;
    const column = Math.max(0, (offset ?? 1) - 1);
    const start = this.position(line, column, unit);
    const hasEnd = endLine !== null && endLine !== undefined && endOffset !== null && endOffset !== undefined && endOffset >= 1;
    const end = hasEnd ? this.position(endLine, endOffset - 1, unit, true) : undefined;
    if (end && (end.line > start.line || (end.line === start.line && end.character > start.character))) {
      return [start.line, start.character, end.line, end.character];
    }
    return [start.line, start.character, start.line, this.nextCharacter(start.line, start.character)];
  }

  /** A row's text, without its line break. */
  lineText(row: number): string {
    return this.source.lineAt(row);
  }

  /** UTF-16 length of a row's text. */
  length(row: number): number {
    this.read(row);
    return this.lengths[row]!;
  }

  /** A column on a row already known to exist, as UTF-16. */
  private character(row: number, column: number, unit: ColumnUnit, roundUp: boolean): number {
    let length = this.lengths[row]!;
    if (length < 0) length = this.read(row);
    if (column <= 0) return 0;
    const wide = this.wide.get(row);
    if (wide === undefined || unit === 'utf16') return column < length ? column : length;
    if (unit === 'codepoint') {
      const table = (wide.codepoint ??= codepointTable(wide.text));
      return column < table.length ? table[column]! : length;
    }
    const table = (wide.utf8 ??= utf8Table(wide.text));
    if (column >= table.length) return length;
    const at = table[column]!;
    // Inside a character (the byte before maps to the same place): its end if asked.
    if (roundUp && table[column - 1] === at) {
      let next = column + 1;
      while (next < table.length && table[next] === at) next++;
      return next < table.length ? table[next]! : length;
    }
    return at;
  }

  /** One character further on the row (a surrogate pair is one), clamped to its end. */
  private nextCharacter(row: number, character: number): number {
    const length = this.length(row);
    if (character >= length) return length;
    const wide = this.wide.get(row);
    if (wide) {
      const code = wide.text.charCodeAt(character);
      if (code >= 0xd800 && code <= 0xdbff && character + 2 <= length) return character + 2;
    }
    return character + 1;
  }

  private read(row: number): number {
    const known = this.lengths[row];
    if (known !== undefined && known >= 0) return known;
    const text = this.source.lineAt(row);
    this.lengths[row] = text.length;
    if (!ASCII.test(text)) this.wide.set(row, { text });
    return text.length;
  }
}

/**
 * table[b] = the UTF-16 offset of the character that holds UTF-8 byte b;
 * table[bytes] = the line's UTF-16 length. The bytes of one character share
 * its offset, which is how a column inside a character is recognised.
 */
export function utf8Table(text: string): Int32Array {
  const table = new Int32Array(utf8Length(text) + 1);
  let b = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let size: number;
    const start = i;
    if (code < 0x80) size = 1;
    else if (code < 0x800) size = 2;
    else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      size = 4;
      i++;
    } else size = 3; // a lone surrogate too: Python's surrogatepass writes 3 bytes
    for (let k = 0; k < size; k++) table[b++] = start;
  }
  table[b] = text.length;
  return table;
}

/** table[c] = the UTF-16 offset of code point c; table[codePoints] = the line's UTF-16 length. */
export function codepointTable(text: string): Int32Array {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) i++;
    count++;
  }
  const table = new Int32Array(count + 1);
  let c = 0;
  for (let i = 0; i < text.length; i++) {
    table[c++] = i;
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) i++;
  }
  table[c] = text.length;
  return table;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
