"""For the runtime lab's GC Report: objects in reference cycles, which only
the cyclic garbage collector frees. Run "Python Internals: GC Report"."""
import gc


class Node:
    def __init__(self):
        self.partner = None


def pairs(n):
    for _ in range(n):
        a, b = Node(), Node()
        a.partner, b.partner = b, a


pairs(5000)
ring = [[] for _ in range(4)]
for i, item in enumerate(ring):
    item.append(ring[(i + 1) % 4])
del ring, item
gc.collect()
print("done")
