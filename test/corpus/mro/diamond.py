class Root:
    def who(self):
        return "Root"


class Left(Root):
    def who(self):
        return "Left"

    side = "left"


class Right(Root):
    def who(self):
        return "Right"

    side = "right"

    def only_right(self):
        return 1


class Diamond(Left, Right):
    pass


class Deeper(Diamond, Right):
    pass


class Explicit(object):
    pass


class Empty():
    pass
