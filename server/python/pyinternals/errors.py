"""The error a request reports; the worker stays up."""


class RequestError(Exception):
    """``kind`` is one of protocol/collector.ts's CollectorError kinds."""

    def __init__(self, kind, message, **extra):
        Exception.__init__(self, message)
        self.payload = dict(kind=kind, message=message, **extra)
