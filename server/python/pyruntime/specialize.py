"""Specialized bytecode (3.11+): run the module (and, when asked, call one of
its functions a number of times), then read every code object of the file
with ``dis.get_instructions(code, adaptive=True)``: what the adaptive
interpreter wrote into the code while it ran, instruction by instruction,
beside the generic form. Older interpreters have no adaptive bytecode and
say so.
"""

import dis
import opcode  # before the purge: an opcode.py beside the script must not replace it
import sys

from .view import View

_HAS_ADAPTIVE = sys.version_info >= (3, 11)
# How a specialized opcode's generic form is found: 3.13's Instruction.baseopname, else dis's own table.
_DEOPT = getattr(dis, "_deoptop", None)


def _base(ins):
    name = getattr(ins, "baseopname", None)
    if name:
        return name
    if _DEOPT is not None:
        try:
            return dis.opname[_DEOPT(ins.opcode)]
        except (IndexError, KeyError, TypeError):
            pass
    return ins.opname


def _caches(ins):
    # The family can be specialized when the instruction carries inline caches.
    info = getattr(ins, "cache_info", None)  # 3.13
    if info is not None:
        return bool(info)
    fmt = getattr(opcode, "_cache_format", {})
    return bool(fmt.get(_base(ins)))


def _walk(code, out):
    out.append(code)
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            _walk(const, out)
    return out


class SpecializeView(View):
    def __init__(self, options):
        super().__init__(options)
        self.code = None

    def module_ran(self, code):
        # Read at the end, after the chosen call (if any) has run it further.
        self.code = code

    def finish(self, channel):
        if not _HAS_ADAPTIVE:
            channel.send("specialized", {"unavailable": "CPython %d.%d has no adaptive bytecode: specialization is new in 3.11 (PEP 659)." % sys.version_info[:2]})
            return
        if self.code is None:
            channel.send("specialized", {"unavailable": "The module did not run to its end, so no code was read."})
            return
        codes = []
        for code in _walk(self.code, []):
            instructions = []
            for ins in dis.get_instructions(code, adaptive=True):
                base = _base(ins)
                instructions.append([ins.offset, ins.opname, base, 1 if _caches(ins) else 0])
            codes.append({"qualname": getattr(code, "co_qualname", code.co_name), "name": code.co_name, "firstLine": code.co_firstlineno, "instructions": instructions})
        channel.send("specialized", {"codes": codes, "callError": self.call_error})
