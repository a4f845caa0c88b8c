class A:
    pass


class D(A, A):
    pass
