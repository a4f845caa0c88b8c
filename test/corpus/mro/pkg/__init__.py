from .base import Base as PkgBase
from . import base


class FromInit(base.Mid, PkgBase):
    pass
