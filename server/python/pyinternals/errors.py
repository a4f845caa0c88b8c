"""The error a request reports; the worker stays up."""

import contextlib


class RequestError(Exception):
    """``kind`` is one of protocol/collector.ts's CollectorError kinds."""

    def __init__(self, kind, message, **extra):
        Exception.__init__(self, message)
        self.payload = dict(kind=kind, message=message, **extra)


def syntax_error(exc):
    """CPython's SyntaxError (or IndentationError, TabError) as a request error,
    with its position as CPython gives it (1-based line and column)."""
    return RequestError(
        "syntax",
        "%s: %s" % (type(exc).__name__, exc.msg),
        line=exc.lineno,
        column=exc.offset,
        endLine=getattr(exc, "end_lineno", None),
        endColumn=getattr(exc, "end_offset", None),
    )


@contextlib.contextmanager
def cpython_refusals(verb, doing):
    """CPython refusing a source (compile, ast.parse, symtable), as the request's
    error; ``verb`` and ``doing`` name the work ("compile", "compiling")."""
    try:
        yield
    except SyntaxError as exc:
        raise syntax_error(exc)
    except (ValueError, UnicodeError) as exc:  # NUL bytes (< 3.12), lone surrogates
        raise RequestError("syntax", "%s: %s" % (type(exc).__name__, exc), line=None, column=None)
    except RecursionError:
        raise RequestError("limit", "RecursionError: the code is nested too deeply for CPython to %s" % verb)
    except MemoryError:
        raise RequestError("limit", "MemoryError: CPython ran out of memory %s this code" % doing)
