"""Host scans: the JSON that the shipped POSIX collector writes (format ``xinchuang-host-scan``).

The format is documented in ``docs/collectors.md``; the collector is
``xinchuang/data/collectors/xinchuang-collect.sh``. One scan is one machine
and yields:

- one ``machine`` record: hostname, serial (DMI ``product_serial``, without
  firmware placeholders) and asset number as the HostKey, DMI vendor/product
  (or the device-tree model on boards without DMI), ``uname -m``, virtual or
  physical;
- one ``cpu`` record: the model name, the x86 vendor string, the ARM
  implementer/part codes;
- one ``os`` record: os-release ``PRETTY_NAME`` (else ``NAME``), ``VERSION_ID``
  and ``ID``; hosts without os-release (CentOS 6 and older) are read from
  their ``/etc/*-release`` line;
- one ``software`` record per dpkg or rpm package.

Every field is checked for its type; a bad package entry is a bad row (refused,
or skipped with ``--skip-bad-rows``), anything else wrong refuses the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from xinchuang.errors import DataError
from xinchuang.filenames import shown
from xinchuang.i18n import _
from xinchuang.ingest.base import Reader, ReadOptions, Record
from xinchuang.ingest.host_facts import clean_serial, machine_type
from xinchuang.ingest.json_document import (
    FieldError,
    Fields,
    check_collector_format,
    head_matches,
    load_json,
)
from xinchuang.models.asset import AssetKind, AssetRecord, HostKey, Provenance

FORMAT = "xinchuang-host-scan"
VERSION = 1
PACKAGE_MANAGERS = frozenset({"deb", "rpm"})

CODE_SYNTAX = "IMP701"
CODE_FORMAT = "IMP702"
CODE_FIELD = "IMP703"
CODE_PACKAGE = "IMP704"

_RELEASE_VERSION = re.compile(r"\brelease\s+(\S+)", re.IGNORECASE)
# First words of /etc/*-release lines -> the os-release ID those systems use where they have one.
_RELEASE_IDS = (
    ("red hat enterprise linux", "rhel"),
    ("centos", "centos"),
    ("neokylin", "neokylin"),
    ("kylin", "kylin"),
    ("openeuler", "openEuler"),
    ("oracle linux", "ol"),
    ("fedora", "fedora"),
    ("anolis", "anolis"),
    ("suse", "sles"),
)


def release_line_os(line: str) -> tuple[str | None, str | None]:
    """(version, os id) read from a ``/etc/redhat-release``-style line such as
    ``CentOS release 6.10 (Final)``."""
    match = _RELEASE_VERSION.search(line)
    folded = line.casefold()
    os_id = next((os_id for prefix, os_id in _RELEASE_IDS if folded.startswith(prefix)), None)
    return (match.group(1) if match else None), os_id


def _raw(**values: str | int | bool | None) -> dict[str, str]:
    return {key: str(value) for key, value in values.items() if value is not None}


class HostScanReader(Reader):
    """One Linux host as scanned by ``xinchuang-collect.sh`` / ``xinchuang scan-host``."""

    key = "host-scan"
    description = _("host scan JSON written by the shipped POSIX collector (xinchuang scan-host)")
    patterns = ("host-scan-*.json", "*.host-scan.json")

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> float:
        """Sure when the document declares the host-scan format."""
        return 1.0 if head_matches(head, rb'"format"\s*:\s*"xinchuang-host-scan"') else 0.0

    def read(self, path: Path, options: ReadOptions) -> Iterator[Record]:
        """Yield the machine, its CPU, its OS and its packages."""
        display = shown(path)
        document, options.encoding = load_json(path, CODE_SYNTAX, _("host scan"))
        try:
            scan = Fields(document, display, "", CODE_FORMAT)
            self._check_format(scan)
            scan.code = CODE_FIELD
            host, machine = self._machine(scan, display)
            yield machine
            cpu = self._cpu(scan, host, machine.arch, display)
            if cpu is not None:
                yield cpu
            os_record = self._os(scan, host, display)
            if os_record is not None:
                yield os_record
            packages = scan.array("packages")
        except FieldError as exc:
            raise DataError(str(exc.issue), [exc.issue]) from exc
        for index, entry in enumerate(packages):
            try:
                yield self._package(scan.child(entry, f"packages[{index}]"), host, display)
            except FieldError as exc:
                options.reject(exc.issue)

    @staticmethod
    def _check_format(scan: Fields) -> None:
        check_collector_format(scan, FORMAT, VERSION, _("not a host scan: expected {expected!r}"))

    @staticmethod
    def _machine(scan: Fields, display: str) -> tuple[HostKey, AssetRecord]:
        hostname = scan.required("hostname")
        uname = scan.obj("uname")
        dmi = scan.obj("dmi")
        cpu = scan.obj("cpu")
        arch = uname.text("machine") if uname else None
        serial = clean_serial(dmi.text("product_serial")) if dmi else None
        vendor = dmi.text("sys_vendor") if dmi else None
        product = dmi.text("product_name") if dmi else None
        devicetree = scan.text("devicetree_model")
        host = HostKey(asset_no=scan.text("asset_no"), serial=serial, hostname=hostname)
        raw = _raw(
            machine_id=scan.text("machine_id"),
            collected_at=scan.text("collected_at"),
            kernel=uname.text("kernel") if uname else None,
            devicetree_model=devicetree,
        )
        if dmi:
            for field in (
                "product_version",
                "board_vendor",
                "board_name",
                "chassis_vendor",
                "chassis_asset_tag",
                "bios_vendor",
                "bios_version",
                "bios_date",
            ):
                value = dmi.text(field)
                if value:
                    raw[field] = value
        hypervisor = cpu.boolean("hypervisor") if cpu else None
        record = AssetRecord(
            kind=AssetKind.MACHINE,
            name=hostname,
            provenance=Provenance(display, locator="$"),
            host=host,
            vendor=vendor,
            arch=arch,
            dmi_vendor=vendor,
            dmi_product=product or devicetree,
            machine_type=machine_type(vendor, product, hypervisor),
            raw=raw,
        )
        return host, record

    @staticmethod
    def _cpu(scan: Fields, host: HostKey, arch: str | None, display: str) -> AssetRecord | None:
        cpu = scan.obj("cpu")
        if cpu is None:
            return None
        model = cpu.text("model_name")
        vendor_id = cpu.text("vendor_id")
        implementer = cpu.text("implementer")
        part = cpu.text("part")
        name = model or vendor_id
        if name is None and implementer:
            name = f"CPU implementer {implementer} part {part or '?'}"
        if name is None:
            return None
        return AssetRecord(
            kind=AssetKind.CPU,
            name=name,
            provenance=Provenance(display, locator="cpu"),
            host=host,
            arch=arch,
            cpu_vendor_id=vendor_id,
            arm_implementer=implementer,
            arm_part=part,
            raw=_raw(
                sockets=cpu.integer("sockets"),
                cores=cpu.integer("cores"),
                logical_cpus=cpu.integer("logical_cpus"),
            ),
        )

    @staticmethod
    def _os(scan: Fields, host: HostKey, display: str) -> AssetRecord | None:
        release = scan.obj("os_release")
        line = scan.text("system_release")
        if release is not None:
            for key, value in release.data.items():
                if not isinstance(value, str):
                    raise release.error(key, _("expected a string"), repr(value))
            name = release.text("PRETTY_NAME") or release.text("NAME") or release.text("ID")
            if name is not None:
                return AssetRecord(
                    kind=AssetKind.OS,
                    name=name,
                    provenance=Provenance(display, locator="os_release"),
                    host=host,
                    version=release.text("VERSION_ID"),
                    vendor=None,
                    os_id=release.text("ID"),
                    raw={k: v.strip() for k, v in release.data.items() if v.strip()},
                )
        if line is None:
            return None
        version, os_id = release_line_os(line)
        return AssetRecord(
            kind=AssetKind.OS,
            name=line,
            provenance=Provenance(display, locator="system_release"),
            host=host,
            version=version,
            os_id=os_id,
        )

    @staticmethod
    def _package(entry: Fields, host: HostKey, display: str) -> AssetRecord:
        entry.code = CODE_PACKAGE
        manager = entry.required("manager")
        if manager not in PACKAGE_MANAGERS:
            raise entry.error(
                "manager",
                _("unknown package manager (expected one of {known})").format(
                    known=", ".join(sorted(PACKAGE_MANAGERS))
                ),
                manager,
            )
        name = entry.required("name")
        return AssetRecord(
            kind=AssetKind.SOFTWARE,
            name=name,
            provenance=Provenance(display, locator=entry.path),
            host=host,
            version=entry.text("version"),
            vendor=entry.text("vendor"),
            package_type=manager,
            arch=entry.text("arch"),
        )
