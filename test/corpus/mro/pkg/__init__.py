from .base import Base as PkgBase
