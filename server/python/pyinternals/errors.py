"""The error a request reports; the worker stays up."""


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
