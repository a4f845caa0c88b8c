class X:
    pass


class Y:
    pass


class Base(X):
    pass


class Base(Y):  # noqa: F811 (replaces the first: C derives from this one)
    pass


class C(Base):
    pass


class A:
    pass


class A(A):  # noqa: F811 (its base is the first A)
    pass
