"""Every collector method, by name (protocol/collector.ts: CollectorMethods)."""

import base64
import os
import sys

from . import PROTOCOL_VERSION, asttree, explorer, scopes, tokens
from .compiling import handle_check, handle_compile, handle_precompile
from .errors import RequestError


def handle_hello(params):
    return {
        "protocol": PROTOCOL_VERSION,
        "executable": sys.executable,
        "version": list(sys.version_info[:3]),
        "releaseLevel": sys.version_info.releaselevel,
        "implementation": sys.implementation.name,
        "magic": base64.b16encode(__import__("importlib.util").util.MAGIC_NUMBER).decode("ascii"),
        "pid": os.getpid(),
    }


def handle_decode(params):
    """Decode file bytes the way CPython's tokenizer would (BOM, coding cookie,
    UTF-8 default) so text reaching the server matches what compile() sees."""
    import io
    import tokenize

    data = base64.b64decode(params["base64"])
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as exc:
        raise RequestError("encoding", "cannot decode the file: %s" % exc)
    if text.startswith("\ufeff"):
        text = text[1:]
    return {"text": text, "encoding": encoding}


def handle_crash(params):
    """For tests: die the way a crashing interpreter would, mid-request."""
    os._exit(int(params.get("code", 70)))


def handle_sleep(params):
    """For tests: a request that outlives its timeout."""
    import time

    time.sleep(float(params.get("seconds", 60)))
    return {"slept": True}


HANDLERS = {
    "hello": handle_hello,
    "compile": handle_compile,
    "check": handle_check,
    "precompile": handle_precompile,
    "decode": handle_decode,
    "tokens": tokens.handle_tokens,
    "ast": asttree.handle_ast,
    "astChunks": asttree.handle_ast_chunks,
    "astDump": asttree.handle_ast_dump,
    "symtable": scopes.handle_symtable,
    "codeTree": explorer.handle_code_tree,
    "codeDetail": explorer.handle_code_detail,
    "crash": handle_crash,
    "sleep": handle_sleep,
}
