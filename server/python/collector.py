"""Python Internals collector: the entry point CPython runs.

Started once per interpreter by the language server (server/cpython/worker.ts)
as ``python -I collector.py``: isolated mode keeps the user's workspace off
``sys.path``, so a workspace file named ``dis.py`` or ``json.py`` cannot replace
the modules imported here. Isolated mode also leaves this script's own folder
off ``sys.path``; it holds only our package, which is put back explicitly.
Standard library only; runs on CPython 3.8+.

Protocol: one JSON object per line. Requests arrive on stdin as
``{"id": n, "method": "...", "params": {...}}``; each gets exactly one
response ``{"id": n, "result": ...}`` or ``{"id": n, "error": {...}}``.
The schema is mirrored by protocol/collector.ts; the code is in pyinternals/.

Requests are compile-only: user code is compiled, never executed.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pyinternals.channel import main  # noqa: E402
from pyinternals.handlers import HANDLERS  # noqa: E402

if __name__ == "__main__":
    main(HANDLERS)
