import * as assert from 'node:assert/strict';
import { opennessAtEnd } from '../../server/documents/openness';
import { testPythons } from '../helpers/pythons';
import { run } from '../../server/cpython/spawn';

describe('opennessAtEnd', () => {
  const cases: Array<[string, ReturnType<typeof opennessAtEnd>]> = [
    ['x = 1\n', null],
    ['x = """\nabc\n', 'string'],
    ["x = '''a\n'''\n", null],
    ['x = (1,\n 2,\n', 'bracket'],
    ['x = [1, {2: (3)}]\n', null],
    ['x = 1 + \\\n', 'continuation'],
    ['x = 1 \\\n\ny = 2\n', null], // the continuation joined an empty line: the statement ended there
    ['x = 1  # a comment with a quote " and a bracket (\n', null],
    ['# \\\n', null],
    ['s = "a \\" b"\n', null],
    ["s = r'\\''\n", null],
    ['s = "unterminated\nx = 1\n', null],
    ['s = b"""\n', 'string'],
    ['s = rb"x" + Rb"y" + f"{1}" + BR"z"\n', null],
    // f-strings: fields nest brackets and strings of their own (PEP 701), {{ and }} are literal.
    ['s = f"{x["a"]}"\n', null],
    ['s = f"{{not a field"\n', null],
    ['s = f"{x:>{width}}" + f"{y!r:10}"\n', null],
    ['s = f"""{\n  x\n}"""\n', null],
    ['s = f"""{x}\n', 'string'],
    ['s = f"{(1,\n', 'string'], // a bracket inside an f-string's field: the string is what is open
    ['s = t"{x}"\n', null],
    // A name ending in a prefix letter is not a prefix: "if" then a plain string.
    ['if"{":\n    pass\n', null],
    ['x = ]\n', null],
  ];
  for (const [source, expected] of cases) {
    it(`${JSON.stringify(source)} → ${expected}`, () => {
      assert.equal(opennessAtEnd(source), expected);
    });
  }

  it('reads from a start index to an end index', () => {
    const text = 'a = """\nb = (\nc = 1\n';
    assert.equal(opennessAtEnd(text, text.indexOf('b'), text.indexOf('c')), 'bracket');
    assert.equal(opennessAtEnd(text, text.indexOf('c')), null);
  });

  // The cases that CPython itself can judge: a piece it compiles has nothing open;
  // one that fails with "unterminated"/"was never closed" does.
  it('agrees with CPython on which pieces are complete', async () => {
    const pythons = await testPythons();
    // The newest: f-strings with nested quotes need 3.12.
    const python = pythons[pythons.length - 1]!;
    const pieces = cases
      .map(([source]) => source)
      .filter((s) => (!s.startsWith('s = t"') || python.version[1] >= 14) && (!s.includes('x["a"]') || python.version[1] >= 12));
    const script = [
      'import json, sys',
      'out = []',
      'for src in json.loads(sys.argv[1]):',
      '    try:',
      '        compile(src, "<piece>", "exec"); out.append("ok")',
      '    except SyntaxError as e:',
      '        m = str(e.msg)',
      '        out.append("open" if ("unterminated triple" in m or "never closed" in m or "EOF" in m or "unexpected end" in m) else "error")',
      'print(json.dumps(out))',
    ].join('\n');
    const result = await run(python.executable, ['-I', '-c', script, JSON.stringify(pieces)], 30_000);
    const verdicts = JSON.parse(result.stdout) as string[];
    pieces.forEach((piece, k) => {
      const ours = opennessAtEnd(piece);
      if (verdicts[k] === 'ok') assert.equal(ours, null, `${JSON.stringify(piece)} compiles on ${python.versionText}`);
      if (verdicts[k] === 'open') assert.notEqual(ours, null, `${JSON.stringify(piece)} is left open on ${python.versionText}`);
    });
  });
});
