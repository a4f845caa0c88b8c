import * as fs from 'node:fs';
import * as path from 'node:path';
/** Scripts shared by the page tests and the workbench suite. */

/** Makes reference cycles (5,000 pairs of Nodes, a ring of four lists), collects them, then fails on line 18. */
export const CYCLES_SCRIPT = [
  'import gc',
  '',
  'class Node:',
  '    def __init__(self):',
  '        self.partner = None',
  '',
  'def pairs(n):',
  '    for _ in range(n):',
  '        a, b = Node(), Node()',
  '        a.partner, b.partner = b, a',
  '',
  'pairs(5000)',
  'ring = [[] for _ in range(4)]',
  'for i, item in enumerate(ring):',
  '    item.append(ring[(i + 1) % 4])',
  'del ring, item',
  'gc.collect()',
  'raise RuntimeError("after the cycles")',
  '',
].join('\n');

/** Runs a loop that the adaptive interpreter (3.11+) specializes: attribute loads, integer adds, calls. */
export const SPECIALIZE_SCRIPT = [
  'class P:',
  '    def __init__(self, x):',
  '        self.x = x',
  '',
  '    def get(self):',
  '        return self.x + 1',
  '',
  '',
  'def work(n):',
  '    t = 0',
  '    for i in range(n):',
  '        t += P(i).get()',
  '    return t',
  '',
  '',
  'print(work(2000))',
  '',
].join('\n');

/** A workspace for the import trace: a package whose submodule imports csv, a namespace package, json. */
export function writeImportsWorkspace(dir: string): string {
  fs.mkdirSync(path.join(dir, 'mypkg'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'mypkg', '__init__.py'), 'import json\nfrom . import helper\n');
  fs.writeFileSync(path.join(dir, 'mypkg', 'helper.py'), 'import csv\n');
  fs.mkdirSync(path.join(dir, 'nspkg'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'nspkg', 'mod.py'), 'X = 1\n');
  const file = path.join(dir, 'imports_main.py');
  fs.writeFileSync(file, IMPORTS_SCRIPT);
  return file;
}

export const IMPORTS_SCRIPT = 'import sys\nimport mypkg\nimport nspkg.mod\nprint("imported", len(sys.modules), "modules")\n';
