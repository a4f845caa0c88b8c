/**
 * The bytecode panel's opcode reference: every opname of every installed
 * CPython and of the WebAssembly ones, 3.14 and 3.15 (and their specialized
 * names, 3.11+), has our text for that version and a link to that version's
 * dis documentation; and no text describes an opname that version lacks.
 */
import * as assert from 'node:assert/strict';
import * as cp from 'node:child_process';
import type { InterpreterInfo } from '../../protocol';
import { describeOpcode } from '../../webview/bytecode/opcodeDocs';
import { OPCODE_FAMILIES, type OpcodeFamily } from '../../webview/bytecode/opcodes';
import { testPythons } from '../helpers/pythons';
import { loadWasmPyodide, wasmPythons } from '../helpers/wasm';

/** `dis.opmap`'s names, and the specialized ones the adaptive interpreter may write in (3.11+). */
const LIST_OPNAMES = `
import dis, json, opcode
names = set(dis.opmap)
special = set(getattr(dis, '_specialized_opmap', None) or ())
for family in (getattr(opcode, '_specializations', None) or {}).values():
    special.update(family)
special.update(getattr(opcode, '_specialized_instructions', None) or ())
print(json.dumps({'opmap': sorted(names), 'specialized': sorted(special - names)}))
`;

interface Opnames {
  opmap: string[];
  specialized: string[];
}

/** LIST_OPNAMES in a native CPython (a subprocess) or in a WebAssembly one (its Pyodide, loaded in this thread). */
async function listOpnames(python: InterpreterInfo): Promise<Opnames> {
  if (python.kind !== 'wasm') {
    return JSON.parse(cp.execFileSync(python.executable, ['-I', '-c', LIST_OPNAMES], { encoding: 'utf8' })) as Opnames;
  }
  let out = '';
  const pyodide = await loadWasmPyodide(python, (line) => (out += line + '\n'));
  pyodide.runPython(LIST_OPNAMES);
  return JSON.parse(out) as Opnames;
}

/** Every interpreter the tests have, native and WebAssembly, with its opnames (listed once). */
let listed: Promise<{ python: InterpreterInfo; names: Opnames }[]> | undefined;
function allOpnames(): Promise<{ python: InterpreterInfo; names: Opnames }[]> {
  listed ??= (async () => {
    const pythons = [...(await testPythons()), ...(await wasmPythons())];
    const result = [];
    for (const python of pythons) result.push({ python, names: await listOpnames(python) });
    return result;
  })();
  return listed;
}

const covers = (family: OpcodeFamily, minor: number) => minor >= (family.since ?? [3, 0])[1] && minor <= (family.until ?? [3, 99])[1];

const docsUrl = (version: string, name: string) => `https://docs.python.org/${version}/library/dis.html#opcode-${name}`;

describe('opcode reference', function () {
  this.timeout(120_000);

  it("describes every opname of every installed CPython and of wasm 3.14 and 3.15, with a link to its version's docs", async () => {
    const all = await allOpnames();
    assert.deepEqual(
      all.filter(({ python }) => python.kind === 'wasm').map(({ python }) => python.version.slice(0, 2).join('.')),
      ['3.14', '3.15'],
    );
    for (const { python, names } of all) {
      const { opmap, specialized } = names;
      const minor = `${python.version[0]}.${python.version[1]}`;
      assert.ok(opmap.length > 100, `${python.versionText}: ${opmap.length} opnames`);
      if (python.version[1] >= 11) assert.ok(specialized.length > 0, `${python.versionText} has specialized instructions`);
      const missing: string[] = [];
      for (const name of [...opmap, ...specialized]) {
        const doc = describeOpcode(name, python.version);
        assert.equal(doc.opname, name);
        assert.equal(doc.url, docsUrl(minor, name));
        if (doc.text === null) missing.push(name);
        else {
          assert.ok(doc.family, `${name} has a family`);
          assert.doesNotMatch(doc.text, /\{\*\}/, `${python.versionText} ${name}: unexpanded placeholder`);
        }
      }
      assert.deepEqual(missing, [], `${python.versionText}: no text for ${missing.join(', ')}`);
    }
  });

  it('describes no opname a version lacks: each exact name is in its opmap, each prefix matches one of its names', async () => {
    for (const { python, names } of await allOpnames()) {
      const minor = python.version[1];
      const known = new Set([...names.opmap, ...names.specialized]);
      const absent: string[] = [];
      for (const family of OPCODE_FAMILIES) {
        if (!covers(family, minor)) continue;
        for (const pattern of family.match) {
          const prefix = pattern.slice(0, -1);
          const present = pattern.endsWith('*') ? [...known].some((n) => n.startsWith(prefix) && n !== prefix) : known.has(pattern);
          if (!present) absent.push(pattern);
        }
      }
      assert.deepEqual(absent, [], `${python.versionText}: described, but not in its dis.opmap or specialized names`);
    }
  });

  it('gives version-specific texts where the semantics changed', () => {
    const text = (name: string, minor: number) => describeOpcode(name, [3, minor, 0]).text;
    const differ = (name: string, a: number, b: number) => {
      assert.ok(text(name, a) && text(name, b), `${name} described on 3.${a} and 3.${b}`);
      assert.notEqual(text(name, a), text(name, b), `${name}: 3.${a} vs 3.${b}`);
    };
    differ('LOAD_GLOBAL', 10, 11); // the low bit pushes NULL
    differ('LOAD_GLOBAL', 12, 13); // NULL before, then after
    differ('LOAD_ATTR', 11, 12); // the method-load bit
    differ('LOAD_ATTR', 12, 13);
    differ('CALL', 12, 13); // KW_NAMES, then CALL_KW
    differ('COMPARE_OP', 8, 9);
    differ('COMPARE_OP', 11, 12);
    differ('COMPARE_OP', 12, 13);
    differ('POP_JUMP_IF_TRUE', 10, 12); // absolute, then relative
    differ('POP_JUMP_IF_TRUE', 12, 13); // exact bool
    differ('JUMP_FORWARD', 9, 10); // bytes, then code units
    differ('FOR_ITER', 11, 12);
    differ('END_FOR', 12, 13);
    differ('MAKE_FUNCTION', 9, 10);
    differ('MAKE_FUNCTION', 10, 11);
    differ('MAKE_FUNCTION', 12, 13);
    differ('RERAISE', 9, 10);
    differ('RERAISE', 10, 11);
    differ('SETUP_FINALLY', 10, 12); // block stack, then a pseudo-instruction for the exception table
    differ('POP_EXCEPT', 10, 11);
    differ('LOAD_FAST', 11, 12);
    differ('LOAD_DEREF', 10, 11);
    differ('MATCH_CLASS', 10, 11);
    differ('SEND', 11, 12);
    differ('PUSH_NULL', 12, 13);
    differ('RESUME', 12, 13);
    differ('UNARY_NOT', 12, 13);
    differ('BINARY_OP', 13, 14);
    // 3.14: deferred annotations, LOAD_SPECIAL for with, the loop's POP_ITER, END_ASYNC_FOR's argument, CALL_FUNCTION_EX's kwargs slot.
    differ('SETUP_ANNOTATIONS', 13, 14);
    differ('WITH_EXCEPT_START', 13, 14);
    differ('FOR_ITER', 13, 14);
    differ('END_ASYNC_FOR', 13, 14);
    differ('CALL_FUNCTION_EX', 13, 14);
    differ('SET_FUNCTION_ATTRIBUTE', 13, 14);
    // 3.15: the iterator as a pair, lazy imports, more common constants, RESUME's flags.
    differ('GET_ITER', 14, 15);
    differ('FOR_ITER', 14, 15);
    differ('POP_ITER', 14, 15);
    differ('SEND', 14, 15);
    differ('END_SEND', 14, 15);
    differ('IMPORT_NAME', 14, 15);
    differ('LOAD_COMMON_CONSTANT', 14, 15);
    differ('RESUME', 14, 15);
    assert.match(text('CALL_FUNCTION_EX', 14) ?? '', /NULL when there are none/);
    assert.match(text('IMPORT_NAME', 15) ?? '', /namei >> 2/);
    assert.match(text('SETUP_ANNOTATIONS', 14) ?? '', /from __future__ import annotations/);

    // Opcodes that exist only in some versions are described only there.
    const only = (name: string, first: number, last: number | null) => {
      for (let minor = 8; minor <= 15; minor++) {
        const expected = minor >= first && (last === null || minor <= last);
        assert.equal(text(name, minor) !== null, expected, `${name} on 3.${minor}`);
      }
    };
    only('CALL_FUNCTION', 8, 10);
    only('PRECALL', 11, 11);
    only('KW_NAMES', 11, 12);
    only('CALL_KW', 13, null);
    only('BINARY_ADD', 8, 10);
    only('JUMP_ABSOLUTE', 8, 10);
    only('JUMP_BACKWARD', 11, null);
    only('RETURN_CONST', 12, 13);
    only('LOAD_FAST_LOAD_FAST', 13, null);
    only('TO_BOOL', 13, null);
    only('FORMAT_VALUE', 8, 12);
    only('FORMAT_SIMPLE', 13, null);
    only('PUSH_EXC_INFO', 11, null);
    only('LOAD_SMALL_INT', 14, null);
    only('BINARY_SUBSCR', 8, 13);
    only('BINARY_SUBSCR_DICT', 11, 13);
    only('BUILD_CONST_KEY_MAP', 8, 13);
    only('LOAD_ASSERTION_ERROR', 9, 13);
    only('BEFORE_WITH', 11, 13);
    only('LOAD_SPECIAL', 14, null);
    only('LOAD_COMMON_CONSTANT', 14, null);
    only('LOAD_FAST_BORROW', 14, null);
    only('NOT_TAKEN', 14, null);
    only('POP_ITER', 14, null);
    only('BUILD_TEMPLATE', 14, null);
    only('ANNOTATIONS_PLACEHOLDER', 14, null);
    only('LOAD_CONST_IMMORTAL', 14, 14);
    only('GET_YIELD_FROM_ITER', 8, 14);
    only('TRACE_RECORD', 15, null);
    only('GET_ITER_VIRTUAL', 15, null);
  });

  it('names the base instruction of specialized and instrumented forms', () => {
    const cases: [string, number, string][] = [
      ['LOAD_ATTR_INSTANCE_VALUE', 12, 'LOAD_ATTR'],
      ['BINARY_OP_ADD_INT', 11, 'BINARY_OP'],
      ['CALL_PY_EXACT_ARGS', 13, 'CALL'],
      ['LOAD_SUPER_ATTR_METHOD', 12, 'LOAD_SUPER_ATTR'],
      ['FOR_ITER_RANGE', 12, 'FOR_ITER'],
      ['CALL_KW_PY', 14, 'CALL_KW'],
      ['BINARY_OP_SUBSCR_DICT', 14, 'BINARY_OP'],
      ['LOAD_CONST_MORTAL', 14, 'LOAD_CONST'],
      ['GET_ITER_SELF', 15, 'GET_ITER'],
      ['CALL_EX_PY', 15, 'CALL_FUNCTION_EX'],
      ['INSTRUMENTED_POP_ITER', 14, 'POP_ITER'],
      ['INSTRUMENTED_CALL_FUNCTION_EX', 12, 'CALL_FUNCTION_EX'],
    ];
    for (const [name, minor, base] of cases) {
      const doc = describeOpcode(name, [3, minor, 0]);
      assert.ok(doc.text?.includes(base), `${name}: ${doc.text}`);
    }
    // Exact names win over a prefix that happens to match them.
    assert.equal(describeOpcode('CALL_FUNCTION_EX', [3, 12, 0]).family, 'CALL_FUNCTION_EX');
    assert.equal(describeOpcode('CALL_INTRINSIC_1', [3, 12, 0]).family, 'CALL_INTRINSIC_1');
    assert.equal(describeOpcode('CALL_KW', [3, 13, 0]).family, 'CALL_KW');
    assert.match(describeOpcode('LOAD_ATTR_ADAPTIVE', [3, 11, 0]).text ?? '', /adaptive form/);
  });

  it('links an opcode it does not describe, and any version, to the docs', () => {
    const unknown = describeOpcode('NOT_AN_OPCODE', [3, 12, 1]);
    assert.deepEqual(unknown, { opname: 'NOT_AN_OPCODE', text: null, url: docsUrl('3.12', 'NOT_AN_OPCODE'), family: null });
    assert.equal(describeOpcode('LOAD_CONST', [3, 15, 0]).url, docsUrl('3.15', 'LOAD_CONST'));
    assert.equal(describeOpcode('LOAD_CONST', [3, 15, 0]).text, describeOpcode('LOAD_CONST', [3, 8, 0]).text);
  });

  it('keeps the data unambiguous: one family per exact name and version', () => {
    for (let minor = 8; minor <= 15; minor++) {
      const seen = new Map<string, number>();
      OPCODE_FAMILIES.forEach((family, index) => {
        if (!covers(family, minor)) return;
        for (const pattern of family.match) {
          assert.match(pattern, /^[A-Z0-9_]+\*?$/, `pattern ${pattern}`);
          const earlier = seen.get(pattern);
          assert.equal(earlier, undefined, `${pattern} on 3.${minor}: families ${earlier} and ${index}`);
          seen.set(pattern, index);
        }
        for (const note of family.notes ?? []) assert.ok(note.text.trim(), 'note text');
        assert.ok(family.text.trim(), 'family text');
      });
    }
  });
});
