"""``xinchuang init``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xinchuang.cli.options import FormatOpt
from xinchuang.cli.output import Format, emit_json, info
from xinchuang.i18n import _
from xinchuang.pipeline.workspace import init_workspace


def init(
    directory: Annotated[Path, typer.Argument(help=_("Directory of the new workspace."))],
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="XINCHUANG_DB",
            help=_("Database URL (postgresql://user:pass@host/db); default: SQLite in DIR."),
        ),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help=_("Workspace name."))] = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Create a workspace: settings in DIR, data in SQLite (default) or PostgreSQL."""
    with init_workspace(directory, db=db, name=name) as workspace:
        result = {
            "workspace": str(workspace.directory.resolve()),
            "name": workspace.settings.name,
            "database": workspace.url,
        }
    if fmt is Format.JSON:
        emit_json(result)
    else:
        typer.echo(
            _("Created workspace {name} in {directory} (database: {database})").format(
                name=result["name"], directory=result["workspace"], database=result["database"]
            )
        )
        info(_("Next: xinchuang import -w {directory} FILE...").format(directory=directory))
