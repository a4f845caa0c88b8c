class Root:
    pass


from starsrc import *  # noqa: E402,F403 (rebinds Root)


class UsesRoot(Root):  # noqa: F405
    pass


class UsesPublic(Public):  # noqa: F405
    pass
