"""``import``: read sources, reconcile hosts, identify, and save — all in one transaction.

A source is known by (unit, name), its name being the file's path below the folder
imported (or its file name when given directly); importing it again, or the same file
under another name, replaces everything it brought before, so nothing is counted twice.
One machine is one host however many sources mention it: records are reconciled by asset
number, then serial number, then hostname (within the unit; never onto a machine with
another asset or serial number), and each fact about a host keeps the source that gave
it. Rows of one source that name one machine are checked by
:mod:`xinchuang.pipeline.row_checks`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, func, or_, select, update

from xinchuang.catalog.identify import Identifier
from xinchuang.catalog.mapping import Curator
from xinchuang.catalog.model import Catalog
from xinchuang.errors import DataError, Issue, UsageError
from xinchuang.filenames import shown
from xinchuang.i18n import _
from xinchuang.ingest.base import Reader, ReadOptions, detect, readers
from xinchuang.metrics.tiers import sector_id, tier_of_sector
from xinchuang.models.asset import AssetRecord, HostKey, SystemRecord
from xinchuang.models.catalog import PolicyProfile
from xinchuang.pipeline.mapping_rows import load_mappings
from xinchuang.pipeline.row_checks import RowChecks
from xinchuang.pipeline.workspace import Workspace
from xinchuang.plan.warnings import PlanWarning, dangling_warnings, sector_warnings
from xinchuang.store.tables import (
    assets,
    host_facts,
    hosts,
    sources,
    system_assets,
    system_dependencies,
    systems,
)

BATCH = 5000
HEAD_BYTES = 64 * 1024
DEFAULT_UNIT = "default"


@dataclass
class SourceResult:
    """What one file brought."""

    path: str
    name: str
    unit: str
    format: str
    encoding: str | None
    records: int = 0
    assets: int = 0
    systems: int = 0
    hosts_new: int = 0
    hosts_matched: int = 0
    identified: int = 0
    replaced: bool = False
    replaces: list[str] = field(default_factory=list)  # what it replaced, for people
    merged: list[Issue] = field(default_factory=list)  # repeated rows counted once
    skipped: list[Issue] = field(default_factory=list)


@dataclass
class ImportResult:
    """What an import did, file by file."""

    sources: list[SourceResult]
    catalog_revision: str
    passed_over: list[str] = field(default_factory=list)
    warnings: list[PlanWarning] = field(default_factory=list)  # systems that name what is not there


def named_paths(
    paths: Sequence[Path], forced: str | None
) -> tuple[list[tuple[Path, str]], list[str]]:
    """Every file to import with its source name, and the files passed over.

    A file named directly is known by its file name; a file found inside a directory by
    its path relative to that directory (``branch-a/hosts.csv``), so two files with one
    name in different subfolders are two sources. When two files of one import would
    still share a name, each is named by its path below their common folder; the same
    file given twice is imported once.
    """
    named: list[tuple[Path, str]] = []
    passed_over: list[str] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if any(part.startswith(".") for part in child.relative_to(path).parts):
                    continue
                if forced is None:
                    with child.open("rb") as handle:
                        if detect(child, handle.read(HEAD_BYTES)) is None:
                            passed_over.append(shown(child))
                            continue
                named.append((child, shown(child.relative_to(path).as_posix())))
        elif path.is_file():
            named.append((path, shown(path.name)))
        else:
            raise UsageError(_("{path}: no such file").format(path=path))
    if not named:
        raise UsageError(_("nothing to import in {paths}").format(paths=", ".join(map(str, paths))))
    unique: dict[Path, tuple[Path, str]] = {}
    for path, name in named:
        unique.setdefault(path.resolve(), (path, name))
    named = list(unique.values())
    by_name: dict[str, list[int]] = {}
    for index, (_path, name) in enumerate(named):
        by_name.setdefault(name, []).append(index)
    for indexes in by_name.values():
        if len(indexes) > 1:
            resolved = [named[i][0].resolve() for i in indexes]
            common = Path(os.path.commonpath([str(r.parent) for r in resolved]))
            for i, full in zip(indexes, resolved, strict=True):
                named[i] = (named[i][0], shown(full.relative_to(common).as_posix()))
    return named, passed_over


def parse_column_map(text: str | None) -> dict[str, str]:
    """``--map "资产号=asset_no,Proc=cpu"`` → {header: field}."""
    if not text:
        return {}
    mapping: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise UsageError(
                _("--map: {part!r} is not HEADER=FIELD").format(part=part.strip()),
                tip=_('example: --map "资产号=asset_no,Processor=cpu"'),
            )
        header, target = part.split("=", 1)
        mapping[header.strip()] = target.strip()
    return mapping


def choose_reader(path: Path, forced: str | None) -> type[Reader]:
    """The reader for a file: the one named with --as, else the one most sure of its content."""
    if forced:
        return readers.get(forced)
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    reader = detect(path, head)
    if reader is None:
        raise UsageError(
            _("{path}: cannot tell the format of this file").format(path=path),
            tip=_("name it with --as FORMAT (one of: {known})").format(
                known=", ".join(readers.keys())
            ),
        )
    return reader


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def short_hostname(hostname: str) -> str:
    """The comparable form of a hostname: no domain, case-folded.

    RVTools reports FQDNs (``jc-app-001.jcbank.local``), registers and Linux scans
    short names, Windows scans upper case: all are one machine.
    """
    return hostname.strip().split(".", 1)[0].casefold()


class HostIndex:
    """Finds and creates hosts inside the import's transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.by_asset_no: dict[str, int] = {}
        self.by_serial: dict[str, int] = {}
        self.by_hostname: dict[tuple[str, str], int] = {}
        self.by_hostname_any: dict[str, set[int]] = {}
        self.asset_ids: dict[int, str] = {}
        self.taken_ids: set[str] = set()  # the values of asset_ids: a set, for linear time
        self.has_asset_no: set[int] = set()
        # what the database holds for each host, so reconciling needs no query per record
        self.known: dict[int, dict[str, str | None]] = {}
        for row in connection.execute(
            select(
                hosts.c.id,
                hosts.c.asset_id,
                hosts.c.unit,
                hosts.c.asset_no,
                hosts.c.serial,
                hosts.c.hostname,
            )
        ):
            self._index(row.id, row.asset_id, row.unit, row.asset_no, row.serial, row.hostname)

    def _index(
        self,
        host_id: int,
        asset_id: str,
        unit: str,
        asset_no: str | None,
        serial: str | None,
        hostname: str | None,
    ) -> None:
        self.asset_ids[host_id] = asset_id
        self.taken_ids.add(asset_id)
        state = self.known.setdefault(
            host_id,
            {
                "asset_id": asset_id,
                "unit": unit,
                "asset_no": None,
                "serial": None,
                "hostname": None,
            },
        )
        state["asset_id"] = asset_id
        for name, value in (("asset_no", asset_no), ("serial", serial), ("hostname", hostname)):
            if value:
                state[name] = value
        if asset_no:
            self.by_asset_no[asset_no.casefold()] = host_id
            self.has_asset_no.add(host_id)
        if serial:
            self.by_serial[serial.casefold()] = host_id
        if hostname:
            self.by_hostname[(unit, short_hostname(hostname))] = host_id
            self.by_hostname_any.setdefault(short_hostname(hostname), set()).add(host_id)

    def find(self, key: HostKey, unit: str) -> int | None:
        """Asset number, then serial, then hostname: within the unit, else unique overall."""
        if key.asset_no and key.asset_no.casefold() in self.by_asset_no:
            return self.by_asset_no[key.asset_no.casefold()]
        if key.serial and key.serial.casefold() in self.by_serial:
            return self.by_serial[key.serial.casefold()]
        if key.hostname:
            short = short_hostname(key.hostname)
            found: int | None = None
            if (unit, short) in self.by_hostname:
                found = self.by_hostname[(unit, short)]
            else:
                # A scan imported under another unit still finds the register's machine,
                # as long as no other machine anywhere has that hostname.
                candidates = self.by_hostname_any.get(short, set())
                if len(candidates) == 1:
                    found = next(iter(candidates))
            # Hostnames repeat (every default Windows install is DESKTOP-…, many PCs are
            # "admin-PC"): a machine with another asset or serial number is another machine.
            if found is not None and not self._contradicts(found, key):
                return found
        return None

    def _contradicts(self, host_id: int, key: HostKey) -> bool:
        known = self.known[host_id]
        return any(
            mine and theirs and mine.casefold() != theirs.casefold()
            for mine, theirs in (
                (key.asset_no, known["asset_no"]),
                (key.serial, known["serial"]),
            )
        )

    def resolve(self, key: HostKey, unit: str) -> tuple[int, bool]:
        """The host for ``key`` (created when new); True when it already existed."""
        host_id = self.find(key, unit)
        if host_id is not None:
            self._enrich(host_id, key, unit)
            return host_id, True
        asset_id = key.asset_no or (
            f"SN-{key.serial}" if key.serial else f"HOST-{unit}-{key.hostname}"
        )
        if asset_id in self.taken_ids:
            suffix = len(self.asset_ids) + 1
            while f"{asset_id}-{suffix}" in self.taken_ids:
                suffix += 1
            asset_id = f"{asset_id}-{suffix}"
        host_id = self.connection.execute(
            hosts.insert().values(
                asset_id=asset_id,
                unit=unit,
                asset_no=key.asset_no,
                serial=key.serial,
                hostname=key.hostname,
            )
        ).inserted_primary_key[0]  # type: ignore[index]
        self._index(host_id, asset_id, unit, key.asset_no, key.serial, key.hostname)
        return host_id, False

    def _enrich(self, host_id: int, key: HostKey, unit: str) -> None:
        values: dict[str, Any] = {}
        row = self.known[host_id]
        if key.asset_no and not row["asset_no"]:
            # The register's asset number becomes the host's stable id.
            values["asset_no"] = key.asset_no
            values["asset_id"] = key.asset_no
        if key.serial and not row["serial"]:
            values["serial"] = key.serial
        if key.hostname and not row["hostname"]:
            values["hostname"] = key.hostname
        if values:
            self.connection.execute(update(hosts).where(hosts.c.id == host_id).values(**values))
            self._index(
                host_id,
                values.get("asset_id", row["asset_id"]) or "",
                row["unit"] or unit,
                values.get("asset_no"),
                values.get("serial"),
                values.get("hostname"),
            )


_HOST_FACT_FIELDS = ("hostname", "serial", "asset_no")


def _host_facts(record: AssetRecord, key: HostKey) -> Iterator[tuple[str, str]]:
    for name in _HOST_FACT_FIELDS:
        value = getattr(key, name)
        if value:
            yield name, value
    if record.kind.value == "machine":
        for name in ("dmi_vendor", "dmi_product", "machine_type", "arch", "department"):
            value = getattr(record, name)
            if value:
                yield name, str(value)
        yield "model", " ".join(p for p in (record.vendor, record.name) if p)
    elif record.kind.value in {"cpu", "os"}:
        yield record.kind.value, " ".join(p for p in (record.name, record.version) if p)


def _asset_row(
    record: AssetRecord,
    source_id: int,
    host_id: int | None,
    unit: str,
    match: Any,
    revision: str,
) -> dict[str, Any]:
    identifiers = {
        name: getattr(record, name)
        for name in (
            "purl",
            "cpe",
            "package_type",
            "arch",
            "cpu_vendor_id",
            "arm_implementer",
            "arm_part",
            "os_id",
            "dmi_vendor",
            "dmi_product",
            "machine_type",
        )
        if getattr(record, name)
    }
    return {
        "source_id": source_id,
        "host_id": host_id,
        "unit": unit,
        "kind": record.kind.value,
        "name": record.name,
        "version": record.version,
        "vendor": record.vendor,
        "identifiers": identifiers,
        "raw": record.raw,
        "sheet": record.provenance.sheet,
        "row": record.provenance.row,
        "locator": record.provenance.locator,
        "value": record.value,
        "currency": record.currency,
        **match_columns(match),
        "catalog_revision": revision,
    }


def match_columns(match: Any) -> dict[str, Any]:
    """The ``assets`` columns one identification result fills (re-identification too)."""
    level = getattr(match, "level", "product" if match.product_id else "none")
    return {
        "product_id": match.product_id,
        "confidence": match.confidence if level != "none" else None,
        "reason": match.reason or None,
        "match_level": level,
        "match_origin": getattr(match, "origin", None),
        "match_layer": getattr(match, "layer", None),
        "match_family": getattr(match, "family", None),
        "match_vendor": getattr(match, "vendor", None),
        "match_by_cpu": bool(getattr(match, "cpu_decides", False)),
    }


def _remove_source(connection: Connection, source_id: int) -> None:
    """Delete what a source brought (explicitly: SQLite needs no cascade support for this)."""
    system_ids = select(systems.c.id).where(systems.c.source_id == source_id)
    connection.execute(delete(system_assets).where(system_assets.c.system_id.in_(system_ids)))
    connection.execute(
        delete(system_dependencies).where(system_dependencies.c.system_id.in_(system_ids))
    )
    connection.execute(delete(systems).where(systems.c.source_id == source_id))
    connection.execute(delete(assets).where(assets.c.source_id == source_id))
    connection.execute(delete(host_facts).where(host_facts.c.source_id == source_id))
    connection.execute(delete(sources).where(sources.c.id == source_id))


def _drop_orphan_hosts(connection: Connection) -> None:
    used = select(assets.c.host_id).where(assets.c.host_id.is_not(None))
    with_facts = select(host_facts.c.host_id)
    connection.execute(
        delete(hosts).where(hosts.c.id.not_in(used)).where(hosts.c.id.not_in(with_facts))
    )


def _split(values: Iterable[str]) -> list[str]:
    return [v.strip() for v in values if v and v.strip()]


def import_files(
    workspace: Workspace,
    paths: Sequence[Path],
    *,
    unit: str | None = None,
    forced_format: str | None = None,
    source_name: str | None = None,
    column_map: dict[str, str] | None = None,
    skip_bad_rows: bool = False,
    on_record: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import every file in one transaction; on any error nothing is written."""
    named, passed_over = named_paths(paths, forced_format)
    catalog: Catalog = workspace.catalog
    identifier: Any = Identifier.from_catalog(catalog)
    policy = catalog.policies.get(workspace.settings.policy) or catalog.policies["default"]
    results: list[SourceResult] = []
    now = dt.datetime.now(dt.UTC)
    if source_name and len(named) > 1:
        raise UsageError(_("--source names one file; give one PATH with it"))
    with workspace.engine.begin() as connection:
        # the workspace's curation mappings go ahead of the kernel (pipeline/curation.py)
        mapped = Curator(identifier, catalog, load_mappings(connection))
        if mapped:
            identifier = mapped
        host_index = HostIndex(connection)
        imported_systems: list[SystemRecord] = []
        for path, found_name in named:
            reader_cls = choose_reader(path, forced_format)
            source_unit = unit or DEFAULT_UNIT
            name = source_name or found_name
            result = SourceResult(
                path=shown(path), name=name, unit=source_unit, format=reader_cls.key, encoding=None
            )
            # The same source again: by its name in the unit, or the same file imported
            # under another name (first from its folder, then on its own).
            previous = connection.execute(
                select(sources.c.id, sources.c.name, sources.c.path, sources.c.imported_at).where(
                    sources.c.unit == source_unit,
                    or_(sources.c.name == name, sources.c.path == shown(path.resolve())),
                )
            ).all()
            for old in previous:
                _remove_source(connection, old.id)
                result.replaced = True
                result.replaces.append(
                    _("{name} imported {when:%Y-%m-%d %H:%M}").format(
                        name=old.name, when=old.imported_at
                    )
                )
            source_id = connection.execute(
                sources.insert().values(
                    unit=source_unit,
                    name=name,
                    path=shown(path.resolve()),
                    format=reader_cls.key,
                    sha256=_sha256(path),
                    imported_at=now,
                    imported_by=workspace.user(),
                    rows_read=0,
                    rows_imported=0,
                    rows_skipped=0,
                    errors=[],
                )
            ).inserted_primary_key[0]  # type: ignore[index]
            options = ReadOptions(column_map=dict(column_map or {}), skip_bad_rows=skip_bad_rows)
            batch: list[dict[str, Any]] = []
            facts: list[dict[str, Any]] = []
            system_records: list[SystemRecord] = []
            seen_hosts: set[int] = set()
            checks = RowChecks(shown(path), options)
            for record in checks.records(reader_cls().read(path, options), host_index, source_unit):
                result.records += 1
                if on_record:
                    on_record(1)
                if isinstance(record, SystemRecord):
                    system_records.append(record)
                    continue
                record_unit = _clean(record.unit) or source_unit
                host_id = None
                if record.host is not None and not record.host.is_empty():
                    host_id, existed = host_index.resolve(record.host, record_unit)
                    if host_id not in seen_hosts:
                        seen_hosts.add(host_id)
                        if existed:
                            result.hosts_matched += 1
                        else:
                            result.hosts_new += 1
                    for fact, value in _host_facts(record, record.host):
                        facts.append(
                            {
                                "host_id": host_id,
                                "source_id": source_id,
                                "field": fact,
                                "value": value,
                            }
                        )
                match = identifier.identify(record)
                if match.product_id:
                    result.identified += 1
                batch.append(
                    _asset_row(record, source_id, host_id, record_unit, match, catalog.revision)
                )
                if len(batch) >= BATCH:
                    connection.execute(assets.insert(), batch)
                    result.assets += len(batch)
                    batch.clear()
                if len(facts) >= BATCH:
                    connection.execute(host_facts.insert(), _dedupe(facts))
                    facts.clear()
            if batch:
                connection.execute(assets.insert(), batch)
                result.assets += len(batch)
            if facts:
                connection.execute(host_facts.insert(), _dedupe(facts))
            imported_systems.extend(system_records)
            result.systems = _save_systems(
                connection,
                system_records,
                source_id,
                source_unit,
                policy_tier=lambda s: tier_of_sector(policy, s),
            )
            result.skipped = list(options.skipped)
            result.merged = list(checks.merged)
            result.encoding = options.encoding
            connection.execute(
                update(sources)
                .where(sources.c.id == source_id)
                .values(
                    rows_read=result.records,
                    rows_imported=result.records - len(result.skipped),
                    rows_skipped=len(result.skipped),
                    errors=[str(issue) for issue in result.skipped],
                    encoding=options.encoding,
                )
            )
            results.append(result)
        _drop_orphan_hosts(connection)
        warnings = _systems_warnings(connection, imported_systems, policy)
    return ImportResult(
        sources=results,
        catalog_revision=catalog.revision,
        passed_over=passed_over,
        warnings=warnings,
    )


def _systems_warnings(
    connection: Connection, records: list[SystemRecord], policy: PolicyProfile
) -> list[PlanWarning]:
    """What the systems imported now name but the workspace does not have, once every
    file of the import is in (a register listed after the systems file still counts)."""
    if not records:
        return []
    known_hosts = {
        value
        for row in connection.execute(select(hosts.c.asset_id, hosts.c.asset_no, hosts.c.hostname))
        for value in row
        if value
    }
    known_systems = {row.name for row in connection.execute(select(systems.c.name))}
    warnings = sector_warnings(
        (
            (r.name, _clean(r.unit) or DEFAULT_UNIT, r.sector, sector_id(policy, r.sector))
            for r in records
        ),
        policy.id,
        policy.default_tier,
    )
    warnings += dangling_warnings(
        [(r.name, ref) for r in records for ref in _split(r.hosts)],
        known_hosts,
        [(r.name, dep) for r in records for dep in _split(r.depends_on)],
        known_systems,
    )
    return warnings


def _dedupe(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for row in rows:
        key = (row["host_id"], row["source_id"], row["field"], row["value"])
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out


def _save_systems(
    connection: Connection,
    records: list[SystemRecord],
    source_id: int,
    default_unit: str,
    policy_tier: Callable[[str | None], str],
) -> int:
    if not records:
        return 0
    names: dict[tuple[str, str], SystemRecord] = {}
    for record in records:
        unit = _clean(record.unit) or default_unit
        key = (unit, record.name.strip())
        if key in names:
            raise DataError(
                "",
                [
                    Issue(
                        str(record.provenance),
                        _("system {name!r} is listed twice (first at {first})").format(
                            name=record.name, first=names[key].provenance
                        ),
                        "IMP020",
                    )
                ],
            )
        names[key] = record
        clash = connection.execute(
            select(sources.c.name)
            .join(systems, systems.c.source_id == sources.c.id)
            .where(systems.c.unit == unit, systems.c.name == key[1])
        ).scalar_one_or_none()
        if clash is not None:
            raise DataError(
                "",
                [
                    Issue(
                        str(record.provenance),
                        _(
                            "system {name!r} of unit {unit!r} is already defined by "
                            "source {other!r}"
                        ).format(name=key[1], unit=unit, other=clash),
                        "IMP021",
                    )
                ],
                tip=_("import the systems of a unit from one file"),
            )
    for (unit, name), record in names.items():
        system_id = connection.execute(
            systems.insert().values(
                source_id=source_id,
                name=name,
                unit=unit,
                sector=record.sector,
                tier=policy_tier(record.sector),
                criticality=record.criticality,
                software=_split(record.software),
                raw=record.raw,
            )
        ).inserted_primary_key[0]  # type: ignore[index]
        refs = sorted(set(_split(record.hosts)))
        if refs:
            connection.execute(
                system_assets.insert(), [{"system_id": system_id, "asset_ref": r} for r in refs]
            )
        deps = sorted(set(_split(record.depends_on)))
        if deps:
            connection.execute(
                system_dependencies.insert(),
                [{"system_id": system_id, "depends_on": d} for d in deps],
            )
    return len(names)


def count_assets(connection: Connection) -> int:
    """How many asset rows the workspace holds."""
    return int(connection.execute(select(func.count()).select_from(assets)).scalar_one())
