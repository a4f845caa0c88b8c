"""Python Internals collector: the part of the extension that CPython runs.

Started once per interpreter by the language server (server/worker.ts) as
``python -I collector.py``: isolated mode keeps the user's workspace off
``sys.path``, so a workspace file named ``dis.py`` or ``json.py`` cannot replace
the modules imported here. Standard library only; runs on CPython 3.8+.

Protocol: one JSON object per line. Requests arrive on stdin as
``{"id": n, "method": "...", "params": {...}}``; each gets exactly one
response ``{"id": n, "result": ...}`` or ``{"id": n, "error": {...}}``.
The schema is mirrored by protocol/collector.ts.

Requests are compile-only: user code is compiled, never executed.
"""

import __future__
import base64
import collections
import dis
import json
import os
import sys
import traceback

PROTOCOL_VERSION = 3


def _private_channel():
    """Return a binary stream that only this module writes to.

    The real stdout file descriptor is duplicated for our responses, then fd 1
    and ``sys.stdout`` are pointed at stderr. Anything else that prints (a
    warning, a stray ``print`` in an imported module) lands on stderr, which
    the server logs, and cannot corrupt the JSON-lines channel.
    """
    channel = os.fdopen(os.dup(1), "wb", buffering=0)
    sys.stdout.flush()
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return channel


def _limit_memory():
    """Cap the address space so a pathological compile fails with MemoryError
    instead of exhausting the machine. Unix only; best effort."""
    limit_mb = int(os.environ.get("PYINTERNALS_MEMORY_LIMIT_MB", "2048") or 0)
    if limit_mb <= 0:
        return
    try:
        import resource

        limit = limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass


# ---------------------------------------------------------------- code objects

_FLAG_NAMES = dict(dis.COMPILER_FLAG_NAMES)
# dis does not name the `from __future__` bits (e.g. annotations: 0x1000000).
for _feature in __future__.all_feature_names:
    _bit = getattr(__future__, _feature).compiler_flag
    if _bit and _bit not in _FLAG_NAMES and not any(_bit & known for known in _FLAG_NAMES):
        _FLAG_NAMES[_bit] = "FUTURE_" + _feature.upper()


def _flags(value):
    names = []
    for bit in sorted(_FLAG_NAMES):
        if value & bit:
            names.append(_FLAG_NAMES[bit])
    rest = value & ~sum(_FLAG_NAMES)
    if rest:
        names.append(hex(rest))
    return names


def _is_code(value):
    return hasattr(value, "co_code")


def _code_label(code):
    # repr(code) contains a memory address; this stable form keeps results
    # cacheable and comparable between runs.
    return "<code object %s, line %d>" % (code.co_name, code.co_firstlineno)


def _const_repr(value):
    if _is_code(value):
        return _code_label(value)
    try:
        text = repr(value)
    except Exception as exc:  # a repr can fail on exotic constants
        text = "<unrepresentable %s: %s>" % (type(value).__name__, exc)
    if len(text) > 500:
        text = text[:497] + "..."
    return text


def _argrepr(ins):
    if _is_code(ins.argval):
        return _code_label(ins.argval)
    return ins.argrepr


def _jump_target(ins):
    target = getattr(ins, "jump_target", None)  # 3.13+
    if target is not None:
        return target
    if ins.opcode in dis.hasjrel or ins.opcode in dis.hasjabs:
        return ins.argval if isinstance(ins.argval, int) else None
    return None


_CACHE = dis.opmap.get("CACHE")  # 3.11+: inline cache entries, which dis does not list


def _instruction_count(code):
    # What dis.get_instructions yields, counted without building them (in C).
    co = code.co_code
    if _CACHE is None:
        return len(co) // 2
    return len(co) // 2 - co[::2].count(_CACHE)


def _line_ends(code):
    # {line: the offset after its last instruction}: which lines a code object
    # has instructions on, and where dis can stop reading for one of them.
    # 3.11+ give each instruction its own line (co_lines); before, a line runs
    # until the next line starts (as _Reader reads them).
    ends = {}
    if sys.version_info >= (3, 11):
        for (_, end, line) in code.co_lines():
            if line is not None and end > ends.get(line, -1):
                ends[line] = end
        return ends
    starts = list(dis.findlinestarts(code))
    for k, (_, line) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(code.co_code)
        if end > ends.get(line, -1):
            ends[line] = end
    return ends


class _Reader(object):
    """dis over one code object, read only as far as hovers have needed.

    The first hover in a code object reads up to its line; a later one on a
    line further down reads on from there; lines already read cost a filter
    (a lookup, once the whole code object is read).
    Over any number of hovers, one code object is read by dis at most once.
    """

    def __init__(self, code):
        self._it = dis.get_instructions(code)
        self._current_line = None  # 3.8 - 3.10: a line applies until the next one starts
        self._last_offset = -2
        self._done = False
        self.items = []

    @property
    def done(self):
        return self._done

    def read_to(self, stop=None):
        # Read every instruction at an offset below `stop` (all, without one).
        # Instructions are at least 2 bytes apart, so after offset o the next is at o + 2 or later.
        while not self._done and (stop is None or self._last_offset + 2 < stop):
            ins = next(self._it, None)
            if ins is None:
                self._done = True
                self._it = None
                break
            self.items.append(self._item(ins))
            self._last_offset = ins.offset
        return self.items

    def _item(self, ins):
        positions = getattr(ins, "positions", None)
        if hasattr(ins, "line_number"):  # 3.13+
            line = ins.line_number
            starts = bool(ins.starts_line)
        elif positions is not None:  # 3.11, 3.12
            line = positions.lineno
            starts = ins.starts_line is not None
        else:
            if ins.starts_line is not None:
                self._current_line = ins.starts_line
            line = self._current_line
            starts = ins.starts_line is not None
        item = {
            "offset": ins.offset,
            "opname": ins.opname,
            "opcode": ins.opcode,
            "arg": ins.arg,
            "argrepr": _argrepr(ins),
            "line": line,
            "startsLine": starts,
            "isJumpTarget": bool(ins.is_jump_target),
            "jumpTarget": _jump_target(ins),
        }
        if positions is not None:
            # A tuple (JSON writes it as a list): once the collector sees it holds
            # only numbers it stops tracking it, and then the item dict too, so a
            # large memo does not make each full collection slower.
            item["positions"] = (
                positions.lineno,
                positions.end_lineno,
                positions.col_offset,
                positions.end_col_offset,
            )
        return item


def _exception_table(code):
    parse = getattr(dis, "_parse_exception_table", None)  # 3.11+
    if parse is None:
        return None
    return [
        {
            "start": entry.start,
            "end": entry.end,
            "target": entry.target,
            "depth": entry.depth,
            "lasti": bool(entry.lasti),
        }
        for entry in parse(code)
    ]


def _qualname(code, parent_qualname, parent_is_function):
    qualname = getattr(code, "co_qualname", None)  # 3.11+
    if qualname is not None:
        return qualname
    if not parent_qualname:  # defined at module level
        return code.co_name
    if parent_is_function:
        return parent_qualname + ".<locals>." + code.co_name
    return parent_qualname + "." + code.co_name


def code_object(code, parent_qualname=None, parent_is_function=False, with_instructions=True, only_line=None, memo=None, with_children=True):
    # only_line: instructions only on that line, and only for code objects that
    # have some there (a hover needs no more); instructionCount is always given.
    # with_children=False: this code object alone (a module-level line).
    # memo: per compiled module, what was already worked out for each of its
    # code objects (keyed by id: the module holds them alive), so that a hover
    # on another line of the same code costs a filter, not another dis.
    if memo is None:
        memo = {}
    is_module = parent_qualname is None
    qualname = "<module>" if is_module else _qualname(code, parent_qualname, parent_is_function)
    # co_flags & CO_OPTIMIZED marks function-like code (def, lambda, comprehension).
    is_function = bool(code.co_flags & 0x1)
    children = [
        code_object(c, "" if is_module else qualname, is_function, with_instructions, only_line, memo)
        for c in code.co_consts
        if with_children and _is_code(c)
    ]
    key = id(code)
    fields = memo.get(("fields", key))
    if fields is None:
        fields = memo[("fields", key)] = {
            "name": code.co_name,
            "qualname": qualname,
            "filename": code.co_filename,
            "firstLine": code.co_firstlineno,
            "flags": _flags(code.co_flags),
            "argCount": code.co_argcount,
            "posOnlyArgCount": getattr(code, "co_posonlyargcount", 0),
            "kwOnlyArgCount": code.co_kwonlyargcount,
            "nlocals": code.co_nlocals,
            "stackSize": code.co_stacksize,
            "consts": [_const_repr(c) for c in code.co_consts],
            "names": list(code.co_names),
            "varnames": list(code.co_varnames),
            "cellvars": list(code.co_cellvars),
            "freevars": list(code.co_freevars),
            "exceptionTable": _exception_table(code),
            "instructionCount": _instruction_count(code),
        }
    result = dict(fields)
    result["children"] = children
    if only_line is not None or with_instructions:
        reader = memo.get(("reader", key))
        if reader is None:
            reader = memo[("reader", key)] = _Reader(code)
        if only_line is None:
            result["instructions"] = reader.read_to(None)
        else:
            ends = memo.get(("ends", key))
            if ends is None:
                ends = memo[("ends", key)] = _line_ends(code)
            if only_line not in ends:
                result["instructions"] = []
            else:
                by_line = memo.get(("lines", key))
                if by_line is None:
                    items = reader.read_to(ends[only_line])
                    if not reader.done:
                        result["instructions"] = [i for i in items if i["line"] == only_line]
                        return result
                    # Read through (precompiled, or hovered down to its last line):
                    # index it by line, so a hover costs a lookup, not a scan.
                    by_line = memo[("lines", key)] = {}
                    for item in items:
                        by_line.setdefault(item["line"], []).append(item)
                result["instructions"] = list(by_line.get(only_line, ()))
    return result


# ---------------------------------------------------------------- requests


class RequestError(Exception):
    def __init__(self, kind, message, **extra):
        Exception.__init__(self, message)
        self.payload = dict(kind=kind, message=message, **extra)


# Recently compiled modules: a hover on another line of the same snippet asks
# for the same source again (with a different onlyLine); a big class then
# costs its compile once. Compiled code is immutable, so sharing it is safe.
# Bounded by count and by total source size. A file of 18k lines has about a
# thousand snippets, all of them here after its precompile (about 35 MB with
# every instruction read), with room for the other open files.
_COMPILED = collections.OrderedDict()
_COMPILED_MAX = 2048
_COMPILED_MAX_CHARS = 16 * 1024 * 1024
_compiled_chars = 0
# Sources above this size are whole files (snippets are one statement).
_LARGE = 64 * 1024
_LATEST_LARGE = {}


def _compile(params):
    # The compiled module and its memo for code_object.
    global _compiled_chars
    source = params["source"]
    filename = params.get("filename") or "<unknown>"
    key = (filename, source)
    entry = _COMPILED.get(key)
    if entry is not None:
        _COMPILED.move_to_end(key)
        return entry
    entry = (_compile_uncached(source, filename), {})
    if len(source) > _LARGE:
        # A whole large file, compiled again at each version: keep the latest only.
        previous = _LATEST_LARGE.get(filename)
        if previous is not None and previous in _COMPILED:
            del _COMPILED[previous]
            _compiled_chars -= len(previous[1])
        _LATEST_LARGE[filename] = key
    _COMPILED[key] = entry
    _compiled_chars += len(source)
    while len(_COMPILED) > 1 and (len(_COMPILED) > _COMPILED_MAX or _compiled_chars > _COMPILED_MAX_CHARS):
        (_, old_source), _ = _COMPILED.popitem(last=False)
        _compiled_chars -= len(old_source)
    return entry


def _compile_uncached(source, filename):
    try:
        return compile(source, filename, "exec", dont_inherit=True)
    except SyntaxError as exc:
        raise RequestError(
            "syntax",
            "%s: %s" % (type(exc).__name__, exc.msg),
            line=exc.lineno,
            column=exc.offset,
            endLine=getattr(exc, "end_lineno", None),
            endColumn=getattr(exc, "end_offset", None),
        )
    except (ValueError, UnicodeError) as exc:  # NUL bytes (< 3.12), lone surrogates
        raise RequestError("syntax", "%s: %s" % (type(exc).__name__, exc), line=None, column=None)
    except RecursionError:
        raise RequestError("limit", "RecursionError: the code is nested too deeply for CPython to compile")
    except MemoryError:
        raise RequestError("limit", "MemoryError: CPython ran out of memory compiling this code")


def handle_hello(params):
    return {
        "protocol": PROTOCOL_VERSION,
        "executable": sys.executable,
        "version": list(sys.version_info[:3]),
        "releaseLevel": sys.version_info.releaselevel,
        "implementation": sys.implementation.name,
        "magic": base64.b16encode(__import__("importlib.util").util.MAGIC_NUMBER).decode("ascii"),
        "pid": os.getpid(),
    }


def handle_compile(params):
    code, memo = _compile(params)
    if params.get("onlyLine") is None:
        # A whole listing is cached by the server; keeping every instruction of
        # a large file here too would hold tens of megabytes per version.
        memo = {}
    return {
        "module": code_object(
            code,
            with_instructions=params.get("instructions", True),
            only_line=params.get("onlyLine"),
            memo=memo,
            with_children=not params.get("moduleOnly"),
        )
    }


def handle_precompile(params):
    # What a first hover in each snippet would do, ahead of it: compile, then
    # read every code object's instructions into the memo. A hover's onlyLine
    # then costs a lookup. The server sends small batches at low priority.
    filename = params.get("filename") or "<unknown>"
    compiled = failed = 0
    for source in params["sources"]:
        key = (filename, source)
        if key in _COMPILED:
            _COMPILED.move_to_end(key)
            continue
        try:
            code, memo = _compile({"source": source, "filename": filename})
        except RequestError:
            failed += 1
            continue
        code_object(code, memo=memo)
        compiled += 1
    return {"compiled": compiled, "failed": failed}


def handle_check(params):
    # Kept (the latest per file, see _compile): a hover on module-level code
    # of this version then finds the whole file compiled.
    _compile(params)
    return {"ok": True}


def handle_decode(params):
    """Decode file bytes the way CPython's tokenizer would (BOM, coding cookie,
    UTF-8 default) so text reaching the server matches what compile() sees."""
    import io
    import tokenize

    data = base64.b64decode(params["base64"])
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as exc:
        raise RequestError("encoding", "cannot decode the file: %s" % exc)
    if text.startswith("\ufeff"):
        text = text[1:]
    return {"text": text, "encoding": encoding}


def handle_crash(params):
    """For tests: die the way a crashing interpreter would, mid-request."""
    os._exit(int(params.get("code", 70)))


def handle_sleep(params):
    """For tests: a request that outlives its timeout."""
    import time

    time.sleep(float(params.get("seconds", 60)))
    return {"slept": True}


HANDLERS = {
    "hello": handle_hello,
    "compile": handle_compile,
    "check": handle_check,
    "precompile": handle_precompile,
    "decode": handle_decode,
    "crash": handle_crash,
    "sleep": handle_sleep,
}


def _respond(channel, message):
    data = json.dumps(message, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    channel.write(data + b"\n")


def serve(stdin, channel):
    for raw in stdin:
        if not raw.strip():
            continue
        request_id = None
        try:
            request = json.loads(raw.decode("utf-8", "surrogatepass"))
            request_id = request.get("id")
            handler = HANDLERS.get(request.get("method"))
            if handler is None:
                raise RequestError("protocol", "unknown method %r" % request.get("method"))
            result = handler(request.get("params") or {})
            _respond(channel, {"id": request_id, "result": result})
        except RequestError as exc:
            _respond(channel, {"id": request_id, "error": exc.payload})
        except RecursionError:
            _respond(channel, {"id": request_id, "error": {"kind": "limit", "message": "RecursionError while handling the request"}})
        except MemoryError:
            _respond(channel, {"id": request_id, "error": {"kind": "limit", "message": "MemoryError while handling the request"}})
        except Exception as exc:
            traceback.print_exc()
            _respond(
                channel,
                {"id": request_id, "error": {"kind": "internal", "message": "%s: %s" % (type(exc).__name__, exc)}},
            )


def main():
    channel = _private_channel()
    _limit_memory()
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 4000))
    serve(sys.stdin.buffer, channel)


if __name__ == "__main__":
    main()
