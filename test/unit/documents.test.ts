import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Tree } from 'web-tree-sitter';
import { DocumentStore, endPoint, ParsedDocument } from '../../server/documents/documents';
import { createParser } from '../../server/documents/parser';
import { rng } from '../helpers/random';

const SOURCE = [
  'import os',
  '',
  'def f(a, b=2):',
  '    """doc"""',
  '    total = [x * 2 for x in range(a)]',
  '    return total, "ünïcødé 🐍", b',
  '',
  'class C:',
  '    def m(self):',
  '        return lambda y: y + 1',
  '',
].join('\n');

const SNIPPETS = ['x', '\n', '    ', 'def g():\n    pass\n', '🐍', '(', ')', ':', '"', 'é', '\r\n', ''];

/** The module's top-level nodes, with their places: equal lists mean equal trees where it matters. */
function topLevel(trees: readonly Tree[]): string[] {
  return trees.flatMap((tree) =>
    tree.rootNode.children.map(
      (n) => `${n!.startPosition.row}:${n!.startPosition.column} ${n!.startIndex}-${n!.endIndex} ${n!.toString()}`,
    ),
  );
}

/** Whatever the text, the chunks' nodes must read the text at their own places. */
function assertConsistent(doc: ParsedDocument, text: string, label: string): void {
  for (const tree of doc.trees) {
    for (const node of tree.rootNode.children) {
      assert.equal(node!.text, text.slice(node!.startIndex, node!.endIndex), `${label}: ${node!.type} reads the text at its place`);
      assert.strictEqual(doc.treeAt(node!.startPosition.row), tree, `${label}: row ${node!.startPosition.row} is in its chunk`);
    }
  }
}

type Change = { range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string };

describe('DocumentStore incremental parsing', () => {
  it('matches a fresh parse after every random incremental edit', async () => {
    const parser = await createParser();
    // Two-line chunks, so that edits cross chunk boundaries all the time.
    const store = new DocumentStore(parser, { chunkRows: 2 });
    const random = rng(42);
    store.open('file:///t.py', 1, SOURCE);
    let reference = TextDocument.create('file:///t.py', 'python', 1, SOURCE);
    let compared = 0;
    for (let version = 2; version < 400; version++) {
      if (version % 4 === 0) {
        // Back to the clean file now and then: random edits break it for good.
        reference = TextDocument.create('file:///t.py', 'python', version, SOURCE);
        store.change('file:///t.py', version, [{ text: SOURCE }]);
      }
      const text = reference.getText();
      const a = Math.floor(random() * (text.length + 1));
      const b = Math.min(text.length, a + Math.floor(random() * 6));
      const insert = SNIPPETS[Math.floor(random() * SNIPPETS.length)]!;
      const change = { range: { start: reference.positionAt(a), end: reference.positionAt(b) }, text: insert };
      reference = TextDocument.update(reference, [change], version);
      const doc = store.change('file:///t.py', version, [change])!;
      assert.equal(doc.text, reference.getText());
      assertConsistent(doc, doc.text, `edit ${version}`);
      const fresh = parser.parse(doc.text)!;
      if (!fresh.rootNode.hasError) {
        assert.deepEqual(topLevel(doc.trees), topLevel([fresh]), `trees differ after edit ${version}`);
        compared++;
      }
      fresh.delete();
    }
    assert.ok(compared > 30, `compared with a fresh parse ${compared} times`);
    store.close('file:///t.py');
  });

  it('keeps chunk trees equal to a whole-file parse through edits that move, break and mend boundaries', async () => {
    const parser = await createParser();
    const store = new DocumentStore(parser, { chunkRows: 4 });
    const random = rng(7);
    const source = Array.from({ length: 30 }, (_, i) =>
      i === 5
        ? 'import math\n'
        : i === 9
          ? 'if math:\n    A = 1\nelse:\n    A = 2\n'
          : `def f${i}(a):\n    x = a + ${i}\n    return [y for y in x]\n`,
    ).join('\n');
    let reference = TextDocument.create('file:///h.py', 'python', 1, source);
    const doc = store.open('file:///h.py', 1, source);
    assert.ok(doc.chunkCount > 5, `a ${reference.lineCount}-line file is parsed in ${doc.chunkCount} chunks`);
    // Each can put a wrong boundary in place: an open string or bracket, an else: or an indented line at a chunk's start.
    const breaking = ['"""', '"""\n', '(', ')', '\\\n', 'else:\n    pass\n', '@d\n', 'x', ''];
    let compared = 0;
    let broken = 0;
    let pending: Change | undefined;
    for (let version = 2; version < 1500; version++) {
      if (version % 6 === 0) {
        // Back to the clean file now and then, so that many edit runs start from code that parses.
        reference = TextDocument.create('file:///h.py', 'python', version, source);
        store.change('file:///h.py', version, [{ text: source }]);
        pending = undefined;
        continue;
      }
      const lines = reference.getText().split('\n');
      const tops = lines.flatMap((line, row) => (/^[a-z@]/.test(line) ? [row] : []));
      const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
      const insert = (row: number, text: string): Change => ({
        range: { start: { line: row, character: 0 }, end: { line: row, character: 0 } },
        text,
      });
      let change: Change;
      const kind = random();
      if (pending) {
        // The second half of a string wrapped around statements (the first half left the file broken meanwhile).
        change = pending;
        pending = undefined;
      } else if (kind < 0.5) {
        // Edits that keep the file valid, at line starts (often right at a chunk boundary).
        const row = pick(tops);
        const next = tops.find((r) => r > row) ?? lines.length - 1;
        change = pick([
          insert(pick([row, Math.floor(random() * lines.length)]), pick(['# c\n', '    # c\n', '\n'])),
          // An indented line at a def continues the block above it (after its blank line).
          insert(row, row > 0 && lines[row - 1] === '' && /^def /.test(lines[row]!) ? '    w = 1\n' : '\n'),
          insert(row, 'if A:\n    pass\nelse:\n    pass\n'),
          insert(row, /^def /.test(lines[row]!) ? '@d\n' : '# c\n'),
          { range: { start: { line: row, character: 0 }, end: { line: next, character: 0 } }, text: '' },
        ]);
      } else if (kind < 0.75) {
        // Wrap statements into a string: the opening now, the closing a few statements down next time.
        const row = pick(tops);
        const later = tops.filter((r) => r > row);
        const close = later.length ? later[Math.min(later.length - 1, Math.floor(random() * 6))]! : lines.length - 1;
        const between = lines.slice(row, close).join('\n');
        if (between.includes('"""')) change = insert(row, '\n');
        else {
          change = insert(row, 'S = """\n');
          pending = insert(close + 1, '"""\n');
        }
      } else if (random() < 0.5) {
        change = insert(Math.floor(random() * lines.length), pick(breaking));
      } else {
        const text = reference.getText();
        const a = Math.floor(random() * (text.length + 1));
        const b = Math.min(text.length, a + Math.floor(random() * 12));
        change = { range: { start: reference.positionAt(a), end: reference.positionAt(b) }, text: pick(breaking) };
      }
      reference = TextDocument.update(reference, [change], version);
      store.change('file:///h.py', version, [change]);
      assert.equal(doc.text, reference.getText());
      assertConsistent(doc, doc.text, `edit ${version}`);
      const fresh = parser.parse(reference.getText())!;
      if (fresh.rootNode.hasError) broken++;
      else {
        assert.deepEqual(topLevel(doc.trees), topLevel([fresh]), `trees differ after edit ${version} (${JSON.stringify(change)})`);
        compared++;
      }
      fresh.delete();
    }
    assert.ok(
      compared > 300 && broken > 100,
      `compared with a fresh parse ${compared} times (and ${broken} broken texts checked for consistency)`,
    );
    store.close('file:///h.py');
  });

  it('reparses only the chunk an edit is in: the others keep their trees, moved', async () => {
    const parser = await createParser();
    const source = Array.from({ length: 40 }, (_, i) => `def f${i}(a):\n    return a + ${i}\n`).join('\n');
    const doc = new ParsedDocument(parser, 'file:///c.py', 1, source, { chunkRows: 10 });
    const before = doc.trees;
    assert.ok(before.length >= 4, `${before.length} chunks`);
    const row = 61; // inside a chunk in the middle (in f20's body, not at a chunk's start)
    assert.ok(!doc.chunkStartRows.includes(row));
    const edited = doc.treeAt(row);
    doc.update([{ range: { start: { line: row, character: 0 }, end: { line: row, character: 0 } }, text: '# a new line\n' }], 2);
    const after = doc.trees;
    assert.equal(after.length, before.length);
    for (let k = 0; k < after.length; k++) {
      if (before[k] === edited) assert.notStrictEqual(after[k], before[k], 'the edited chunk is parsed again');
      else assert.strictEqual(after[k], before[k], `chunk ${k} keeps its tree`);
    }
    // Trees after the edit moved down a line, and read the new text.
    const last = after[after.length - 1]!.rootNode.lastChild!;
    assert.equal(last.text, 'def f39(a):\n    return a + 39');
    assert.equal(last.startPosition.row, 39 * 3 + 1);
    const fresh = parser.parse(doc.text)!;
    assert.deepEqual(topLevel(doc.trees), topLevel([fresh]));
    fresh.delete();
    doc.dispose();
  });

  it('parses whole lines inserted between two chunks with the smaller one', async () => {
    const parser = await createParser();
    const source = Array.from({ length: 40 }, (_, i) => `def f${i}(a):\n    return a + ${i}\n`).join('\n');
    const doc = new ParsedDocument(parser, 'file:///c.py', 1, source, { chunkRows: 10 });
    const starts = doc.chunkStartRows;
    const k = 2;
    const row = starts[k]!;
    const before = doc.trees;
    doc.update([{ range: { start: { line: row, character: 0 }, end: { line: row, character: 0 } }, text: '# one\nx = 1\n' }], 2);
    const after = doc.trees;
    assert.equal(after.length, before.length);
    for (let i = 0; i < after.length; i++) {
      if (i === k - 1) assert.notStrictEqual(after[i], before[i], 'the chunk before the insertion is parsed again');
      else assert.strictEqual(after[i], before[i], `chunk ${i} keeps its tree`);
    }
    assert.equal(doc.chunkStartRows[k], row + 2, 'the chunk the lines were inserted before moved down');
    assert.equal(doc.treeAt(row + 1).rootNode.descendantForPosition({ row: row + 1, column: 0 })?.text, 'x');
    // An insertion that does not end a statement there (a decorator) joins the two chunks.
    doc.update([{ range: { start: { line: row + 2, character: 0 }, end: { line: row + 2, character: 0 } }, text: '@decorate\n' }], 3);
    const fresh = parser.parse(doc.text)!;
    assert.deepEqual(topLevel(doc.trees), topLevel([fresh]));
    fresh.delete();
    doc.dispose();
  });

  it('gives a statement larger than a chunk a chunk of its own, so that edits beside it do not parse it again', async () => {
    const parser = await createParser();
    const small = (i: number) => `x${i} = ${i}\n`;
    const big = 'class Big:\n' + Array.from({ length: 60 }, (_, i) => `    def m${i}(self):\n        return ${i}\n`).join('');
    const source = [...Array.from({ length: 12 }, (_, i) => small(i)), big, ...Array.from({ length: 12 }, (_, i) => small(i + 12))].join(
      '',
    );
    const doc = new ParsedDocument(parser, 'file:///big.py', 1, source, { chunkRows: 10 });
    const bigRow = 12;
    assert.ok(doc.chunkStartRows.includes(bigRow), `a chunk starts at the class: ${doc.chunkStartRows.join(', ')}`);
    assert.ok(doc.chunkStartRows.includes(bigRow + 121), `and after it: ${doc.chunkStartRows.join(', ')}`);
    const bigTree = doc.treeAt(bigRow);
    for (const [version, line] of [
      [2, 5],
      [3, bigRow],
      [4, bigRow + 123],
    ] as const) {
      doc.update([{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: `# edit ${version}\n` }], version);
      assert.ok(doc.trees.includes(bigTree), `the class keeps its tree (v${version})`);
    }
    const fresh = parser.parse(doc.text)!;
    assert.deepEqual(topLevel(doc.trees), topLevel([fresh]));
    fresh.delete();
    doc.dispose();
  });

  it('merges chunks that an open string spans, and splits them again once it is closed', async () => {
    const parser = await createParser();
    const source = Array.from({ length: 40 }, (_, i) => `def f${i}(a):\n    return a + ${i}\n`).join('\n');
    const doc = new ParsedDocument(parser, 'file:///s.py', 1, source, { chunkRows: 10 });
    const chunks = doc.chunkCount;
    // Open a string at line 10, close it at line 80: everything between is a string.
    doc.update([{ range: { start: { line: 10, character: 0 }, end: { line: 10, character: 0 } }, text: 'S = """\n' }], 2);
    doc.update([{ range: { start: { line: 81, character: 0 }, end: { line: 81, character: 0 } }, text: '"""\n' }], 3);
    const fresh = parser.parse(doc.text)!;
    assert.equal(fresh.rootNode.hasError, false);
    assert.deepEqual(topLevel(doc.trees), topLevel([fresh]));
    assert.ok(doc.chunkCount < chunks, `the string's chunks were merged (${chunks} → ${doc.chunkCount})`);
    fresh.delete();
    // Take the string out again: the merged chunk is split back to size.
    doc.update([{ range: { start: { line: 81, character: 0 }, end: { line: 82, character: 0 } }, text: '' }], 4);
    doc.update([{ range: { start: { line: 10, character: 0 }, end: { line: 11, character: 0 } }, text: '' }], 5);
    assert.equal(doc.text, source);
    const again = parser.parse(doc.text)!;
    assert.deepEqual(topLevel(doc.trees), topLevel([again]));
    assert.ok(doc.chunkCount >= chunks - 1, `split again: ${doc.chunkCount} chunks`);
    again.delete();
    doc.dispose();
  });

  it('applies several changes of one notification in order, and full-text changes', async () => {
    const store = new DocumentStore(await createParser());
    store.open('file:///m.py', 1, 'a = 1\nb = 2\n');
    const doc = store.change('file:///m.py', 2, [
      { range: { start: { line: 0, character: 4 }, end: { line: 0, character: 5 } }, text: '10' },
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } }, text: 'def b(): return' },
    ])!;
    assert.equal(doc.text, 'a = 10\ndef b(): return = 2\n');
    store.change('file:///m.py', 3, [{ text: 'def h():\n    pass\n' }]);
    assert.equal(doc.treeAt(0).rootNode.child(0)?.type, 'function_definition');
    assert.equal(doc.version, 3);
  });

  it('computes edit end points across line breaks', () => {
    assert.deepEqual(endPoint({ row: 2, column: 4 }, 'abc'), { row: 2, column: 7 });
    assert.deepEqual(endPoint({ row: 2, column: 4 }, 'a\nbc'), { row: 3, column: 2 });
    assert.deepEqual(endPoint({ row: 0, column: 0 }, 'a\r\nb\rcd'), { row: 2, column: 2 });
  });
});
