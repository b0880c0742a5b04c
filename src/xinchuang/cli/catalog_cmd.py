"""``xinchuang catalog validate | stats | search | show | audit``."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer

from xinchuang import settings as settings_file
from xinchuang.catalog.audit import StatusFilter, fact_view, sample_facts
from xinchuang.catalog.evidence import FACT_KINDS, evidence_issues
from xinchuang.catalog.loader import load_catalog
from xinchuang.catalog.model import Catalog
from xinchuang.catalog.search import did_you_mean, search
from xinchuang.catalog.stats import catalog_stats
from xinchuang.catalog.views import product_detail, product_summary
from xinchuang.cli.options import CatalogOpt, FormatOpt
from xinchuang.cli.output import Format, emit_json, emit_table, info, stdout, warn
from xinchuang.errors import DataError, UsageError
from xinchuang.i18n import _

app = typer.Typer(help=_("Inspect and validate the product catalog."), no_args_is_help=True)

OptionalWorkspaceOpt = Annotated[
    Path | None,
    typer.Option(
        "-w",
        "--workspace",
        envvar="XINCHUANG_WORKSPACE",
        help=_("Also load the user catalogs named in this workspace's settings."),
    ),
]


def overlays(workspace: Path | None, catalogs: list[Path] | None) -> list[str]:
    """The user catalog directories: the workspace's, then those on the command line."""
    dirs: list[str] = []
    if workspace is not None and (workspace / settings_file.SETTINGS_FILE).is_file():
        config = settings_file.read(workspace)
        dirs += [str((workspace / c).resolve()) for c in config.catalog]
    dirs += [str(c) for c in catalogs or []]
    return dirs


def load(workspace: Path | None, catalogs: list[Path] | None) -> Catalog:
    """Load the catalog and warn about user records that override shipped ones."""
    catalog = load_catalog(overlays(workspace, catalogs))
    for conflict in catalog.conflicts:
        warn(_("warning: {conflict}").format(conflict=conflict))
    return catalog


SUMMARY_COLUMNS = [
    ("id", "ID"),
    ("name", "Name"),
    ("vendor_name", "Vendor"),
    ("country", "Country"),
    ("layer", "Layer"),
    ("domestic", "Domestic"),
    ("control", "Control"),
    ("listed_batch", "Listed"),
]


def _summary_columns() -> list[tuple[str, str]]:
    headers = {
        "id": _("ID"),
        "name": _("Name"),
        "vendor_name": _("Vendor"),
        "country": _("Country"),
        "layer": _("Layer"),
        "domestic": _("Domestic"),
        "control": _("Control"),
        "listed_batch": _("Listed"),
        "score": _("Score"),
    }
    return [(key, headers[key]) for key, _header in SUMMARY_COLUMNS]


def _with_batch(row: dict[str, Any]) -> dict[str, Any]:
    listed = row.get("listed")
    row = dict(row)
    row["listed_batch"] = f"{listed['list']} {listed['batch']}" if listed else None
    return row


@app.command("validate")
def validate(
    workspace: OptionalWorkspaceOpt = None,
    catalog: CatalogOpt = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help=_(
                "Hold the shipped catalog to the evidence rules too: every source quoted, "
                "no home page, mirror or forum as a source."
            ),
        ),
    ] = False,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Check the catalog (and any user catalogs): every problem, with file and line.

    Facts in a user catalog must quote their sources (CAT020) and may not rest on a home
    page, a mirror or a forum (CAT021); --strict applies both rules to the shipped catalog,
    whose legacy unquoted sources are otherwise counted by 'catalog stats', not refused.
    """
    try:
        loaded = load_catalog(overlays(workspace, catalog))
        problems = evidence_issues(loaded, strict=strict)
        if problems:
            raise DataError(
                _("catalog evidence is incomplete: {count} problem(s)").format(count=len(problems)),
                problems,
                tip=_("quote each source as {url, quote, read}; see docs/catalog.md"),
            )
    except DataError as error:
        if fmt is Format.JSON:
            emit_json({"valid": False, "issues": [asdict(issue) for issue in error.issues]})
            raise typer.Exit(2) from None
        raise
    facts = catalog_stats(loaded)["facts"]
    counted = {key: facts[key] for key in ("quoted", "unquoted", "unconfirmed")}
    result: dict[str, Any] = {
        "valid": True,
        "revision": loaded.revision,
        "products": len(loaded.products),
        "vendors": len(loaded.vendors),
        "certifications": len(loaded.certifications),
        "strict": strict,
        "facts": counted,
        "conflicts": [str(c) for c in loaded.conflicts],
    }
    if fmt is Format.JSON:
        emit_json(result)
        return
    for conflict in loaded.conflicts:
        warn(_("warning: {conflict}").format(conflict=conflict))
    typer.echo(
        _(
            "catalog {revision} is valid: {products} products, {vendors} vendors, "
            "{certifications} certifications"
        ).format(**result)
    )
    typer.echo(
        _("facts: {quoted} quoted, {unquoted} unquoted (legacy), {unconfirmed} unconfirmed").format(
            **counted
        )
    )


@app.command("stats")
def stats(
    workspace: OptionalWorkspaceOpt = None,
    catalog: CatalogOpt = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Coverage: products per layer, domestic and foreign, sourced and unconfirmed facts."""
    figures = catalog_stats(load(workspace, catalog))
    if fmt is Format.JSON:
        emit_json(figures)
        return
    products = figures["products"]
    rows = [{"layer": layer, **counts} for layer, counts in products["by_layer"].items()]
    emit_table(
        rows,
        [
            ("layer", _("Layer")),
            ("total", _("Products")),
            ("domestic", _("Domestic")),
            ("foreign", _("Foreign")),
        ],
        title=_("Catalog {revision}").format(revision=figures["revision"]),
    )
    facts = figures["facts"]
    certs = figures["certifications"]
    subs = figures["substitutions"]
    out = stdout()
    out.print(
        _(
            "{total} products ({domestic} domestic, {foreign} foreign, {listed} listed) "
            "from {vendors} vendors"
        ).format(vendors=figures["vendors"], **products),
        markup=False,
    )
    out.print(
        _("{total} certification rows: {sourced} sourced, {unconfirmed} unconfirmed").format(
            **certs
        ),
        markup=False,
    )
    out.print(
        _(
            "{with_substitution} of {foreign_products} foreign products have a substitution "
            "({candidates} candidates)"
        ).format(**subs),
        markup=False,
    )
    emit_table(
        [{"kind": kind, **row} for kind, row in facts["by_kind"].items()],
        [
            ("kind", _("Fact")),
            ("quoted", _("Quoted")),
            ("unquoted", _("Unquoted (legacy)")),
            ("unconfirmed", _("Unconfirmed")),
            ("unusable_sources", _("Home page/mirror source")),
        ],
    )
    out.print(
        _(
            "facts: {quoted} quoted, {unquoted} unquoted (legacy), {unconfirmed} unconfirmed; "
            "{share} of sourced facts quoted"
        ).format(
            share=f"{facts['quoted_share']:.1%}" if facts["quoted_share"] is not None else "—",
            **facts,
        ),
        markup=False,
    )


def _entry_sources(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """A sourced entry's sources as {url, quote, read} (quote None when not quoted)."""
    pending = list(entry.get("quotes", []))
    out = []
    for url in entry["source"]:
        # a URL cited twice with two excerpts: pair each with the next unused quote
        quote = next((q for q in pending if q["url"] == url), None)
        if quote is not None:
            pending.remove(quote)
        out.append(quote or {"url": url, "quote": None, "read": None})
    return out


def _print_source(out: Any, label: str, source: dict[str, Any]) -> None:
    out.print(f"  {label}: {source['url']}", markup=False)
    if source.get("quote"):
        read = _("read {date}").format(date=source["read"])
        out.print(f"      “{source['quote']}” ({read})", markup=False)
    else:
        out.print("      (" + _("no quote") + ")", markup=False)


@app.command("search")
def search_cmd(
    text: Annotated[str, typer.Argument(help=_("Any name, in Chinese or English."))],
    limit: Annotated[int, typer.Option("--limit", min=1, help=_("At most this many."))] = 20,
    workspace: OptionalWorkspaceOpt = None,
    catalog: CatalogOpt = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Find products by name, alias or vendor ("达梦", "Dameng", "DM8")."""
    loaded = load(workspace, catalog)
    hits = search(loaded, text, limit=limit)
    rows = [
        {
            **product_summary(loaded, loaded.products[hit.product_id]),
            "score": round(hit.score, 1),
            "matched": hit.matched,
        }
        for hit in hits
    ]
    if fmt is Format.JSON:
        emit_json(rows)
        return
    if not rows:
        info(_("no product matches {text!r}").format(text=text))
        return
    emit_table([_with_batch(r) for r in rows], [*_summary_columns(), ("score", _("Score"))])


@app.command("show")
def show(
    product_id: Annotated[str, typer.Argument(metavar="ID", help=_("A product id."))],
    workspace: OptionalWorkspaceOpt = None,
    catalog: CatalogOpt = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Everything the catalog says about one product, with its sources."""
    loaded = load(workspace, catalog)
    product = loaded.products.get(product_id)
    if product is None:
        guess = did_you_mean(loaded, product_id)
        raise UsageError(
            _("unknown product {id!r}").format(id=product_id)
            + (_("; did you mean {guess!r}?").format(guess=guess) if guess else ""),
            tip=_("find ids with: xinchuang catalog search TEXT"),
        )
    detail = product_detail(loaded, product)
    if fmt is Format.JSON:
        emit_json(detail)
        return
    out = stdout()
    out.print(
        f"[bold]{product.name.en}[/bold]" + (f"  {product.name.zh}" if product.name.zh else "")
    )
    fields = [
        (_("ID"), detail["id"]),
        (_("Vendor"), f"{detail['vendor_name']} ({detail['vendor']}, {detail['country']})"),
        (_("Layer"), detail["layer"]),
        (_("Control"), detail["control"]),
        (_("Domestic"), _("yes") if detail["domestic"] else _("no")),
        (_("Instruction sets"), ", ".join(detail["isa"]) or "—"),
        (
            _("Listed"),
            ", ".join(
                f"{e['list']} {e['batch']} {e.get('level') or ''}".strip()
                for e in detail["listings"]
            )
            or "—",
        ),
        (_("Aliases"), ", ".join(detail["aliases"]) or "—"),
        (_("Unconfirmed"), ", ".join(detail["unconfirmed"]) or "—"),
        (_("Defined in"), detail["origin"]),
    ]
    for label, value in fields:
        out.print(f"{label}: {value}", markup=False)
    source_label, export_label = _("source"), _("Export control")
    candidates_label, replaces_label = _("Domestic candidates"), _("Replaces")
    certified_label = _("Certified with")
    for fact, urls in detail["sources"].items():
        facts = {"source": urls, "quotes": detail["quotes"].get(fact, [])}
        for entry in _entry_sources(facts):
            _print_source(out, f"{source_label} [{fact}]", entry)
    for entry in detail["listings"]:
        label = f"{source_label} [{entry['list']} {entry['batch']}]"
        for source in _entry_sources(entry):
            _print_source(out, label, source)
        if entry.get("contested"):
            for source in _entry_sources(entry["contested"]):
                _print_source(out, label + " " + _("contested by"), source)
    if detail["export_controls"]:
        for entry in detail["export_controls"]:
            dates = [
                _("announced {date}").format(date=entry[key])
                if key == "announced"
                else _("published {date}").format(date=entry[key])
                for key in ("announced", "published")
                if entry.get(key)
            ]
            extra = f" ({', '.join(dates)})" if dates else ""
            out.print(f"{export_label}: {entry['list']} {entry['date']}{extra}", markup=False)
            for source in _entry_sources(entry):
                _print_source(out, f"{source_label} [{entry['list']}]", source)
    if detail["substitutes"]:
        names = ", ".join(c["product"] for c in detail["substitutes"])
        out.print(f"{candidates_label}: {names}", markup=False)
    if detail["substitute_for"]:
        names = ", ".join(c["foreign"] for c in detail["substitute_for"])
        out.print(f"{replaces_label}: {names}", markup=False)
    if detail["certifications"]:
        partners = ", ".join(sorted({c["with"] for c in detail["certifications"]}))
        out.print(f"{certified_label}: {partners}", markup=False)


KindOpt = Annotated[
    str | None,
    typer.Option(
        "--kind",
        help=_("Only facts of this kind: {kinds}.").format(kinds=", ".join(FACT_KINDS)),
    ),
]


@app.command("audit")
def audit(
    sample: Annotated[int, typer.Option("--sample", min=1, help=_("How many facts to draw."))] = 50,
    seed: Annotated[int, typer.Option("--seed", help=_("The seed of the draw."))] = 1,
    kind: KindOpt = None,
    status: Annotated[
        str,
        typer.Option(
            "--status",
            help=_(
                "Draw from: sourced (quoted or not, the default), quoted, unquoted, "
                "unconfirmed or all."
            ),
        ),
    ] = "sourced",
    workspace: OptionalWorkspaceOpt = None,
    catalog: CatalogOpt = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """A reproducible random sample of facts with their sources and quotes, to check by hand.

    The same seed over the same catalog revision draws the same facts.
    """
    if status not in ("sourced", "quoted", "unquoted", "unconfirmed", "all"):
        raise UsageError(
            _("unknown status {status!r}").format(status=status),
            tip=_("one of: sourced, quoted, unquoted, unconfirmed, all"),
        )
    loaded = load(workspace, catalog)
    chosen: StatusFilter = status  # type: ignore[assignment]
    facts, eligible = sample_facts(loaded, sample, seed, kind=kind, status=chosen)
    views = [fact_view(fact) for fact in facts]
    if fmt is Format.JSON:
        emit_json(
            {
                "revision": loaded.revision,
                "seed": seed,
                "kind": kind,
                "status": status,
                "eligible": eligible,
                "sample": views,
            }
        )
        return
    out = stdout()
    out.print(
        _("{count} of {eligible} facts, seed {seed}, catalog {revision}").format(
            count=len(views), eligible=eligible, seed=seed, revision=loaded.revision
        ),
        markup=False,
    )
    for number, view in enumerate(views, start=1):
        out.print("", markup=False)
        out.print(f"{number}. [{view['kind']}] {view['claim']}  ({view['status']})", markup=False)
        out.print(f"   {view['file']} {view['field']}", markup=False)
        for source in view["sources"]:
            _print_source(out, _("source"), source)
            if source["not_a_source"]:
                out.print(
                    "      " + _("not a source: {why}").format(why=source["not_a_source"]),
                    markup=False,
                )
        if view["contested"]:
            out.print("   " + _("contested by") + f": {view['contested']['note']}", markup=False)
            for source in view["contested"]["sources"]:
                _print_source(out, _("source"), source)
