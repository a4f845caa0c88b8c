"""The import trace: what the script imports, as ``-X importtime`` times it
(the server starts this view's process with that option and reads its
``import time:`` lines apart from the program's stderr), and for each module
its spec as an observer first on ``sys.meta_path`` sees it: finder, loader,
origin, cached ``.pyc`` and whether it was fresh, namespace package or not,
and the ``sys.path`` entry it came from.

The observer asks the finders after it, in order, exactly as the import
system would, and returns what the first one found: the script imports
what it would import without us.
"""

import os
import sys

from .view import View

# Between these two lines of stderr, the import times are the script's (before: ours).
START_MARK = "import time: pyinternals-script-start\n"
END_MARK = "import time: pyinternals-script-end\n"


def _name(obj):
    t = obj if isinstance(obj, type) else type(obj)
    return "%s.%s" % (t.__module__, t.__qualname__)


def _pyc_state(spec):
    """'fresh', 'stale', 'missing' or None (no source file to compile)."""
    cached, origin = getattr(spec, "cached", None), spec.origin
    if not cached or not origin or not spec.has_location or not origin.endswith(".py"):
        return None
    try:
        with open(cached, "rb") as f:
            header = f.read(16)
        st = os.stat(origin)
    except OSError:
        return "missing"
    if len(header) < 16:
        return "stale"
    flags = int.from_bytes(header[4:8], "little")
    if flags & 1:  # hash-based pyc (PEP 552): checked or not, its source hash decides
        return "fresh (hash-based)"
    mtime = int.from_bytes(header[8:12], "little")
    size = int.from_bytes(header[12:16], "little")
    return "fresh" if mtime == (int(st.st_mtime) & 0xFFFFFFFF) and size == (st.st_size & 0xFFFFFFFF) else "stale"


def _path_entry(origin, search):
    """The sys.path entry a module's file lies under (the longest that holds it)."""
    if not origin:
        return None
    best = None
    for entry in search:
        root = os.path.abspath(entry or os.curdir)
        if origin.startswith(root + os.sep) and (best is None or len(root) > len(best)):
            best = root
    return best


class _Observer(object):
    def __init__(self, view):
        self.view = view
        self._busy = False

    def find_spec(self, fullname, path=None, target=None):
        if self._busy:
            return None
        self._busy = True
        try:
            for finder in sys.meta_path:
                if finder is self:
                    continue
                find = getattr(finder, "find_spec", None)
                if find is None:
                    continue
                spec = find(fullname, path, target)
                if spec is not None:
                    self.view.record(fullname, finder, spec)
                    return spec
            return None
        finally:
            self._busy = False

    def invalidate_caches(self):
        pass


class ImportsView(View):
    def __init__(self, options):
        super().__init__(options)
        self.specs = {}
        self._observer = _Observer(self)

    def record(self, fullname, finder, spec):
        if fullname in self.specs:
            return
        namespace = spec.origin in (None, "namespace") and spec.submodule_search_locations is not None
        self.specs[fullname] = {
            "finder": _name(finder),
            "loader": _name(spec.loader) if spec.loader is not None else None,
            "origin": spec.origin,
            "cached": getattr(spec, "cached", None),
            "pyc": _pyc_state(spec),
            "namespace": bool(namespace),
            "package": spec.submodule_search_locations is not None,
            "pathEntry": _path_entry(spec.origin if spec.has_location else None, sys.path),
        }

    def start(self, channel):
        sys.meta_path.insert(0, self._observer)
        sys.stderr.flush()
        sys.stderr.write(START_MARK)
        sys.stderr.flush()

    def stop(self):
        try:
            sys.stderr.flush()
            sys.stderr.write(END_MARK)
            sys.stderr.flush()
        except Exception:
            pass
        try:
            sys.meta_path.remove(self._observer)
        except ValueError:
            pass

    def finish(self, channel):
        channel.send("imports", {"specs": self.specs})
