"""Windows scans: the JSON of the shipped PowerShell collector (``xinchuang-windows-scan``).

The format is documented in ``docs/collectors.md``; the collector is
``xinchuang/data/collectors/xinchuang-collect.ps1``. One scan is one machine
and yields:

- one ``machine`` record: hostname, BIOS serial (without firmware
  placeholders) and asset number as the HostKey, the maker and model
  (Win32_ComputerSystem), the architecture from Win32_Processor's
  ``Architecture`` code (documented values: 0 x86, 5 ARM, 6 ia64, 9 x64,
  12 ARM64), else from ``SystemType``;
- one ``cpu`` record per distinct processor model (a two-socket server
  reports two Win32_Processor instances of one model: one record, sockets 2);
  ``Manufacturer`` is the CPUID vendor string on x86 (GenuineIntel …);
- one ``os`` record: ``Caption`` (localized, e.g. "Microsoft Windows 10 专业版"),
  ``Version``, os id ``windows``;
- one ``software`` record per installed program, except the entries that
  "Programs and Features" files under another program: updates and hotfixes
  (``ParentKeyName`` set, or ``ReleaseType`` Update/Security Update/Hotfix/
  Update Rollup/Service Pack), which are patches, not installations.
"""

from __future__ import annotations

import re
from collections import Counter
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

FORMAT = "xinchuang-windows-scan"
VERSION = 1

CODE_SYNTAX = "IMP711"
CODE_FORMAT = "IMP712"
CODE_FIELD = "IMP713"
CODE_PROGRAM = "IMP714"

# Win32_Processor.Architecture (Microsoft Learn, "Win32_Processor class"), as uname -m spells it.
ARCHITECTURES = {
    0: "x86",
    1: "mips",
    2: "alpha",
    3: "ppc",
    5: "arm",
    6: "ia64",
    9: "x86_64",
    12: "aarch64",
}
_SYSTEM_TYPES = (("x64", "x86_64"), ("arm64", "aarch64"), ("x86", "x86"), ("arm", "arm"))
UPDATE_RELEASE_TYPES = frozenset(
    {"update", "security update", "hotfix", "update rollup", "service pack", "servicepack"}
)
_CPUID_VENDOR = re.compile(r"^(?:[A-Za-z]{12}|Shanghai)$")  # GenuineIntel, HygonGenuine …


def _raw(**values: str | int | bool | None) -> dict[str, str]:
    return {
        key: (("true" if value else "false") if isinstance(value, bool) else str(value))
        for key, value in values.items()
        if value is not None
    }


def architecture(code: int | None, system_type: str | None) -> str | None:
    """``uname -m``-style architecture from the processor code, else from SystemType."""
    if code is not None and code in ARCHITECTURES:
        return ARCHITECTURES[code]
    folded = (system_type or "").casefold()
    return next((arch for prefix, arch in _SYSTEM_TYPES if folded.startswith(prefix)), None)


def is_update(release_type: str | None, parent_key_name: str | None) -> bool:
    """True for an uninstall entry that is a patch of another program."""
    return bool(parent_key_name) or (release_type or "").casefold() in UPDATE_RELEASE_TYPES


class WindowsScanReader(Reader):
    """One Windows host as scanned by ``xinchuang-collect.ps1``."""

    key = "windows-scan"
    description = _("Windows scan JSON written by the shipped PowerShell collector")
    patterns = ("windows-scan-*.json",)

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> float:
        """Sure when the document declares the Windows-scan format."""
        return 1.0 if head_matches(head, rb'"format"\s*:\s*"xinchuang-windows-scan"') else 0.0

    def read(self, path: Path, options: ReadOptions) -> Iterator[Record]:
        """Yield the machine, its CPU, its OS and its programs."""
        display = shown(path)
        document, options.encoding = load_json(path, CODE_SYNTAX, _("Windows scan"))
        try:
            scan = Fields(document, display, "", CODE_FORMAT)
            self._check_format(scan)
            scan.code = CODE_FIELD
            processors = [
                scan.child(entry, f"processors[{index}]")
                for index, entry in enumerate(scan.array("processors"))
            ]
            host, machine = self._machine(scan, processors, display)
            yield machine
            yield from self._cpus(processors, host, machine.arch, display)
            os_record = self._os(scan, host, display)
            if os_record is not None:
                yield os_record
            programs = scan.array("programs")
        except FieldError as exc:
            raise DataError(str(exc.issue), [exc.issue]) from exc
        for index, entry in enumerate(programs):
            try:
                record = self._program(scan.child(entry, f"programs[{index}]"), host, display)
            except FieldError as exc:
                options.reject(exc.issue)
                continue
            if record is not None:
                yield record

    @staticmethod
    def _check_format(scan: Fields) -> None:
        check_collector_format(
            scan, FORMAT, VERSION, _("not a Windows scan: expected {expected!r}")
        )

    @staticmethod
    def _machine(
        scan: Fields, processors: list[Fields], display: str
    ) -> tuple[HostKey, AssetRecord]:
        hostname = scan.required("hostname")
        system = scan.obj("computer_system")
        bios = scan.obj("bios")
        vendor = system.text("manufacturer") if system else None
        model = system.text("model") if system else None
        code = processors[0].integer("architecture") if processors else None
        arch = architecture(code, system.text("system_type") if system else None)
        host = HostKey(
            asset_no=scan.text("asset_no"),
            serial=clean_serial(bios.text("serial_number")) if bios else None,
            hostname=hostname,
        )
        record = AssetRecord(
            kind=AssetKind.MACHINE,
            name=hostname,
            provenance=Provenance(display, locator="$"),
            host=host,
            vendor=vendor,
            arch=arch,
            dmi_vendor=vendor,
            dmi_product=model,
            machine_type=machine_type(vendor, model, None),
            raw=_raw(
                domain=scan.text("domain"),
                uuid=scan.text("uuid"),
                collected_at=scan.text("collected_at"),
                system_type=system.text("system_type") if system else None,
                bios_manufacturer=bios.text("manufacturer") if bios else None,
                bios_version=bios.text("version") if bios else None,
            ),
        )
        return host, record

    @staticmethod
    def _cpus(
        processors: list[Fields], host: HostKey, arch: str | None, display: str
    ) -> Iterator[AssetRecord]:
        sockets: Counter[str] = Counter()
        first: dict[str, Fields] = {}
        for processor in processors:
            name = processor.text("name")
            processor.integer("cores")  # validated here so a bad value is reported
            processor.integer("logical_processors")
            if name is None:
                continue
            sockets[name] += 1
            first.setdefault(name, processor)
        for name, processor in first.items():
            manufacturer = processor.text("manufacturer")
            is_cpuid = manufacturer is not None and _CPUID_VENDOR.match(manufacturer) is not None
            yield AssetRecord(
                kind=AssetKind.CPU,
                name=name,
                provenance=Provenance(display, locator=processor.path),
                host=host,
                vendor=None if is_cpuid else manufacturer,
                arch=arch,
                cpu_vendor_id=manufacturer if is_cpuid else None,
                raw=_raw(
                    sockets=sockets[name],
                    cores=processor.integer("cores"),
                    logical_processors=processor.integer("logical_processors"),
                ),
            )

    @staticmethod
    def _os(scan: Fields, host: HostKey, display: str) -> AssetRecord | None:
        system = scan.obj("os")
        if system is None:
            return None
        caption = system.text("caption")
        if caption is None:
            return None
        return AssetRecord(
            kind=AssetKind.OS,
            name=caption,
            provenance=Provenance(display, locator="os"),
            host=host,
            version=system.text("version"),
            os_id="windows",
            raw=_raw(
                build_number=system.text("build_number"),
                edition_id=system.text("edition_id"),
                display_version=system.text("display_version"),
                os_architecture=system.text("os_architecture"),
            ),
        )

    @staticmethod
    def _program(entry: Fields, host: HostKey, display: str) -> AssetRecord | None:
        entry.code = CODE_PROGRAM
        name = entry.required("name")
        release_type = entry.text("release_type")
        parent = entry.text("parent_key_name")
        hive = entry.text("hive")
        if hive is not None and hive not in {"HKLM", "HKCU"}:
            raise entry.error("hive", _("expected HKLM or HKCU"), hive)
        raw = _raw(
            install_date=entry.text("install_date"),
            hive=hive,
            wow6432node=entry.boolean("wow6432node"),
            key=entry.text("key"),
            system_component=entry.boolean("system_component"),
        )
        if is_update(release_type, parent):
            return None
        return AssetRecord(
            kind=AssetKind.SOFTWARE,
            name=name,
            provenance=Provenance(display, locator=entry.path),
            host=host,
            version=entry.text("version"),
            vendor=entry.text("publisher"),
            package_type="windows",
            raw=raw,
        )
