/**
 * The bytecode panel's comparison (webview/bytecode/align.ts): instructions
 * aligned by what they do, jumps by opname only, and the summary line.
 */
import * as assert from 'node:assert/strict';
import type { LinkedInstruction } from '../../protocol';
import { alignInstructions, compareSummary } from '../../webview/bytecode/align';

function ins(offset: number, opname: string, argrepr = '', extra: Partial<LinkedInstruction> = {}): LinkedInstruction {
  return {
    offset,
    opname,
    opcode: 0,
    arg: null,
    argrepr,
    line: 1,
    startsLine: false,
    isJumpTarget: false,
    jumpTarget: null,
    argKind: argrepr ? 'name' : 'none',
    caches: [],
    depth: 0,
    effect: 0,
    span: null,
    precise: false,
    ...extra,
  };
}

describe('bytecode comparison (align.ts)', () => {
  it('aligns equal instructions and marks what one side added or removed', () => {
    const left = [ins(0, 'LOAD_FAST', 'x'), ins(2, 'LOAD_CONST', '1'), ins(4, 'BINARY_ADD'), ins(6, 'RETURN_VALUE')];
    const right = [
      ins(0, 'RESUME', '0'),
      ins(2, 'LOAD_FAST', 'x'),
      ins(4, 'LOAD_CONST', '1'),
      ins(6, 'BINARY_OP', '+'),
      ins(10, 'RETURN_VALUE'),
    ];
    const rows = alignInstructions(left, right);
    assert.deepEqual(
      rows.map((r) => [r.kind, r.left, r.right]),
      [
        ['added', undefined, 0],
        ['same', 0, 1],
        ['same', 1, 2],
        ['removed', 2, undefined],
        ['added', undefined, 3],
        ['same', 3, 4],
      ],
    );
    const summary = compareSummary(
      { label: 'CPython 3.10', instructions: left, stackSize: 2, version: [3, 10, 13] },
      { label: 'CPython 3.12', instructions: right, stackSize: 3, version: [3, 12, 1] },
      rows,
    );
    assert.match(summary, /^4 → 5 instructions \(\+2 −1\)/);
    assert.match(summary, /stack size 2 → 3/);
    assert.match(summary, /specializable: none \(no specialization before 3\.11\) → 0/);
  });

  it('matches jumps whatever their target offsets, and counts specializable instructions by family', () => {
    const jump = (offset: number, target: number) =>
      ins(offset, 'POP_JUMP_IF_FALSE', `to ${target}`, { argKind: 'jump', jumpTarget: target });
    const cached = (offset: number, opname: string, argrepr: string) => ins(offset, opname, argrepr, { caches: [['counter', 1]] });
    const left = [cached(0, 'LOAD_ATTR', 'a'), jump(20, 40), cached(22, 'LOAD_ATTR', 'b'), cached(42, 'BINARY_OP', '+')];
    const right = [cached(0, 'LOAD_ATTR', 'a'), jump(20, 44), cached(22, 'LOAD_ATTR', 'b'), cached(44, 'BINARY_OP', '+')];
    const rows = alignInstructions(left, right);
    assert.ok(
      rows.every((r) => r.kind === 'same'),
      JSON.stringify(rows),
    );
    const summary = compareSummary(
      { label: 'a', instructions: left, stackSize: 2, version: [3, 13, 0] },
      { label: 'b', instructions: right.slice(0, 3), stackSize: 2, version: [3, 13, 0] },
      alignInstructions(left, right.slice(0, 3)),
    );
    assert.match(summary, /\(\+0 −1\)/);
    assert.match(summary, /stack size 2 ·/);
    assert.match(summary, /specializable: 3 \(LOAD_ATTR ×2, BINARY_OP ×1\) → 2 \(LOAD_ATTR ×2\)/);
  });
});
