import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentStore, endPoint } from '../../server/documents';
import { createParser } from '../../server/parser';

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
