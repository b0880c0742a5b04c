"""Options shared by many commands, so every command spells them the same way."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xinchuang.cli.output import Format
from xinchuang.i18n import _

WorkspaceOpt = Annotated[
    Path,
    typer.Option(
        "-w",
        "--workspace",
        envvar="XINCHUANG_WORKSPACE",
        help=_("Workspace directory (default: the current directory)."),
        show_default=False,
    ),
]
FormatOpt = Annotated[
    Format,
    typer.Option("--format", "-f", help=_("Output format: table for people, json for scripts.")),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help=_("Write the result to this file instead of stdout.")),
]
CatalogOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--catalog",
        help=_("A user catalog directory to load on top of the shipped one (repeatable)."),
    ),
]
