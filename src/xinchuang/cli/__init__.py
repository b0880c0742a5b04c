"""The ``xinchuang`` command line: thin Typer commands over the pipeline layer."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence

from xinchuang import i18n
from xinchuang.errors import XinchuangError


def _language_from(argv: Sequence[str]) -> str | None:
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: pick the language first (help text is translated), then run the command."""
    args = list(sys.argv[1:] if argv is None else argv)
    requested = _language_from(args)
    if requested is not None and i18n.normalize(requested) is None:
        sys.stderr.write(
            f"--lang {requested}: unsupported language; choose one of {', '.join(i18n.SUPPORTED)}\n"
        )
        raise SystemExit(2)
    i18n.set_language(i18n.detect(requested))
    from xinchuang.cli.app import app

    try:
        app(args=args, prog_name="xinchuang")
    except XinchuangError as error:
        from xinchuang.cli.output import printable

        for line in error.lines():
            # A newline or an escape sequence inside a file name stays inside its line.
            sys.stderr.write(printable(line).replace("\n", "\\n") + "\n")
        raise SystemExit(error.exit_code) from None
    except KeyboardInterrupt:
        sys.stderr.write(i18n._("interrupted") + "\n")
        raise SystemExit(130) from None
    except Exception as error:  # a bug: still one line, traceback on request
        from xinchuang.store.database import explain

        condition = explain(error)
        if condition is not None:  # a busy or damaged workspace: a condition, not a bug
            for line in condition.lines():
                sys.stderr.write(f"{line}\n")
            raise SystemExit(condition.exit_code) from None
        if os.environ.get("XINCHUANG_DEBUG"):
            traceback.print_exc()
        summary = str(error).splitlines()[0] if str(error) else ""
        sys.stderr.write(
            i18n._("internal error: {kind}: {summary}").format(
                kind=type(error).__name__, summary=summary
            )
            + "\n"
            + i18n._("Tip: rerun with XINCHUANG_DEBUG=1 for the traceback, and report it")
            + "\n"
        )
        raise SystemExit(2) from None
