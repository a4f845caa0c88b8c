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

import collections
import gc
import sys
import time

from .view import View

# How many cycles' shapes to keep, and how many objects of each.
_CYCLES_KEPT = 5
_CYCLE_OBJECTS = 24
# Distinct objects typed before the report stops keeping what collections find.
_TYPED_BUDGET = 30000


def _type_name(obj):
    return _name_of_type(type(obj))


def _name_of_type(t):
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
    # __slots__ members, named as the class names them.
    for klass in type(obj).__mro__[:-1]:
        slots = klass.__dict__.get("__slots__", ())
        for name in (slots,) if isinstance(slots, str) else slots:
            try:
                value = getattr(obj, name)
            except Exception:
                continue
            if id(value) in members:
                out.append((name, id(value)))
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


# Cycles are told apart (connected components of the garbage) for collections of
# up to this many objects, and for this many objects over the whole run: past
# that, a collection's garbage is counted by type only, which costs C speed.
_COMPONENT_LIMIT = 5000
_COMPONENT_BUDGET = 20000


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


class GcView(View):
    """Watches the collector while the script runs.

    With DEBUG_SAVEALL the collector does not free what it finds: the objects
    land in gc.garbage and, once we drop the list's references, stay alive in
    their own cycles until a collection without the flag frees them. So the
    flag is on only while we type what is found (``_TYPED_BUDGET`` distinct
    objects; each found again later is not typed twice), then off: what was
    kept is freed by the next collections, as it would have been. CPython's
    own counts (``collected``) include those second findings; ``typed`` is
    what each collection found for the first time.
    """

    def __init__(self, options):
        super().__init__(options)
        self.collections = []
        # Counted by type object while running (C speed), named at the end.
        self.freed_by_type = collections.Counter()
        self._budget = _COMPONENT_BUDGET
        self.freed_total = 0
        self.cycles = []
        self._pending = None
        self._t0 = None
        self._flags = 0
        self._seen = set()
        self._sampling = False
        self.sampled = 0

    def start(self, channel):
        # Each collection is sent as it ends too: a script that dies (os._exit, a crash) still leaves its story.
        self._channel = channel
        # The runner's own garbage (modules it took out of sys.modules) is not the script's.
        gc.collect()
        self.before = _stats()
        self._flags = gc.get_debug()
        gc.set_debug(self._flags | gc.DEBUG_SAVEALL)
        self._sampling = True
        gc.callbacks.append(self._callback)
        self._t0 = time.perf_counter()

    def _stop_sampling(self):
        gc.set_debug(self._flags)
        self._sampling = False
        # The kept objects will be freed now: their ids may be reused.
        self._seen = set()

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
        if self._sampling:
            # What this collection found unreachable (DEBUG_SAVEALL put it in gc.garbage), new to us.
            found = gc.garbage[garbage_before:]
            del gc.garbage[garbage_before:]
            seen = self._seen
            new = [o for o in found if id(o) not in seen]
            del found
            seen.update(map(id, new))
            self.freed_by_type.update(map(type, new))
            self.freed_total += len(new)
            entry["typed"] = len(new)
            self.sampled += 1
            if new and len(new) <= _COMPONENT_LIMIT and self._budget >= len(new):
                self._budget -= len(new)
                groups = _components(new)
                for group in groups[:_CYCLES_KEPT]:
                    if len(self.cycles) < _CYCLES_KEPT or len(group) > self.cycles[-1]["objects"]:
                        self.cycles.append(_cycle_shape(group))
                        self.cycles.sort(key=lambda c: -c["objects"])
                        del self.cycles[_CYCLES_KEPT:]
                entry["cycles"] = len(groups)
                del groups
                group = None
            del new
            if self.freed_total >= _TYPED_BUDGET:
                self._stop_sampling()
        self.collections.append(entry)
        self._channel.send("gcCollection", entry)

    def stop(self):
        self._elapsed = (time.perf_counter() - self._t0) * 1000.0
        try:
            gc.callbacks.remove(self._callback)
        except ValueError:
            pass
        sampled_all = self._sampling
        if self._sampling:
            self._stop_sampling()
        self.sampled_all = sampled_all
        self.after = _stats()

    def _named_types(self):
        named = collections.Counter()
        for t, n in self.freed_by_type.items():
            named[_name_of_type(t)] += n
        return [[name, n] for name, n in named.most_common()]

    def finish(self, channel):
        channel.send(
            "gc",
            {
                "before": self.before,
                "after": self.after,
                # Sent one by one as they ended (gcCollection): the server puts them back.
                "collections": [],
                "freedByType": self._named_types(),
                "freedTotal": self.freed_total,
                "cycles": self.cycles,
                "ms": self._elapsed,
                "generations": len(gc.get_threshold()),
                "implementation": "CPython %d.%d.%d" % sys.version_info[:3],
                "typedCollections": self.sampled,
                "typedAll": self.sampled_all,
            },
        )
