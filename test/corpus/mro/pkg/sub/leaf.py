from ..base import Mid, Other
from .. import base as b
from pkg import PkgBase
import pkg.base
import pkg.base as pb
from mixins import *


class Leaf(Mid, Other):
    pass


class ViaPackage(b.Mid, PkgBase):
    pass


class ViaDotted(pkg.base.Other, pb.Mid):
    pass


class ViaStar(Model, Leaf):
    pass
