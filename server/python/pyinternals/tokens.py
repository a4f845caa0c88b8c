"""The tokens stage: ``tokenize``'s tokens (protocol/collector.ts: TokensResult).

Lines 1-based, columns 0-based in code points on every version measured
(3.8 to 3.13: the pure-Python tokenizer of 3.8-3.11 and the C tokenizer
behind it from 3.12 alike). ``_token_columns`` probes it once rather than
assuming. Nothing here runs user code.
"""

import io
import sys
import tokenize
import warnings

from .gcpause import without_gc as _without_gc

_V = sys.version_info[:2]


_columns_unit = None


def _token_columns():
    """'codepoint' or 'utf8': what tokenize's columns count on this interpreter."""
    global _columns_unit
    if _columns_unit is None:
        unit = "codepoint"
        try:
            for tok in tokenize.generate_tokens(io.StringIO("\u00e9 = 1\n").readline):
                if tok.string == "=":
                    unit = "utf8" if tok.start[1] == 3 else "codepoint"
                    break
        except Exception:  # pragma: no cover - a probe only
            pass
        _columns_unit = unit
    return _columns_unit


def _exact_names():
    names = tokenize.tok_name
    exact = getattr(tokenize, "EXACT_TOKEN_TYPES", None)
    if exact is None:  # pragma: no cover - every 3.8+ has it
        import token

        exact = token.EXACT_TOKEN_TYPES
    return dict((string, names[kind]) for string, kind in exact.items())


_EXACT = None
# 3.12+ token types whose multi-line end column may need repair (see handle_tokens).
_MULTILINE_FIX = set()


@_without_gc
def handle_tokens(params):
    global _EXACT
    source = params["source"]
    if _EXACT is None:
        _EXACT = _exact_names()
        for name in ("STRING", "FSTRING_MIDDLE", "TSTRING_MIDDLE"):
            if hasattr(tokenize, name):
                _MULTILINE_FIX.add(getattr(tokenize, name))
    exact_names = _EXACT
    names = tokenize.tok_name
    op = tokenize.OP
    unit = _token_columns()
    # CPython 3.12.1 (3.13 is right) computes the end column of a token that
    # spans lines against its first line, so a string ending after non-ASCII
    # text gets a wrong end column (`"""é\n🐍ü"""` ends at 8, not 5). Where
    # the token's text is its source text, the end column is the length of its
    # last line: use that on 3.12+ (a no-op where CPython is right).
    fix = unit == "codepoint" and _V >= (3, 12)
    fixable = _MULTILINE_FIX
    out = []
    append = out.append
    error = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            for tok in tokenize.generate_tokens(io.StringIO(source).readline):
                kind, string, start, end = tok[0], tok[1], tok[2], tok[3]
                name = names[kind]
                if kind == op:
                    exact = exact_names.get(string, name)
                else:
                    exact = name
                end_col = end[1]
                if fix and end[0] != start[0] and kind in fixable:
                    last = string[string.rfind("\n") + 1 :]
                    if "{" not in last and "}" not in last:
                        end_col = len(last)
                append([name, exact, string, start[0], start[1], end[0], end_col])
        except tokenize.TokenError as exc:
            # (message, (line, column)): 3.8-3.11's pure-Python tokenize gives a
            # 0-based column, 3.12+ passes on the C tokenizer's SyntaxError
            # offset, already 1-based.
            message = exc.args[0] if exc.args else str(exc)
            line = column = None
            if len(exc.args) > 1 and isinstance(exc.args[1], tuple) and len(exc.args[1]) >= 2:
                line, column = exc.args[1][0], exc.args[1][1]
                if _V < (3, 12) and column is not None:
                    column += 1
            error = _token_error("TokenError", message, line, column)
        except SyntaxError as exc:  # IndentationError, TabError, ...
            column = exc.offset
            if _V < (3, 12) and column is not None and exc.filename == "<tokenize>":
                column += 1  # pure-Python tokenize's IndentationError: a 0-based column
            error = _token_error(type(exc).__name__, exc.msg, exc.lineno, column)
        except (ValueError, UnicodeError) as exc:  # NUL bytes, lone surrogates
            error = _token_error(type(exc).__name__, str(exc), None, None)
    result = {"columns": unit, "tokens": out}
    if error is not None:
        result["error"] = error
    return result


def _token_error(kind, message, line, column):
    # Column: 1-based, in code points (CPython 3.12+'s tokenizer reports
    # SyntaxError offsets in characters; 3.8-3.11 count characters too). A
    # column CPython leaves at 0 (3.12's "unexpected EOF") is reported as null.
    return {
        "kind": "syntax",
        "message": "%s: %s" % (kind, message),
        "line": line,
        "column": column if column else None,
    }
