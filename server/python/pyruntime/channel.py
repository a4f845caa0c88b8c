"""Our results, as JSON lines on a file descriptor of their own (not the
program's stdout or stderr, which belong to the user's program)."""

import json
import os


class Channel(object):
    def __init__(self, fd):
        # Not inherited by the program's own subprocesses (exec'd children).
        os.set_inheritable(fd, False)
        self._out = os.fdopen(fd, "wb", buffering=0)
        self._json = json  # kept: the module is taken out of sys.modules before the script runs

    def send(self, kind, data):
        line = self._json.dumps({"kind": kind, "data": data}, ensure_ascii=True, separators=(",", ":"), default=repr)
        try:
            self._out.write(line.encode("ascii") + b"\n")
        except (OSError, ValueError):
            # The server stopped reading (the run was cancelled): nothing left to tell.
            pass

    def close(self):
        try:
            self._out.close()
        except (OSError, ValueError):
            pass
