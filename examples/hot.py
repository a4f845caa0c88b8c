"""For Specialize in the bytecode panel (CPython 3.11+): a loop the adaptive
interpreter specializes. Put the cursor in P.get, open "Python Internals:
Show Bytecode Panel" and press Specialize; or "Inspect Objects" with the
cursor on the return line of work."""


class P:
    def __init__(self, x):
        self.x = x

    def get(self):
        return self.x + 1


def work(n):
    t = 0
    for i in range(n):
        t += P(i).get()
    return t


print(work(2000))
