__all__ = ["Public", "Root"]


class Root:
    pass


class Public(Root):
    pass


class Extra:
    pass
