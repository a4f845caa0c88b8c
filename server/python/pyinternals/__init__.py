"""What CPython runs for Python Internals: standard library only, 3.8+.

One process per interpreter (started by server/cpython/worker.ts through
``collector.py``), one module per concern:

- ``channel``: the JSON-lines channel, the request loop, the memory cap;
- ``errors``: the error a request reports without ending the process;
- ``codeobjects``: code objects and their instructions as JSON;
- ``compiling``: the compile cache and the compile/check/precompile methods;
- ``tokens``, ``asttree``, ``scopes``: the compiler pipeline's stages (tokenize;
  the AST, optimized AST and ast.dump; the symbol table), with ``gcpause``;
- ``explorer``: the bytecode explorer (the tree of code objects; one in full),
  with ``flow`` (basic blocks, their edges, the stack depth along them);
- ``handlers``: the method table, with hello, decode and the test hooks.

Every method only compiles or parses; user code never runs here.
The JSON schema is mirrored by protocol/collector.ts (and protocol/bytecode.ts).
"""

PROTOCOL_VERSION = 5
