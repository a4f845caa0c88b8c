/**
 * The static MRO's outlines are kept across edits (per chunk tree, and per
 * top-level statement by its text, moved to its new rows): after any edit
 * they must equal what reading the document's current trees afresh gives,
 * and the class-name index must answer as the outline does.
 */
import * as assert from 'node:assert/strict';
import type { Tree } from 'web-tree-sitter';
import { DocumentStore } from '../../server/documents/documents';
import { createParser } from '../../server/documents/parser';
import type { ModuleOutline } from '../../server/mro/model';
import { mayNameClass, outlineOf, readTree } from '../../server/mro/outline';
import { rng } from '../helpers/random';

/** Repeated statements on purpose: the same text at several rows shares one cached part. */
const STATEMENTS = [
  'import os.path as osp\nfrom collections import OrderedDict as OD, abc\nfrom . import sibling',
  'class Base:\n    x = 1\n\n    def m(self):\n        class Local(OD):\n            pass\n        return Local',
  'class Base:\n    x = 1\n\n    def m(self):\n        class Local(OD):\n            pass\n        return Local',
  'Alias = Base\nother = 3',
  '@decorate\nclass Child(Base, metaclass=Meta):\n    __slots__ = ("a", "b")\n\n    class Inner(abc.Mapping):\n        y: int = 2\n\n    @property\n    def p(self):\n        return 1',
  'if os:\n    class Branch(Base):\n        pass\nelse:\n    Branch = Alias',
  '__all__ = ["Base", "Child"]',
  'def helper(a):\n    class InFunction(Base):\n        pass\n    return InFunction',
  'x = 1; class_like = Base',
];

const SNIPPETS = [
  '# c\n',
  '\n',
  'class New(Base):\n    pass\n',
  'Alias2 = Child\n',
  'import json\n',
  'from starsrc import *\n',
  '    z = 1\n',
  'x',
  '(',
  '',
];

function expected(trees: readonly Tree[]): ModuleOutline {
  const out: ModuleOutline = { classes: [], bindings: [] };
  for (const tree of trees) {
    const o = readTree(tree);
    out.classes.push(...o.classes);
    out.bindings.push(...o.bindings);
    if (o.all) out.all = [...(out.all ?? []), ...o.all];
  }
  return out;
}

describe('static MRO outlines kept across edits', () => {
  it('equal a fresh read of the current trees after every random edit, and the class-name index agrees', async () => {
    const parser = await createParser();
    const store = new DocumentStore(parser, { chunkRows: 6 });
    const random = rng(11);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const source = Array.from({ length: 24 }, () => pick(STATEMENTS)).join('\n\n') + '\n';
    const uri = 'file:///outline.py';
    const doc = store.open(uri, 1, source);
    assert.ok(doc.chunkCount > 4, `parsed in ${doc.chunkCount} chunks`);
    const names = [
      'Base',
      'Alias',
      'OD',
      'osp',
      'abc',
      'Child',
      'Inner',
      'Local',
      'Branch',
      'New',
      'Alias2',
      'json',
      'other',
      'x',
      'self',
      'helper',
    ];
    let checked = 0;
    for (let version = 2; version < 400; version++) {
      const lines = doc.text.split('\n');
      const row = Math.floor(random() * lines.length);
      const tops = lines.flatMap((line, r) => (/^[a-zA-Z@_]/.test(line) ? [r] : []));
      const at = random() < 0.6 && tops.length ? pick(tops) : row;
      const text = pick(SNIPPETS);
      const end = random() < 0.2 ? { line: Math.min(lines.length - 1, at + 1), character: 0 } : { line: at, character: 0 };
      store.change(uri, version, [{ range: { start: { line: at, character: 0 }, end }, text }]);
      // Half the time the index is asked first, as the hover does, while the reparsed chunk is not read yet.
      const askedFirst =
        version % 2 === 0
          ? names.map((name) => [
              mayNameClass(doc.trees, doc.chunkStartRows, [name]),
              mayNameClass(doc.trees, doc.chunkStartRows, [name, 'C']),
            ])
          : undefined;
      const kept = outlineOf(doc.trees, doc.chunkStartRows);
      const fresh = expected(doc.trees);
      assert.deepEqual(kept, fresh, `outline after edit ${version}`);
      // A bare name bound only by `import m` is a module; `m.C` may be a class.
      const mayName = (name: string, dotted: boolean) =>
        fresh.bindings.some((b) => b.target.kind === 'star') ||
        fresh.classes.some((c) => c.name === name) ||
        fresh.bindings.some((b) => b.name === name && b.target.kind !== 'other' && (dotted || b.target.kind !== 'module'));
      if (askedFirst)
        assert.deepEqual(
          askedFirst,
          names.map((name) => [mayName(name, false), mayName(name, true)]),
          `asked first after edit ${version}`,
        );
      for (const name of names) {
        assert.equal(mayNameClass(doc.trees, doc.chunkStartRows, [name]), mayName(name, false), `${name} after edit ${version}`);
        assert.equal(mayNameClass(doc.trees, doc.chunkStartRows, [name, 'C']), mayName(name, true), `${name}.C after edit ${version}`);
      }
      checked++;
    }
    assert.equal(checked, 398);
    store.close(uri);
  });
});
