"""The GC report: every collection the script causes (gc.callbacks), the
collector's thresholds, counts and per-generation stats before and after,
and what the collections freed from reference cycles, by type.

What is freed is seen with ``gc.DEBUG_SAVEALL``: the collector then keeps the
unreachable objects in ``gc.garbage`` instead of freeing them; after each
collection we count them by type, sample the largest cycles' shapes, and
free them ourselves (clear the list: what was unreachable is freed then).
Objects with finalizers are still finalized first (PEP 442), so the script
sees what it would see without us, only later. Numbers are the running
interpreter's own (3.13's and 3.14's collectors report other generations
and thresholds): nothing is invented.
"""

import gc
import sys
import time

# How many cycles' shapes to keep, and how many objects of each.
_CYCLES_KEPT = 5
_CYCLE_OBJECTS = 24
# gc.garbage above this is counted only (a collection of millions of objects).
_SAMPLE_LIMIT = 200000


def _type_name(obj):
    t = type(obj)
    module = getattr(t, "__module__", "builtins")
    return t.__qualname__ if module in ("builtins", "__main__") else "%s.%s" % (module, t.__qualname__)


def _edges(obj, members):
    """Referents of obj inside `members`, named as a person would (attribute, key, index)."""
    out = []
    try:
        attrs = getattr(obj, "__dict__", None)
    except Exception:
        attrs = None
    if isinstance(attrs, dict):
        for name, value in list(attrs.items())[:50]:
            if id(value) in members:
                out.append((str(name), id(value)))
    if isinstance(obj, dict):
        for key, value in list(obj.items())[:50]:
            if id(value) in members:
                out.append(("[%r]" % (key,), id(value)))
    elif isinstance(obj, (list, tuple)):
        for k, value in enumerate(obj[:50]):
            if id(value) in members:
                out.append(("[%d]" % k, id(value)))
    if not out:
        for value in gc.get_referents(obj)[:50]:
            if id(value) in members:
                out.append(("", id(value)))
    return out


def _cycle_shape(objects):
    """A small graph of one collection's garbage: nodes by type, edges by name."""
    members = {id(o): k for k, o in enumerate(objects[:_CYCLE_OBJECTS])}
    nodes = [{"id": k, "type": _type_name(o)} for k, o in enumerate(objects[:_CYCLE_OBJECTS])]
    edges = []
    for k, o in enumerate(objects[:_CYCLE_OBJECTS]):
        for name, target in _edges(o, members):
            edges.append({"from": k, "to": members[target], "label": name})
    return {"nodes": nodes, "edges": edges, "objects": len(objects)}


# Cycles are told apart (connected components of the garbage) up to this many objects per collection.
_COMPONENT_LIMIT = 50000


def _components(objects):
    """The garbage of one collection split into its cycles: groups of objects
    that reach each other (union-find over gc.get_referents within the set),
    largest first."""
    index = {id(o): k for k, o in enumerate(objects)}
    parent = list(range(len(objects)))

    def root(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for k, obj in enumerate(objects):
        for ref in gc.get_referents(obj):
            j = index.get(id(ref))
            if j is not None:
                a, b = root(k), root(j)
                if a != b:
                    parent[a] = b
    groups = {}
    for k in range(len(objects)):
        groups.setdefault(root(k), []).append(objects[k])
    return sorted(groups.values(), key=len, reverse=True)


def _stats():
    return {"thresholds": list(gc.get_threshold()), "counts": list(gc.get_count()), "stats": gc.get_stats()}


class GcView(object):
    def __init__(self, options):
        self.options = options
        self.collections = []
        self.freed_by_type = {}
        self.freed_total = 0
        self.cycles = []
        self._pending = None
        self._t0 = None
        self._flags = 0

    def modules_to_keep(self):
        return ()

    def start(self, channel):
        # Each collection is sent as it ends too: a script that dies (os._exit, a crash) still leaves its story.
        self._channel = channel
        # The runner's own garbage (modules it took out of sys.modules) is not the script's.
        gc.collect()
        self.before = _stats()
        self._flags = gc.get_debug()
        gc.set_debug(self._flags | gc.DEBUG_SAVEALL)
        gc.callbacks.append(self._callback)
        self._t0 = time.perf_counter()

    def _callback(self, phase, info):
        now = time.perf_counter()
        if phase == "start":
            self._pending = (now, len(gc.garbage))
            return
        started, garbage_before = self._pending or (now, len(gc.garbage))
        self._pending = None
        entry = {
            "generation": info.get("generation"),
            "collected": info.get("collected"),
            "uncollectable": info.get("uncollectable"),
            "ms": (now - started) * 1000.0,
            "at": (started - self._t0) * 1000.0,
        }
        # What this collection found unreachable (DEBUG_SAVEALL put it in gc.garbage).
        found = gc.garbage[garbage_before:]
        if found:
            if len(found) <= _SAMPLE_LIMIT:
                for obj in found:
                    name = _type_name(obj)
                    self.freed_by_type[name] = self.freed_by_type.get(name, 0) + 1
            else:
                entry["countedOnly"] = True
            self.freed_total += len(found)
            groups = _components(found) if len(found) <= _COMPONENT_LIMIT else [found]
            for group in groups[:_CYCLES_KEPT]:
                if len(self.cycles) < _CYCLES_KEPT or len(group) > self.cycles[-1]["objects"]:
                    self.cycles.append(_cycle_shape(group))
                    self.cycles.sort(key=lambda c: -c["objects"])
                    del self.cycles[_CYCLES_KEPT:]
            entry["cycles"] = len(groups)
            del groups
            # Free them now (the collector would have): the list held the last references.
            group = None
            del gc.garbage[garbage_before:]
        del found
        self.collections.append(entry)
        self._channel.send("gcCollection", entry)

    def stop(self):
        self._elapsed = (time.perf_counter() - self._t0) * 1000.0
        try:
            gc.callbacks.remove(self._callback)
        except ValueError:
            pass
        gc.set_debug(self._flags)
        self.after = _stats()

    def finish(self, channel):
        channel.send(
            "gc",
            {
                "before": self.before,
                "after": self.after,
                "collections": self.collections,
                "freedByType": sorted(([k, v] for k, v in self.freed_by_type.items()), key=lambda kv: -kv[1]),
                "freedTotal": self.freed_total,
                "cycles": self.cycles,
                "ms": self._elapsed,
                "generations": len(gc.get_threshold()),
                "implementation": "CPython %d.%d.%d" % sys.version_info[:3],
            },
        )
