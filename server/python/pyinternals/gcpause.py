"""Pausing the cyclic GC around a compiler-pipeline request."""

import gc


def without_gc(handler):
    """Run a handler with the cyclic GC paused. A stage allocates one object
    per token or node (tens of thousands on a large file) and none of them
    form cycles; letting the collector run as they pile up re-scans the
    growing heap again and again, which is up to half the time of a request."""

    def run(params):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return handler(params)
        finally:
            if enabled:
                gc.enable()

    run.__name__ = handler.__name__
    run.__doc__ = handler.__doc__
    return run
