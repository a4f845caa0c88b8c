class X:
    pass


class Y:
    pass


B = X


class Outer:
    Alias = Y

    class FromBody(Alias):
        pass

    class FromModule(B):
        pass


B = Y


class After(B):
    pass


def make(Base):
    class Local(Base):
        pass

    return Local
