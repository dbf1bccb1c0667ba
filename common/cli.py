"""Command-line entry points answer a problem with one line and exit status 2, not a traceback.

Every ``python -m …`` entry point runs its ``main`` through :func:`run_main`: an exception
that escapes it (a missing or unreadable file, invalid source YAML, a corrupt archive, a
busy data folder…) is printed as ``PROG: error: MESSAGE`` on one line; ``--debug``
anywhere on the command line prints the traceback too. Messages are the exceptions' own,
which name the file (see :class:`CliError` and :func:`describe`).
"""

from __future__ import annotations

import json
import sys
import traceback
from typing import Callable, Sequence

DEBUG_HELP = "on an error, print the traceback too"

DEBUG_FLAG = "--debug"
USAGE_EXIT = 2


class CliError(Exception):
    """The command cannot run (exit 2); the message names the file and the problem.

    Subclassed by the errors whose message is written for a user: invalid source YAML
    (:class:`common.sources.SourceConfigError`), an unreadable or oversized archive
    (:class:`spiders.core.archive.ArchiveError`), a busy data folder (:class:`common.runlock.RunLockBusy`)."""


def describe(exc: BaseException) -> str:
    """One line naming the file (when the exception knows it) and the problem."""
    if isinstance(exc, UnicodeDecodeError):
        return f"not {exc.encoding} text (byte {exc.object[exc.start]:#04x} at offset {exc.start})"
    if isinstance(exc, OSError) and exc.filename is not None:
        reason = exc.strerror or type(exc).__name__
        if isinstance(exc, IsADirectoryError):
            reason = "is a directory, not a file"
        return f"{exc.filename}: {reason}"
    if isinstance(exc, json.JSONDecodeError):
        return f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
    message = " ".join(part.strip() for part in str(exc).splitlines() if part.strip())
    if isinstance(exc, CliError):
        return message
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def run_main(main: Callable[[list[str]], int], prog: str, argv: Sequence[str] | None = None, err=None) -> int:
    """``main(argv)``; any exception becomes one line on stderr and exit 2 (with the traceback
    when ``--debug`` is on the command line: each command declares it in its argparse too)."""
    err = err or sys.stderr
    args = list(sys.argv[1:] if argv is None else argv)
    debug = DEBUG_FLAG in args
    try:
        return main(args)
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=err)
        return 130
    except SystemExit:
        raise  # argparse already printed its one-line usage error (exit 2)
    except Exception as exc:  # noqa: BLE001 - the point: no traceback without --debug
        if debug:
            traceback.print_exc(file=err)
        hint = "" if debug else f" (add {DEBUG_FLAG} for the traceback)"
        known = isinstance(exc, (CliError, OSError))
        print(f"{prog}: error: {describe(exc)}{'' if known else hint}", file=err)
        return USAGE_EXIT
