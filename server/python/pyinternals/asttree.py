"""The AST stages: ``ast.parse`` (optimized on 3.13+) as flat preorder rows,
whole or per chunk, and ``ast.dump`` of one node (protocol/collector.ts:
AstResult). Columns are ``col_offset``'s, UTF-8 bytes, 0-based. Nothing here
runs user code.
"""

import ast
import base64
import sys
import warnings
from array import array
from operator import attrgetter

from .errors import RequestError, cpython_refusals
from .gcpause import without_gc as _without_gc

_V = sys.version_info[:2]


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
