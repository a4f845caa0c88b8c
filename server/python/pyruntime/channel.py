"""Our results, as JSON lines on a file descriptor of their own (not the
program's stdout or stderr, which belong to the user's program)."""

import os


def _json_string(text):
    """A JSON string literal, ASCII only (for the one message sent before json is imported)."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= code < 0x7F:
            out.append(ch)
        elif code > 0xFFFF:
            code -= 0x10000
            out.append("\\u%04x\\u%04x" % (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)))
        else:
            out.append("\\u%04x" % code)
    return '"' + "".join(out) + '"'


class Channel(object):
    """JSON lines on their own file descriptor. launch.py loads json
    (`load_json`) before it takes our imports back out of sys.modules, so a
    json.py beside the script cannot replace it; the script's own import of
    json is then a fresh one, as under `python file.py`."""

    def __init__(self, fd):
        # Moved out of the script's way: `python file.py` leaves fd 3 free, so a
        # file the script opens may get it; our copy sits high, not inherited
        # by the program's own subprocesses. Only this process writes to it (a
        # forked child's writes are dropped, see _write).
        try:
            import fcntl

            high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 200)
            os.close(fd)
            fd = high
        except (ImportError, OSError, AttributeError):
            os.set_inheritable(fd, False)
        self._out = os.fdopen(fd, "wb", buffering=0)
        self._pid = os.getpid()
        self._json = None

    def load_json(self):
        if self._json is None:
            import json

            self._json = json  # kept: the module may be taken out of sys.modules before the script runs
        return self._json

    def send_hello(self, protocol, version, executable, pid, memory):
        # By hand: the fields are numbers and one path.
        line = '{"kind":"hello","data":{"protocol":%d,"version":[%d,%d,%d],"executable":%s,"pid":%d,"memoryMb":%s}}' % (
            protocol, version[0], version[1], version[2], _json_string(executable), pid, "null" if memory is None else int(memory))
        self._write(line)

    def send(self, kind, data):
        line = self.load_json().dumps({"kind": kind, "data": data}, ensure_ascii=True, separators=(",", ":"), default=repr)
        self._write(line)

    def _write(self, line):
        if os.getpid() != self._pid:
            return  # a forked child of the script: its report is not ours to send
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
