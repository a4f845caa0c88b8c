"""A diamond: Duck inherits from Swimmer and Flyer, which both inherit from Animal.

Open the MRO panel on Duck (Python Internals: Show MRO, or the code lens
above the class): C3 puts Swimmer before Flyer, and both before Animal, so
Duck().speak() is Swimmer's, and Flyer's speak is shadowed.
"""


class Animal:
    legs = 2

    def speak(self):
        return "..."

    def describe(self):
        return f"{type(self).__name__} says {self.speak()}"


class Swimmer(Animal):
    def speak(self):
        return "splash"

    def swim(self):
        return "swims"


class Flyer(Animal):
    def speak(self):
        return "tweet"

    @property
    def wingspan(self):
        return 0.9


class Duck(Swimmer, Flyer):
    __slots__ = ("name",)

    @classmethod
    def hatch(cls, name):
        duck = cls()
        duck.name = name
        return duck


if __name__ == "__main__":
    print(Duck.hatch("Donald").describe())
