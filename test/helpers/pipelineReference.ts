/**
 * What CPython itself says of a file's tokens, AST and symbol table (the
 * same interpreter, run separately with `python -I` on the same text), the
 * samples the pipeline collector's tests feed both, and the comparisons
 * they make. Used by test/integration/pipelineCollector.test.ts.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AstResult, InterpreterInfo, RawRange, RawScope, RawToken } from '../../protocol';
import { run } from '../../server/cpython/spawn';
import { treeRows } from './trees';

/** What the interpreter itself says about a file: argv = [file, what, extra]. */
const REFERENCE = String.raw`
import ast, collections, io, json, sys, tokenize
path, what = sys.argv[1], sys.argv[2]
with open(path, encoding="utf-8", newline="") as f:
    src = f.read()

def short(value):
    # A frozenset's repr follows string hashes, different in every process: the collector sorts it.
    if type(value) is frozenset:
        text = "frozenset({%s})" % ", ".join(sorted(short(v) for v in value)) if value else "frozenset()"
    else:
        text = repr(value)
    return text[:200] + "..." if len(text) > 200 else text

def pos(node, name):
    value = getattr(node, name, None)
    return -1 if value is None else value

if what == "tokens":
    tokens, error = [], None
    try:
        for t in tokenize.generate_tokens(io.StringIO(src).readline):
            tokens.append([tokenize.tok_name[t.type], tokenize.tok_name[t.exact_type], t.string,
                           t.start[0], t.start[1], t.end[0], t.end[1]])
    except (tokenize.TokenError, SyntaxError) as exc:
        error = type(exc).__name__
    out = {"tokens": tokens, "error": error}
elif what == "ast":
    tree = ast.parse(src, path, optimize=1) if sys.argv[4] == "1" else ast.parse(src, path)
    nodes, rows = [], []
    def visit(node, parent, field, index):
        me = len(nodes)
        nodes.append(node)
        has_pos = "lineno" in node._attributes
        scalars = []
        row = [type(node).__name__, parent, field, index] + (
            [pos(node, a) for a in ("lineno", "col_offset", "end_lineno", "end_col_offset")] if has_pos else [-1] * 4)
        rows.append(row)
        for name, value in ast.iter_fields(node):
            if isinstance(value, ast.AST):
                visit(value, me, name, -1)
            elif isinstance(value, list) and any(isinstance(item, ast.AST) for item in value):
                for i, item in enumerate(value):
                    if isinstance(item, ast.AST):
                        visit(item, me, name, i)
            else:
                scalars.append([name, short(value)])
        row.append(scalars)
    visit(tree, -1, None, -1)
    walk = collections.Counter(type(n).__name__ for n in ast.walk(tree))
    dumps = {}
    for k in json.loads(sys.argv[3]):
        dumps[k] = ast.dump(nodes[k], indent=2) if sys.version_info >= (3, 9) else ast.dump(nodes[k])
    out = {"rows": rows, "walk": walk, "walkCount": sum(walk.values()), "dumps": dumps}
elif what == "symtable":
    import symtable, _symtable
    def flags(s):
        out = []
        if s.is_parameter(): out.append("parameter")
        if s.is_local(): out.append("local")
        if s.is_declared_global(): out.append("global-explicit")
        elif s.is_global(): out.append("global-implicit")
        if s.is_nonlocal(): out.append("nonlocal")
        if s.is_free(): out.append("free")
        if (s._Symbol__flags >> _symtable.SCOPE_OFF) & _symtable.SCOPE_MASK == _symtable.CELL: out.append("cell")
        for name in ("imported", "annotated", "referenced", "assigned", "namespace"):
            if getattr(s, "is_" + name)(): out.append(name)
        return out
    def scope(t):
        kind = t.get_type()
        return {"type": str(getattr(kind, "value", kind)), "name": t.get_name(), "line": t.get_lineno(),
                "symbols": [[s.get_name(), flags(s)] for s in t.get_symbols()],
                "children": [scope(c) for c in t.get_children()]}
    out = scope(symtable.symtable(src, path, "exec"))
elif what == "corpus":
    import os, sysconfig
    stdlib = sysconfig.get_paths()["stdlib"]
    parts, count = [], 0
    for m in ["typing", "inspect", "argparse", "_pydecimal", "subprocess", "enum", "pathlib", "dataclasses", "ast", "tokenize"]:
        with open(os.path.join(stdlib, m + ".py"), encoding="utf-8") as f:
            text = "".join(l for l in f if not l.startswith("from __future__"))
        parts.append(text)
        count += text.count("\n")
        if count >= 16000:
            break
    with open(sys.argv[3], "w", encoding="utf-8") as f:
        f.write("\n".join(parts))
    out = {"lines": count}
print(json.dumps(out))
`;

export interface ReferenceAst {
  rows: [string, number, string | null, number, number, number, number, number, [string, string][]][];
  walk: Record<string, number>;
  walkCount: number;
  dumps: Record<string, string>;
}

export interface ReferenceScope {
  type: string;
  name: string;
  line: number;
  symbols: [string, string[]][];
  children: ReferenceScope[];
}

/**
 * What `python` itself says of `source` (`what`: tokens, ast, symtable,
 * corpus), its files written in `dir`.
 */
export function pipelineReference(dir: string) {
  let fileCount = 0;
  return async function reference<T>(python: InterpreterInfo, source: string, what: string, ...extra: string[]): Promise<T> {
    const file = path.join(dir, `ref${fileCount++}.py`);
    fs.writeFileSync(file, source, 'utf8');
    const result = await run(python.executable, ['-I', '-W', 'ignore', '-c', REFERENCE, file, what, ...extra], 60_000);
    assert.equal(result.code, 0, `${python.versionText} reference ${what} failed: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  };
}

/** Our rows in the reference's shape: names instead of indexes, scalars by field name. */
export function named(ast: AstResult): ReferenceAst['rows'] {
  return treeRows(ast).map((n) => [
    ast.types[n[0]]!,
    n[1],
    n[2] < 0 ? null : ast.fields[n[2]]!,
    n[3],
    n[4],
    n[5],
    n[6],
    n[7],
    n[8] === 0 ? [] : n[8].map(([f, repr]) => [ast.fields[f]!, repr] as [string, string]),
  ]);
}

export function minorOf(python: InterpreterInfo): number {
  return python.version[1];
}

/** A module that exercises most of the grammar this interpreter has. */
export function sampleFor(minor: number): string {
  let source = String.raw`"""Docstring."""
import os.path, sys as system
from collections import OrderedDict as OD, namedtuple
from . import sibling
from .. import *

GLOBAL: int = 1
counter = 0

@staticmethod
@decorator(arg=1)
def outer(a, b=lambda: counter, *args, c, d=2, **kwargs) -> "ret":
    global counter
    x = a[1] + b[1:2, ::3]
    y = {**kwargs, "k": [v for v in args if v], 1: {s for s in x}}
    z = {k: v for k, v in kwargs.items()}
    counter += 1
    del x
    def inner(p, /, q=x):
        nonlocal y
        y = p if q else -p
        return (y, z, *args)
    assert inner, "message"
    gen = (i * j for i in range(3) for j in range(i) if i > j)
    with open(a) as fh, open(b) as (g1, g2):
        pass
    try:
        raise ValueError("x") from None
    except (ValueError, TypeError) as err:
        print(err)
    finally:
        pass
    while not a:
        break
    else:
        pass
    for first, *rest in [(1, 2, 3)]:
        continue
    return f"{a!r:>{b}} and {y}" + 'x' 'y' + b'z'

class Base(metaclass=type):
    __private = 1
    attr: "str"

    def method(self):
        return self.__private, __private, [self for _ in range(2)], __class__

async def co(items):
    async for item in items:
        await item
    async with items as i:
        return [j async for j in i]

print(outer if 1 < counter <= 3 else None, lambda *a, **k: (a, k), ...)
if any((last := n) > 1 for n in range(4)):
    pass
`;
  if (minor >= 10) {
    source += String.raw`
match command:
    case [x, y, *others]:
        pass
    case {"key": value, **extra}:
        pass
    case Point(x=0, y=py) | [_, py] if py:
        pass
    case str() as text:
        pass
    case _:
        pass
`;
  }
  if (minor >= 11) source += '\ntry:\n    pass\nexcept* ValueError as group:\n    pass\n';
  if (minor >= 12) {
    source += String.raw`
type Alias[T] = list[T]
type Plain = int
def generic[T: int, *Ts, **P](x: T, *args: *Ts) -> T:
    return x
class Box[U](Base):
    item: U
    def get[V: (int, str)](self, v: V) -> U | V:
        return self.item
`;
  }
  if (minor >= 13) source += '\ndef defaults[T = int, *Ts = *tuple[int], **P = [int]](): pass\n';
  return source;
}

/** Non-ASCII before code on a line, inside strings and comments; a tab. */
export const WIDE = ['é = "ü🐍"; x = 1', '变量 = {"🐍": é}  # 注释 🐍', 'def f(a):', '\treturn a + 变量["🐍"] + x', ''].join('\n');

export function codepoints(text: string): number {
  return Array.from(text).length;
}

export function utf8(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** The text a single-line range covers (UTF-8 columns). */
export function slice(source: string, range: RawRange): string | undefined {
  const [line, col, endLine, endCol] = range;
  if (line !== endLine) return undefined;
  const text = Buffer.from(source.split(/\r\n|\r|\n/)[line - 1] ?? '', 'utf8');
  return text.subarray(col, endCol).toString('utf8');
}

export function findScope(scope: RawScope, name: string, type?: string): RawScope | undefined {
  if (scope.name === name && (type === undefined || scope.type === type)) return scope;
  for (const child of scope.children) {
    const hit = findScope(child, name, type);
    if (hit) return hit;
  }
  return undefined;
}

export function symbolOf(scope: RawScope, name: string) {
  const symbol = scope.symbols.find((s) => s.name === name);
  assert.ok(symbol, `${name} missing from ${scope.type} ${scope.name}: ${scope.symbols.map((s) => s.name).join()}`);
  return symbol;
}

export function sameTokens(ours: RawToken[], theirs: RawToken[], minor: number, label: string): void {
  assert.equal(ours.length, theirs.length, `${label}: token count`);
  for (let i = 0; i < ours.length; i++) {
    const a = ours[i]!;
    const b = theirs[i]!;
    if (minor >= 12 && a[3] !== a[5] && a[6] !== b[6]) {
      // 3.12's C tokenizer (3.12.1 here) measures the end of a multi-line
      // token against its first line; the collector gives the length of the
      // last line, as 3.13 does.
      assert.deepEqual(a.slice(0, 6), b.slice(0, 6), `${label}: token ${i}`);
      assert.equal(a[6], codepoints(a[2].slice(a[2].lastIndexOf('\n') + 1)), `${label}: end of multi-line token ${i}`);
      continue;
    }
    assert.deepEqual(a, b, `${label}: token ${i}`);
  }
}
