"""Where each name occurs in its scope's own code, found in the AST (so in
its units: UTF-8 byte columns): the AST's scopes, walked as CPython's
symtable.c visits the tree, each with the names it uses and where. scopes.py
pairs them with ``symtable``'s. Nothing here runs user code.
"""

import ast
import re
import sys

from .asttree import _child_nodes

_V = sys.version_info[:2]


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
