"""Python Internals runner: runs the user's script, instrumented, as
``python file.py`` would run it. Started by server/runtime/runner.ts only for
an explicit command in a trusted workspace, in a fresh process per run:

    python runner.py CHANNEL_FD VIEW MEMORY_MB SOURCE_FILE|- OPTIONS_JSON SCRIPT [ARG ...]

Unlike the collector (compile-only, ``-I``), this process is the user's
program: the script's folder is first on ``sys.path``, the interpreter's
environment and site-packages apply, ``__name__`` is ``"__main__"``. Our
results go to the file descriptor CHANNEL_FD as JSON lines, never to the
program's stdout or stderr, which the server streams to the user as they
are. On Linux this process first forks: the parent stays behind as the run's
launcher, a child subreaper that ends whatever the script leaves running
(pyruntime/reaper.py). Standard library only; CPython 3.8+. The code is in
pyruntime/.
"""

import os
import sys

# What ``python file.py`` would have imported by now: the modules this
# process loaded before our first import. Anything else we import is taken
# back out of sys.modules before the script runs, so the script's own imports
# find what they would find without us (a json.py next to it, say).
_STARTUP = frozenset(sys.modules)
_HERE = os.path.dirname(os.path.abspath(__file__))
# `python runner.py` put this folder first on sys.path (unless safe_path, 3.11+); launch.py takes it off again.
if not sys.path or sys.path[0] != _HERE:
    sys.path.insert(0, _HERE)

if sys.platform.startswith("linux"):
    from pyruntime.reaper import split  # noqa: E402

    split(int(sys.argv[1]))  # returns in the script's own process

from pyruntime.launch import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:], _STARTUP, _HERE))
