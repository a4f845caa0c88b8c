"""The JSON-lines channel to the server and the request loop."""

import json
import os
import sys
import traceback

from .errors import RequestError


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


def _encode(message):
    # Results are plain trees built for this answer, never cyclic: skipping the
    # circular-reference check halves the encoding of a large AST (~60 ms at 16k lines).
    return json.dumps(message, ensure_ascii=True, separators=(",", ":"), check_circular=False)


def answer(raw, handlers):
    """One request line (bytes or str) in, its response line out (ASCII, no newline).

    The seam both transports share: ``serve`` below for a process's pipes, and
    the WebAssembly worker thread (server/cpython/wasmThread.ts), which calls it
    with the request's JSON text and posts the answer back."""
    request_id = None
    try:
        if isinstance(raw, bytes):
            raw = raw.decode("utf-8", "surrogatepass")
        request = json.loads(raw)
        request_id = request.get("id")
        handler = handlers.get(request.get("method"))
        if handler is None:
            raise RequestError("protocol", "unknown method %r" % request.get("method"))
        return _encode({"id": request_id, "result": handler(request.get("params") or {})})
    except RequestError as exc:
        return _encode({"id": request_id, "error": exc.payload})
    except RecursionError:
        return _encode({"id": request_id, "error": {"kind": "limit", "message": "RecursionError while handling the request"}})
    except MemoryError:
        return _encode({"id": request_id, "error": {"kind": "limit", "message": "MemoryError while handling the request"}})
    except Exception as exc:
        traceback.print_exc()
        return _encode({"id": request_id, "error": {"kind": "internal", "message": "%s: %s" % (type(exc).__name__, exc)}})


def serve(stdin, channel, handlers):
    for raw in stdin:
        if raw.strip():
            channel.write(answer(raw, handlers).encode("ascii") + b"\n")


def prepare():
    """What every transport sets before the first request."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 4000))


def main(handlers):
    channel = _private_channel()
    _limit_memory()
    prepare()
    serve(sys.stdin.buffer, channel, handlers)
