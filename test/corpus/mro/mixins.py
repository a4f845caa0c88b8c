from diamond import Left, Right as R, Root
import diamond
import diamond as d


class JsonMixin:
    def to_json(self):
        return "{}"


class LogMixin(object):
    level = 1

    def log(self):
        pass


class Model(JsonMixin, LogMixin):
    __slots__ = ("id", "name")

    @property
    def title(self):
        return self.name

    @title.setter
    def title(self, value):
        self.name = value

    @classmethod
    def create(cls):
        return cls()

    @staticmethod
    def helper():
        return 0


class Service(JsonMixin, LogMixin, diamond.Root):
    pass


class Both(Left, R):
    pass


class ViaAlias(d.Diamond, JsonMixin):
    pass


Alias = Service


class FromAlias(Alias, Root):
    pass


class Outer:
    class Inner(LogMixin):
        pass

    class Nested(Inner, JsonMixin):
        pass


class UsesNested(Outer.Nested):
    pass
