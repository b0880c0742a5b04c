"""RVTools exports: the de facto VMware inventory workbook (vInfo, vHost, vCPU … sheets).

- ``vInfo``: one row per VM. Each VM yields a ``machine`` record
  (``machine_type`` virtual) and an ``os`` record (the guest OS as VMware Tools
  reports it, else as the VM's configuration file declares it). Templates are
  not machines and are passed over.
- ``vHost``: one row per ESXi host. Each host yields a physical ``machine``
  record (DMI vendor/model, serial number or service tag), a ``cpu`` record
  (the CPU model string) and a ``software`` record for VMware ESXi itself —
  the virtualization layer, with its version.
- ``vCPU`` holds per-VM vCPU counts; it names no product, so it only helps
  recognize the file.

A VM's BIOS serial number, which a host scan reads with dmidecode, is its
SMBIOS UUID (vInfo's ``SMBIOS UUID`` column, the API's ``config.uuid``; not
``VM UUID``, the instance UUID) written as ``VMware-`` and sixteen hex pairs
with a dash after the eighth (VMware ESX Server 2.0 Administration Guide,
"Modifying the SMBIOS UUID"); it is derived here so that a VM in RVTools and
the same VM's host scan reconcile by serial number. Exports without that
column (RVTools 3.x) give no serial.
Column names vary across RVTools versions (``OS`` in old ones, ``OS according
to the configuration file`` later); they are matched case- and space-blind.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from itertools import chain, islice
from pathlib import Path

from xinchuang.errors import DataError, Issue
from xinchuang.filenames import shown
from xinchuang.i18n import _
from xinchuang.ingest.base import Reader, ReadOptions, Record
from xinchuang.ingest.xlsx_book import ZIP_MAGIC, iter_sheets, sheet_names
from xinchuang.models.asset import AssetKind, AssetRecord, HostKey, Provenance

_HEADER_SCAN_ROWS = 5


def _key(header: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", unicodedata.normalize("NFKC", header).casefold())


# field -> accepted headers (as normalized by _key), preferred first
VINFO_COLUMNS: dict[str, tuple[str, ...]] = {
    "vm": ("vm", "vmname", "name"),
    "powerstate": ("powerstate",),
    "template": ("template",),
    "dns_name": ("dnsname",),
    "ip": ("primaryipaddress", "ipaddress"),
    "cpus": ("cpus", "numcpu"),
    "memory": ("memory",),
    "host": ("host",),
    "cluster": ("cluster",),
    "datacenter": ("datacenter",),
    "os_tools": ("osaccordingtothevmwaretools", "guestos"),
    "os_config": ("osaccordingtotheconfigurationfile", "os"),
    "smbios_uuid": ("smbiosuuid",),
    "annotation": ("annotation",),
}
VHOST_COLUMNS: dict[str, tuple[str, ...]] = {
    "host": ("host", "name"),
    "datacenter": ("datacenter",),
    "cluster": ("cluster",),
    "cpu_model": ("cpumodel",),
    "sockets": ("cpu", "numcpu"),
    "cores_per_cpu": ("corespercpu",),
    "cores": ("cores",),
    "esx_version": ("esxversion", "version"),
    "vendor": ("vendor",),
    "model": ("model",),
    "serial": ("serialnumber", "serial"),
    "service_tag": ("servicetag",),
    "bios_vendor": ("biosvendor",),
    "bios_version": ("biosversion",),
}
_REQUIRED = {"vInfo": "vm", "vHost": "host"}
_ESX = re.compile(r"^(VMware ESXi?)\s+(\d+(?:\.\d+)*)(?:\s+build-(\d+))?", re.IGNORECASE)
_UUID = re.compile(
    r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$"
)


def vmware_serial(uuid: str) -> str | None:
    """The BIOS serial number a VM shows its guest (``VMware-42 1e … 8e-6f …``), or None."""
    if not _UUID.match(uuid.strip()):
        return None
    digits = uuid.strip().replace("-", "").lower()
    pairs = [digits[i : i + 2] for i in range(0, 32, 2)]
    return "VMware-" + " ".join(pairs[:8]) + "-" + " ".join(pairs[8:])


def esx_product(text: str) -> tuple[str, str | None]:
    """('VMware ESXi', '7.0.3') from 'VMware ESXi 7.0.3 build-21930508'; else the text as-is."""
    match = _ESX.match(text.strip())
    if not match:
        return text.strip(), None
    name = "VMware ESXi" if match.group(1).casefold() == "vmware esxi" else "VMware ESX"
    return name, match.group(2)


def _columns(header: Sequence[str], wanted: dict[str, tuple[str, ...]]) -> dict[str, int]:
    keys = [_key(h) for h in header]
    found: dict[str, int] = {}
    for name, accepted in wanted.items():
        for candidate in accepted:
            if candidate in keys:
                found[name] = keys.index(candidate)
                break
    return found


class RvToolsReader(Reader):
    """VMware inventory from an RVTools XLSX export."""

    key = "rvtools"
    description = _("RVTools XLSX export of a VMware inventory (vInfo, vHost sheets)")
    patterns = ("RVTools*.xlsx", "*.xlsx")

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> float:
        """Sure when the workbook has RVTools' vInfo (and usually vHost) sheets."""
        if not head.startswith(ZIP_MAGIC):
            return 0.0
        names = set(sheet_names(path))
        if "vInfo" in names:
            return 0.95 if {"vHost", "vCPU"} & names else 0.85
        return 0.7 if "vHost" in names else 0.0

    def read(self, path: Path, options: ReadOptions) -> Iterator[Record]:
        """Yield VMs from vInfo and ESXi hosts from vHost."""
        display = shown(path)
        read_any = False
        for sheet in iter_sheets(path, display):
            if sheet.name not in _REQUIRED:
                continue
            wanted = VINFO_COLUMNS if sheet.name == "vInfo" else VHOST_COLUMNS
            head = list(islice(sheet.rows, _HEADER_SCAN_ROWS))
            header_at = next(
                (
                    i
                    for i, (_, cells) in enumerate(head)
                    if _REQUIRED[sheet.name] in _columns(cells, wanted)
                ),
                None,
            )
            if header_at is None:
                seen = next((c for _, c in head if any(c)), [])
                issue = Issue(
                    display,
                    _("sheet {sheet} has no {column} column; headers seen: {headers}").format(
                        sheet=sheet.name,
                        column="VM" if sheet.name == "vInfo" else "Host",
                        headers=", ".join(h for h in seen if h) or _("none"),
                    ),
                    "IMP301",
                    position=f"[{sheet.name}] row 1",
                )
                raise DataError(str(issue), [issue])
            header = head[header_at][1]
            columns = _columns(header, wanted)
            read_any = True
            interpret = self._vm if sheet.name == "vInfo" else self._host
            for number, cells in chain(head[header_at + 1 :], sheet.rows):
                if not any(c.strip() for c in cells):
                    continue
                yield from interpret(display, sheet.name, number, cells, header, columns, options)
        if not read_any:
            issue = Issue(display, _("no vInfo or vHost sheet: not an RVTools export"), "IMP302")
            raise DataError(str(issue), [issue], tip=_("import it with --as xlsx-register"))

    @staticmethod
    def _cell(cells: Sequence[str], columns: dict[str, int], name: str) -> str | None:
        index = columns.get(name)
        if index is None or index >= len(cells):
            return None
        value = " ".join(cells[index].split())
        return value or None

    def _raw(self, header: Sequence[str], cells: Sequence[str]) -> dict[str, str]:
        return {h: c for h, c in zip(header, cells, strict=False) if h and c.strip()}

    def _missing(
        self, display: str, sheet: str, number: int, column: str, options: ReadOptions
    ) -> None:
        options.reject(
            Issue(
                display,
                _("empty {column} cell").format(column=column),
                "IMP303",
                position=f"[{sheet}] row {number}",
            )
        )

    def _vm(
        self,
        display: str,
        sheet: str,
        number: int,
        cells: list[str],
        header: list[str],
        columns: dict[str, int],
        options: ReadOptions,
    ) -> Iterator[AssetRecord]:
        cell = self._cell
        name = cell(cells, columns, "vm")
        if name is None:
            self._missing(display, sheet, number, "VM", options)
            return
        if (cell(cells, columns, "template") or "").casefold() in {"true", "yes", "1"}:
            return
        uuid = cell(cells, columns, "smbios_uuid")
        key = HostKey(
            serial=vmware_serial(uuid) if uuid else None,
            hostname=cell(cells, columns, "dns_name") or name,
        )
        provenance = Provenance(display, sheet, number)
        yield AssetRecord(
            kind=AssetKind.MACHINE,
            name=name,
            provenance=provenance,
            host=key,
            machine_type="virtual",
            raw=self._raw(header, cells),
        )
        guest = cell(cells, columns, "os_tools") or cell(cells, columns, "os_config")
        if guest:
            yield AssetRecord(kind=AssetKind.OS, name=guest, provenance=provenance, host=key)

    def _host(
        self,
        display: str,
        sheet: str,
        number: int,
        cells: list[str],
        header: list[str],
        columns: dict[str, int],
        options: ReadOptions,
    ) -> Iterator[AssetRecord]:
        cell = self._cell
        name = cell(cells, columns, "host")
        if name is None:
            self._missing(display, sheet, number, "Host", options)
            return
        vendor, model = cell(cells, columns, "vendor"), cell(cells, columns, "model")
        key = HostKey(
            serial=cell(cells, columns, "serial") or cell(cells, columns, "service_tag"),
            hostname=name,
        )
        provenance = Provenance(display, sheet, number)
        yield AssetRecord(
            kind=AssetKind.MACHINE,
            name=name,
            provenance=provenance,
            host=key,
            vendor=vendor,
            dmi_vendor=vendor,
            dmi_product=model,
            machine_type="physical",
            raw=self._raw(header, cells),
        )
        cpu = cell(cells, columns, "cpu_model")
        if cpu:
            yield AssetRecord(kind=AssetKind.CPU, name=cpu, provenance=provenance, host=key)
        esx = cell(cells, columns, "esx_version")
        if esx:
            product, version = esx_product(esx)
            yield AssetRecord(
                kind=AssetKind.SOFTWARE,
                name=product,
                version=version,
                vendor="VMware",
                provenance=provenance,
                host=key,
                raw={"ESX Version": esx},
            )
