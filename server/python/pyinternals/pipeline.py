"""The compiler pipeline's raw stages: tokens, AST, symbol table.

Shapes are protocol/collector.ts's "compiler pipeline" section. Nothing here
runs user code: only ``tokenize``, ``ast.parse`` and ``symtable.symtable``.

Units, as measured on CPython 3.8 to 3.13 (test/integration/pipelineCollector.test.ts):

* tokenize: lines 1-based, columns 0-based in code points on every version
  (the pure-Python tokenizer of 3.8-3.11 and the C tokenizer behind it from
  3.12 alike). ``_token_columns`` probes it once rather than assuming.
* AST (and symtable occurrences, which are AST positions): ``col_offset`` in
  UTF-8 bytes, 0-based.
"""

import ast
import base64
import gc
import io
import re
import sys
import tokenize
import warnings
from array import array
from operator import attrgetter

from .errors import RequestError, cpython_refusals

_V = sys.version_info[:2]


def _without_gc(handler):
    """Run a handler with the cyclic GC paused. A stage allocates one object
    per token or node (tens of thousands on a large file) and none of them
    form cycles; letting the collector run as they pile up re-scans the
    growing heap again and again, which is up to half the time of a request."""

    def run(params):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return handler(params)
        finally:
            if enabled:
                gc.enable()

    run.__name__ = handler.__name__
    run.__doc__ = handler.__doc__
    return run


# ---------------------------------------------------------------- tokens

_columns_unit = None


def _token_columns():
    """'codepoint' or 'utf8': what tokenize's columns count on this interpreter."""
    global _columns_unit
    if _columns_unit is None:
        unit = "codepoint"
        try:
            for tok in tokenize.generate_tokens(io.StringIO("\u00e9 = 1\n").readline):
                if tok.string == "=":
                    unit = "utf8" if tok.start[1] == 3 else "codepoint"
                    break
        except Exception:  # pragma: no cover - a probe only
            pass
        _columns_unit = unit
    return _columns_unit


def _exact_names():
    names = tokenize.tok_name
    exact = getattr(tokenize, "EXACT_TOKEN_TYPES", None)
    if exact is None:  # pragma: no cover - every 3.8+ has it
        import token

        exact = token.EXACT_TOKEN_TYPES
    return dict((string, names[kind]) for string, kind in exact.items())


_EXACT = None
# 3.12+ token types whose multi-line end column may need repair (see handle_tokens).
_MULTILINE_FIX = set()


@_without_gc
def handle_tokens(params):
    global _EXACT
    source = params["source"]
    if _EXACT is None:
        _EXACT = _exact_names()
        for name in ("STRING", "FSTRING_MIDDLE", "TSTRING_MIDDLE"):
            if hasattr(tokenize, name):
                _MULTILINE_FIX.add(getattr(tokenize, name))
    exact_names = _EXACT
    names = tokenize.tok_name
    op = tokenize.OP
    unit = _token_columns()
    # CPython 3.12.1 (3.13 is right) computes the end column of a token that
    # spans lines against its first line, so a string ending after non-ASCII
    # text gets a wrong end column (`"""é\n🐍ü"""` ends at 8, not 5). Where
    # the token's text is its source text, the end column is the length of its
    # last line: use that on 3.12+ (a no-op where CPython is right).
    fix = unit == "codepoint" and _V >= (3, 12)
    fixable = _MULTILINE_FIX
    out = []
    append = out.append
    error = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            for tok in tokenize.generate_tokens(io.StringIO(source).readline):
                kind, string, start, end = tok[0], tok[1], tok[2], tok[3]
                name = names[kind]
                if kind == op:
                    exact = exact_names.get(string, name)
                else:
                    exact = name
                end_col = end[1]
                if fix and end[0] != start[0] and kind in fixable:
                    last = string[string.rfind("\n") + 1 :]
                    if "{" not in last and "}" not in last:
                        end_col = len(last)
                append([name, exact, string, start[0], start[1], end[0], end_col])
        except tokenize.TokenError as exc:
            # (message, (line, column)): 3.8-3.11's pure-Python tokenize gives a
            # 0-based column, 3.12+ passes on the C tokenizer's SyntaxError
            # offset, already 1-based.
            message = exc.args[0] if exc.args else str(exc)
            line = column = None
            if len(exc.args) > 1 and isinstance(exc.args[1], tuple) and len(exc.args[1]) >= 2:
                line, column = exc.args[1][0], exc.args[1][1]
                if _V < (3, 12) and column is not None:
                    column += 1
            error = _token_error("TokenError", message, line, column)
        except SyntaxError as exc:  # IndentationError, TabError, ...
            column = exc.offset
            if _V < (3, 12) and column is not None and exc.filename == "<tokenize>":
                column += 1  # pure-Python tokenize's IndentationError: a 0-based column
            error = _token_error(type(exc).__name__, exc.msg, exc.lineno, column)
        except (ValueError, UnicodeError) as exc:  # NUL bytes, lone surrogates
            error = _token_error(type(exc).__name__, str(exc), None, None)
    result = {"columns": unit, "tokens": out}
    if error is not None:
        result["error"] = error
    return result


def _token_error(kind, message, line, column):
    # Column: 1-based, in code points (CPython 3.12+'s tokenizer reports
    # SyntaxError offsets in characters; 3.8-3.11 count characters too). A
    # column CPython leaves at 0 (3.12's "unexpected EOF") is reported as null.
    return {
        "kind": "syntax",
        "message": "%s: %s" % (kind, message),
        "line": line,
        "column": column if column else None,
    }


# ---------------------------------------------------------------- AST

_MISSING = object()
_REPR_MAX = 200


def _parse(params):
    source = params["source"]
    filename = params.get("filename") or "<unknown>"
    optimize = bool(params.get("optimize"))
    if optimize and _V < (3, 13):
        raise RequestError(
            "unsupported",
            "CPython %d.%d has no optimized AST: ast.parse(optimize=...) arrived in 3.13" % _V,
        )
    key = (filename, source, optimize)
    if _LAST_TREE[0] == key:
        return _LAST_TREE[1]
    with cpython_refusals("parse", "parsing"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if optimize:
            tree = ast.parse(source, filename, "exec", optimize=1)
        else:
            tree = ast.parse(source, filename, "exec")
    # The latest tree only: an astDump (or symtable) after an ast request for
    # the same text then skips the parse.
    _LAST_TREE[0] = key
    _LAST_TREE[1] = tree
    _LAST_TREE[2] = None
    return tree


_LAST_TREE = [None, None, None]  # key, tree, preorder node list (built on demand)


def _short_repr(value):
    try:
        if type(value) is frozenset:
            # 3.13's optimizer makes `x in {"a", "b"}` a frozenset constant; its
            # repr's order follows string hashes, which differ in every process.
            # Sorted, the same code reads the same in every run.
            text = "frozenset({%s})" % ", ".join(sorted(_short_repr(item) for item in value)) if value else "frozenset()"
        else:
            text = repr(value)
    except ValueError:  # an int too large for str() (3.11+'s int_max_str_digits)
        try:
            text = "<int of %d bits>" % value.bit_length()
        except Exception:
            text = "<%s>" % type(value).__name__
    if len(text) > _REPR_MAX:
        text = text[:_REPR_MAX] + "..."
    return text


# What a field value is, by its class: a node with children or positions, a
# leaf node (expr_context, operators: no fields, no positions), a list, or
# anything else (a scalar).
_NODE, _LEAF, _LIST, _SCALAR = 1, 2, 3, 0


class _Classes(object):
    """Per node class, built once on first sight: its type index, its field
    indexes, a getter for its field values, whether it has positions."""

    def __init__(self):
        self.types = []
        self.fields = []
        self._field_index = {}
        self.info = {}
        self.kinds = {list: _LIST, str: _SCALAR, type(None): _SCALAR, int: _SCALAR}
        self.leaf_type = {}

    def field(self, name):
        index = self._field_index.get(name)
        if index is None:
            index = self._field_index[name] = len(self.fields)
            self.fields.append(name)
        return index

    def describe(self, cls):
        names = tuple(getattr(cls, "_fields", ()) or ())
        indexes = tuple(self.field(name) for name in names)
        has_pos = "lineno" in (getattr(cls, "_attributes", ()) or ())
        if len(names) > 1:
            getter = attrgetter(*names)
        elif names:
            # A 2-tuple whose second item zip() leaves alone.
            getter = attrgetter(names[0], names[0])
        else:
            getter = None
        info = (len(self.types), indexes, has_pos, getter, names)
        self.types.append(cls.__name__)
        self.info[cls] = info
        return info

    def kind(self, cls):
        kind = self.kinds.get(cls)
        if kind is None:
            if isinstance(cls, type) and issubclass(cls, ast.AST):
                info = self.info.get(cls) or self.describe(cls)
                if info[3] is None and not info[2]:
                    kind = _LEAF
                    self.leaf_type[cls] = info[0]
                else:
                    kind = _NODE
            else:
                kind = _SCALAR
            self.kinds[cls] = kind
        return kind


_POS = attrgetter("lineno", "col_offset", "end_lineno", "end_col_offset")


def _positions(node):
    # The slow path: 3.8 nodes may lack end positions, or hold None.
    return tuple(
        -1 if v is None else v
        for v in (
            getattr(node, "lineno", -1),
            getattr(node, "col_offset", -1),
            getattr(node, "end_lineno", -1),
            getattr(node, "end_col_offset", -1),
        )
    )


def _ast_rows(tree):
    """Every node in preorder; (types, fields, nodes, scalars) as AstResult
    has them: ``nodes`` flat, 8 numbers per node, ``scalars`` flat triples
    (node, field, repr). ``nodes`` is an int32 array: sent as base64
    (_int32_base64), a 16k-line file's 70k nodes cost a few milliseconds to
    encode here and to decode in the server and the page, where JSON numbers
    cost a hundred.

    Hot loop (a 16k-line file has ~60k nodes): per-class caches, one
    attrgetter call per node for its fields and one for its positions, and
    leaf nodes (Load, Store, Add, ...; a third of all nodes) written out
    directly instead of going through the stack when nothing precedes them.
    """
    classes = _Classes()
    info_of = classes.info.get
    describe = classes.describe
    kinds = classes.kinds
    kind_of = classes.kind
    leaf_type = classes.leaf_type
    short_repr = _short_repr
    pos = _POS
    # A list while walking (extending an array is slower), an array at the end.
    rows = []
    put = rows.extend
    scalars = []
    put_scalar = scalars.extend
    count = 0
    stack = [(tree, -1, -1, -1)]
    pop = stack.pop
    extend = stack.extend
    push = stack.append
    NODE, LEAF, LIST = _NODE, _LEAF, _LIST
    missing = _MISSING
    tp = type
    while stack:
        node, parent, field, index = pop()
        cls = tp(node)
        info = info_of(cls)
        if info is None:
            info = describe(cls)
        type_index, indexes, has_pos, getter, names = info
        me = count
        count += 1
        if has_pos:
            try:
                p = pos(node)
                if None in p:
                    p = _positions(node)
            except AttributeError:
                p = _positions(node)
            put((type_index, parent, field, index))
            put(p)
        else:
            put((type_index, parent, field, index, -1, -1, -1, -1))
        if getter is None:
            continue
        try:
            values = getter(node)
        except AttributeError:  # a field never set (not in parsed trees): skipped, as ast.walk does
            values = tuple(getattr(node, name, missing) for name in names)
        kids = None
        for fi, value in zip(indexes, values):
            vcls = tp(value)
            kind = kinds.get(vcls)
            if kind is None:
                kind = kind_of(vcls)
            if kind == NODE:
                if kids is None:
                    kids = [(value, me, fi, -1)]
                else:
                    kids.append((value, me, fi, -1))
            elif kind == LEAF:
                if kids is None:
                    # Nothing queued before it: its row comes right after.
                    put((leaf_type[vcls], me, fi, -1, -1, -1, -1, -1))
                    count += 1
                else:
                    kids.append((value, me, fi, -1))
            elif kind == LIST:
                found = False
                i = 0
                for item in value:
                    ikind = kinds.get(tp(item))
                    if ikind is None:
                        ikind = kind_of(tp(item))
                    if ikind == NODE or ikind == LEAF:
                        found = True
                        if kids is None:
                            kids = [(item, me, fi, i)]
                        else:
                            kids.append((item, me, fi, i))
                    i += 1
                if not found:
                    put_scalar((me, fi, short_repr(value)))
            elif value is not missing:
                if vcls is str and len(value) < 100:  # an identifier, mostly
                    text = repr(value)
                else:
                    text = short_repr(value)
                put_scalar((me, fi, text))
        if kids is not None:
            if len(kids) == 1:
                push(kids[0])
            else:
                kids.reverse()
                extend(kids)
    return classes.types, classes.fields, array("i", rows), scalars


def _child_nodes(node, cache, leaves=True):
    """The node's children in _fields order (list items in order), as
    ast.iter_child_nodes gives them; without leaf nodes (Load, Add, ...) if
    not ``leaves``. ``cache``: {} kept across calls."""
    cls = type(node)
    getter = cache.get(cls)
    if getter is None:
        names = tuple(getattr(cls, "_fields", ()) or ())
        if len(names) > 1:
            getter = attrgetter(*names)
        elif names:
            getter = _one_field(names[0])
        else:
            getter = _no_fields
        cache[cls] = getter
    out = []
    kinds = cache.get(None)  # the value classes seen, under the key None
    if kinds is None:
        kinds = cache[None] = {list: _LIST, str: _SCALAR, type(None): _SCALAR, int: _SCALAR}
    try:
        values = getter(node)
    except AttributeError:
        values = tuple(getattr(node, name, None) for name in getattr(cls, "_fields", ()))
    for value in values:
        vcls = type(value)
        kind = kinds.get(vcls)
        if kind is None:
            kind = kinds[vcls] = _kind_of_class(vcls)
        if kind == _NODE or (kind == _LEAF and leaves):
            out.append(value)
        elif kind == _LIST:
            for item in value:
                if isinstance(item, ast.AST):
                    out.append(item)
    return out


def _kind_of_class(cls):
    if not issubclass(cls, ast.AST):
        return _SCALAR
    if not getattr(cls, "_fields", ()) and "lineno" not in (getattr(cls, "_attributes", ()) or ()):
        return _LEAF
    return _NODE


def _one_field(name):
    get = attrgetter(name)
    return lambda node: (get(node),)


def _no_fields(node):
    return ()


def _preorder(tree):
    """Nodes in the order of _ast_rows."""
    cache = {}
    out = []
    stack = [tree]
    while stack:
        node = stack.pop()
        out.append(node)
        kids = _child_nodes(node, cache)
        kids.reverse()
        stack.extend(kids)
    return out


@_without_gc
def handle_ast(params):
    tree = _parse(params)
    types, fields, nodes, scalars = _ast_rows(tree)
    return {"types": types, "fields": fields, "nodes": _int32_base64(nodes), "scalars": scalars}


@_without_gc
def handle_ast_chunks(params):
    """The AST of each source alone: runs of whole top-level statements, as
    the server chunks a document, so that after an edit only the chunk that
    changed is parsed again. Stops at the first source that does not parse:
    the server then asks for the whole file, whose error is the one to show."""
    filename = params.get("filename") or "<unknown>"
    optimize = bool(params.get("optimize"))
    results = []
    for source in params["sources"]:
        try:
            tree = _parse({"source": source, "filename": filename, "optimize": optimize})
        except RequestError as exc:
            results.append({"error": exc.payload})
            break
        types, fields, nodes, scalars = _ast_rows(tree)
        results.append({"types": types, "fields": fields, "nodes": _int32_base64(nodes), "scalars": scalars})
    return {"results": results}


def _int32_base64(values):
    """An array('i') as base64 of little-endian int32s (protocol/collector.ts: AstResult)."""
    if sys.byteorder == "big":
        values = array("i", values)
        values.byteswap()
    return base64.b64encode(values.tobytes()).decode("ascii")


@_without_gc
def handle_ast_dump(params):
    tree = _parse(params)
    index = params.get("node")
    if not isinstance(index, int) or isinstance(index, bool):
        raise RequestError("protocol", "astDump needs a node index, got %r" % (index,))
    nodes = _LAST_TREE[2] if _LAST_TREE[1] is tree else None
    if nodes is None:
        nodes = _preorder(tree)
        if _LAST_TREE[1] is tree:
            _LAST_TREE[2] = nodes
    if not 0 <= index < len(nodes):
        raise RequestError("protocol", "node %d is out of range: the AST has %d nodes" % (index, len(nodes)))
    node = nodes[index]
    try:
        if _V >= (3, 9):
            text = ast.dump(node, indent=2)
        else:
            text = ast.dump(node)  # 3.8's ast.dump has no indent
    except RecursionError:  # ast.dump recurses in Python; the walk above does not
        raise RequestError("limit", "RecursionError: node %d is nested too deeply for ast.dump" % index)
    return {"text": text}


# ---------------------------------------------------------------- symtable

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_WORD_EDGE_BEFORE = rb"(?<![A-Za-z0-9_\x80-\xff])"
_WORD_EDGE_AFTER = rb"(?![A-Za-z0-9_\x80-\xff])"
_DEF_KEYWORD = re.compile(rb"(?:async[ \t\f]+)?def[ \t\f]+")
_CLASS_KEYWORD = re.compile(rb"class[ \t\f]+")


class _Text(object):
    """The source by line, as UTF-8 bytes (AST columns), to find names in it."""

    def __init__(self, source):
        self.lines = _LINE_BREAK.split(source)
        self.encoded = {}
        self.patterns = {}

    def line(self, lineno):
        data = self.encoded.get(lineno)
        if data is None:
            if 0 < lineno <= len(self.lines):
                data = self.lines[lineno - 1].encode("utf-8", "surrogatepass")
            else:
                data = b""
            self.encoded[lineno] = data
        return data

    def find(self, name, start, end, last=False):
        """The range of identifier ``name`` as a whole word between positions
        start=(line, col) and end=(line, col), UTF-8 columns; None if absent."""
        if start is None or end is None or start[0] < 1:
            return None
        word = name.encode("utf-8", "surrogatepass")
        pattern = self.patterns.get(word)
        if pattern is None:
            pattern = self.patterns[word] = re.compile(_WORD_EDGE_BEFORE + re.escape(word) + _WORD_EDGE_AFTER)
        lines = range(start[0], max(end[0], start[0]) + 1)
        if last:
            lines = reversed(lines)
        for lineno in lines:
            data = self.line(lineno)
            lo = start[1] if lineno == start[0] else 0
            hi = end[1] if lineno == end[0] else len(data)
            if lo < 0 or hi < lo:
                continue
            if last:
                found = None
                for found in pattern.finditer(data, lo, hi):
                    pass
            else:
                found = pattern.search(data, lo, hi)
            if found is not None:
                return [lineno, found.start(), lineno, found.end()]
        return None

    def after_keyword(self, node, keyword, name):
        """A def or class statement's name."""
        lineno = getattr(node, "lineno", None)
        if lineno is not None:
            data = self.line(lineno)
            found = keyword.match(data, node.col_offset)
            if found is not None:
                word = name.encode("utf-8", "surrogatepass")
                if data.startswith(word, found.end()):
                    return [lineno, found.end(), lineno, found.end() + len(word)]
        return _range(node)


def _range(node):
    lineno = getattr(node, "lineno", None)
    if lineno is None:
        return None
    end_line = getattr(node, "end_lineno", None)
    end_col = getattr(node, "end_col_offset", None)
    return [
        lineno,
        node.col_offset,
        end_line if end_line is not None else -1,
        end_col if end_col is not None else -1,
    ]


def _start(node):
    return (node.lineno, node.col_offset)


def _end(node):
    end_line = getattr(node, "end_lineno", None)
    if end_line is None:
        return (node.lineno, 1 << 30)
    return (end_line, node.end_col_offset)


def _mangle(private, name):
    # As CPython's _Py_Mangle: __name inside class C is _C__name.
    if private is None or not name.startswith("__") or name.endswith("__") or "." in name:
        return name
    stripped = private.lstrip("_")
    if not stripped:
        return name
    return "_" + stripped + name


class _Scope(object):
    """A scope as the AST shows it, to be matched with symtable's."""

    __slots__ = ("kind", "name", "line", "node", "parent", "children", "occ", "private", "comp", "annotations")

    def __init__(self, kind, name, line, node, parent, private, comp=False):
        self.kind = kind
        self.name = name
        self.line = line
        self.node = node
        self.parent = parent
        self.children = []
        self.occ = {}
        self.private = private
        self.comp = comp
        self.annotations = None
        if parent is not None:
            parent.children.append(self)

    def add(self, name, where):
        if where is None:
            return
        name = _mangle(self.private, name)
        found = self.occ.get(name)
        if found is None:
            self.occ[name] = [where]
        else:
            found.append(where)


_COMPREHENSIONS = {
    "ListComp": "listcomp",
    "SetComp": "setcomp",
    "DictComp": "dictcomp",
    "GeneratorExp": "genexpr",
}


def _future_annotations(tree):
    for stmt in getattr(tree, "body", ()):
        if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__" and not stmt.level:
            if any(alias.name == "annotations" for alias in stmt.names):
                return True
    return False


class _ScopeWalker(object):
    """Assigns each name occurrence to the scope whose code it is in, the way
    CPython's symtable.c visits the tree: a def's decorators, defaults and
    (up to 3.13) annotations belong to the enclosing scope, its parameters and
    body to its own; a comprehension's first iterable to the enclosing scope;
    3.12+ type parameters to their own scope; and so on."""

    def __init__(self, text, tree):
        self.text = text
        future = _future_annotations(tree)
        # 3.10-3.13 skip annotations under `from __future__ import annotations`;
        # 3.14 (PEP 649) visits them in their own annotation scopes.
        self.annotations = _V < (3, 10) or _V >= (3, 14) or not future
        self.field_cache = {}
        self.handlers = {
            "Name": self.name,
            "arg": self.arg,
            "FunctionDef": self.function,
            "AsyncFunctionDef": self.function,
            "Lambda": self.lambda_,
            "ClassDef": self.class_,
            "ListComp": self.comprehension,
            "SetComp": self.comprehension,
            "DictComp": self.comprehension,
            "GeneratorExp": self.comprehension,
            "NamedExpr": self.named_expr,
            "Import": self.import_,
            "ImportFrom": self.import_,
            "Global": self.global_,
            "Nonlocal": self.global_,
            "ExceptHandler": self.except_handler,
            "AnnAssign": self.ann_assign,
            "TypeAlias": self.type_alias,
            "TypeVar": self.type_param,
            "ParamSpec": self.type_param,
            "TypeVarTuple": self.type_param,
            "MatchAs": self.match_name,
            "MatchStar": self.match_name,
            "MatchMapping": self.match_name,
        }
        self.by_class = {}

    def run(self, tree):
        module = _Scope("module", "top", 0, None, None, None)
        stack = [(tree, module)]
        pop = stack.pop
        by_class = self.by_class
        handlers = self.handlers
        field_cache = self.field_cache
        while stack:
            node, scope = pop()
            cls = node.__class__
            try:
                handler = by_class[cls]
            except KeyError:
                handler = by_class[cls] = handlers.get(cls.__name__)
            if handler is None:
                kids = _child_nodes(node, field_cache, False)
                if kids:
                    kids.reverse()
                    stack.extend([(kid, scope) for kid in kids])
                continue
            todo = []
            handler(node, scope, todo)
            if todo:
                todo.reverse()
                stack.extend(todo)
        return module

    # -- occurrences

    def name(self, node, scope, todo):
        scope.add(node.id, _range(node))

    def arg(self, node, scope, todo):
        # The name only (an arg's range takes in its annotation); the
        # annotation itself is visited by the function's handler.
        data = self.text.line(node.lineno)
        word = node.arg.encode("utf-8", "surrogatepass")
        if data.startswith(word, node.col_offset):
            scope.add(node.arg, [node.lineno, node.col_offset, node.lineno, node.col_offset + len(word)])
        else:
            scope.add(node.arg, _range(node))

    def _arguments(self, args):
        out = list(getattr(args, "posonlyargs", ()) or ())
        out.extend(args.args)
        if args.vararg is not None:
            out.append(args.vararg)
        out.extend(args.kwonlyargs)
        if args.kwarg is not None:
            out.append(args.kwarg)
        return out

    def function(self, node, scope, todo):
        scope.add(node.name, self.text.after_keyword(node, _DEF_KEYWORD, node.name))
        args = node.args
        todo.extend((d, scope) for d in args.defaults)
        todo.extend((d, scope) for d in args.kw_defaults if d is not None)
        todo.extend((d, scope) for d in node.decorator_list)
        outer = scope
        type_params = getattr(node, "type_params", None)
        if type_params:
            outer = _Scope("typeparams", node.name, node.lineno, node, scope, scope.private)
            todo.extend((tp, outer) for tp in type_params)
        params = self._arguments(args)
        if self.annotations:
            where = outer
            if _V >= (3, 14):
                where = _Scope("annotation", "__annotate__", node.lineno, node, outer, outer.private)
            todo.extend((a.annotation, where) for a in params if a.annotation is not None)
            if node.returns is not None:
                todo.append((node.returns, where))
        inner = _Scope("function", node.name, node.lineno, node, outer, scope.private)
        todo.extend((a, inner) for a in params)
        todo.extend((s, inner) for s in node.body)

    def lambda_(self, node, scope, todo):
        args = node.args
        todo.extend((d, scope) for d in args.defaults)
        todo.extend((d, scope) for d in args.kw_defaults if d is not None)
        inner = _Scope("function", "lambda", node.lineno, node, scope, scope.private)
        todo.extend((a, inner) for a in self._arguments(args))
        todo.append((node.body, inner))

    def class_(self, node, scope, todo):
        scope.add(node.name, self.text.after_keyword(node, _CLASS_KEYWORD, node.name))
        todo.extend((d, scope) for d in node.decorator_list)
        outer = scope
        type_params = getattr(node, "type_params", None)
        if type_params:
            outer = _Scope("typeparams", node.name, node.lineno, node, scope, node.name)
            todo.extend((tp, outer) for tp in type_params)
        todo.extend((b, outer) for b in node.bases)
        todo.extend((k.value, outer) for k in node.keywords)
        inner = _Scope("class", node.name, node.lineno, node, outer, node.name)
        todo.extend((s, inner) for s in node.body)

    def comprehension(self, node, scope, todo):
        generators = node.generators
        first = generators[0]
        todo.append((first.iter, scope))
        name = _COMPREHENSIONS[node.__class__.__name__]
        inner = _Scope("function", name, node.lineno, node, scope, scope.private, comp=True)
        todo.append((first.target, inner))
        todo.extend((x, inner) for x in first.ifs)
        for gen in generators[1:]:
            todo.append((gen.target, inner))
            todo.append((gen.iter, inner))
            todo.extend((x, inner) for x in gen.ifs)
        if name == "dictcomp":
            todo.append((node.key, inner))
            todo.append((node.value, inner))
        else:
            todo.append((node.elt, inner))

    def named_expr(self, node, scope, todo):
        # In a comprehension, the target binds in the nearest function or
        # module scope (symtable also records it in the comprehension).
        target = node.target
        if scope.comp and target.__class__.__name__ == "Name":
            outer = scope.parent
            while outer is not None and outer.comp:
                outer = outer.parent
            if outer is not None and outer.kind in ("function", "module"):
                outer.add(target.id, _range(target))
        todo.append((node.value, scope))
        todo.append((target, scope))

    def import_(self, node, scope, todo):
        text = self.text
        stmt_end = _end(node)
        cursor = _start(node)
        keyword = text.find("import", cursor, stmt_end)
        if keyword is not None:
            cursor = (keyword[2], keyword[3])
        for alias in node.names:
            if alias.name == "*":
                continue
            first = alias.name.split(".")[0]
            bound = alias.asname or first
            where = None
            if getattr(alias, "lineno", None) is not None:  # 3.10+
                if alias.asname:
                    where = text.find(alias.asname, _start(alias), _end(alias), last=True)
                else:
                    where = text.find(first, _start(alias), _end(alias))
                if where is None:
                    where = _range(alias)
            else:
                found = text.find(first, cursor, stmt_end)
                if found is not None:
                    cursor = (found[2], found[3])
                    where = found
                    if alias.asname:
                        where = text.find(alias.asname, cursor, stmt_end)
                        if where is not None:
                            cursor = (where[2], where[3])
                if where is None:
                    where = _range(node)
            scope.add(bound, where)

    def global_(self, node, scope, todo):
        text = self.text
        stmt_end = _end(node)
        cursor = _start(node)
        keyword = "global" if node.__class__.__name__ == "Global" else "nonlocal"
        found = text.find(keyword, cursor, stmt_end)
        if found is not None:
            cursor = (found[2], found[3])
        for name in node.names:
            where = text.find(name, cursor, stmt_end)
            if where is not None:
                cursor = (where[2], where[3])
            else:
                where = _range(node)
            scope.add(name, where)

    def except_handler(self, node, scope, todo):
        if node.type is not None:
            todo.append((node.type, scope))
        if node.name:
            start = _end(node.type) if node.type is not None else _start(node)
            body_start = _start(node.body[0]) if node.body else _end(node)
            where = self.text.find(node.name, start, body_start) or _range(node)
            scope.add(node.name, where)
        todo.extend((s, scope) for s in node.body)

    def ann_assign(self, node, scope, todo):
        todo.append((node.target, scope))
        if self.annotations:
            where = scope
            if _V >= (3, 14):
                # One annotation scope per scope, opened by its first annotation.
                if scope.annotations is None:
                    scope.annotations = _Scope(
                        "annotation", "__annotate__", node.annotation.lineno, node.annotation, scope, scope.private
                    )
                where = scope.annotations
            todo.append((node.annotation, where))
        if node.value is not None:
            todo.append((node.value, scope))

    def type_alias(self, node, scope, todo):
        todo.append((node.name, scope))
        name = getattr(node.name, "id", "")
        outer = scope
        if node.type_params:
            outer = _Scope("typeparams", name, node.lineno, node, scope, scope.private)
            todo.extend((tp, outer) for tp in node.type_params)
        inner = _Scope("alias", name, node.lineno, node, outer, scope.private)
        todo.append((node.value, inner))

    def type_param(self, node, scope, todo):
        where = self.text.find(node.name, _start(node), _end(node)) or _range(node)
        scope.add(node.name, where)
        for field in ("bound", "default_value"):
            value = getattr(node, field, None)
            if value is not None:
                inner = _Scope("typevar", node.name, value.lineno, node, scope, scope.private)
                todo.append((value, inner))

    def match_name(self, node, scope, todo):
        kind = node.__class__.__name__
        if kind == "MatchMapping":
            todo.extend((k, scope) for k in node.keys)
            todo.extend((p, scope) for p in node.patterns)
            name = node.rest
        elif kind == "MatchAs":
            if node.pattern is not None:
                todo.append((node.pattern, scope))
            name = node.name
        else:
            name = node.name
        if name:
            if kind == "MatchAs" and node.pattern is None:
                where = _range(node)
            else:
                where = self.text.find(name, _start(node), _end(node), last=True) or _range(node)
            scope.add(name, where)


def _scope_type(table):
    try:
        kind = table.get_type()
    except Exception:
        kind = None
    kind = getattr(kind, "value", kind)
    if isinstance(kind, str):
        return kind
    raw = getattr(getattr(table, "_table", None), "type", None)
    import _symtable

    for constant, text in (
        ("TYPE_MODULE", "module"),
        ("TYPE_FUNCTION", "function"),
        ("TYPE_CLASS", "class"),
        ("TYPE_ANNOTATION", "annotation"),
        ("TYPE_TYPE_VAR_BOUND", "TypeVar bound"),
        ("TYPE_TYPE_ALIAS", "type alias"),
        ("TYPE_TYPE_PARAM", "type parameter"),
        ("TYPE_TYPE_PARAMETERS", "type parameters"),
        ("TYPE_TYPE_VARIABLE", "type variable"),
    ):
        if raw is not None and getattr(_symtable, constant, object()) == raw:
            return text
    return "unknown (%r)" % (raw,)


def _category(type_text):
    # symtable's type, as the kind of AST scope it comes from.
    if type_text in ("module", "function", "class", "annotation"):
        return type_text
    if "type param" in type_text:
        return "typeparams"
    if type_text in ("TypeVar bound", "type variable"):
        return "typevar"
    if type_text == "type alias":
        return "alias"
    return type_text


def _symbol_flags(symbol, cell_scope, scope_off, scope_mask):
    flags = []
    if symbol.is_parameter():
        flags.append("parameter")
    if symbol.is_local():
        flags.append("local")
    declared = symbol.is_declared_global()
    if declared:
        flags.append("global-explicit")
    if symbol.is_global() and not declared:
        flags.append("global-implicit")
    if symbol.is_nonlocal():
        flags.append("nonlocal")
    if symbol.is_free():
        flags.append("free")
    is_cell = getattr(symbol, "is_cell", None)
    if is_cell is not None:
        cell = is_cell()
    else:
        scope = getattr(symbol, "_Symbol__scope", None)
        if scope is None:
            raw = getattr(symbol, "_Symbol__flags", None)
            if raw is not None and scope_off is not None:
                scope = (raw >> scope_off) & scope_mask
        cell = cell_scope is not None and scope == cell_scope
    if cell:
        flags.append("cell")
    if symbol.is_imported():
        flags.append("imported")
    if symbol.is_annotated():
        flags.append("annotated")
    if symbol.is_referenced():
        flags.append("referenced")
    if symbol.is_assigned():
        flags.append("assigned")
    if symbol.is_namespace():
        flags.append("namespace")
    return flags


class _Emitter(object):
    def __init__(self):
        import _symtable

        self.cell = getattr(_symtable, "CELL", None)
        self.scope_off = getattr(_symtable, "SCOPE_OFF", None)
        self.scope_mask = getattr(_symtable, "SCOPE_MASK", None)

    def scope(self, table, pseudo):
        tables = table.get_children()
        matched, occ = _match_children(pseudo, tables)
        symbols = []
        for symbol in table.get_symbols():
            name = symbol.get_name()
            found = occ.get(name) if occ else None
            if found:
                found = [list(r) for r in sorted(set(tuple(r) for r in found))]
            symbols.append(
                {
                    "name": name,
                    "flags": _symbol_flags(symbol, self.cell, self.scope_off, self.scope_mask),
                    "occurrences": found or [],
                }
            )
        return {
            "type": _scope_type(table),
            "name": table.get_name(),
            "line": table.get_lineno(),
            "range": _scope_range(pseudo.node if pseudo is not None else None),
            "symbols": symbols,
            "children": [self.scope(child, p) for child, p in zip(tables, matched)],
        }


def _scope_range(node):
    if node is None or getattr(node, "lineno", None) is None:
        return None
    return _range(node)


def _match_children(pseudo, tables):
    """Pair each child symbol table with the AST scope it comes from: same kind,
    name and line (in order among equals), else same kind and name. A
    comprehension symtable does not list (3.12+ inlines list, set and dict
    comprehensions) is merged into this scope. Returns (pseudo-or-None per
    table, this scope's occurrences)."""
    if pseudo is None:
        return [None] * len(tables), None
    occ = pseudo.occ
    if not pseudo.children:
        return [None] * len(tables), occ
    wanted = {}
    keys = []
    for table in tables:
        key = (_category(_scope_type(table)), table.get_name(), table.get_lineno())
        keys.append(key)
        wanted[key] = wanted.get(key, 0) + 1
    candidates = []
    merged = None
    queue = list(pseudo.children)
    queue.reverse()
    while queue:
        child = queue.pop()
        if child.comp:
            key = (child.kind, child.name, child.line)
            if wanted.get(key, 0) > 0:
                wanted[key] -= 1
                candidates.append(child)
                continue
            # Inlined: its names and nested scopes are this scope's.
            if merged is None:
                merged = dict((name, list(found)) for name, found in occ.items())
            for name, found in child.occ.items():
                merged.setdefault(name, []).extend(found)
            nested = list(child.children)
            nested.reverse()
            queue.extend(nested)
            continue
        candidates.append(child)
    used = [False] * len(candidates)
    result = []
    for key in keys:
        pick = None
        for i, child in enumerate(candidates):
            if not used[i] and (child.kind, child.name, child.line) == key:
                pick = i
                break
        if pick is None:
            for i, child in enumerate(candidates):
                if not used[i] and (child.kind, child.name) == key[:2]:
                    pick = i
                    break
        if pick is None:
            result.append(None)
        else:
            used[pick] = True
            result.append(candidates[pick])
    return result, merged if merged is not None else occ


@_without_gc
def handle_symtable(params):
    import symtable

    source = params["source"]
    filename = params.get("filename") or "<unknown>"
    with cpython_refusals("analyse", "analysing"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = symtable.symtable(source, filename, "exec")
    tree = _parse({"source": source, "filename": filename})
    module = _ScopeWalker(_Text(source), tree).run(tree)
    return {"module": _Emitter().scope(table, module)}
