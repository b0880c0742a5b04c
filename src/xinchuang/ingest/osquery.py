"""osquery results: ``osqueryi --json`` arrays and the osqueryd JSON-lines results log.

Tables read (osquery schema, https://osquery.io/schema): ``system_info``
(hostname, hardware vendor/model/serial, ``cpu_brand``), ``cpu_info``,
``os_version``, ``deb_packages``, ``rpm_packages`` and ``programs`` (Windows).

- An ``osqueryi --json "select * from TABLE"`` file is one JSON array of rows
  of one table; the table is recognized by its columns. Its rows name no
  host unless the query added one (``select (select hostname from
  system_info) as hostname, * from deb_packages``); rows without a host
  column are read with no host. ``system_info`` rows always name theirs.
- The daemon's results log has one JSON object per line: ``name`` (the
  query), ``hostIdentifier``, and the rows as ``columns`` with an ``action``
  (``added``/``removed``: differential results), as ``snapshot`` (action
  ``snapshot``), or as ``diffResults`` (batch format). Lines are replayed in
  order per host and query, so what is read is each host's state at the end
  of the log. Hosts are keyed by ``system_info``'s hostname and serial when
  the log has it, else by the ``hostname`` decoration, else by
  ``hostIdentifier``; each host yields a ``machine`` record. The CPU comes
  from ``cpu_info`` when the host has it, else from ``system_info.cpu_brand``.

osquery gives every value as a string (``numerics`` logs give numbers); an
empty string means no value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xinchuang.errors import DataError, Issue
from xinchuang.filenames import shown
from xinchuang.i18n import _
from xinchuang.ingest.base import Reader, ReadOptions, Record
from xinchuang.ingest.host_facts import clean_serial, machine_type
from xinchuang.ingest.json_document import json_type
from xinchuang.ingest.text import decode
from xinchuang.models.asset import AssetKind, AssetRecord, HostKey, Provenance

CODE_SYNTAX = "IMP721"
CODE_TABLE = "IMP722"
CODE_ROW = "IMP723"

TABLES = ("system_info", "cpu_info", "os_version", "deb_packages", "rpm_packages", "programs")
# Columns that only that table has, among the tables read (any one set identifies it).
SIGNATURES: dict[str, tuple[frozenset[str], ...]] = {
    "system_info": (frozenset({"hostname", "cpu_brand"}), frozenset({"hardware_vendor"})),
    "os_version": (frozenset({"name", "major", "minor", "platform"}),),
    "cpu_info": (
        frozenset({"model", "manufacturer", "number_of_cores"}),
        frozenset({"processor_type"}),
    ),
    "rpm_packages": (frozenset({"name", "version", "release"}),),
    "deb_packages": (
        frozenset({"name", "version", "revision"}),
        frozenset({"name", "maintainer", "section"}),
    ),
    "programs": (
        frozenset({"name", "publisher", "uninstall_string"}),
        frozenset({"name", "install_location"}),
        frozenset({"name", "identifying_number"}),
    ),
}
HOST_COLUMNS = ("hostname", "host_identifier", "hostIdentifier", "host")
_CPUID_VENDOR = re.compile(r"^(?:[A-Za-z]{12}|Shanghai)$")


def detect_table(columns: Iterable[str], hint: str | None = None) -> str | None:
    """The table these columns come from (a query name naming a table decides first)."""
    if hint:
        folded = hint.casefold()
        named = [table for table in TABLES if table in folded]
        if len(named) == 1:
            return named[0]
    present = set(columns)
    for table, signatures in SIGNATURES.items():
        if any(signature <= present for signature in signatures):
            return table
    return None


def _value(row: dict[str, Any], key: str) -> str | None:
    value = row.get(key)
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


def _raw(row: dict[str, Any], *keys: str) -> dict[str, str]:
    return {key: value for key in keys if (value := _value(row, key)) is not None}


@dataclass
class _Builder:
    """Turns rows of one table into records."""

    file: str
    options: ReadOptions

    def reject(self, locator: str, message: str) -> None:
        self.options.reject(Issue(self.file, message, CODE_ROW, position=locator))

    def machine(self, row: dict[str, Any], host: HostKey, locator: str) -> AssetRecord:
        vendor, model = _value(row, "hardware_vendor"), _value(row, "hardware_model")
        return AssetRecord(
            kind=AssetKind.MACHINE,
            name=host.hostname or _value(row, "computer_name") or "?",
            provenance=Provenance(self.file, locator=locator),
            host=host,
            vendor=vendor,
            arch=_value(row, "cpu_type"),
            dmi_vendor=vendor,
            dmi_product=model,
            machine_type=machine_type(vendor, model, None),
            raw=_raw(
                row,
                "uuid",
                "computer_name",
                "local_hostname",
                "hardware_version",
                "board_vendor",
                "board_model",
                "physical_memory",
            ),
        )

    def cpu_from_brand(
        self, row: dict[str, Any], host: HostKey | None, locator: str
    ) -> Iterator[AssetRecord]:
        brand = _value(row, "cpu_brand")
        if brand:
            yield AssetRecord(
                kind=AssetKind.CPU,
                name=brand,
                provenance=Provenance(self.file, locator=locator),
                host=host,
                arch=_value(row, "cpu_type"),
                raw=_raw(row, "cpu_physical_cores", "cpu_logical_cores", "cpu_subtype"),
            )

    def cpus(
        self, rows: list[tuple[str, dict[str, Any]]], host: HostKey | None
    ) -> Iterator[AssetRecord]:
        """One record per distinct CPU model (a two-socket machine has two rows of one model)."""
        sockets: dict[str, int] = {}
        first: dict[str, tuple[str, dict[str, Any]]] = {}
        for locator, row in rows:
            model = _value(row, "model")
            if model is None:
                self.reject(locator, _("a cpu_info row without a model"))
                continue
            sockets[model] = sockets.get(model, 0) + 1
            first.setdefault(model, (locator, row))
        for model, (locator, row) in first.items():
            manufacturer = _value(row, "manufacturer")
            is_cpuid = manufacturer is not None and _CPUID_VENDOR.match(manufacturer) is not None
            yield AssetRecord(
                kind=AssetKind.CPU,
                name=model,
                provenance=Provenance(self.file, locator=locator),
                host=host,
                vendor=None if is_cpuid else manufacturer,
                cpu_vendor_id=manufacturer if is_cpuid else None,
                raw={
                    "sockets": str(sockets[model]),
                    **_raw(row, "number_of_cores", "logical_processors"),
                },
            )

    def os(self, row: dict[str, Any], host: HostKey | None, locator: str) -> Iterator[AssetRecord]:
        name = _value(row, "name")
        if name is None:
            self.reject(locator, _("an os_version row without a name"))
            return
        yield AssetRecord(
            kind=AssetKind.OS,
            name=name,
            provenance=Provenance(self.file, locator=locator),
            host=host,
            version=_value(row, "version"),
            arch=_value(row, "arch"),
            os_id=_value(row, "platform"),
            raw=_raw(row, "major", "minor", "patch", "build", "codename", "platform_like"),
        )

    def package(
        self, table: str, row: dict[str, Any], host: HostKey | None, locator: str
    ) -> Iterator[AssetRecord]:
        name = _value(row, "name")
        if name is None:
            self.reject(locator, _("a {table} row without a name").format(table=table))
            return
        version = _value(row, "version")
        vendor = None
        if table == "deb_packages":
            status = _value(row, "status")
            if status is not None and not status.endswith("installed"):
                return  # removed, its configuration files left: not installed
            kind, raw = "deb", _raw(row, "source", "revision", "maintainer")
        elif table == "rpm_packages":
            if name == "gpg-pubkey":
                return  # a signing key rpm keeps in its database, not a package
            release, epoch = _value(row, "release"), _value(row, "epoch")
            if version and release:
                version = f"{version}-{release}"
            if version and epoch and epoch != "0":
                version = f"{epoch}:{version}"
            kind, raw, vendor = "rpm", _raw(row, "source", "package_group"), _value(row, "vendor")
        else:
            kind, vendor = "windows", _value(row, "publisher")
            raw = _raw(row, "install_date", "install_location", "identifying_number")
        yield AssetRecord(
            kind=AssetKind.SOFTWARE,
            name=name,
            provenance=Provenance(self.file, locator=locator),
            host=host,
            version=version,
            vendor=vendor,
            package_type=kind,
            arch=None if _value(row, "arch") == "(none)" else _value(row, "arch"),
            raw=raw,
        )


def _syntax_error(
    file: str, message: str, line: int | None, column: int | None = None
) -> DataError:
    issue = Issue(file, message, CODE_SYNTAX, line=line, column=column)
    return DataError(str(issue), [issue])


def _unknown_table(file: str, columns: Iterable[str], position: str | None = None) -> DataError:
    shown = ", ".join(sorted(columns)) or _("no columns")
    issue = Issue(
        file,
        _("rows of no osquery table this reader knows (columns: {columns})").format(columns=shown),
        CODE_TABLE,
        position=position,
    )
    return DataError(
        str(issue),
        [issue],
        tip=_("query one of {tables} with select *").format(tables=", ".join(TABLES)),
    )


def read_array(text: str, file: str, options: ReadOptions) -> Iterator[AssetRecord]:
    """An ``osqueryi --json`` result: one array of rows of one table."""
    try:
        rows = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _syntax_error(
            file, _("not valid JSON ({reason})").format(reason=exc.msg), exc.lineno, exc.colno
        ) from exc
    if not isinstance(rows, list):
        raise _syntax_error(file, _("expected a JSON array of rows"), None)
    objects = [row for row in rows if isinstance(row, dict)]
    columns = set().union(*(row.keys() for row in objects)) if objects else set()
    table = detect_table(columns)
    if table is None:
        raise _unknown_table(file, columns)
    builder = _Builder(file, options)
    cpu_rows: dict[HostKey | None, list[tuple[str, dict[str, Any]]]] = {}
    for index, row in enumerate(rows):
        locator = f"[{index}]"
        if not isinstance(row, dict):
            builder.reject(
                locator, _("expected an object, found {found}").format(found=json_type(row))
            )
            continue
        host_name = next((v for key in HOST_COLUMNS if (v := _value(row, key))), None)
        if table == "system_info":
            host = HostKey(serial=clean_serial(_value(row, "hardware_serial")), hostname=host_name)
            if host.is_empty():
                builder.reject(locator, _("a system_info row without a hostname"))
                continue
            yield builder.machine(row, host, locator)
            yield from builder.cpu_from_brand(row, host, locator)
            continue
        host_key = HostKey(hostname=host_name) if host_name else None
        if table == "cpu_info":
            cpu_rows.setdefault(host_key, []).append((locator, row))
        elif table == "os_version":
            yield from builder.os(row, host_key, locator)
        else:
            yield from builder.package(table, row, host_key, locator)
    for host_key, cpu_list in cpu_rows.items():
        yield from builder.cpus(cpu_list, host_key)


@dataclass
class _HostState:
    """One host's rows at the current point of the log: per query, row identity → row."""

    identifier: str
    decorated_hostname: str | None = None
    queries: dict[
        str, tuple[str, dict[tuple[tuple[str, str], ...], tuple[str, dict[str, Any]]]]
    ] = field(default_factory=dict)  # query name -> (table, rows)


def _identity(row: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((str(k), str(v)) for k, v in row.items()))


def read_log(text: str, file: str, options: ReadOptions) -> Iterator[AssetRecord]:
    """The daemon's results log (JSON lines), replayed to each host's final state."""
    hosts: dict[str, _HostState] = {}
    builder = _Builder(file, options)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            raise _syntax_error(
                file, _("not a JSON object ({reason})").format(reason=exc.msg), number, exc.colno
            ) from exc
        where = f"line {number}"
        if not isinstance(entry, dict) or not isinstance(entry.get("hostIdentifier"), str):
            options.reject(
                Issue(file, _("a results-log line without hostIdentifier"), CODE_ROW, line=number)
            )
            continue
        identifier = entry["hostIdentifier"].strip()
        state = hosts.setdefault(identifier, _HostState(identifier))
        decorations = entry.get("decorations")
        if isinstance(decorations, dict) and _value(decorations, "hostname"):
            state.decorated_hostname = _value(decorations, "hostname")
        query = str(entry.get("name") or "")
        added: list[Any] = []
        removed: list[Any] = []
        replace = False
        if isinstance(entry.get("snapshot"), list):
            added, replace = entry["snapshot"], True
        elif isinstance(entry.get("diffResults"), dict):
            diff = entry["diffResults"]
            added = diff.get("added") or []
            removed = diff.get("removed") or []
        elif isinstance(entry.get("columns"), dict):
            if entry.get("action") == "removed":
                removed = [entry["columns"]]
            else:
                added = [entry["columns"]]
        else:
            options.reject(
                Issue(
                    file,
                    _("a results-log line with no columns, snapshot or diffResults"),
                    CODE_ROW,
                    line=number,
                )
            )
            continue
        rows = [row for row in [*added, *removed] if isinstance(row, dict)]
        known = state.queries.get(query)
        table = (
            known[0]
            if known
            else detect_table(set().union(*(r.keys() for r in rows)) if rows else (), query)
        )
        if table is None:
            if rows:
                raise _unknown_table(file, set().union(*(r.keys() for r in rows)), where)
            continue
        current = {} if (replace or known is None) else known[1]
        for row in removed:
            if isinstance(row, dict):
                current.pop(_identity(row), None)
        for row in added:
            if isinstance(row, dict):
                current[_identity(row)] = (where, row)
        state.queries[query] = (table, current)
    for state in hosts.values():
        yield from _host_records(state, builder)


def _host_records(state: _HostState, builder: _Builder) -> Iterator[AssetRecord]:
    by_table: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for table, rows in state.queries.values():
        by_table.setdefault(table, []).extend(rows.values())
    system = by_table.get("system_info", [])
    system_row = system[-1][1] if system else {}
    host = HostKey(
        serial=clean_serial(_value(system_row, "hardware_serial")),
        hostname=_value(system_row, "hostname") or state.decorated_hostname or state.identifier,
    )
    locator = system[-1][0] if system else f"hostIdentifier {state.identifier}"
    yield builder.machine(system_row, host, locator)
    if by_table.get("cpu_info"):
        yield from builder.cpus(by_table["cpu_info"], host)
    elif system:
        yield from builder.cpu_from_brand(system_row, host, locator)
    for where, row in by_table.get("os_version", [])[-1:]:
        yield from builder.os(row, host, where)
    for table in ("deb_packages", "rpm_packages", "programs"):
        for where, row in by_table.get(table, []):
            yield from builder.package(table, row, host, where)


class OsqueryReader(Reader):
    """osquery results: osqueryi --json arrays or the osqueryd results log."""

    key = "osquery"
    description = _("osquery results: osqueryi --json arrays or the osqueryd JSON-lines log")
    patterns = ("osqueryd.results.log", "*.osquery.json")

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> float:
        """Sure for a results-log line; likely for an array of rows of a known table."""
        text = head.decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
        if text.startswith("{"):
            first = text.split("\n", 1)[0]
            if '"hostIdentifier"' in first and any(
                marker in first for marker in ('"columns"', '"snapshot"', '"diffResults"')
            ):
                return 0.9
            return 0.0
        if not text.startswith("["):
            return 0.0
        first_row = re.search(r"\{[^{}]*\}", text)
        if first_row is None:
            return 0.0
        try:
            row = json.loads(first_row.group(0))
        except json.JSONDecodeError:
            return 0.0
        return 0.8 if isinstance(row, dict) and detect_table(row.keys()) else 0.0

    def read(self, path: Path, options: ReadOptions) -> Iterator[Record]:
        """Yield machines, CPUs, OSes and packages."""
        display = shown(path)
        text, options.encoding = decode(path.read_bytes(), display)
        if text.lstrip("\ufeff \t\r\n").startswith("["):
            yield from read_array(text, display, options)
        else:
            yield from read_log(text, display, options)
