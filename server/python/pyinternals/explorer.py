"""The bytecode explorer's methods (protocol/bytecode.ts): ``codeTree``, the
file's code objects as a tree without their instructions, and
``codeDetail``, one of them in full (instructions with operand kinds, inline
caches, stack effects and depths; basic blocks; the line table).

Both compile the whole source through the shared cache (compiling._compile,
the one hovers, the precompile and the check use), so the file a check just
compiled costs a lookup here. Nothing is run.
"""

import dis
import sys

from . import flow
from .codeobjects import _Reader, _instruction_count, _is_code, _qualname, code_object
from .compiling import _compile
from .errors import RequestError

_VERSION = sys.version_info[:2]

_CO_OPTIMIZED = 0x1
_CO_GENERATOR = 0x20
_CO_COROUTINE = 0x80
_CO_ASYNC_GENERATOR = 0x200

_COMPREHENSIONS = frozenset(("<listcomp>", "<setcomp>", "<dictcomp>"))

# ------------------------------------------------------------ code kinds

# 3.12+ (PEP 695): the scopes the compiler makes for type parameters, type
# aliases and TypeVar bounds, constraints and defaults (3.13) are function
# code objects. The type parameters' scope has a name of its own; the others
# are named after the alias or the TypeVar (``type A = int`` makes a code
# object ``A``), exactly like a function of that name. What tells them apart
# is how their parent uses them: the code object is made into a function and
# handed straight to one of these intrinsics.
_INTRINSIC_USERS = []
if _VERSION >= (3, 12):
    _ONE = getattr(dis, "_intrinsic_1_descs", None) or []
    _TWO = getattr(dis, "_intrinsic_2_descs", None) or []
    for _op, _descs, _names in (
        ("CALL_INTRINSIC_1", _ONE, ("INTRINSIC_TYPEALIAS",)),
        (
            "CALL_INTRINSIC_2",
            _TWO,
            ("INTRINSIC_TYPEVAR_WITH_BOUND", "INTRINSIC_TYPEVAR_WITH_CONSTRAINTS", "INTRINSIC_SET_TYPEPARAM_DEFAULT"),
        ),
    ):
        for _name in _names:
            if _name in _descs and _op in dis.opmap:
                _INTRINSIC_USERS.append((dis.opmap[_op], _descs.index(_name)))
_INTRINSIC_PATTERNS = [bytes(pair) for pair in _INTRINSIC_USERS]
_INTRINSIC_USERS = frozenset(_INTRINSIC_USERS)
# Between the LOAD_CONST of the code object and the intrinsic: making the
# function (3.13: its attributes one by one) and, for an alias, the tuple of
# (name, type parameters, function). CACHE units are skipped as well.
_BETWEEN = frozenset(dis.opmap[n] for n in ("MAKE_FUNCTION", "SET_FUNCTION_ATTRIBUTE", "BUILD_TUPLE", "CACHE") if n in dis.opmap)
_LOAD_CONST = dis.opmap["LOAD_CONST"]
_EXTENDED_ARG = dis.opmap["EXTENDED_ARG"]


def _annotation_scopes(code):
    """Indices into code.co_consts of the code objects its bytecode turns into
    a type alias's value, or a TypeVar's bound, constraints or default."""
    co = code.co_code
    # A scan of the bytecode only where one of those intrinsics may be
    # (a byte search in C first: most code has none).
    if not any(pattern in co for pattern in _INTRINSIC_PATTERNS):
        return ()
    found = set()
    candidate = None
    ext = 0
    for k in range(0, len(co) - 1, 2):
        op, arg = co[k], co[k + 1] | ext
        if op == _EXTENDED_ARG:
            ext = arg << 8
            continue
        ext = 0
        if op == _LOAD_CONST:
            candidate = arg if arg < len(code.co_consts) and _is_code(code.co_consts[arg]) else None
        elif (op, arg) in _INTRINSIC_USERS:
            if candidate is not None:
                found.add(candidate)
            candidate = None
        elif op not in _BETWEEN:
            candidate = None
    return found


def _kind(code, is_module, annotation_scope):
    if is_module:
        return "module"
    name = code.co_name
    if name == "<lambda>":
        return "lambda"
    if name in _COMPREHENSIONS:
        return "comprehension"
    if name == "<genexpr>":
        return "generator expression"
    if annotation_scope or (_VERSION >= (3, 12) and name.startswith(("<generic parameters of ", "<annotate"))):
        return "annotation scope"
    flags = code.co_flags
    if not flags & _CO_OPTIMIZED:
        return "class"  # a class body: names live in a dict, not in fast locals
    if flags & _CO_COROUTINE:
        return "async function"
    if flags & _CO_ASYNC_GENERATOR:
        return "async generator"
    if flags & _CO_GENERATOR:
        return "generator"
    return "function"


# ------------------------------------------------------------ lines


if _VERSION >= (3, 11):

    def _lines(code):
        # dis gives each instruction its own line (positions.lineno; 3.13:
        # line_number), from the same location table co_lines() decodes. A
        # range starts at an instruction and covers it with its caches.
        return sorted({line for (start, end, line) in code.co_lines() if line is not None and end > start})

elif _VERSION >= (3, 10):

    def _lines(code):
        # A line runs until the next one starts (codeobjects._Reader), so the
        # lines are those that start at an instruction: dis reads the starts
        # as a dict, where a later start at the same offset wins.
        size = len(code.co_code)
        return sorted({line for offset, line in dict(dis.findlinestarts(code)).items() if offset < size})

else:

    def _lines(code):
        size = len(code.co_code)
        return sorted({line for offset, line in dis.findlinestarts(code) if offset < size})


def _line_table(code):
    if _VERSION >= (3, 10):
        return [[start, end, line] for (start, end, line) in code.co_lines()]
    size = len(code.co_code)
    starts = [(offset, line) for offset, line in dis.findlinestarts(code) if offset < size]
    return [[offset, starts[k + 1][0] if k + 1 < len(starts) else size, line] for k, (offset, line) in enumerate(starts)]


# ------------------------------------------------------------ codeTree


def _node(code, parent_qualname, parent_is_function, annotation_scope):
    is_module = parent_qualname is None
    qualname = "<module>" if is_module else _qualname(code, parent_qualname, parent_is_function)
    is_function = bool(code.co_flags & _CO_OPTIMIZED)
    scopes = _annotation_scopes(code) if _INTRINSIC_PATTERNS else ()
    children = [
        _node(c, "" if is_module else qualname, is_function, k in scopes)
        for k, c in enumerate(code.co_consts)
        if _is_code(c)
    ]
    return {
        "name": code.co_name,
        "qualname": qualname,
        "kind": _kind(code, is_module, annotation_scope),
        "firstLine": code.co_firstlineno,
        "lines": _lines(code),
        "instructionCount": _instruction_count(code),
        "stackSize": code.co_stacksize,
        "children": children,
    }


def handle_code_tree(params):
    code, _ = _compile(params)
    return {"module": _node(code, None, False, False)}


# ------------------------------------------------------------ codeDetail


def _table(name):
    return frozenset(getattr(dis, name, ()))


# In dis's order of precedence; an opcode is in one table at most.
_OPERAND_TABLES = [
    ("const", _table("hasconst")),
    ("name", _table("hasname")),  # 3.12+: LOAD_GLOBAL, LOAD_ATTR, LOAD_SUPER_ATTR too
    ("local", _table("haslocal")),  # 3.13+: LOAD_FAST_LOAD_FAST and the other pairs too
    ("free", _table("hasfree")),
    ("jump", _table("hasjrel") | _table("hasjabs") | _table("hasjump")),
    ("compare", _table("hascompare")),
]
_OPERAND_KINDS = {}


def _arg_kind(ins):
    kind = _OPERAND_KINDS.get(ins.opcode)
    if kind is None:
        for name, table in _OPERAND_TABLES:
            if ins.opcode in table:
                kind = name
                break
        else:
            # dis gives arg None to opcodes without an argument (below
            # HAVE_ARGUMENT before 3.13; 3.13 renumbered them, and the arg is
            # what tells).
            kind = "number" if ins.arg is not None else "none"
        _OPERAND_KINDS[ins.opcode] = kind
    return kind


def _cache_format():
    import opcode

    return {name: [[entry, size] for entry, size in fields.items()] for name, fields in getattr(opcode, "_cache_format", {}).items()}


_CACHES = _cache_format()  # 3.11+: opname -> [[name, size in code units]]; {} before


def _resolve(code, path):
    # The code object at `path` with what code_object needs for its qualname.
    if not isinstance(path, list) or not all(type(k) is int for k in path):
        raise RequestError("protocol", "path must be a list of integers, not %r" % (path,))
    parent_qualname, parent_is_function = None, False
    walked = []
    for k in path:
        children = [c for c in code.co_consts if _is_code(c)]
        if not 0 <= k < len(children):
            where = "the module" if not walked else "the code object at %r (%s)" % (walked, code.co_qualname if hasattr(code, "co_qualname") else code.co_name)
            raise RequestError(
                "protocol",
                "no code object at path %r: %s has %d nested code object%s"
                % (path, where, len(children), "" if len(children) == 1 else "s"),
            )
        is_module = parent_qualname is None
        qualname = "<module>" if is_module else _qualname(code, parent_qualname, parent_is_function)
        parent_qualname = "" if is_module else qualname
        parent_is_function = bool(code.co_flags & _CO_OPTIMIZED)
        code = children[k]
        walked.append(k)
    return code, parent_qualname, parent_is_function


def handle_code_detail(params):
    module, memo = _compile(params)
    code, parent_qualname, parent_is_function = _resolve(module, params.get("path", []))
    fields = code_object(code, parent_qualname, parent_is_function, with_instructions=False, memo=memo, with_children=False)
    fields.pop("children", None)

    raw = list(dis.get_instructions(code))
    effects = [flow.effect_of(ins) for ins in raw]
    graph = flow.Flow(code, raw, effects)
    # The hover's own reader builds the base fields, so that they are the
    # same as a hover's for the same instruction (its generator over dis is
    # never started: only _item is used, in order, for the line it carries).
    reader = _Reader(code)
    instructions = []
    for ins, effect, depth in zip(raw, effects, graph.depths):
        item = reader._item(ins)
        item["argKind"] = _arg_kind(ins)
        item["caches"] = _CACHES.get(ins.opname, [])
        item["depth"] = depth
        item["effect"] = effect
        instructions.append(item)
    return {
        "code": fields,
        "instructions": instructions,
        "blocks": graph.blocks(),
        "maxDepth": graph.max_depth,
        "lineTable": _line_table(code),
    }
