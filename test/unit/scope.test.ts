import * as assert from 'node:assert/strict';
import { findScope, firstColumn, scopeCodeName, scopeFirstLine } from '../../server/documents/scope';
import { buildSnippet, importBinds, moduleScopeImports, splitLines } from '../../server/bytecode/snippet';
import { createParser } from '../../server/documents/parser';
import { methodStatement } from '../../server/bytecode/service';

const SOURCE = `from __future__ import annotations
import os, sys as system
from collections import (  # a comment
    OrderedDict,  # another
    defaultdict,
)
try:
    import json
except ImportError:
    json = None

@decorator(arg=os.sep)
def outer(a, b=os.sep):
    import re
    def inner():
        return [x for x in a]
    return inner, (lambda: 1), (lambda: 2)

class K(Base):
    attr = {k: v for k, v in items}
    def method(self):
        return self
`;

async function parse(text = SOURCE) {
  const parser = await createParser();
  return parser.parse(text)!;
}

function at(text: string, needle: string, offsetInNeedle = 0) {
  const index = text.indexOf(needle) + offsetInNeedle;
  assert.ok(index >= offsetInNeedle, `${needle} not in source`);
  const before = text.slice(0, index);
  const row = before.split('\n').length - 1;
  return { row, column: index - (before.lastIndexOf('\n') + 1) };
}

describe('findScope', () => {
  it('finds the innermost code-object scope and the top-level statement', async () => {
    const tree = await parse();
    const names = (needle: string, offset = 0) => findScope(tree, at(SOURCE, needle, offset)).scopes.map(scopeCodeName);
    assert.deepEqual(names('x for x'), ['<listcomp>', 'inner', 'outer']);
    assert.deepEqual(names('return inner'), ['outer']);
    assert.deepEqual(names('1), (lambda: 2)'), ['<lambda>', 'outer']);
    assert.deepEqual(names('attr ='), ['K']);
    assert.deepEqual(names('return self'), ['method', 'K']);
    assert.deepEqual(names('import json'), []);
    const top = findScope(tree, at(SOURCE, 'return self')).topStatement!;
    assert.equal(top.type, 'class_definition');
  });

  it('puts decorators, defaults, bases and the first iterable in the enclosing scope', async () => {
    const tree = await parse();
    const names = (needle: string, offset = 0) => findScope(tree, at(SOURCE, needle, offset)).scopes.map(scopeCodeName);
    assert.deepEqual(names('arg=os.sep'), []);
    assert.deepEqual(names('b=os.sep', 2), []);
    assert.deepEqual(names('Base'), []);
    assert.deepEqual(names('in a]', 3), ['inner', 'outer']);
    assert.deepEqual(names('in items', 3), ['K']);
  });

  it('reports co_firstlineno as CPython does (decorator line for decorated defs)', async () => {
    const tree = await parse();
    const outer = findScope(tree, at(SOURCE, 'return inner')).scopes[0]!;
    assert.equal(scopeFirstLine(outer), 12);
  });

  it('finds the first non-blank column of a line', () => {
    assert.equal(firstColumn('a\n    b\n', 1), 4);
    assert.equal(firstColumn('a\n\tb\n', 1), 1);
    assert.equal(firstColumn('a', 5), 0);
  });
});

describe('buildSnippet', () => {
  it('collects every module-scope import on one line each, comments cut', async () => {
    const tree = await parse();
    const { future, other: imports } = moduleScopeImports([tree]);
    const other = imports.map((i) => i.text);
    assert.deepEqual(future, ['from __future__ import annotations']);
    assert.equal(other.length, 3, `imports: ${JSON.stringify(other)}`);
    assert.equal(other[0], 'import os, sys as system');
    assert.match(other[1]!, /^from collections import \(\s+OrderedDict,\s+defaultdict,\s+\)$/);
    assert.equal(other[2], 'import json');
    assert.ok(!other.includes('import re'), 'imports inside functions are not module scope');
  });

  const reader = (text: string) => {
    const lines = splitLines(text);
    return (row: number) => lines[row] ?? '';
  };

  it('puts the imports on line 1 and the statement from line 2, columns kept', async () => {
    const tree = await parse();
    const statement = findScope(tree, at(SOURCE, 'return self')).topStatement!;
    const snippet = buildSnippet([tree], statement, reader(SOURCE));
    const out = splitLines(snippet.source);
    assert.equal(snippet.startLine, 19);
    assert.equal(snippet.lineDelta, 17);
    // K mentions no imported name: only the __future__ import stays.
    assert.equal(out[0], 'from __future__ import annotations');
    assert.equal(out[1], 'class K(Base):');
    assert.equal(out[4], '        return self');
    // Snippet line + lineDelta = file line.
    assert.equal(SOURCE.split('\n')[4 + snippet.lineDelta - 1 + 1], '        return self');
  });

  it('keeps only the imports that bind a name the statement mentions (and star imports)', async () => {
    const tree = await parse();
    const statement = findScope(tree, at(SOURCE, 'return inner')).topStatement!;
    const prelude = splitLines(buildSnippet([tree], statement, reader(SOURCE)).source)[0];
    assert.equal(prelude, 'from __future__ import annotations; import os, sys as system');
    const text =
      'from m import *\nimport a.b.c\nimport x.y as z\nfrom p import (q as r, s)\nimport café\ndef f():\n    return a, r, café\n';
    const other = parse(text).then((t) => splitLines(buildSnippet([t], t.rootNode.namedChildren.at(-1)!, reader(text)).source)[0]);
    assert.equal(await other, 'from m import *; import a.b.c; from p import (q as r, s); import café');
  });

  it('reads the names an import binds', () => {
    assert.deepEqual(importBinds('import os, sys as system'), ['os', 'system']);
    assert.deepEqual(importBinds('import a.b.c'), ['a']);
    assert.deepEqual(importBinds('import a.b.c as d'), ['d']);
    assert.deepEqual(importBinds('from . import x'), ['x']);
    assert.deepEqual(importBinds('from ..pkg.mod import (  x as y,   z, )'), ['y', 'z']);
    assert.equal(importBinds('from m import *'), '*');
  });

  it('keeps a statement on line 1 after the imports, with a negative delta', async () => {
    const text = 'def f():\n    return os.getcwd()\nimport os\n';
    const tree = await parse(text);
    const snippet = buildSnippet([tree], tree.rootNode.child(0)!, reader(text));
    assert.equal(snippet.source, 'import os\ndef f():\n    return os.getcwd()\n');
    assert.equal(snippet.lineDelta, -1);
  });

  it('takes in statements sharing a line with the target', async () => {
    const text = 'x = (1,\n  2); y = lambda: 3\n';
    const tree = await parse(text);
    const y = tree.rootNode.namedChildren.find((n) => n?.text.startsWith('y ='))!;
    const snippet = buildSnippet([tree], y, reader(text));
    assert.equal(snippet.startLine, 1);
    assert.equal(snippet.source, '\n' + text);
  });

  it('keeps only the class header and the one method asked for', async () => {
    const text =
      '@dec\nclass A(B,\n        C):\n    x = 1\n    def a(self):\n        return 1\n\n    @staticmethod\n    def b():\n        return 2\n    def c(self):\n        return 3\n';
    const tree = await parse(text);
    const top = tree.rootNode.child(0)!;
    const scopes = findScope(tree, at(text, 'return 2')).scopes;
    const method = methodStatement(scopes, top)!;
    assert.equal(method.type, 'decorated_definition');
    const snippet = buildSnippet([tree], top, reader(text), { only: method });
    // Blank lines keep the method on its own lines; none are needed after it.
    assert.equal(snippet.source, '\n@dec\nclass A(B,\n        C):\n\n\n\n\n    @staticmethod\n    def b():\n        return 2\n');
    // Not for code in the class body itself, nor for a class inside a function.
    assert.equal(methodStatement(findScope(tree, at(text, 'x = 1')).scopes, top), undefined);
  });
});
