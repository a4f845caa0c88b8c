import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentStore, endPoint } from '../../server/documents';
import { createParser } from '../../server/parser';
import { findScope, scopeCodeName } from '../../server/scope';

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

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

describe('DocumentStore incremental parsing', () => {
  it('matches a fresh parse after every random incremental edit', async () => {
    const parser = await createParser();
    const store = new DocumentStore(parser);
    const random = rng(42);
    let doc = store.open('file:///t.py', 1, SOURCE);
    let reference = TextDocument.create('file:///t.py', 'python', 1, SOURCE);
    for (let version = 2; version < 300; version++) {
      const text = reference.getText();
      const a = Math.floor(random() * (text.length + 1));
      const b = Math.min(text.length, a + Math.floor(random() * 6));
      const insert = SNIPPETS[Math.floor(random() * SNIPPETS.length)]!;
      const change = { range: { start: reference.positionAt(a), end: reference.positionAt(b) }, text: insert };
      reference = TextDocument.update(reference, [change], version);
      doc = store.change('file:///t.py', version, [change])!;
      assert.equal(doc.text, reference.getText());
      const fresh = parser.parse(doc.text)!;
      assert.equal(doc.tree.rootNode.toString(), fresh.rootNode.toString(), `tree differs after edit ${version}`);
      fresh.delete();
    }
    store.close('file:///t.py');
  });

  it('gives hovers the edited tree without a reparse only when that changes nothing they use', async () => {
    const parser = await createParser();
    const store = new DocumentStore(parser);
    const random = rng(7);
    const source = Array.from({ length: 12 }, (_, i) => (i === 5 ? 'import math\n' : `def f${i}(a):\n    x = a + ${i}\n    return [y for y in x]\n`)).join('\n');
    let reference = TextDocument.create('file:///h.py', 'python', 1, source);
    const doc = store.open('file:///h.py', 1, source);
    const edits = ['x', ' + 1', '\n    z = 0', '\n', '# c', '# c\n', '\n# c\n', 'import os\n', '    w = 1\n', 'y = 2\n', '@d\n', ''];
    let exact = 0;
    let broken = 0;
    for (let version = 2; version < 1000; version++) {
      if (version % 5 === 0) {
        // Start again from the clean file, so that many edit runs begin from code that parses.
        reference = TextDocument.create('file:///h.py', 'python', version, source);
        store.change('file:///h.py', version, [{ text: source }]);
        continue;
      }
      const text = reference.getText();
      let change: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string };
      if (random() < 0.7) {
        // Edits that keep the file valid (typing new lines, comments, decorators, a longer expression).
        const row = Math.floor(random() * reference.lineCount);
        const line = text.split('\n')[row] ?? '';
        const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
        const at = (character: number) => ({ line: row, character });
        if (line.startsWith('def ')) change = { range: { start: at(0), end: at(0) }, text: pick(['y = 2\n', '# c\n', '@d\n', '\n']) };
        else if (line.startsWith('    x = ')) change = pick([{ range: { start: at(line.length), end: at(line.length) }, text: ' + 1' }, { range: { start: at(0), end: at(0) }, text: pick(['    z = 0\n', '# c\n']) }]);
        else change = { range: { start: at(0), end: at(0) }, text: '\n' };
      } else {
        const a = Math.floor(random() * (text.length + 1));
        const b = Math.min(text.length, a + Math.floor(random() * 4));
        change = { range: { start: reference.positionAt(a), end: reference.positionAt(b) }, text: edits[Math.floor(random() * edits.length)]! };
      }
      reference = TextDocument.update(reference, [change], version);
      store.change('file:///h.py', version, [change]);
      // Several edits pile up between reads; then compare what a hover sees with a fresh parse.
      if (version % 5 !== 4) continue;
      const fresh = parser.parse(reference.getText())!;
      for (let probe = 0; probe < 10; probe++) {
        const row = Math.floor(random() * reference.lineCount);
        const line = reference.getText().split('\n')[row] ?? '';
        const point = { row, column: Math.floor(random() * (line.length + 1)) };
        const beforeTree = (doc as unknown as { currentTree: unknown }).currentTree;
        const tree = doc.treeForHover(point);
        if (tree !== beforeTree) continue; // reparsed: fresh by construction
        const seen = findScope(tree, point);
        if (fresh.rootNode.hasError) {
          // Edits elsewhere broke the file: the hover answers from its own
          // statement as written (as it does in any broken file) until the idle reparse.
          if (seen.topStatement) assert.equal(seen.topStatement.text, reference.getText().slice(seen.topStatement.startIndex, seen.topStatement.endIndex));
          broken++;
          continue;
        }
        const truth = findScope(fresh, point);
        const describe = (r: typeof seen) => ({
          top: r.topStatement ? [r.topStatement.startIndex, r.topStatement.endIndex, r.topStatement.text] : null,
          scopes: r.scopes.map((n) => [n.type, n.startPosition.row, scopeCodeName(n)]),
        });
        assert.deepEqual(describe(seen), describe(truth), `hover at ${JSON.stringify(point)} after edit ${version}`);
        exact++;
      }
      fresh.delete();
    }
    assert.ok(exact > 50, `the edited tree was compared with a fresh parse ${exact} times (and used in broken files ${broken} times)`);
    store.close('file:///h.py');
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
    assert.equal(doc.tree.rootNode.child(0)?.type, 'function_definition');
    assert.equal(doc.version, 3);
  });

  it('computes edit end points across line breaks', () => {
    assert.deepEqual(endPoint({ row: 2, column: 4 }, 'abc'), { row: 2, column: 7 });
    assert.deepEqual(endPoint({ row: 2, column: 4 }, 'a\nbc'), { row: 3, column: 2 });
    assert.deepEqual(endPoint({ row: 0, column: 0 }, 'a\r\nb\rcd'), { row: 2, column: 2 });
  });
});
