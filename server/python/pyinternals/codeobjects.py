"""Code objects and their instructions as JSON (protocol/collector.ts: CodeObject)."""

import __future__
import dis
import sys

_FLAG_NAMES = dict(dis.COMPILER_FLAG_NAMES)
# dis does not name the `from __future__` bits (e.g. annotations: 0x1000000).
for _feature in __future__.all_feature_names:
    _bit = getattr(__future__, _feature).compiler_flag
    if _bit and _bit not in _FLAG_NAMES and not any(_bit & known for known in _FLAG_NAMES):
        _FLAG_NAMES[_bit] = "FUTURE_" + _feature.upper()


def _flags(value):
    names = []
    for bit in sorted(_FLAG_NAMES):
        if value & bit:
            names.append(_FLAG_NAMES[bit])
    rest = value & ~sum(_FLAG_NAMES)
    if rest:
        names.append(hex(rest))
    return names


def _is_code(value):
    return hasattr(value, "co_code")


def _code_label(code):
    # repr(code) contains a memory address; this stable form keeps results
    # cacheable and comparable between runs.
    return "<code object %s, line %d>" % (code.co_name, code.co_firstlineno)


def _stable_repr(value):
    # A frozenset's repr follows string hashes, which differ per process and
    # with the order its items went in: sorted, the same set always reads
    # the same (the compiler makes `x in {"a", "b"}` such a constant).
    if type(value) is frozenset:
        return "frozenset({%s})" % ", ".join(sorted(_const_repr(item) for item in value)) if value else "frozenset()"
    return repr(value)


def _const_repr(value):
    if _is_code(value):
        return _code_label(value)
    try:
        text = _stable_repr(value)
    except Exception as exc:  # a repr can fail on exotic constants
        text = "<unrepresentable %s: %s>" % (type(value).__name__, exc)
    if len(text) > 500:
        text = text[:497] + "..."
    return text


def _argrepr(ins):
    if _is_code(ins.argval):
        return _code_label(ins.argval)
    if type(ins.argval) is frozenset:
        return _const_repr(ins.argval)
    return ins.argrepr


def _jump_target(ins):
    target = getattr(ins, "jump_target", None)  # 3.13+
    if target is not None:
        return target
    if ins.opcode in dis.hasjrel or ins.opcode in dis.hasjabs:
        return ins.argval if isinstance(ins.argval, int) else None
    return None


_CACHE = dis.opmap.get("CACHE")  # 3.11+: inline cache entries, which dis does not list


def _instruction_count(code):
    # What dis.get_instructions yields, counted without building them (in C).
    co = code.co_code
    if _CACHE is None:
        return len(co) // 2
    return len(co) // 2 - co[::2].count(_CACHE)


def _line_ends(code):
    # {line: the offset after its last instruction}: which lines a code object
    # has instructions on, and where dis can stop reading for one of them.
    # 3.11+ give each instruction its own line (co_lines); before, a line runs
    # until the next line starts (as _Reader reads them).
    ends = {}
    if sys.version_info >= (3, 11):
        for (_, end, line) in code.co_lines():
            if line is not None and end > ends.get(line, -1):
                ends[line] = end
        return ends
    starts = list(dis.findlinestarts(code))
    for k, (_, line) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(code.co_code)
        if end > ends.get(line, -1):
            ends[line] = end
    return ends


class _Reader(object):
    """dis over one code object, read only as far as hovers have needed.

    The first hover in a code object reads up to its line; a later one on a
    line further down reads on from there; lines already read cost a filter
    (a lookup, once the whole code object is read).
    Over any number of hovers, one code object is read by dis at most once.
    """

    def __init__(self, code):
        self._it = dis.get_instructions(code)
        self._current_line = None  # 3.8 - 3.10: a line applies until the next one starts
        self._last_offset = -2
        self._done = False
        self.items = []

    @property
    def done(self):
        return self._done

    def read_to(self, stop=None):
        # Read every instruction at an offset below `stop` (all, without one).
        # Instructions are at least 2 bytes apart, so after offset o the next is at o + 2 or later.
        while not self._done and (stop is None or self._last_offset + 2 < stop):
            ins = next(self._it, None)
            if ins is None:
                self._done = True
                self._it = None
                break
            self.items.append(self._item(ins))
            self._last_offset = ins.offset
        return self.items

    def _item(self, ins):
        positions = getattr(ins, "positions", None)
        if hasattr(ins, "line_number"):  # 3.13+
            line = ins.line_number
            starts = bool(ins.starts_line)
        elif positions is not None:  # 3.11, 3.12
            line = positions.lineno
            starts = ins.starts_line is not None
        else:
            if ins.starts_line is not None:
                self._current_line = ins.starts_line
            line = self._current_line
            starts = ins.starts_line is not None
        item = {
            "offset": ins.offset,
            "opname": ins.opname,
            "opcode": ins.opcode,
            "arg": ins.arg,
            "argrepr": _argrepr(ins),
            "line": line,
            "startsLine": starts,
            "isJumpTarget": bool(ins.is_jump_target),
            "jumpTarget": _jump_target(ins),
        }
        if positions is not None:
            # A tuple (JSON writes it as a list): once the collector sees it holds
            # only numbers it stops tracking it, and then the item dict too, so a
            # large memo does not make each full collection slower.
            item["positions"] = (
                positions.lineno,
                positions.end_lineno,
                positions.col_offset,
                positions.end_col_offset,
            )
        return item


def _exception_table(code):
    parse = getattr(dis, "_parse_exception_table", None)  # 3.11+
    if parse is None:
        return None
    return [
        {
            "start": entry.start,
            "end": entry.end,
            "target": entry.target,
            "depth": entry.depth,
            "lasti": bool(entry.lasti),
        }
        for entry in parse(code)
    ]


def _qualname(code, parent_qualname, parent_is_function):
    qualname = getattr(code, "co_qualname", None)  # 3.11+
    if qualname is not None:
        return qualname
    if not parent_qualname:  # defined at module level
        return code.co_name
    if parent_is_function:
        return parent_qualname + ".<locals>." + code.co_name
    return parent_qualname + "." + code.co_name


def code_object(code, parent_qualname=None, parent_is_function=False, with_instructions=True, only_line=None, memo=None, with_children=True):
    # only_line: instructions only on that line, and only for code objects that
    # have some there (a hover needs no more); instructionCount is always given.
    # with_children=False: this code object alone (a module-level line).
    # memo: per compiled module, what was already worked out for each of its
    # code objects (keyed by id: the module holds them alive), so that a hover
    # on another line of the same code costs a filter, not another dis.
    if memo is None:
        memo = {}
    is_module = parent_qualname is None
    qualname = "<module>" if is_module else _qualname(code, parent_qualname, parent_is_function)
    # co_flags & CO_OPTIMIZED marks function-like code (def, lambda, comprehension).
    is_function = bool(code.co_flags & 0x1)
    children = [
        code_object(c, "" if is_module else qualname, is_function, with_instructions, only_line, memo)
        for c in code.co_consts
        if with_children and _is_code(c)
    ]
    key = id(code)
    fields = memo.get(("fields", key))
    if fields is None:
        fields = memo[("fields", key)] = {
            "name": code.co_name,
            "qualname": qualname,
            "filename": code.co_filename,
            "firstLine": code.co_firstlineno,
            "flags": _flags(code.co_flags),
            "argCount": code.co_argcount,
            "posOnlyArgCount": getattr(code, "co_posonlyargcount", 0),
            "kwOnlyArgCount": code.co_kwonlyargcount,
            "nlocals": code.co_nlocals,
            "stackSize": code.co_stacksize,
            "consts": [_const_repr(c) for c in code.co_consts],
            "names": list(code.co_names),
            "varnames": list(code.co_varnames),
            "cellvars": list(code.co_cellvars),
            "freevars": list(code.co_freevars),
            "exceptionTable": _exception_table(code),
            "instructionCount": _instruction_count(code),
        }
    result = dict(fields)
    result["children"] = children
    if only_line is not None or with_instructions:
        reader = memo.get(("reader", key))
        if reader is None:
            reader = memo[("reader", key)] = _Reader(code)
        if only_line is None:
            result["instructions"] = reader.read_to(None)
        else:
            ends = memo.get(("ends", key))
            if ends is None:
                ends = memo[("ends", key)] = _line_ends(code)
            if only_line not in ends:
                result["instructions"] = []
            else:
                by_line = memo.get(("lines", key))
                if by_line is None:
                    items = reader.read_to(ends[only_line])
                    if not reader.done:
                        result["instructions"] = [i for i in items if i["line"] == only_line]
                        return result
                    # Read through (precompiled, or hovered down to its last line):
                    # index it by line, so a hover costs a lookup, not a scan.
                    by_line = memo[("lines", key)] = {}
                    for item in items:
                        by_line.setdefault(item["line"], []).append(item)
                result["instructions"] = list(by_line.get(only_line, ()))
    return result
