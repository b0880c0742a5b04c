"""``xinchuang init``, ``backup`` and ``restore``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xinchuang.cli.options import FormatOpt, WorkspaceOpt
from xinchuang.cli.output import Format, emit_json, info
from xinchuang.i18n import _
from xinchuang.pipeline.backup import backup, restore
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


def backup_cmd(
    output: Annotated[Path, typer.Argument(help=_("The backup file to write (a new file)."))],
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Copy a SQLite workspace's database, consistently, while others may read it."""
    written = backup(workspace, output)
    typer.echo(str(written))
    info(
        _("Restore it with: xinchuang restore -w {workspace} {output}").format(
            workspace=workspace, output=written
        )
    )


def restore_cmd(
    backup_file: Annotated[Path, typer.Argument(help=_("A file written by 'xinchuang backup'."))],
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Replace a SQLite workspace's database (even a damaged one) with a backup."""
    revision = restore(workspace, backup_file)
    info(
        _("Restored {workspace} from {backup} (schema revision {revision})").format(
            workspace=workspace, backup=backup_file, revision=revision
        )
    )
