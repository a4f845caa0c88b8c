/**
 * Fidelity: what the hover shows equals what the same interpreter's dis gives
 * when it compiles the whole file, for every function in a corpus of real
 * files (the interpreter's own standard library), on every CPython 3.8+ found.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Node } from 'web-tree-sitter';
import type { CodeObject, InterpreterInfo } from '../../protocol';
import { BytecodeService } from '../../server/bytecode/service';
import { ParsedDocument } from '../../server/documents/documents';
import { silentLogger } from '../../server/common/logger';
import { createParser } from '../../server/documents/parser';
import { WorkerPool } from '../../server/cpython/pool';
import { isScopeNode } from '../../server/documents/scope';
import { shiftCode } from '../../server/bytecode/shift';
import { Precompiler } from '../../server/bytecode/precompile';
import { buildSnippet, splitLines } from '../../server/bytecode/snippet';
import { run } from '../../server/cpython/spawn';
import { testPythons } from '../helpers/pythons';
import { wasmPythons, wasmStdlib } from '../helpers/wasm';

const CORPUS = [
  'argparse.py',
  'typing.py',
  'inspect.py',
  'dataclasses.py',
  'functools.py',
  'enum.py',
  'contextlib.py',
  'json/decoder.py',
  'asyncio/tasks.py',
  'collections/__init__.py',
  'textwrap.py',
  'string.py',
  'shutil.py',
  'ast.py',
  // Popen's methods sit under if _mswindows: / else: in its class body.
  'subprocess.py',
];

/** On CPython in WebAssembly, a few files; new in 3.14: annotationlib, and string as a package with templatelib (t-strings). */
const WASM_CORPUS = [
  'dataclasses.py',
  'functools.py',
  'annotationlib.py',
  'contextlib.py',
  'json/decoder.py',
  'textwrap.py',
  'string/templatelib.py',
];

type Comparable = Omit<CodeObject, 'children'>;

function strip(code: CodeObject): Comparable {
  const { children: _children, ...rest } = code;
  return rest;
}

/** Code objects keyed by qualname@firstLine#occurrence, module excluded. */
function index(module: CodeObject): Map<string, CodeObject> {
  const out = new Map<string, CodeObject>();
  const seen = new Map<string, number>();
  const walk = (code: CodeObject) => {
    for (const child of code.children) {
      const base = `${child.qualname}@${child.firstLine}`;
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      out.set(`${base}#${n}`, child);
      walk(child);
    }
  };
  walk(module);
  return out;
}

function hasScope(node: Node): boolean {
  if (isScopeNode(node)) return true;
  return node.namedChildren.some((c) => !!c && hasScope(c));
}

async function stdlibDir(python: InterpreterInfo): Promise<string> {
  const r = await run(python.executable, ['-I', '-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], 15_000);
  return r.stdout.trim();
}

interface Services {
  parser: Awaited<ReturnType<typeof createParser>>;
  service: BytecodeService;
  warm: BytecodeService;
  warmPool: WorkerPool;
}

/** Checks `corpus` (paths under `lib`, that interpreter's standard library) on `python`; answers a summary line. */
async function checkInterpreter(
  python: InterpreterInfo,
  lib: string,
  corpus: string[],
  { parser, service, warm, warmPool }: Services,
): Promise<string> {
  let codeObjects = 0;
  let lines = 0;
  let alsoIn = 0;
  let files = 0;
  let warmLines = 0;
  let warmAsked = 0;
  const warmWorker = warmPool.get(python);
  const request = warmWorker.request.bind(warmWorker);
  warmWorker.request = (method, params, options) => {
    if (method === 'compile') warmAsked++;
    return request(method, params, options);
  };
  for (const [fileIndex, rel] of corpus.entries()) {
    const file = path.join(lib, rel);
    if (!fs.existsSync(file)) continue;
    files++;
    const text = fs.readFileSync(file, 'utf8');
    const tree = parser.parse(text)!;
    // The hover path reads a document parsed in small chunks, so chunk boundaries are crossed often.
    const doc = new ParsedDocument(parser, pathToFileURL(file).href, 1, text, { chunkRows: 40 });
    const whole = index((await service.compileFile(python, doc)).module);
    const textLines = splitLines(text);
    const lineAt = (row: number) => textLines[row] ?? '';
    // 1. Each top-level statement compiled alone (with the module's imports)
    //    gives code objects identical to the whole file's.
    for (const statement of tree.rootNode.namedChildren) {
      if (!statement || !hasScope(statement)) continue;
      // Fixed place (lines moved back by lineDelta) for functions; in place for
      // everything, class bodies included (3.13+ store their first line).
      for (const inPlace of [false, true]) {
        const snippet = buildSnippet([tree], statement, lineAt, { inPlace });
        const alone = index(shiftCode((await service.compile(python, snippet.source, file)).module, snippet.lineDelta));
        for (const [key, code] of alone) {
          // Only code objects defined by this statement (a shared line may bring others).
          if (code.firstLine < snippet.startLine || code.firstLine > snippet.endLine) continue;
          if (!inPlace && !code.flags.includes('OPTIMIZED')) continue;
          const expected = whole.get(key);
          assert.ok(expected, `${python.versionText} ${rel}: ${key} not in the whole-file compile`);
          assert.deepEqual(
            strip(code),
            strip(expected),
            `${python.versionText} ${rel}: ${key} differs (${inPlace ? 'in place' : 'fixed place'})`,
          );
          codeObjects++;
        }
      }
    }
    // 2. The hover path itself: lines in every function body.
    //    Class bodies too: their first statement's line. And the lines that
    //    compile into several code objects: comprehensions, lambdas, decorators.
    const several = tree.rootNode.descendantsOfType([
      'list_comprehension',
      'set_comprehension',
      'dictionary_comprehension',
      'generator_expression',
      'lambda',
      'decorator',
    ]);
    const samples: Array<{ fn: Node; rows: Set<number> }> = [];
    for (const fn of tree.rootNode.descendantsOfType(['function_definition', 'class_definition'])) {
      const body = fn?.childForFieldName('body');
      if (!fn || !body) continue;
      const rows =
        fn.type === 'class_definition'
          ? new Set([body.startPosition.row])
          : new Set([body.startPosition.row, Math.floor((body.startPosition.row + body.endPosition.row) / 2), body.endPosition.row]);
      samples.push({ fn, rows });
    }
    for (const node of several) if (node) samples.push({ fn: node, rows: new Set([node.startPosition.row]) });
    // A few files (the test's time): precompiled as the server does after open.
    const precompiled = fileIndex < 3;
    if (precompiled) {
      const done = new Promise<void>((resolve) => {
        new Precompiler(
          warm,
          silentLogger,
          () => resolve(),
          () => doc,
        ).schedule(doc, Promise.resolve(python), 0);
      });
      await done;
    }
    for (const { rows } of samples) {
      for (const row of rows) {
        const result = await service.lineBytecodeAtLine(python, doc, row + 1);
        if (precompiled) {
          assert.deepEqual(
            await warm.lineBytecodeAtLine(python, doc, row + 1),
            result,
            `${python.versionText} ${rel}:${row + 1} precompiled`,
          );
          warmLines++;
        }
        // The line in the statement's other code objects: each exactly the whole file's.
        for (const other of result.alsoIn ?? []) {
          const candidates = [...whole.values()].filter(
            (c) => c.qualname === other.qualname && c.instructions!.some((i) => i.line === row + 1),
          );
          assert.ok(
            candidates.some(
              (c) => JSON.stringify(c.instructions!.filter((i) => i.line === row + 1)) === JSON.stringify(other.instructions),
            ),
            `${python.versionText} ${rel}:${row + 1}: ${other.qualname}'s instructions there differ from the whole file's`,
          );
          alsoIn++;
        }
        if (result.compiledFrom === 'file' && result.codeObject.qualname === '<module>') continue;
        const expected = [...whole.values()].find(
          (c) => c.qualname === result.codeObject.qualname && c.firstLine === result.codeObject.firstLine,
        );
        assert.ok(expected, `${python.versionText} ${rel}:${row + 1}: ${result.codeObject.qualname} not in the whole file`);
        assert.deepEqual(
          result.instructions,
          expected.instructions!.filter((i) => i.line === row + 1),
          `${python.versionText} ${rel}:${row + 1} (${result.codeObject.qualname})`,
        );
        assert.equal(result.instructionCount, expected.instructions!.length, `${python.versionText} ${rel}:${row + 1}: instruction count`);
        lines++;
      }
    }
    tree.delete();
    doc.dispose();
  }
  assert.ok(files > 0, `no corpus files found in ${lib}`);
  assert.ok(codeObjects > 100, `${python.versionText}: only ${codeObjects} code objects compared`);
  assert.ok(alsoIn > 10, `${python.versionText}: only ${alsoIn} lines in several code objects compared`);
  // Module-level lines and the lines outside every precompiled snippet still ask the worker.
  assert.ok(warmAsked < warmLines / 4, `${python.versionText}: ${warmAsked} of ${warmLines} precompiled hovers asked the worker`);
  return `CPython ${python.versionText}: ${files} files, ${codeObjects} code objects identical, ${lines} hovered lines identical (${warmLines} also from the precompile, ${warmAsked} of them asking the worker), ${alsoIn} more code objects on those lines identical`;
}

describe('fidelity: hover bytecode equals whole-file dis, standard library corpus', function () {
  this.timeout(600_000);

  it('every code object of every top-level statement, and sampled lines of every function', async () => {
    const parser = await createParser();
    const pool = new WorkerPool(silentLogger, 60_000);
    const service = new BytecodeService(pool);
    // The same hovers answered from the background precompile's full compiles (no worker request).
    const warmPool = new WorkerPool(silentLogger, 60_000);
    const warm = new BytecodeService(warmPool);
    const summary: string[] = [];
    try {
      for (const python of await testPythons()) {
        summary.push(await checkInterpreter(python, await stdlibDir(python), CORPUS, { parser, service, warm, warmPool }));
      }
    } finally {
      pool.dispose();
      warmPool.dispose();
      console.log(summary.map((s) => `      ${s}`).join('\n'));
    }
  });

  it('the same on CPython 3.14 and 3.15 in WebAssembly, through their worker threads, on files of their own standard library', async () => {
    const parser = await createParser();
    const pool = new WorkerPool(silentLogger, 60_000);
    const service = new BytecodeService(pool);
    const warmPool = new WorkerPool(silentLogger, 60_000);
    const warm = new BytecodeService(warmPool);
    const summary: string[] = [];
    try {
      for (const python of await wasmPythons()) {
        const lib = await wasmStdlib(python);
        try {
          for (const rel of WASM_CORPUS)
            assert.ok(fs.existsSync(path.join(lib, rel)), `${python.versionText}: no ${rel} in its standard library`);
          summary.push(await checkInterpreter(python, lib, WASM_CORPUS, { parser, service, warm, warmPool }));
        } finally {
          fs.rmSync(lib, { recursive: true, force: true });
        }
      }
    } finally {
      pool.dispose();
      warmPool.dispose();
      console.log(summary.map((s) => `      ${s}`).join('\n'));
    }
  });
});
