"""Compile user code (never run it), with a cache shared by hovers, the
precompile and the syntax check."""

import collections
import sys
import warnings

from .codeobjects import code_object
from .errors import RequestError, cpython_refusals

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


def _optimize_level(params):
    # None: compile as the interpreter runs (dont_inherit, no optimize
    # argument), as hovers always have. The worker runs without -O, so an
    # explicit level equal to its own (0) is the same compile and shares the
    # cache entry; 1 and 2 (-O, -OO) are other code objects, cached apart.
    level = params.get("optimize")
    if level is None:
        return None
    if type(level) is not int or level not in (0, 1, 2):
        raise RequestError("protocol", "optimize must be 0, 1 or 2, not %r" % (level,))
    return None if level == sys.flags.optimize else level


def _compile(params):
    # The compiled module and its memo for code_object.
    global _compiled_chars
    source = params["source"]
    filename = params.get("filename") or "<unknown>"
    level = _optimize_level(params)
    key = (filename, source, level)
    entry = _COMPILED.get(key)
    if entry is not None:
        _COMPILED.move_to_end(key)
        return entry
    memo = {}
    entry = (_compile_uncached(source, filename, level, memo), memo)
    if len(source) > _LARGE:
        # A whole large file, compiled again at each version: keep the latest
        # only (per optimize level: the explorer may show -O beside hovers).
        previous = _LATEST_LARGE.get((filename, level))
        if previous is not None and previous in _COMPILED:
            del _COMPILED[previous]
            _compiled_chars -= len(previous[1])
        _LATEST_LARGE[(filename, level)] = key
    _COMPILED[key] = entry
    _compiled_chars += len(source)
    while len(_COMPILED) > 1 and (len(_COMPILED) > _COMPILED_MAX or _compiled_chars > _COMPILED_MAX_CHARS):
        (_, old_source, _), _ = _COMPILED.popitem(last=False)
        _compiled_chars -= len(old_source)
    return entry


# Where a compile's warnings are kept in its memo (code_object's keys are tuples).
_WARNINGS = "warnings"


def _compile_uncached(source, filename, level=None, memo=None):
    # The compiler's own warnings (SyntaxWarning: `x is 1`, `return` in
    # `finally` from 3.14; DeprecationWarning: an invalid escape before 3.12)
    # are recorded, every one of them, not printed: the check reports them.
    with cpython_refusals("compile", "compiling"), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if level is None:
            code = compile(source, filename, "exec", dont_inherit=True)
        else:
            code = compile(source, filename, "exec", dont_inherit=True, optimize=level)
    if memo is not None:
        found = []
        for w in caught:
            item = {"category": w.category.__name__, "message": str(w.message), "line": w.lineno}
            # Some versions warn twice for one place (the parser, then the compiler).
            if issubclass(w.category, (SyntaxWarning, DeprecationWarning)) and item not in found:
                found.append(item)
        memo[_WARNINGS] = found
    return code


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
    # What a first hover in each snippet would read, ahead of it: every code
    # object with every instruction. The server keeps these and answers hovers
    # from them without asking again; so the instructions are not kept here
    # (a fresh memo), only the compiled code, in the cache a hover shares.
    filename = params.get("filename") or "<unknown>"
    compiled = failed = 0
    modules = []
    for source in params["sources"]:
        if (filename, source, None) not in _COMPILED:
            compiled += 1
        try:
            code, _ = _compile({"source": source, "filename": filename})
        except RequestError:
            compiled -= 1
            failed += 1
            modules.append(None)
            continue
        modules.append(code_object(code))
    return {"compiled": compiled, "failed": failed, "modules": modules}


def handle_check(params):
    # Kept (the latest per file, see _compile): a hover on module-level code
    # of this version then finds the whole file compiled.
    _, memo = _compile(params)
    return {"ok": True, "warnings": memo.get(_WARNINGS, [])}
