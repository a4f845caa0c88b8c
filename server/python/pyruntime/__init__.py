"""What the runner (runner.py) runs: the user's script, instrumented, one
process per run. One module per concern:

- ``reaper``: on Linux, the launcher this process forks off first: a child
  subreaper that kills whatever the script leaves running;
- ``channel``: our JSON-lines results on their own file descriptor;
- ``launch``: the process set up as ``python file.py`` would be (argv,
  sys.path, ``__main__``, limits), the script run, its exception reported;
- ``view``: what launch.py asks of each view below, and the defaults;
- ``gcreport``: every collection the script causes, and what cycles it freed;
- ``imports``: the import observer (specs) beside ``-X importtime`` (times);
- ``specialize``: the adaptive bytecode the script's run left in its code (3.11+);
- ``inspector``: the module's (or a stopped function's) objects;
- ``mro``: the module imported as itself, its classes' ``__mro__`` and attributes;

The JSON schema is mirrored by protocol/runtime.ts.
"""

RUNTIME_PROTOCOL_VERSION = 1
