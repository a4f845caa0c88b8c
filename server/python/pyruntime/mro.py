"""The runtime MRO: the module imported as itself (its ``__name__`` the
dotted name the workspace gives it, so ``if __name__ == "__main__"`` blocks
do not run), then for every class reachable from its globals (nested ones
too): ``__mro__``, the metaclass, ``__slots__``, and for every attribute
``dir(cls)`` lists, the class in the MRO whose ``__dict__`` holds it, its
kind by the data model's rules, and what it shadows further down.

Kinds, as ``obj.attr`` resolves: a data descriptor on the type (property,
slot member, anything whose type has ``__set__`` or ``__delete__``) beats
the instance ``__dict__``, which beats a non-data descriptor (functions,
classmethod, staticmethod, other ``__get__``-only objects) or a plain value.
"""

import sys
import types

from .view import View

_MAX_CLASSES = 500


_MRO_OF = type.__dict__["__mro__"].__get__


def _type_has(tp, name):
    """A class of the type's MRO defines `name` itself: what the descriptor protocol looks at (not the metaclass's attributes, as hasattr would)."""
    return any(name in vars(k) for k in _MRO_OF(tp))


def _kind(name, raw):
    if isinstance(raw, staticmethod):
        return "staticmethod"
    if isinstance(raw, (classmethod, types.ClassMethodDescriptorType)):
        return "classmethod"
    if isinstance(raw, property):
        return "property"
    if isinstance(raw, types.MemberDescriptorType):
        return "slot"
    if isinstance(raw, type):
        return "class"
    if isinstance(raw, types.BuiltinFunctionType):
        # A builtin function in a class __dict__ is not bound (it has no __get__); type's __new__ is one, static.
        return "staticmethod" if name == "__new__" else "value"
    if isinstance(raw, (types.FunctionType, types.WrapperDescriptorType, types.MethodDescriptorType)):
        return "method"
    tp = type(raw)
    if _type_has(tp, "__set__") or _type_has(tp, "__delete__"):
        return "data descriptor"
    if _type_has(tp, "__get__"):
        return "non-data descriptor"
    return "value"


def _where(cls):
    entry = {"name": cls.__name__, "qualname": getattr(cls, "__qualname__", cls.__name__), "module": getattr(cls, "__module__", "") or ""}
    module = sys.modules.get(entry["module"])
    file = getattr(module, "__file__", None) if module is not None and entry["module"] != "builtins" else None
    if file:
        entry["file"] = file
    line = cls.__dict__.get("__firstlineno__")  # 3.13+
    if isinstance(line, int):
        entry["line"] = line
    return entry


def _slots(cls):
    slots = cls.__dict__.get("__slots__")
    if slots is None:
        return None
    if isinstance(slots, str):
        return [slots]
    try:
        return [str(s) for s in slots]
    except TypeError:
        return None


def describe(cls):
    mro = list(cls.__mro__)
    attributes = []
    try:
        names = dir(cls)
    except Exception:
        names = sorted({n for c in mro for n in vars(c)})
    for name in names:
        holders = [i for i, c in enumerate(mro) if name in vars(c)]
        if not holders:
            continue  # from the metaclass's __dir__, not the MRO
        raw = vars(mro[holders[0]])[name]
        attributes.append({"name": name, "definedIn": holders[0], "kind": _kind(name, raw), "type": type(raw).__name__, "shadows": holders[1:]})
    meta = type(cls)
    return {
        "qualname": cls.__qualname__,
        "mro": [_where(c) for c in mro],
        "metaclass": "%s.%s" % (meta.__module__, meta.__qualname__),
        "slots": _slots(cls),
        "attributes": attributes,
    }


def collect(module):
    name = module.__name__
    found = []
    seen = set()

    def visit(namespace):
        for value in list(namespace.values()):
            if len(found) >= _MAX_CLASSES:
                return
            if isinstance(value, type) and getattr(value, "__module__", None) == name and id(value) not in seen:
                seen.add(id(value))
                found.append(value)
                visit(dict(vars(value)))

    visit(dict(vars(module)))
    classes = []
    for cls in found:
        try:
            classes.append(describe(cls))
        except Exception as exc:  # a metaclass of theirs that breaks vars() or __mro__
            classes.append({"qualname": getattr(cls, "__qualname__", "?"), "mro": [], "metaclass": "", "slots": None, "attributes": [], "error": "%s: %s" % (type(exc).__name__, exc)})
    return {"module": name, "classes": classes}


class MroView(View):
    def __init__(self, options):
        super().__init__(options)
        self.report = None

    def at_end(self, main_module):
        self.report = collect(main_module)

    def finish(self, channel):
        channel.send("mro", self.report or {"module": self.options.get("moduleName") or "__main__", "classes": []})
