"""One code object's control flow, read back from its final bytecode: basic
blocks, their edges, and the value-stack depth before each instruction
(protocol/bytecode.ts: BasicBlock, FlowEdge, DetailInstruction.depth).

The depth follows CPython's own ``stackdepth`` (compile.c; flowgraph.c from
3.12): a worklist over blocks from depth 0 at the entry, where each
instruction moves the depth by ``dis.stack_effect(jump=False)`` and a jump
also carries ``depth + stack_effect(jump=True)`` to its target (3.11+: a
protected block also carries the exception table's depth to its handler).
The maximum of all of those is what the compiler stores as ``co_stacksize``.

The compiler computes it on its own CFG, not on the final bytecode; where the
two differ, what it counted is read back from what it left:
- 3.8, 3.9: tuples of constants folded after it (``_folded_tuples``);
- 3.10 - 3.12: generators start at depth 1 (``_GENERATOR_STARTS_AT_1``);
- 3.11+: handlers no exception-table entry leads to (``_orphan_depth``);
- 3.13: a stack size of at least 1 (``_MIN_STACKSIZE``).
With those, the maximum equals ``co_stacksize`` for every code object of the
standard library (its tests and site-packages included) on 3.8 - 3.13.
"""

import bisect
import dis
import sys

from .codeobjects import _jump_target

_VERSION = sys.version_info[:2]

# No fall-through into the next instruction: unconditional jumps, returns,
# raises (the compiler's "remaining code is dead"). Names of every version
# 3.8+; each interpreter has some of them. JUMP and JUMP_NO_INTERRUPT are
# 3.12+ pseudo-instructions that never reach co_code, in case a dis shows them.
# 3.8's END_FINALLY goes on when there is nothing to re-raise: it falls.
_NO_FALL = frozenset(
    (
        "RETURN_VALUE",
        "RETURN_CONST",
        "RAISE_VARARGS",
        "RERAISE",
        "JUMP_FORWARD",
        "JUMP_ABSOLUTE",
        "JUMP_BACKWARD",
        "JUMP_BACKWARD_NO_INTERRUPT",
        "JUMP",
        "JUMP_NO_INTERRUPT",
    )
)

# 3.8 - 3.10 push a block whose handler is their jump target: control gets
# there when an exception unwinds, so the edge is an exception edge, not a
# jump. The stack effect of their jump (6 for SETUP_FINALLY: the exception
# and what it saves) already is the handler's depth. (3.11+ have them as
# pseudo-instructions only, replaced by the exception table.)
_SETUP = frozenset(("SETUP_FINALLY", "SETUP_WITH", "SETUP_ASYNC_WITH")) if _VERSION < (3, 11) else frozenset()

# 3.8 only: CALL_FINALLY runs the finally block as a subroutine and comes back
# after itself (POP_FINALLY / END_FINALLY return there). compile.c's
# stackdepth does not push its target (it asserts the block already has a
# depth, from the SETUP_FINALLY or the fall into it): so neither do we.
_CALL_FINALLY = dis.opmap.get("CALL_FINALLY") if _VERSION == (3, 8) else None

_EXTENDED_ARG = dis.opmap["EXTENDED_ARG"]

_PUSH_EXC_INFO = dis.opmap.get("PUSH_EXC_INFO")  # 3.11+

# 3.13 never gives a code object a stack size below 1, even one that pushes
# nothing (``def f(): raise``, ``while True: pass``; 3.12 gives them 0).
_MIN_STACKSIZE = 1 if _VERSION >= (3, 13) else 0

# 3.8: the builders of starred displays and calls ([a, *b], f(a, *b)).
_UNPACK_BUILDERS = frozenset(
    n for n in ("BUILD_TUPLE_UNPACK", "BUILD_LIST_UNPACK", "BUILD_SET_UNPACK", "BUILD_TUPLE_UNPACK_WITH_CALL") if n in dis.opmap
)

# 3.10 - 3.12 start a generator's (coroutine's, async generator's) code at
# depth 1: the value sent in on the first resume, which its first
# instructions pop (3.10: GEN_START; 3.11, 3.12: RETURN_GENERATOR, POP_TOP,
# where RETURN_GENERATOR's effect is 0). 3.13 counts RETURN_GENERATOR as
# pushing that value and starts every code object at 0.
_GENERATOR_FLAGS = 0x20 | 0x80 | 0x200  # CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR
_GENERATOR_STARTS_AT_1 = (3, 10) <= _VERSION <= (3, 12)


def effect_of(ins):
    """``dis.stack_effect`` without jumping; None where dis has none."""
    if ins.opcode == _EXTENDED_ARG:
        return 0  # a prefix of the next instruction's argument: no stack change
    try:
        return dis.stack_effect(ins.opcode, ins.arg, jump=False)
    except ValueError:
        return None


def exception_entries(code):
    """3.11+: the exception table as dis reads it; [] before (no table)."""
    parse = getattr(dis, "_parse_exception_table", None)
    if parse is None:
        return []
    return list(parse(code))


class Flow(object):
    """The flow of one code object's instruction list (dis.Instruction objects)."""

    def __init__(self, code, instructions, effects=None):
        self.code = code
        self.instructions = instructions
        n = len(instructions)
        self.effects = effects if effects is not None else [effect_of(ins) for ins in instructions]
        offsets = [ins.offset for ins in instructions]
        self._offsets = offsets
        self._index = {offset: i for i, offset in enumerate(offsets)}

        # Jump targets as instruction indices. dis gives offsets; on 3.11 and
        # 3.12 they skip the inline caches, so they are offsets of
        # instructions (a jump to the end of the code would be index n).
        self.targets = targets = [None] * n
        for i, ins in enumerate(instructions):
            target = _jump_target(ins)
            if target is not None:
                targets[i] = self.index_at(target)

        # 3.11+: (first index, index after the last, handler index, depth, lasti).
        self.handlers = [
            (self.index_at(e.start), self.index_at(e.end), self.index_at(e.target), e.depth, bool(e.lasti))
            for e in exception_entries(code)
        ]

        leaders = {0}
        for i, ins in enumerate(instructions):
            if targets[i] is not None:
                leaders.add(targets[i])
                leaders.add(i + 1)
            elif ins.opname in _NO_FALL:
                leaders.add(i + 1)
        for start, end, target, _, _ in self.handlers:
            # Range ends too: every block then lies wholly inside or outside
            # a protected range, and has at most one handler.
            leaders.add(start)
            leaders.add(end)
            leaders.add(target)
        self.starts = starts = sorted(l for l in leaders if 0 <= l < n) if n else []
        self.block_of = block_of = [0] * n
        for b, start in enumerate(starts):
            end = starts[b + 1] if b + 1 < len(starts) else n
            for i in range(start, end):
                block_of[i] = b
        self.ends = [starts[b + 1] if b + 1 < len(starts) else n for b in range(len(starts))]
        # The entry protecting each block, if any (3.11+ entries do not overlap).
        self.block_handler = [None] * len(starts)
        ranges = sorted(self.handlers)
        range_starts = [entry[0] for entry in ranges]
        for b, start in enumerate(starts):
            k = bisect.bisect_right(range_starts, start) - 1
            if k >= 0 and start < ranges[k][1]:
                self.block_handler[b] = ranges[k]
        self.depths, self.max_depth = self._stackdepth()
        if _VERSION < (3, 10):
            self.max_depth = max(self.max_depth, self._folded_tuples())

    def index_at(self, offset):
        # The instruction at this offset, or the first one after it (an
        # exception-table end may fall on the code's end).
        i = self._index.get(offset)
        if i is None:
            i = bisect.bisect_left(self._offsets, offset)
        return i

    def blocks(self):
        instructions = self.instructions
        n = len(instructions)
        out = []
        for b, start in enumerate(self.starts):
            end = self.ends[b]
            last = end - 1
            ins = instructions[last]
            edges = []
            seen = set()

            def edge(to, kind):
                if (to, kind) not in seen:
                    seen.add((to, kind))
                    edges.append({"to": to, "kind": kind})

            if ins.opname not in _NO_FALL and end < n:
                edge(b + 1, "fall")
            target = self.targets[last]
            if target is not None and target < n:
                edge(self.block_of[target], "exception" if ins.opname in _SETUP else "jump")
            handler = self.block_handler[b]
            if handler is not None and handler[2] < n:
                edge(self.block_of[handler[2]], "exception")
            out.append({"start": start, "end": end, "edges": edges})
        return out

    def _jump_effect(self, i):
        ins = self.instructions[i]
        try:
            return dis.stack_effect(ins.opcode, ins.arg, jump=True)
        except ValueError:
            return self.effects[i] or 0

    def _stackdepth(self):
        instructions = self.instructions
        n = len(instructions)
        depths = [None] * n
        if not n:
            return depths, 0
        starts, ends, targets, block_of, effects = self.starts, self.ends, self.targets, self.block_of, self.effects
        block_depth = self._block_depth = [None] * len(starts)
        stack = []
        max_depth = [_MIN_STACKSIZE]  # the entry depth itself is not counted (compile.c)

        def push(b, depth):
            # The first depth that reaches a block is kept: CPython's compiler
            # asserts that every path brings the same one.
            if block_depth[b] is None:
                block_depth[b] = depth
                stack.append(b)

        def run():
            peak = max_depth[0]
            while stack:
                b = stack.pop()
                depth = block_depth[b]
                falls = True
                for i in range(starts[b], ends[b]):
                    depths[i] = depth
                    effect = effects[i]
                    if effect is None:
                        effect = 0  # not in dis's table (none known): count it as neutral
                    new_depth = depth + effect
                    if new_depth > peak:
                        peak = new_depth
                    target = targets[i]
                    if target is not None and target < n:
                        target_depth = depth + self._jump_effect(i)
                        if target_depth > peak:
                            peak = target_depth
                        if instructions[i].opcode != _CALL_FINALLY:
                            push(block_of[target], target_depth)
                    depth = new_depth
                    if instructions[i].opname in _NO_FALL:
                        falls = False
                        break
                if falls and b + 1 < len(starts):
                    push(b + 1, depth)
                handler = self.block_handler[b]
                if handler is not None and handler[2] < n:
                    # 3.11+: the unwinder pops to the entry's depth, pushes the
                    # offset of the raising instruction if lasti, then the exception.
                    handler_depth = handler[3] + (1 if handler[4] else 0) + 1
                    if handler_depth > peak:
                        peak = handler_depth
                    push(block_of[handler[2]], handler_depth)
            max_depth[0] = peak

        initial = 1 if _GENERATOR_STARTS_AT_1 and self.code.co_flags & _GENERATOR_FLAGS else 0
        push(0, initial)
        run()
        if _VERSION >= (3, 11):
            # Handlers no path reaches: the compiler still counted them (see
            # _orphan_depth). Each one found can lead to the next.
            pending = [b for b in range(len(starts)) if block_depth[b] is None]
            while pending:
                for b in pending:
                    depth = self._orphan_depth(b)
                    if depth is not None:
                        push(b, depth)
                        run()
                        break
                else:
                    break
                pending = [b for b in pending if block_depth[b] is None]
        return depths, max_depth[0]

    def _orphan_depth(self, b):
        # 3.11+: a handler whose protected code compiled to nothing (``try:
        # pass``; ``except* E as e:`` over a constant) keeps its code, but no
        # entry of the exception table leads to it any more. The compiler
        # still counted it: its stackdepth ran on the CFG that had the SETUP_*
        # pseudo-instruction, and every block left in the code object was
        # reachable there (3.11+ delete the others). The depth it entered the
        # block with is known two ways:
        # - a handler's PUSH_EXC_INFO comes right after its own SETUP_CLEANUP,
        #   whose entry (around the PUSH_EXC_INFO) records that depth;
        # - a block that flows into a block of known depth arrives at that
        #   depth (every path to a block brings the same one): read back.
        instructions, block_depth = self.instructions, self._block_depth
        start, end = self.starts[b], self.ends[b]
        entry = self.block_handler[b]
        if entry is not None and instructions[start].opcode == _PUSH_EXC_INFO:
            return entry[3]
        last = end - 1
        target = self.targets[last]
        after = None  # the depth before the last instruction
        if target is not None and target < len(instructions) and block_depth[self.block_of[target]] is not None:
            after = block_depth[self.block_of[target]] - self._jump_effect(last)
        elif instructions[last].opname not in _NO_FALL and b + 1 < len(self.starts) and block_depth[b + 1] is not None:
            after = block_depth[b + 1] - (self.effects[last] or 0)
        if after is None:
            return None
        for i in range(last - 1, start - 1, -1):
            after -= self.effects[i] or 0
        return after if after >= 0 else None

    def _folded_tuples(self):
        # 3.8, 3.9: compile.c computes co_stacksize before the peephole
        # optimizer (Python/peephole.c) rewrites the bytecode, and one of its
        # rewrites lowers the stack: LOAD_CONST x n, BUILD_TUPLE n becomes one
        # LOAD_CONST of the tuple (fold_tuple_on_constants), while the stack
        # size still counts the n values. The AST optimizer folds constant
        # Tuple nodes itself; what reaches the peephole are tuples the
        # compiler builds that are not Tuple nodes: positional defaults
        # (MAKE_FUNCTION's deepest operand), and on 3.8 the runs of plain
        # items around a starred one (the operands of BUILD_*_UNPACK).
        # 3.10+ fold in the CFG, before stackdepth.
        # (On 3.8 an explicitly starred constant, [*(1, 2), *x], reads the
        # same: the one case this over-counts.)
        peak = 0
        depths, instructions = self.depths, self.instructions
        for i, ins in enumerate(instructions):
            if depths[i] is None:
                continue
            if ins.opname == "MAKE_FUNCTION" and ins.arg & 0x01:
                # Operands: defaults (deepest), then one per other flag, code, qualname.
                count = 2 + bin(ins.arg & 0x0F).count("1")
                operands = [depths[i] - count]
            elif ins.opname in _UNPACK_BUILDERS:
                operands = range(depths[i] - ins.arg, depths[i])
            else:
                continue
            first = self.starts[self.block_of[i]]
            for base in operands:
                # The instruction that pushed the operand: the last one before
                # i that starts at its depth (the stack stays above it after).
                j = i - 1
                while j >= first and depths[j] > base:
                    j -= 1
                if j < first or depths[j] != base:
                    continue
                producer = instructions[j]
                if producer.opname == "LOAD_CONST" and type(producer.argval) is tuple and len(producer.argval) > 1:
                    peak = max(peak, base + len(producer.argval))
        return peak
