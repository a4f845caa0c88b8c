/**
 * The bytecode explorer's requests (pythonInternals/codeObjects and
 * pythonInternals/codeObject) as any LSP client sees them: a real JSON-RPC
 * client against `node dist/server.js --stdio`, on every CPython 3.8+ found.
 * Spans are checked the strict way: sliced out of the document by their
 * UTF-16 positions, each must be the source CPython's own positions name
 * (UTF-8 byte columns, sliced by the interpreter itself); before 3.11, the
 * instruction's whole line.
 */
import * as assert from 'node:assert/strict';
import * as cp from 'node:child_process';
import * as path from 'node:path';
import { type CodeNode, CodeObjectRequest, CodeObjectsRequest, type InterpreterInfo, type Span } from '../../protocol';
import { LspClient } from '../helpers/lspClient';
import { tempDir, testPythons } from '../helpers/pythons';

/** Non-ASCII before code and inside strings, on the lines of the code; nested code objects (a comprehension, a lambda). */
const SOURCE = [
  '# é ü 名前 🐍',
  'class Counter:',
  '    def add(self, y):',
  '        s = "é🐍"; self.x += y; 名前 = [v for v in "ü🐍" if v]',
  '        return (lambda z: z + "🐍")(s), 名前',
  '',
  'try:',
  '    import 名前mod',
  'except ImportError as exc:',
  '    Counter().add("é")',
  '',
].join('\n');

/** Slice a document by LSP positions (0-based lines, UTF-16 columns). */
function sliceSpan(text: string, span: Span): string {
  const lines = text.split('\n');
  if (span[0] === span[2]) return lines[span[0]]!.slice(span[1], span[3]);
  return [lines[span[0]]!.slice(span[1]), ...lines.slice(span[0] + 1, span[2]), lines[span[2]]!.slice(0, span[3])].join('\n');
}

/** What CPython's own positions name, per instruction of the code object at `path` (null: no columns). */
function referenceSegments(
  python: InterpreterInfo,
  source: string,
  codePath: number[],
): Array<{ opname: string; text: string | null; line: number | null }> {
  const script = String.raw`
import dis, json, sys
source = json.loads(sys.stdin.read())
code = compile(source, "t.py", "exec", dont_inherit=True)
for i in json.loads(sys.argv[1]):
    code = [c for c in code.co_consts if hasattr(c, "co_code")][i]
lines = source.encode("utf-8").split(b"\n")
out = []
for ins in dis.get_instructions(code):
    p = getattr(ins, "positions", None)
    line = getattr(ins, "line_number", None) if hasattr(ins, "line_number") else (p.lineno if p else None)
    text = None
    # Line 0: the module's RESUME on 3.11+, before any source line.
    if p and p.lineno and p.col_offset is not None and p.end_lineno is not None and p.end_col_offset is not None:
        if p.lineno == p.end_lineno:
            text = lines[p.lineno - 1][p.col_offset:p.end_col_offset].decode("utf-8")
        else:
            parts = [lines[p.lineno - 1][p.col_offset:]] + lines[p.lineno:p.end_lineno - 1] + [lines[p.end_lineno - 1][:p.end_col_offset]]
            text = b"\n".join(parts).decode("utf-8")
    out.append({"opname": ins.opname, "text": text, "line": line})
sys.stdout.write(json.dumps(out))
`;
  return JSON.parse(
    cp.execFileSync(python.executable, ['-I', '-c', script, JSON.stringify(codePath)], { input: JSON.stringify(source), encoding: 'utf8' }),
  ) as ReturnType<typeof referenceSegments>;
}

function walk(
  node: CodeNode,
  at: number[] = [],
  out: Array<{ node: CodeNode; path: number[] }> = [],
): Array<{ node: CodeNode; path: number[] }> {
  out.push({ node, path: at });
  node.children.forEach((child, i) => walk(child, [...at, i], out));
  return out;
}

describe('bytecode explorer over LSP on every CPython 3.8+', function () {
  this.timeout(120_000);

  it('answers the tree of code objects and each code object with spans exactly CPython’s source (UTF-8 → UTF-16)', async () => {
    for (const python of await testPythons()) {
      const { client } = await LspClient.start({ interpreterPath: python.executable, precompile: { enabled: false } });
      try {
        const uri = await client.open(path.join(tempDir('explorer'), 't.py'), SOURCE);
        const tree = await client.connection.sendRequest(CodeObjectsRequest.type, { textDocument: { uri } });
        assert.ok('module' in tree.result, JSON.stringify(tree.result));
        assert.equal(tree.interpreter.executable, python.executable);
        const all = walk(tree.result.module);
        const names = all.map((c) => c.node.qualname);
        assert.ok(names.includes('Counter.add'), names.join());
        assert.ok(
          names.some((n) => n.includes('<lambda>')),
          names.join(),
        );
        for (const { node, path: codePath } of all) {
          const answer = await client.connection.sendRequest(CodeObjectRequest.type, { textDocument: { uri }, path: codePath });
          assert.ok('instructions' in answer.result, JSON.stringify(answer.result));
          const detail = answer.result;
          assert.equal(detail.code.qualname, node.qualname);
          assert.equal(detail.maxDepth, detail.code.stackSize, `${python.versionText} ${node.qualname}: stack depth`);
          const reference = referenceSegments(python, SOURCE, codePath);
          assert.deepEqual(
            detail.instructions.map((i) => i.opname),
            reference.map((r) => r.opname),
            `${python.versionText} ${node.qualname}`,
          );
          detail.instructions.forEach((ins, k) => {
            const ref = reference[k]!;
            if (ref.text !== null) {
              assert.equal(ins.precise, true, `${python.versionText} ${node.qualname} ${ins.offset} ${ins.opname}`);
              assert.equal(sliceSpan(SOURCE, ins.span!), ref.text, `${python.versionText} ${node.qualname} ${ins.offset} ${ins.opname}`);
            } else if (ins.line !== null && ins.line >= 1) {
              // A line and no columns (every instruction before 3.11): the line from its first non-blank character.
              assert.equal(ins.precise, false);
              assert.equal(sliceSpan(SOURCE, ins.span!), SOURCE.split('\n')[ins.line - 1]!.trim(), `${python.versionText} ${ins.opname}`);
            } else {
              assert.equal(ins.span, null);
            }
          });
        }
        // -O drops nothing here but is accepted; -OO compiles too.
        const optimized = await client.connection.sendRequest(CodeObjectsRequest.type, { textDocument: { uri }, optimize: 2 });
        assert.equal(optimized.optimize, 2);
        assert.ok('module' in optimized.result);
      } finally {
        await client.stop();
      }
    }
  });

  it('answers a syntax error with CPython’s message and its place, a bad path with a clear failure, and stays up', async () => {
    const python = (await testPythons())[0]!;
    const { client } = await LspClient.start({ interpreterPath: python.executable, precompile: { enabled: false } });
    try {
      const broken = '# 🐍\nx = "é" +\n';
      const uri = await client.open(path.join(tempDir('explorer-bad'), 'bad.py'), broken);
      const tree = await client.connection.sendRequest(CodeObjectsRequest.type, { textDocument: { uri } });
      assert.ok('error' in tree.result, JSON.stringify(tree.result));
      assert.match(tree.result.error.message, /SyntaxError/);
      assert.equal(tree.result.error.span?.[0], 1);

      const good = await client.open(path.join(tempDir('explorer-ok'), 'ok.py'), 'def f():\n    return 1\n');
      await assert.rejects(
        client.connection.sendRequest(CodeObjectRequest.type, { textDocument: { uri: good }, path: [5] }),
        /code object/i,
      );
      const ok = await client.connection.sendRequest(CodeObjectRequest.type, { textDocument: { uri: good }, path: [0] });
      assert.ok('instructions' in ok.result && ok.result.code.qualname === 'f');
    } finally {
      await client.stop();
    }
  });
});
