/**
 * What CPython's own dis says of every code object in a file (the same
 * interpreter, run separately with `python -I` on the same text), the
 * fixture of statements with control flow the explorer collector's tests
 * add to the standard library's modules, and the checks of one code
 * object's detail against dis. Used by test/integration/explorerCollector.test.ts.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BasicBlock, CodeDetailResult, CodeNode, DetailInstruction, InterpreterInfo } from '../../protocol';
import { run } from '../../server/cpython/spawn';

/** What the interpreter's own dis says: argv = [what, out file, files...]. */
const REFERENCE = String.raw`
import dis, json, os, sys, sysconfig
what, out = sys.argv[1], sys.argv[2]
if what == "paths":
    stdlib = sysconfig.get_paths()["stdlib"]
    result = [os.path.join(stdlib, *m.split("/")) for m in json.loads(sys.argv[3])]
else:
    def qualname(code, parent, parent_is_function):
        # codeobjects._qualname: co_qualname on 3.11+, else built as __qualname__ is.
        if hasattr(code, "co_qualname"):
            return code.co_qualname
        if parent is None:
            return "<module>"
        if not parent:
            return code.co_name
        return parent + (".<locals>." if parent_is_function else ".") + code.co_name

    def line_of(ins, current):
        # codeobjects._Reader._item's rule: the instruction's own line on 3.11+,
        # before that the line last started.
        if hasattr(ins, "line_number"):
            return ins.line_number, current
        if getattr(ins, "positions", None) is not None:
            return ins.positions.lineno, current
        if ins.starts_line is not None:
            current = ins.starts_line
        return current, current

    def effect(ins):
        if ins.opname == "EXTENDED_ARG":
            return 0
        try:
            return dis.stack_effect(ins.opcode, ins.arg, jump=False)
        except ValueError:
            return None

    def walk(code, parent, parent_is_function, rows):
        name = qualname(code, parent, parent_is_function)
        instructions = list(dis.get_instructions(code))
        lines, current = set(), None
        for ins in instructions:
            line, current = line_of(ins, current)
            if line is not None:
                lines.add(line)
        parse = getattr(dis, "_parse_exception_table", None)
        rows.append({
            "qualname": name,
            "firstLine": code.co_firstlineno,
            "count": len(instructions),
            "lines": sorted(lines),
            "stackSize": code.co_stacksize,
            "flags": code.co_flags,
            "instructions": [[i.offset, i.opname, i.arg, effect(i)] for i in instructions],
            "exceptionTable": [[e.start, e.end, e.target, e.depth, bool(e.lasti)] for e in parse(code)] if parse else None,
        })
        for c in code.co_consts:
            if hasattr(c, "co_code"):
                walk(c, "" if parent is None else name, bool(code.co_flags & 1), rows)
        return rows

    result = {}
    for path in sys.argv[3:]:
        with open(path, encoding="utf-8", newline="") as f:
            source = f.read()
        result[path] = walk(compile(source, path, "exec", dont_inherit=True), None, False, [])
with open(out, "w", encoding="utf-8") as f:
    json.dump(result, f)
`;

export interface ReferenceCode {
  qualname: string;
  firstLine: number;
  count: number;
  lines: number[];
  stackSize: number;
  flags: number;
  instructions: [number, string, number | null, number | null][];
  exceptionTable: [number, number, number, number, boolean][] | null;
}

export const STDLIB = [
  'asyncio/base_events.py',
  'argparse.py',
  'typing.py',
  'dataclasses.py',
  'json/decoder.py',
  'inspect.py',
  'contextlib.py',
];

/** try/except/else/finally, with, async with/for, generators, comprehensions, lambdas, closures, classes; what each version adds. */
export function fixtureFor(minor: number): string {
  let source = String.raw`"""Fixture docstring."""
import contextlib


def plain(a, b=1, *args, c, d=(1, 2), **kw):
    try:
        x = a / b
    except ZeroDivisionError as exc:
        x = exc
    except (TypeError, ValueError):
        raise
    else:
        x += 1
    finally:
        del a
    return x


def empty_try(q):
    try:
        pass
    except Exception:
        q = 1
    try:
        pass
    finally:
        return q


def nested_finally(items):
    for item in items:
        try:
            try:
                if item:
                    continue
                return item
            finally:
                print(item)
        except KeyError as error:
            pass
        finally:
            break
    while items:
        items.pop()
    else:
        return None


def with_blocks(path):
    with open(path) as f, contextlib.suppress(OSError):
        data = f.read()
    with open(path):
        return data


async def coro(items):
    async with items as i:
        async for x in i:
            await x
    return [y async for y in items]


async def agen(n):
    for i in range(n):
        yield i
        await something(i)


def gen(n):
    total = yield from range(n)
    yield total


def comprehensions(xs):
    a = [x * 2 for x in xs if x]
    b = {x for x in xs}
    c = {x: y for x, y in xs}
    d = (x for x in xs)
    e = lambda q, r=2: q + r
    return a, b, c, d, e, [*xs, 1, 2], f(1, 2, *xs)


def outer():
    v = 1
    def middle():
        nonlocal v
        def inner():
            return v
        return inner
    return middle


class Base:
    attr = 1

    def method(self, x=None, y=None, z=None):
        return super().method()

    class Nested:
        def deep(self):
            return [self for _ in range(2)]


while True:
    break
for i in range(3):
    if i and not (i > 1 or i < -1):
        continue
`;
  if (minor >= 10) {
    source += String.raw`

def matcher(command):
    match command:
        case [x, y, *others]:
            return x
        case {"key": value, **extra}:
            return value
        case Point(x=0, y=py) | [_, py] if py:
            return py
        case str() as text:
            return text
        case _:
            return None
`;
  }
  if (minor >= 11) {
    source += String.raw`

def groups():
    try:
        raise ExceptionGroup("g", [ValueError(1)])
    except* ValueError as e:
        pass
    except* TypeError:
        print("type")
    return 1
`;
  }
  if (minor >= 12) {
    source += String.raw`

type Alias[T] = list[T]


def generic[T: int, *Ts, **P](x: T, *args: *Ts) -> T:
    return x


class Box[U](Base):
    def get[V: (int, str)](self, v: V) -> U | V:
        return v
`;
  }
  return source;
}

/** What `python`'s dis says (`what`: paths, codes), its answer written in `dir`. */
export function explorerReference(dir: string) {
  return async function reference<T>(python: InterpreterInfo, what: string, ...args: string[]): Promise<T> {
    const out = path.join(dir, `ref-${python.version.join('.')}-${what}.json`);
    const result = await run(python.executable, ['-I', '-W', 'ignore', '-c', REFERENCE, what, out, ...args], 120_000);
    assert.equal(result.code, 0, `${python.versionText} reference ${what} failed: ${result.stderr}`);
    return JSON.parse(fs.readFileSync(out, 'utf8')) as T;
  };
}

/** The tree in preorder, with each node's path (indices into `children`). */
export function preorder(node: CodeNode, at: number[] = [], out: Array<{ node: CodeNode; path: number[] }> = []) {
  out.push({ node, path: at });
  node.children.forEach((child, i) => preorder(child, [...at, i], out));
  return out;
}

const GENERATOR_FLAGS = 0x20 | 0x80 | 0x200;

/** The checks on one code object's detail; `ref` is what dis says of it. */
export function checkDetail(detail: CodeDetailResult, ref: ReferenceCode, minor: number, tag: string): void {
  const ins = detail.instructions;
  assert.deepEqual(
    ins.map((i) => [i.offset, i.opname, i.arg, i.effect]),
    ref.instructions,
    `${tag}: instructions (offset, opname, arg, effect)`,
  );
  assert.equal(detail.code.qualname, ref.qualname, `${tag}: qualname`);
  assert.equal(detail.code.stackSize, ref.stackSize, tag);
  assert.equal(detail.maxDepth, ref.stackSize, `${tag}: maxDepth is co_stacksize`);

  // The blocks partition the instructions, in order.
  const blocks = detail.blocks;
  assert.ok(blocks.length > 0, tag);
  assert.equal(blocks[0]!.start, 0, tag);
  for (let b = 0; b < blocks.length; b++) {
    const block = blocks[b]!;
    assert.ok(block.start < block.end, `${tag}: block ${b} is empty`);
    if (b > 0) assert.equal(block.start, blocks[b - 1]!.end, `${tag}: block ${b} follows block ${b - 1}`);
    for (const edge of block.edges) assert.ok(edge.to >= 0 && edge.to < blocks.length, `${tag}: block ${b} edge to ${edge.to}`);
  }
  assert.equal(blocks[blocks.length - 1]!.end, ins.length, tag);
  const blockAt = new Map<number, number>(); // instruction index -> block starting there
  blocks.forEach((block, b) => blockAt.set(block.start, b));
  const indexOf = new Map<number, number>(ins.map((i, k) => [i.offset, k]));

  // Every jump lands on the start of a block, which its block has an edge to.
  for (let k = 0; k < ins.length; k++) {
    const target = ins[k]!.jumpTarget;
    if (target === null) continue;
    assert.equal(ins[k]!.argKind, 'jump', `${tag}: ${ins[k]!.opname} at ${ins[k]!.offset} jumps`);
    const at = indexOf.get(target);
    assert.ok(at !== undefined, `${tag}: ${ins[k]!.opname} at ${ins[k]!.offset} targets ${target}, no instruction`);
    const to = blockAt.get(at);
    assert.ok(to !== undefined, `${tag}: the target ${target} of ${ins[k]!.opname} is not a block start`);
    const from = blocks.find((block) => block.end === k + 1);
    assert.ok(from, `${tag}: ${ins[k]!.opname} at ${ins[k]!.offset} does not end its block`);
    assert.ok(
      from.edges.some((e) => e.to === to && e.kind !== 'fall'),
      `${tag}: no edge for ${ins[k]!.opname} at ${ins[k]!.offset}: ${JSON.stringify(from.edges)}`,
    );
  }

  // 3.11+: every handler starts a block, entered by exception edges from every block of its range.
  if (minor >= 11) {
    assert.deepEqual(
      detail.code.exceptionTable!.map((e) => [e.start, e.end, e.target, e.depth, e.lasti]),
      ref.exceptionTable,
      `${tag}: exception table`,
    );
    for (const [start, end, target] of ref.exceptionTable!) {
      const handler = blockAt.get(indexOf.get(target)!);
      assert.ok(handler !== undefined, `${tag}: handler ${target} is not a block start`);
      const inside = blocks.filter((block) => ins[block.start]!.offset >= start && ins[block.start]!.offset < end);
      assert.ok(inside.length > 0, `${tag}: no block in ${start} to ${end}`);
      for (const block of inside) {
        assert.ok(ins[block.end - 1]!.offset < end, `${tag}: a block crosses the end of ${start} to ${end}`);
        assert.ok(
          block.edges.some((e) => e.to === handler && e.kind === 'exception'),
          `${tag}: block at ${ins[block.start]!.offset} has no exception edge to ${target}`,
        );
      }
    }
  } else {
    assert.equal(detail.code.exceptionTable, null, tag);
  }

  // The depth: from 0 at the entry (3.10 - 3.12 start generators and
  // coroutines at 1, the value sent in on the first resume, which GEN_START
  // or RETURN_GENERATOR, POP_TOP take), never negative, and agreeing across
  // every fall-through edge.
  const startsAt1 = minor >= 10 && minor <= 12 && (ref.flags & GENERATOR_FLAGS) !== 0;
  assert.equal(ins[0]!.depth, startsAt1 ? 1 : 0, `${tag}: depth at the entry`);
  for (const i of ins) assert.ok(i.depth === null || i.depth >= 0, `${tag}: depth ${i.depth} at ${i.offset}`);
  checkFalls(blocks, ins, tag);

  // Operands and inline caches: an argument iff a kind; the caches fill the gap to the next instruction.
  for (let k = 0; k < ins.length; k++) {
    const i = ins[k]!;
    assert.equal(i.argKind === 'none', i.arg === null, `${tag}: ${i.opname} at ${i.offset} is ${i.argKind} with arg ${i.arg}`);
    if (minor < 11) assert.deepEqual(i.caches, [], tag);
    if (k + 1 < ins.length) {
      const units = i.caches.reduce((sum, [, size]) => sum + size, 0);
      assert.equal(
        ins[k + 1]!.offset - i.offset,
        2 + 2 * units,
        `${tag}: ${i.opname} at ${i.offset} with caches ${JSON.stringify(i.caches)}`,
      );
    }
  }

  // The line table: ordered ranges; on 3.11+ each instruction's line is its range's.
  let previousEnd = -1;
  for (const [start, end] of detail.lineTable) {
    assert.ok(start >= previousEnd && end >= start, `${tag}: line table ${JSON.stringify(detail.lineTable.slice(0, 5))}`);
    previousEnd = end;
  }
  if (minor >= 11) {
    for (const i of ins) {
      const range = detail.lineTable.find(([start, end]) => start <= i.offset && i.offset < end);
      assert.ok(range, `${tag}: no line-table range for ${i.offset}`);
      assert.equal(range[2], i.line, `${tag}: line of ${i.offset}`);
    }
  }
}

function checkFalls(blocks: BasicBlock[], ins: DetailInstruction[], tag: string): void {
  for (const block of blocks) {
    const last = ins[block.end - 1]!;
    for (const edge of block.edges) {
      if (edge.kind !== 'fall') continue;
      const next = ins[blocks[edge.to]!.start]!;
      if (last.depth === null || next.depth === null) continue;
      assert.equal(next.depth, last.depth + (last.effect ?? 0), `${tag}: depth across the fall from ${last.offset} to ${next.offset}`);
    }
  }
}
