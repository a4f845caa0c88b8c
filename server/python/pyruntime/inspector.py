"""The object inspector: run the module to its end, or until the cursor's
line is first reached (before it runs: sys.monitoring's LINE event on 3.12+,
sys.settrace before), then one row per name of the module's globals (and the
stopped function's locals): type, id, references, sizes, and what is special
about the object.

References are ``sys.getrefcount`` less the ones this inspector holds while
it reads them (measured, not guessed: a list bound to three names shows 3).
Objects 3.12+ made immortal (PEP 683) say so instead of a count.
"""

import gc
import os
import sys

from .view import View

_IMMORTAL = sys.version_info >= (3, 12)
# An immortal object's refcount on 3.12+ is at least this (2**30 and more, whatever the build).
_IMMORTAL_REFS = 1 << 30
_SINGLETONS = {id(None): "None", id(True): "True", id(False): "False", id(Ellipsis): "Ellipsis", id(NotImplemented): "NotImplemented"}
_DEEP_CAP = 20000
_SKIP_DEEP = (type, type(sys), type(len), type(lambda: 0))
_HIDDEN = frozenset(("__builtins__", "__loader__", "__spec__", "__cached__", "__package__", "__annotations__"))


def _probe_frame():
    # A frame with one object bound to two locals, kept alive with them.
    first = second = object()  # noqa: F841
    return sys._getframe(0)


def _locals_overhead():
    """The references that reading a frame's locals the way _take does adds
    for each local name bound to an object (our dict copy; before 3.13 also
    the frame's own f_locals dict), measured on a frame whose object is bound
    to two names."""
    frame = _probe_frame()
    local = dict(frame.f_locals)
    obj = local["first"]
    count = sys.getrefcount(obj) - _baseline()
    del obj, local, frame
    return (count - 2) // 2


def _shown(name):
    """A module global worth a row: the script's names, and __name__, __doc__, __file__."""
    if name in _HIDDEN:
        return False
    return not (name.startswith("__") and name.endswith("__")) or name in ("__name__", "__doc__", "__file__")


class StopHere(BaseException):
    """Raised into the script at the chosen line: it ends the run there (not a failure)."""


def _short_repr(obj):
    try:
        text = repr(obj)
    except Exception as exc:
        text = "<repr failed: %s>" % type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def _deep_size(obj):
    """sys.getsizeof of the object and what it refers to (each once), up to a cap;
    modules, classes and functions are not walked (they are shared, not owned)."""
    seen = {id(obj)}
    todo = [obj]
    total = 0
    while todo:
        o = todo.pop()
        try:
            total += sys.getsizeof(o)
        except TypeError:
            pass
        if len(seen) >= _DEEP_CAP:
            return total, True
        for ref in gc.get_referents(o):
            if id(ref) in seen or isinstance(ref, _SKIP_DEEP):
                continue
            seen.add(id(ref))
            todo.append(ref)
    return total, False


def _special(obj):
    notes = []
    singleton = _SINGLETONS.get(id(obj))
    if singleton:
        notes.append("singleton")
    elif type(obj) is int and -5 <= obj <= 256:
        notes.append("small-int cache")
    elif type(obj) is str:
        is_interned = getattr(sys, "_is_interned", None)  # 3.13+
        if is_interned is not None and is_interned(obj):
            notes.append("interned")
    elif type(obj) in (tuple, frozenset, bytes, str) and len(obj) == 0:
        notes.append("the shared empty %s" % type(obj).__name__)
    return notes


def _baseline():
    # The references our own reading holds: an object bound to one local, as
    # _row binds `obj`, and passed to getrefcount.
    probe = object()
    return sys.getrefcount(probe)


class InspectView(View):
    def __init__(self, options):
        super().__init__(options)
        self.line = options.get("line")
        self.script = None
        self.snapshot = None
        self._tool = None
        self._overhead = 0

    def set_script(self, path):
        self.script = path

    def is_stop(self, exc):
        return isinstance(exc, StopHere)

    def start(self, channel):
        self._channel = channel
        if not self.line or not self.script:
            return
        target, script = int(self.line), self.script
        if sys.version_info >= (3, 12):
            mon = sys.monitoring
            for tool in range(5, 0, -1):  # a free tool id, the debugger's and profiler's left alone
                if mon.get_tool(tool) is None:
                    mon.use_tool_id(tool, "pyinternals")
                    self._tool = tool
                    break
            if self._tool is None:
                return

            def on_line(code, line):
                if line != target or code.co_filename != script:
                    return mon.DISABLE if code.co_filename != script else None
                mon.set_events(self._tool, 0)
                self._take_and_end(sys._getframe(1))

            mon.register_callback(self._tool, mon.events.LINE, on_line)
            mon.set_events(self._tool, mon.events.LINE)
        else:
            def tracer(frame, event, arg):
                if frame.f_code.co_filename != script:
                    return None
                if event == "line" and frame.f_lineno == target:
                    sys.settrace(None)
                    self._take_and_end(frame)
                return tracer

            sys.settrace(tracer)

    def stop(self):
        if self._tool is not None:
            mon = sys.monitoring
            mon.set_events(self._tool, 0)
            mon.register_callback(self._tool, mon.events.LINE, None)
            mon.free_tool_id(self._tool)
            self._tool = None
        elif self.line:
            sys.settrace(None)

    def at_end(self, main_module):
        # Ran to its end (no line given, or the line never ran), or failed: the module as it is now.
        if self.snapshot is None:
            self.snapshot = self._rows(main_module.__dict__, None, "module")
            self.stopped = None

    def _take_and_end(self, frame):
        """The snapshot at the line, then the run ends there: the script may
        catch BaseException, or run on in other threads, but nothing after
        this line is its run any more."""
        self._take(frame)
        self.stop()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        self.finish(self._channel)
        self._channel.send("done", {"status": 0, "seconds": 0})
        self._channel.close()
        os._exit(0)

    def _take(self, frame):
        module = sys.modules["__main__"].__dict__
        local = None
        if frame.f_globals is module and frame.f_code.co_name != "<module>":
            # The frame's own names: a plain dict of them (3.13's f_locals is a view).
            self._overhead = _locals_overhead()
            local = dict(frame.f_locals)
        self.snapshot = self._rows(module, local, frame.f_code.co_name)
        self.stopped = {"line": frame.f_lineno, "function": frame.f_code.co_name}

    def _rows(self, module, local, where):
        base = _baseline()
        rows = []
        scopes = [("module", module)] + ([("local", local)] if local is not None else [])
        names_by_id = {}
        for scope, ns in scopes:
            for name in list(ns):
                if scope == "module" and not _shown(name):
                    continue
                names_by_id.setdefault(id(ns[name]), []).append(name)
        local_names = {}
        for name in list(local or ()):
            local_names[id(local[name])] = local_names.get(id(local[name]), 0) + 1
        for scope, ns in scopes:
            for name in list(ns):
                if scope == "module" and not _shown(name):
                    continue
                row = self._row(scope, name, ns, base, local_names, local is not None and scope == "local")
                row["sameObject"] = [n for n in names_by_id.get(int(row["id"], 16), []) if n != name]
                rows.append(row)
        return rows

    def _row(self, scope, name, ns, base, local_names, in_copy):
        obj = ns[name]
        count = sys.getrefcount(obj) - base
        # What reading the function's locals added: so much per local name bound to the object
        # (measured by _locals_overhead), module rows included.
        count -= self._overhead * local_names.get(id(obj), 0)
        deep, capped = _deep_size(obj)
        row = {
            "scope": scope,
            "name": name,
            "type": type(obj).__qualname__,
            "id": hex(id(obj)),
            "repr": _short_repr(obj),
            "size": sys.getsizeof(obj, -1),
            "deepSize": deep,
            "deepCapped": capped,
            "special": _special(obj),
            "sameObject": [],
        }
        if _IMMORTAL and sys.getrefcount(obj) >= _IMMORTAL_REFS:
            row["immortal"] = True
            row["references"] = None
        else:
            row["references"] = count
        del obj
        return row

    def finish(self, channel):
        channel.send("objects", {"rows": self.snapshot or [], "stopped": getattr(self, "stopped", None), "line": self.line})
