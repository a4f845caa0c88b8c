from typing import Generic, TypeVar
from collections import OrderedDict

T = TypeVar("T")


class Box(Generic[T]):
    pass


class Named:
    pass


class NamedBox(Named, Box[int]):
    pass


class Ordered(OrderedDict):
    pass


class Error(Exception):
    pass


def make():
    return Named


class Made(make()):
    pass
