import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LineText } from '../../server/documents/text';
import { rng } from '../helpers/random';

describe('LineText', () => {
  it('edits like the LSP text document model, line breaks of every kind included', () => {
    const random = rng(3);
    const pieces = ['a', 'bc', '\n', '\r', '\r\n', 'é🐍', '', '  x = 1\n', '\n\n'];
    let text = new LineText('');
    let reference = TextDocument.create('file:///x', 'python', 0, '');
    for (let step = 1; step < 3000; step++) {
      if (step % 500 === 0) {
        text = new LineText(reference.getText());
      }
      const lines = reference.lineCount;
      // Positions past the end of a line or of the text are clamped by both.
      const position = () => ({ line: Math.floor(random() * (lines + 1)), character: Math.floor(random() * 8) });
      let start = position();
      let end = position();
      if (reference.offsetAt(end) < reference.offsetAt(start)) [start, end] = [end, start];
      const inserted =
        pieces[Math.floor(random() * pieces.length)]! + (random() < 0.3 ? pieces[Math.floor(random() * pieces.length)]! : '');
      reference = TextDocument.update(reference, [{ range: { start, end }, text: inserted }], step);
      text.replace({ start, end }, inserted);
      const label = `step ${step}: ${JSON.stringify(reference.getText())}`;
      assert.equal(text.lineCount, reference.lineCount, label);
      assert.equal(text.length, reference.getText().length, label);
      const probe = position();
      assert.equal(text.offsetAt(probe), reference.offsetAt(probe), `${label} offsetAt ${JSON.stringify(probe)}`);
      const offset = Math.floor(random() * (text.length + 1));
      assert.deepEqual(text.positionAt(offset), reference.positionAt(offset), `${label} positionAt ${offset}`);
      const row = Math.floor(random() * lines);
      const expectedLine = reference
        .getText({ start: { line: row, character: 0 }, end: { line: row + 1, character: 0 } })
        .replace(/\r?\n$|\r$/, '');
      assert.equal(text.lineAt(row), expectedLine, `${label} lineAt ${row}`);
      const a = Math.floor(random() * (text.length + 1));
      const b = a + Math.floor(random() * 12);
      assert.equal(text.slice(a, b), reference.getText().slice(a, b), `${label} slice`);
      if (step % 7 === 0) assert.equal(text.getText(), reference.getText(), label);
    }
  });
});
