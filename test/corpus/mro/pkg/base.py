class Base:
    def run(self):
        return "base"


class Mid(Base):
    def run(self):
        return "mid"


class Other(Base):
    pass
