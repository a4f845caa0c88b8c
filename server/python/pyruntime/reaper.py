"""The run's launcher, on Linux: nothing the script starts outlives its run.

runner.py calls ``split`` before anything else. The process forks: the child
goes on to run the script (launch.py), exactly as before; the parent stays
behind as the launcher, which

- is a child subreaper (``prctl(PR_SET_CHILD_SUBREAPER)``): whatever the
  script leaves orphaned, daemons that double-fork and call ``setsid``
  included, is re-parented to it instead of to init, so it stays below it;
- waits for the script's process, then kills every process still below it
  and reaps them, and only then exits, with the script's status (or dying of
  its signal): the server sees the run end after its last process did;
- does the same on SIGTERM, which it also gets if the server dies first
  (``PR_SET_PDEATHSIG``), and tells the server on the channel how many it
  killed (the run's ``leftover``).

The server kills the same tree itself on timeout and Cancel
(server/runtime/processTree.ts): the launcher keeping orphans below it while
it lives is what makes that tree whole.
"""

import os

_PR_SET_PDEATHSIG = 1
_PR_SET_DUMPABLE = 4
_PR_SET_CHILD_SUBREAPER = 36
# signal.SIGKILL on Linux: signals are imported by the launcher alone, not the script's process.
_SIGKILL = 9


def split(channel_fd):
    """Fork: return in the child, which runs the script; the launcher never returns."""
    ready_r, ready_w = os.pipe()
    server = os.getppid()
    try:
        script = os.fork()
    except OSError:
        # No process to spare (RLIMIT_NPROC): the script runs as it did before, its group killed at the end.
        os.close(ready_r)
        os.close(ready_w)
        return
    if script == 0:
        os.close(ready_w)
        # The script starts once the launcher can catch what it leaves behind.
        ready = os.read(ready_r, 1)
        os.close(ready_r)
        if not ready:
            os._exit(1)  # the launcher died first: nothing would end what the script starts
        return
    os.close(ready_r)
    try:
        _Launcher(script, channel_fd).run(server, ready_w)
    finally:
        os._exit(1)  # never back into runner.py: the launcher must not run the script too


def _prctl():
    """libc's prctl through the C half of ctypes (the ctypes package costs ~20 ms a
    run; this, ~2 ms), or the package's own way, or None."""
    try:
        import _ctypes

        class ULong(_ctypes._SimpleCData):
            _type_ = "L"

        class Int(_ctypes._SimpleCData):
            _type_ = "i"

        class Function(_ctypes.CFuncPtr):
            _flags_ = _ctypes.FUNCFLAG_CDECL
            _restype_ = Int

        class Libc(object):
            _handle = _ctypes.dlopen(None, 0)

        prctl = Function(("prctl", Libc()))
        prctl.argtypes = (Int, ULong, ULong, ULong, ULong)
        return lambda option, value: prctl(option, value, 0, 0, 0)
    except Exception:
        pass
    try:
        import ctypes

        prctl = ctypes.CDLL(None).prctl
        prctl.argtypes = (ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong)
        return lambda option, value: prctl(option, value, 0, 0, 0)
    except Exception:
        return None


def descendants(root):
    """The live processes below `root` (zombies left out), from /proc."""
    children = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name, "rb") as f:
                stat = f.read()
        except OSError:
            continue  # gone since the listing
        # After the command name, which may hold spaces and parentheses: state, ppid, ...
        fields = stat[stat.rindex(b")") + 2 :].split()
        if fields[0] in (b"Z", b"X"):
            continue  # dead, waiting to be reaped: it has no children of its own
        children.setdefault(int(fields[1]), []).append(int(name))
    found, todo = [], [root]
    while todo:
        for pid in children.get(todo.pop(), ()):
            found.append(pid)
            todo.append(pid)
    return found


class _Launcher(object):
    def __init__(self, script, channel_fd):
        self.script = script
        self.channel_fd = channel_fd
        self.script_done = False
        self.prctl = None
        self.signal = None

    def run(self, server, ready_w):
        try:
            self._setup(server)
        except BaseException:
            pass  # without the subreaper, what is still linked to the script is ended all the same
        finally:
            os.write(ready_w, b"1")
            os.close(ready_w)
        status = self._wait_script()
        killed = self._end_descendants()
        if killed:
            try:
                os.write(self.channel_fd, b'{"kind":"leftover","data":{"processes":%d}}\n' % killed)
            except OSError:
                pass  # the server stopped reading
        self._exit_as(status)

    def _setup(self, server):
        # The program's stdout and stderr are the script's: our own -X importtime lines must not
        # reach its import trace, nor our copies keep its pipes open.
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 1)
        os.dup2(null, 2)
        os.close(null)
        import _signal  # signal.py imports enum: ~25 ms a run

        self.signal = _signal
        _signal.signal(_signal.SIGTERM, self._terminate)
        self.prctl = _prctl()
        if self.prctl is not None:
            self.prctl(_PR_SET_CHILD_SUBREAPER, 1)
            self.prctl(_PR_SET_PDEATHSIG, _signal.SIGTERM)
        if os.getppid() != server:
            self._terminate()  # the server died before the death signal was asked for

    def _terminate(self, *_):
        # The script's process first; the rest goes at the end, as after any run.
        if not self.script_done:
            try:
                os.kill(self.script, _SIGKILL)
            except OSError:
                pass

    def _wait_script(self):
        # Orphans that end before the script are reaped on the way.
        while True:
            try:
                pid, status = os.waitpid(-1, 0)
            except ChildProcessError:
                return None
            if pid == self.script:
                self.script_done = True
                return status

    def _end_descendants(self):
        """SIGKILL every process below the launcher, in rounds until a round finds none
        it has not killed (one killed can fork no more), then reap them all."""
        if not self._has_children():
            return 0
        killed = set()
        while True:
            new = [pid for pid in descendants(os.getpid()) if pid not in killed]
            if not new:
                break
            for pid in new:
                try:
                    os.kill(pid, _SIGKILL)
                except OSError:
                    pass
            killed.update(new)
        while True:
            try:
                os.waitpid(-1, 0)
            except ChildProcessError:
                return len(killed)

    def _has_children(self):
        """Reap what has ended; False when nothing is left below the launcher (the common
        case: no /proc scan). Every live descendant has an ancestor that is our child."""
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return False
            if pid == 0:
                return True

    def _exit_as(self, status):
        if status is not None and os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            try:
                if self.prctl is not None:
                    self.prctl(_PR_SET_DUMPABLE, 0)  # the script's crash dumped its core; not ours again
                if sig != _SIGKILL:
                    self.signal.signal(sig, self.signal.SIG_DFL)
                os.kill(os.getpid(), sig)
            except Exception:
                pass
            os._exit(128 + sig)
        os._exit(os.WEXITSTATUS(status) if status is not None else 1)
