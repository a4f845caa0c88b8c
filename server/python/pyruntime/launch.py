"""The process made to look like ``python SCRIPT ARG...`` to the script, the
script run in ``__main__``, and what happened reported on the channel: the
view's results (also partial ones), the script's own exception with its
traceback, its exit status."""

import os
import sys
import time
import traceback  # before the purge: a traceback.py beside the script must not replace ours

from . import RUNTIME_PROTOCOL_VERSION
from .channel import Channel


def _limit_memory(limit_mb):
    """RLIMIT_AS, inherited by the script's own subprocesses. POSIX only."""
    if not limit_mb or limit_mb <= 0:
        return None
    try:
        import resource

        limit = int(limit_mb) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        return int(limit_mb)
    except (ImportError, ValueError, OSError):
        return None


def _view_class(name):
    # Only the view asked for is imported (dis, for one, costs the import trace's timings).
    if name == "gc":
        from .gcreport import GcView as view
    elif name == "specialize":
        from .specialize import SpecializeView as view
    elif name == "imports":
        from .imports import ImportsView as view
    elif name == "inspect":
        from .inspector import InspectView as view
    elif name == "mro":
        from .mro import MroView as view
    else:
        view = None
    return view


def _frames(tb, runner_dir):
    """The traceback's frames from the script on (ours left out), for file links."""
    frames = []
    for frame in traceback.extract_tb(tb):
        if frame.filename.startswith(runner_dir):
            continue
        frames.append({"file": frame.filename, "line": frame.lineno, "name": frame.name, "text": frame.line or ""})
    return frames


def _forget_our_imports(startup, keep):
    # Modules we imported that `python file.py` would not have: out of
    # sys.modules, so the script imports its own (or a fresh copy). We keep
    # references to what we use, so our code still works.
    for name in list(sys.modules):
        if name not in startup and name not in keep:
            del sys.modules[name]


def _call_chosen(options, main_module):
    """After the module ran, call the function the user chose (`call`, dotted
    from the module's globals) `times` times with `args` (a Python expression
    of theirs, evaluated in the module): what the view records goes on. Returns
    why it could not be called, or None."""
    name = options.get("call")
    if not name:
        return None
    target = main_module.__dict__
    obj = None
    for part in name.split("."):
        obj = target.get(part) if isinstance(target, dict) else getattr(target, part, None)
        target = obj
    if not callable(obj):
        return "%s is not a function of the module" % name
    args = ()
    text = options.get("args")
    if text:
        value = eval(text, main_module.__dict__)  # the user's own arguments, in their trusted workspace
        args = value if isinstance(value, tuple) else (value,)
    for _ in range(int(options.get("times", 100))):
        obj(*args)
    return None


def _register(name, module):
    """As `import pkg.mod` does: the parent package first (its __init__ runs, and may import
    this module itself from disk), then the module in sys.modules and on its parent, unless
    something already holds that name (a module of the standard library named like it, or
    the parent's own import of it): then it stays theirs, as a plain import would leave it."""
    parent, _, child = name.rpartition(".")
    if parent:
        __import__(parent)
    if name in sys.modules:
        return
    sys.modules[name] = module
    if parent:
        setattr(sys.modules[parent], child, module)


def main(argv, startup, runner_dir):
    fd, view_name, memory_mb, source_file, options_json, script = int(argv[0]), argv[1], int(argv[2]), argv[3], argv[4], argv[5]
    args = argv[6:]
    channel = Channel(fd)
    # json before the purge (a json.py beside the script must not replace ours); the script's own
    # `import json` then imports it afresh, as it would, and the import trace times that.
    options = channel.load_json().loads(options_json)
    if source_file != "-":
        options["sourceFile"] = source_file
    memory = _limit_memory(memory_mb)
    view_class = _view_class(view_name)
    if view_class is None:
        channel.send("fatal", {"message": "unknown view %r" % view_name})
        return 2
    view = view_class(options)
    channel.send_hello(RUNTIME_PROTOCOL_VERSION, sys.version_info[:3], sys.executable, os.getpid(), memory)

    script_path = os.path.abspath(script)
    try:
        if options.get("sourceFile"):
            # The editor's text (unsaved edits included), written by the server as UTF-8: compiled as
            # text, so a coding cookie naming another encoding does not decode it again.
            with open(options["sourceFile"], "r", encoding="utf-8") as f:
                source = f.read()
        else:
            with open(script_path, "rb") as f:
                source = f.read()
        code = compile(source, script_path, "exec", dont_inherit=True)
    except (OSError, SyntaxError, ValueError) as exc:
        channel.send("exception", {"type": type(exc).__name__, "message": str(exc), "frames": [], "phase": "compile"})
        channel.close()
        return 1

    # As `python script` sets them up: argv, the script's folder first on sys.path, a fresh __main__.
    # A view that imports the module instead (the MRO) names it: its package root goes first, and
    # the module is `import pkg.mod` would make it (its __name__, __package__, parent packages).
    module_name = options.get("moduleName")
    sys.argv[:] = [script] + list(args)
    sys.path[:] = [entry for entry in sys.path if os.path.abspath(entry or ".") != runner_dir]
    if module_name and options.get("pathRoot"):
        sys.path.insert(0, options["pathRoot"])
    elif not getattr(sys.flags, "safe_path", False):
        sys.path.insert(0, os.path.dirname(script_path))
    import builtins

    # The loader `python script` gives __main__: the class this process's own __main__ has (no import).
    loader_class = type(sys.modules["__main__"].__loader__)
    main_module = type(sys)(module_name or "__main__")
    main_module.__file__ = script_path
    main_module.__builtins__ = builtins
    main_module.__cached__ = None
    main_module.__spec__ = None
    main_module.__loader__ = loader_class(module_name or "__main__", script_path)
    sys.modules["__main__"] = main_module
    if module_name:
        # As the import system would make it: a spec (importlib.resources and find_spec read it), a package's __path__.
        import importlib.util

        is_package = os.path.basename(script_path) == "__init__.py"
        main_module.__package__ = module_name if is_package else module_name.rpartition(".")[0]
        search = [os.path.dirname(script_path)] if is_package else None
        main_module.__spec__ = importlib.util.spec_from_file_location(module_name, script_path, submodule_search_locations=search)
        if main_module.__spec__ is not None:
            main_module.__loader__ = main_module.__spec__.loader
        if is_package:
            main_module.__path__ = search

    view.set_script(script_path)
    keep = set(view.modules_to_keep())
    if module_name:
        keep.add(module_name)
    _forget_our_imports(startup, keep)
    status = 0
    failure = None
    started = time.perf_counter()
    view.start(channel)
    try:
        if module_name:
            _register(module_name, main_module)
        exec(code, main_module.__dict__)
        view.module_ran(code)  # even if the chosen call below fails
        call_error = _call_chosen(options, main_module)
        view.call_error = call_error
        if call_error:
            sys.stderr.write("Python Internals: %s\n" % call_error)
        view.after_script(code, main_module)
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if exc.code is not None and not isinstance(exc.code, int):
            sys.stderr.write("%s\n" % (exc.code,))
    except BaseException as exc:  # the script's own error, KeyboardInterrupt included
        if view.is_stop(exc):
            status = 0  # stopped where the view asked to (the object inspector's line)
        else:
            status = 1
            failure = exc
    finally:
        # What happens from here on (printing the traceback, say) is ours, not the script's.
        view.stop()
    if failure is not None:
        # As `python file.py` prints it: through sys.excepthook, our own frames left out.
        tb = failure.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename.startswith(runner_dir):
            tb = tb.tb_next
        try:
            sys.excepthook(type(failure), failure, tb)
        except Exception:
            traceback.print_exception(type(failure), failure, tb)
        channel.send(
            "exception",
            {"type": type(failure).__name__, "message": str(failure), "frames": _frames(failure.__traceback__, runner_dir), "phase": "run"},
        )
        failure = None
    # Views that read the module once it stopped (the object inspector), the script's error or not.
    try:
        view.at_end(main_module)
    except BaseException as exc:
        channel.send("fatal", {"message": "reading the module failed: %s: %s" % (type(exc).__name__, exc)})
    elapsed = time.perf_counter() - started
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        pass
    try:
        view.finish(channel)
    except BaseException as exc:
        channel.send("fatal", {"message": "the %s view failed: %s: %s" % (view_name, type(exc).__name__, exc)})
    channel.send("done", {"status": status, "seconds": elapsed})
    channel.close()
    return status
