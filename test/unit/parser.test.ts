import * as assert from 'node:assert/strict';
import { LANGUAGE_VERSION, MIN_COMPATIBLE_VERSION } from 'web-tree-sitter';
import { createParser, loadPython } from '../../server/documents/parser';

describe('tree-sitter Python grammar', () => {
  it("has an ABI inside the web-tree-sitter runtime's range", async () => {
    const language = await loadPython();
    assert.ok(
      language.abiVersion >= MIN_COMPATIBLE_VERSION && language.abiVersion <= LANGUAGE_VERSION,
      `grammar ABI ${language.abiVersion} outside runtime range ${MIN_COMPATIBLE_VERSION}..${LANGUAGE_VERSION}`,
    );
    assert.equal(language.abiVersion, 15, 'tree-sitter-python 0.25 ships an ABI 15 grammar');
  });

  it('parses Python, and keeps a tree for broken code', async () => {
    const parser = await createParser();
    const good = parser.parse('def f(x):\n    return x + 1\n')!;
    assert.equal(good.rootNode.child(0)?.type, 'function_definition');
    assert.equal(good.rootNode.hasError, false);
    const broken = parser.parse('def f(:\n    pass\n\ndef g():\n    return 2\n')!;
    assert.equal(broken.rootNode.hasError, true);
    assert.ok(broken.rootNode.descendantsOfType('function_definition').some((n) => n?.childForFieldName('name')?.text === 'g'));
    good.delete();
    broken.delete();
  });
});
