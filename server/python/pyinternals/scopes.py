"""The symbol table stage: ``symtable``'s scopes with each name classified,
and where each name occurs in its scope's own code, found in the AST (so in
its units: UTF-8 byte columns; occurrences.py) (protocol/collector.ts:
SymtableResult). Nothing here runs user code.
"""

import warnings

from .asttree import _parse
from .errors import cpython_refusals
from .gcpause import without_gc as _without_gc
from .occurrences import _range, _ScopeWalker, _Text

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
