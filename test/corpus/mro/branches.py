class X:
    pass


try:
    from not_a_module_anywhere import Base
except ImportError:
    Base = X


class Either(Base):
    pass


First, second = X, 1


class Unpacked(First):
    pass
