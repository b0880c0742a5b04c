"""Rows of one source that name one machine: repeated rows counted once, conflicts refused.

Reconciliation merges records that name one machine, which is right across
sources (the register and a host scan of the same server) but hides mistakes
inside one: a register that lists an asset number twice with two hostnames,
CPUs or operating systems would become one host with two of each, an
identical row would be counted twice, and a row whose serial number belongs
to another asset would be merged into it and lose its asset number. The
policy, for rows with a row number (registers, RVTools, CSV/XLSX):

- **a repeated row** — one that names a machine an earlier row of the same
  source named, and adds nothing that row did not say — is imported once and
  listed as merged (IMP213);
- **a conflicting row** — one whose asset number, serial number or hostname
  names a machine that an earlier row of the same source described otherwise
  (another hostname or serial, another machine, CPU or operating system), or
  whose asset number disagrees with the machine its serial number or hostname
  already belongs to, in any source — is a bad row (IMP212): the import is
  refused, or under ``--skip-bad-rows`` the first row wins and this one is
  listed as skipped.

A row that adds to a machine (a licence register's next program for the same
host) is neither: it is imported as usual.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import Protocol

from xinchuang.errors import Issue
from xinchuang.i18n import _
from xinchuang.ingest.base import ReadOptions, Record
from xinchuang.models.asset import AssetKind, AssetRecord, HostKey
from xinchuang.store.tables import assets, hosts

HARDWARE_KINDS = frozenset({AssetKind.MACHINE, AssetKind.CPU, AssetKind.OS})
"""What a machine has one of: two rows that disagree on these describe two machines."""


def rows_of(records: Iterable[Record]) -> Iterator[list[Record]]:
    """The records a reader yields, grouped by the row they came from (consecutive)."""
    for _key, group in groupby(records, key=_row_key):
        yield list(group)


def _row_key(record: Record) -> object:
    where = record.provenance
    if where.row is None:
        return object()  # no row: every record stands alone
    return (where.file, where.sheet, where.row)


@dataclass
class _Seen:
    """What the first rows of a source said about one machine."""

    row: str
    key: HostKey
    hardware: dict[AssetKind, tuple[str, str | None]] = field(default_factory=dict)
    # hashes of what the rows said (kind, name, version, vendor): a register of a million
    # installations keeps a million ints here, not a million tuples of strings
    said: set[int] = field(default_factory=set)


def _fold(value: str | None) -> str | None:
    return value.strip().split(".", 1)[0].casefold() if value and value.strip() else None


def _signature(record: AssetRecord) -> int:
    return hash((record.kind.value, record.name, record.version, record.vendor))


def _column_limits() -> dict[str, int]:
    limits = {"name": MAX_NAME_LENGTH}
    for table, names in ((assets, ("unit", "version", "vendor")), (hosts, HOST_KEY_FIELDS)):
        for name in names:
            length = getattr(table.c[name].type, "length", None)
            if length:
                limits[name] = int(length)
    return limits


MAX_NAME_LENGTH = 4_000
"""A name is stored as unbounded text; no product, host or system name comes near this."""
HOST_KEY_FIELDS = ("asset_no", "serial", "hostname")
FIELD_LIMITS = _column_limits()
"""The longest value each stored field may have: the workspace schema's own lengths."""


def _stored_values(record: Record) -> Iterator[tuple[str, str | None]]:
    yield "name", record.name
    if isinstance(record, AssetRecord):
        yield "unit", record.unit
        yield "version", record.version
        yield "vendor", record.vendor
        if record.host is not None:
            for name in HOST_KEY_FIELDS:
                yield name, getattr(record.host, name)


class HostFinder(Protocol):
    """What the checks need of the import's host index."""

    known: dict[int, dict[str, str | None]]

    def find(self, key: HostKey, unit: str) -> int | None: ...


def _row_host(group: list[Record], default_unit: str) -> tuple[HostKey, str] | None:
    for record in group:
        if isinstance(record, AssetRecord) and record.host and not record.host.is_empty():
            unit = record.unit.strip() if record.unit and record.unit.strip() else default_unit
            return record.host, unit
    return None


def _label(record: Record) -> str:
    where = record.provenance
    return f"[{where.sheet}] row {where.row}" if where.sheet else f"row {where.row}"


@dataclass
class RowChecks:
    """Checks each row of one source against the earlier rows that named the same machine."""

    file: str
    options: ReadOptions
    merged: list[Issue] = field(default_factory=list)
    _seen: dict[int, _Seen] = field(default_factory=dict)

    def records(
        self, records: Iterable[Record], hosts: HostFinder, default_unit: str
    ) -> Iterator[Record]:
        """The records to import, row by row; each row is checked before it is yielded.

        The caller imports each record before asking for the next, so once a row's
        records are yielded its machine exists in ``hosts``.
        """
        for group in rows_of(records):
            if not self._short_enough(group):
                continue
            where = _row_host(group, default_unit)
            found = hosts.find(*where) if where else None
            known = hosts.known[found]["asset_no"] if found is not None else None
            admitted = self.admit(group, found, known)
            yield from admitted
            if admitted and where:
                self.remember(admitted, hosts.find(*where))

    def admit(
        self,
        group: list[Record],
        host_id: int | None,
        known_asset_no: str | None,
    ) -> list[Record]:
        """The records of ``group`` to import: all, or none for a repeated or refused row.

        ``host_id`` is the machine the row's host key finds before the row is imported
        (None for a new one), ``known_asset_no`` that machine's asset number.
        """
        machine_records = [r for r in group if isinstance(r, AssetRecord) and r.host]
        if not machine_records or host_id is None or group[0].provenance.row is None:
            return group
        first = machine_records[0]
        key = first.host
        assert key is not None
        row = _label(first)
        if key.asset_no and known_asset_no and _fold(key.asset_no) != _fold(known_asset_no):
            self._refuse(
                row,
                _(
                    "asset number {asset_no} names a machine that is already asset "
                    "{other} (same serial number or hostname)"
                ).format(asset_no=key.asset_no, other=known_asset_no),
            )
            return []
        seen = self._seen.get(host_id)
        if seen is None:
            return group
        differences = [
            _("{field} {this} (row {first} says {other})").format(
                field=name, this=this, first=seen.row, other=other
            )
            for name, this, other in (
                (_("hostname"), key.hostname, seen.key.hostname),
                (_("serial number"), key.serial, seen.key.serial),
            )
            if _fold(this) and _fold(other) and _fold(this) != _fold(other)
        ]
        for record in machine_records:
            before = seen.hardware.get(record.kind)
            now = (record.name, record.version)
            if record.kind in HARDWARE_KINDS and before is not None and before != now:
                differences.append(
                    _("{kind} {this} (row {first} says {other})").format(
                        kind=record.kind.value,
                        this=" ".join(p for p in now if p),
                        first=seen.row,
                        other=" ".join(p for p in before if p),
                    )
                )
        if differences:
            self._refuse(
                row,
                _("names the machine of {first} but describes another: {differences}").format(
                    first=seen.row, differences="; ".join(differences)
                ),
            )
            return []
        if {_signature(r) for r in machine_records} <= seen.said:
            self.merged.append(
                Issue(
                    self.file,
                    _("repeats {first} (same machine, nothing new): counted once").format(
                        first=seen.row
                    ),
                    "IMP213",
                    position=row,
                )
            )
            return []
        return group

    def remember(self, group: list[Record], host_id: int | None) -> None:
        """Note what an imported row said about its machine."""
        if host_id is None or group[0].provenance.row is None:
            return
        machine_records = [r for r in group if isinstance(r, AssetRecord) and r.host]
        if not machine_records:
            return
        key = machine_records[0].host
        assert key is not None
        seen = self._seen.setdefault(host_id, _Seen(row=_label(machine_records[0]), key=key))
        for record in machine_records:
            seen.said.add(_signature(record))
            if record.kind in HARDWARE_KINDS:
                seen.hardware.setdefault(record.kind, (record.name, record.version))

    def _short_enough(self, group: list[Record]) -> bool:
        """False (and the row rejected) when a value is longer than its column holds."""
        for record in group:
            for name, value in _stored_values(record):
                limit = FIELD_LIMITS.get(name)
                if limit is not None and value is not None and len(value) > limit:
                    where = record.provenance
                    row = _label(record) if where.row is not None else (where.locator or "")
                    self.options.reject(
                        Issue(
                            self.file,
                            _("{field} is {length:,} characters long; at most {limit:,}").format(
                                field=name, length=len(value), limit=limit
                            ),
                            "IMP214",
                            position=row or None,
                            field=name,
                        )
                    )
                    return False
        return True

    def _refuse(self, row: str, message: str) -> None:
        self.options.reject(Issue(self.file, message, "IMP212", position=row))
