import * as assert from 'node:assert/strict';
import { codepointTable, PositionMapper, utf8Table } from '../../server/documents/positions';
import { LineText } from '../../server/documents/text';

function mapper(text: string): PositionMapper {
  return new PositionMapper(new LineText(text));
}

/** UTF-8 bytes before UTF-16 offset `i` of `line`: what CPython's col_offset would be. */
function bytesBefore(line: string, i: number): number {
  return Buffer.byteLength(line.slice(0, i), 'utf8');
}

/** Code points before UTF-16 offset `i` of `line`: what tokenize's column would be. */
function codePointsBefore(line: string, i: number): number {
  return [...line.slice(0, i)].length;
}

describe('positions: CPython columns to LSP positions', () => {
  it('leaves ASCII lines alone in every unit', () => {
    const m = mapper('x = 1\n\tif y:  # tab\n');
    for (const unit of ['utf8', 'codepoint', 'utf16'] as const) {
      assert.deepEqual(m.position(1, 4, unit), { line: 0, character: 4 });
      assert.deepEqual(m.position(2, 1, unit), { line: 1, character: 1 }, 'a tab is one byte, one code point, one unit');
    }
  });

  it('converts past é and 🐍 before the code on the same line', () => {
    const line = 's = "é🐍"; total += 1';
    const m = mapper(`${line}\n`);
    const total = line.indexOf('total');
    assert.equal(total, 11);
    // é: 2 bytes, 1 unit; 🐍: 4 bytes, 2 units, 1 code point.
    assert.deepEqual(m.position(1, 14, 'utf8'), { line: 0, character: total });
    assert.deepEqual(m.position(1, 10, 'codepoint'), { line: 0, character: total });
    const span = m.span(1, 14, 1, 24, 'utf8')!;
    assert.equal(line.slice(span[1], span[3]), 'total += 1');
  });

  it('converts inside strings, with CJK and ü, on tabbed lines', () => {
    const lines = ['def f():', '\tname = "名前ü🐍x"; y = name', '\treturn 名前 + "🐍🐍"'];
    const m = mapper(lines.join('\n'));
    for (let row = 0; row < lines.length; row++) {
      const line = lines[row]!;
      for (let i = 0; i <= line.length; i++) {
        // Only offsets between characters: not inside a surrogate pair.
        if (i > 0 && i < line.length && line.charCodeAt(i) >= 0xdc00 && line.charCodeAt(i) <= 0xdfff) continue;
        assert.deepEqual(m.position(row + 1, bytesBefore(line, i), 'utf8'), { line: row, character: i }, `row ${row} utf8 @${i}`);
        assert.deepEqual(m.position(row + 1, codePointsBefore(line, i), 'codepoint'), { line: row, character: i }, `row ${row} cp @${i}`);
      }
    }
    // `y = name` after the string on line 2, as the AST would give it.
    const line = lines[1]!;
    const y = line.indexOf('y = name');
    const span = m.span(2, bytesBefore(line, y), 2, bytesBefore(line, line.length), 'utf8')!;
    assert.deepEqual(span, [1, y, 1, line.length]);
  });

  it('counts CRLF lines without their line break, and multi-line spans', () => {
    const text = 'a = "é"\r\nb = """🐍\r\n🐍""" ; c = 1\r\n';
    const m = mapper(text);
    const rows = text.split('\r\n');
    // The string from line 2 to line 3 (a triple-quoted string's span).
    const start = rows[1]!.indexOf('"""');
    const end = rows[2]!.indexOf('"""') + 3;
    const span = m.span(2, bytesBefore(rows[1]!, start), 3, bytesBefore(rows[2]!, end), 'utf8')!;
    assert.deepEqual(span, [1, start, 2, end]);
    const c = rows[2]!.indexOf('c = 1');
    assert.deepEqual(m.position(3, bytesBefore(rows[2]!, c), 'utf8'), { line: 2, character: c });
    // A column past the content (the \r\n is not part of the line) clamps to its end.
    assert.deepEqual(m.position(1, 99, 'utf8'), { line: 0, character: rows[0]!.length });
  });

  it('rounds a UTF-8 column inside a character to its start, or its end for an end', () => {
    const line = 'x = "🐍"';
    const m = mapper(line);
    // 🐍 is bytes 5..8 and UTF-16 units 5..6.
    for (const inside of [6, 7, 8]) {
      assert.deepEqual(m.position(1, inside, 'utf8'), { line: 0, character: 5 });
      assert.deepEqual(m.position(1, inside, 'utf8', true), { line: 0, character: 7 });
    }
    assert.deepEqual(m.position(1, 9, 'utf8', true), { line: 0, character: 7 }, 'a boundary stays put');
    assert.deepEqual(m.span(1, 6, 1, 7, 'utf8'), [0, 5, 0, 7], 'a span never splits a surrogate pair');
  });

  it('clamps lines and columns to the document', () => {
    const m = mapper('ab\ncd é\n');
    assert.equal(new LineText('ab\ncd é\n').lineCount, 3);
    assert.deepEqual(m.position(0, 5, 'utf8'), { line: 0, character: 0 });
    assert.deepEqual(m.position(-3, 5, 'utf8'), { line: 0, character: 0 });
    assert.deepEqual(m.position(2, -1, 'utf8'), { line: 1, character: 0 });
    assert.deepEqual(m.position(2, 50, 'utf8'), { line: 1, character: 4 });
    assert.deepEqual(m.position(3, 0, 'utf8'), { line: 2, character: 0 }, 'ENDMARKER: the empty last line');
    assert.deepEqual(m.position(9, 0, 'utf8'), { line: 2, character: 0 }, 'past the end: the end');
    assert.equal(m.span(-1, -1, -1, -1, 'utf8'), null, 'no position');
    assert.deepEqual(m.span(2, 1, -1, -1, 'utf8'), [1, 1, 1, 1], "3.8's missing end: the start");
    assert.deepEqual(m.span(2, 3, 1, 0, 'utf8'), [1, 3, 1, 3], 'an end before the start: the start');
    const target = [7, 7, 7, 7, 7, 7];
    m.spanInto(target, 2, -1, -1, -1, -1, 'utf8');
    assert.deepEqual(target, [7, 7, -1, -1, -1, -1]);
  });

  it('places SyntaxErrors (1-based offsets) as a span of at least one character', () => {
    const m = mapper('s = "é🐍"; x = (1 +\n🐍 = 1\n');
    // 3.10+: "'(' was never closed" at offset 15 (code points), end (1, 0).
    assert.deepEqual(m.errorSpan(1, 15, 1, 0, 'codepoint'), [0, 15, 0, 16]);
    // "invalid character '🐍'" at (2, 1): the whole astral character.
    assert.deepEqual(m.errorSpan(2, 1, 2, 1, 'codepoint'), [1, 0, 1, 2]);
    // symtable's errors count bytes: offset 15 is byte 14, the `x`.
    assert.deepEqual(m.errorSpan(1, 15, 1, 16, 'utf8'), [0, 11, 0, 12]);
    // At EOF, past the line's end: an empty span at its end.
    assert.deepEqual(m.errorSpan(1, 40, null, null, 'codepoint'), [0, 19, 0, 19]);
    assert.equal(m.errorSpan(null, null, null, null, 'codepoint'), undefined);
    // No offset at all (3.8 "unexpected EOF" variants): the line's start.
    assert.deepEqual(m.errorSpan(2, null, null, null, 'codepoint'), [1, 0, 1, 2]);
  });

  it('agrees with Buffer and the string iterator on random text', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const alphabet = ['a', ' ', '\t', 'é', 'ü', '名', '🐍', '𝔘', '"', '\u00a0', '\ufeff'];
    for (let round = 0; round < 200; round++) {
      let line = '';
      const n = Math.floor(random() * 30);
      for (let i = 0; i < n; i++) line += alphabet[Math.floor(random() * alphabet.length)]!;
      const bytes = utf8Table(line);
      const points = codepointTable(line);
      assert.equal(bytes.length, Buffer.byteLength(line) + 1);
      assert.equal(points.length, [...line].length + 1);
      let i = 0;
      for (const ch of line) {
        assert.equal(bytes[bytesBefore(line, i)], i);
        assert.equal(points[codePointsBefore(line, i)], i);
        i += ch.length;
      }
      assert.equal(bytes[bytes.length - 1], line.length);
    }
  });

  it('reads each line once per mapper', () => {
    const lines = Array.from({ length: 100 }, (_, i) => (i % 2 ? `x${i} = "é"` : `y${i} = 1`));
    let reads = 0;
    const m = new PositionMapper({ lineCount: lines.length, lineAt: (row) => (reads++, lines[row]!) });
    for (let k = 0; k < 5; k++) for (let row = 1; row <= lines.length; row++) m.position(row, 3, 'utf8');
    assert.equal(reads, lines.length);
  });
});
