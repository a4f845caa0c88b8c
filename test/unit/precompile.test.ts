/**
 * The precompile must compile exactly the snippets that first hovers compile,
 * or it warms nothing: compare its snippets with the ones lineBytecode's first
 * attempt builds, for every line inside a function, whole and in chunks.
 */
import * as assert from 'node:assert/strict';
import { methodStatement } from '../../server/bytecode/service';
import { ParsedDocument } from '../../server/documents/documents';
import { createParser } from '../../server/documents/parser';
import { hoverStatements } from '../../server/bytecode/precompile';
import { findScope, firstColumn } from '../../server/documents/scope';
import { buildSnippet } from '../../server/bytecode/snippet';

const SOURCE = `import functools, sys
from os import path as p

def plain(a):
    return p.join(a, "x")

@functools.cache
def decorated(n):
    return [i for i in range(n)]

async def coroutine(fetch):
    return await fetch()

class Shape:
    sides = 0
    scale = lambda self, k: k * 2

    def area(self):
        return 0

    @property
    def name(self):
        return type(self).__name__

    if sys.platform == "win32":
        def native(self):
            return "nt"
    else:
        def native(self):
            return "posix"

    class Inner:
        def deep(self):
            return functools.reduce(lambda a, b: a + b, [1, 2])

class Plain:
    def only(self):
        def helper():
            return 1
        return helper()

if sys.version_info >= (3, 8):
    def guarded():
        return 1

try:
    import json
except ImportError:
    def fallback():
        return None

x = 1
`;

function firstHoverSnippets(doc: ParsedDocument, withDelta = false): Map<number, string> {
  const byRow = new Map<number, string>();
  for (let row = 0; row < doc.lineCount; row++) {
    const line = doc.lineAt(row);
    if (!line.trim()) continue;
    const point = { row, column: firstColumn(doc.text, row) };
    const { scopes, topStatement } = findScope(doc.treeAt(row), point);
    // Lines that run in a function's own code (a def or a lambda), as hovers in functions do.
    const inner = scopes[0];
    if (!topStatement || !inner || (inner.type !== 'function_definition' && inner.type !== 'lambda')) continue;
    const method = methodStatement(scopes, topStatement);
    const snippet = buildSnippet(doc.trees, topStatement, (r) => doc.lineAt(r), method ? { only: method } : {});
    byRow.set(row, withDelta ? `${snippet.lineDelta} ${snippet.startLine}-${snippet.endLine}\n${snippet.source}` : snippet.source);
  }
  return byRow;
}

function precompiledSnippets(doc: ParsedDocument): string[] {
  const sources: string[] = [];
  for (const tree of doc.trees) {
    for (const { statement, options } of hoverStatements(tree))
      sources.push(buildSnippet(doc.trees, statement, (r) => doc.lineAt(r), options).source);
  }
  return sources;
}

describe('precompile', () => {
  for (const chunkRows of [undefined, 4]) {
    it(`covers the first hover of every line inside a function${chunkRows ? ' (document in small chunks)' : ''}`, async () => {
      const doc = new ParsedDocument(await createParser(), 'file:///x/sample.py', 1, SOURCE, chunkRows ? { chunkRows } : {});
      try {
        if (chunkRows) assert.ok(doc.chunkCount > 3, `${doc.chunkCount} chunks`);
        const hovers = firstHoverSnippets(doc);
        const precompiled = new Set(precompiledSnippets(doc));
        assert.ok(hovers.size >= 15, `${hovers.size} lines inside functions`);
        for (const [row, source] of hovers) {
          assert.ok(
            precompiled.has(source),
            `line ${row + 1} (${doc.lineAt(row).trim()}) compiles a snippet the precompile does not:\n${source}`,
          );
        }
        // plain, decorated, coroutine, 4 + 1 (Shape's methods, the two under if/else
        // included; Shape whole, for its lambda and Inner), Plain.only, the
        // module-level if and try: no more than hovers need.
        assert.equal(precompiled.size, 11, [...precompiled].join('\n----\n'));
      } finally {
        doc.dispose();
      }
    });
  }

  it('builds after random edits exactly the snippets a fresh parse of the same text gives (kept snippets move with their chunk)', async () => {
    const parser = await createParser();
    const doc = new ParsedDocument(parser, 'file:///x/sample.py', 1, SOURCE, { chunkRows: 4 });
    let seed = 3;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const snippets = ['# c\n', '\n', 'import json\n', 'from os import sep\n', '    y = 2\n', 'def added(a):\n    return sep\n', ''];
    try {
      for (let version = 2; version < 120; version++) {
        const lines = doc.text.split('\n');
        const row = Math.floor(random() * lines.length);
        const text = snippets[Math.floor(random() * snippets.length)]!;
        const end = random() < 0.2 ? { line: Math.min(lines.length - 1, row + 1), character: 0 } : { line: row, character: 0 };
        doc.update([{ range: { start: { line: row, character: 0 }, end }, text }], version);
        const fresh = new ParsedDocument(parser, 'file:///x/sample.py', version, doc.text, { chunkRows: 4 });
        try {
          assert.deepEqual(firstHoverSnippets(doc, true), firstHoverSnippets(fresh, true), `after edit ${version}`);
        } finally {
          fresh.dispose();
        }
      }
    } finally {
      doc.dispose();
    }
  });
});
