"""What every reader yields: normalized asset and business-system records.

Records are plain slotted dataclasses, not pydantic models: an import streams
millions of them, and validation happens once, in the reader that knows the
format. Every record keeps its provenance (file, sheet, row or locator) so an
error or a report can point back to the source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class AssetKind(StrEnum):
    """What a record describes."""

    MACHINE = "machine"  # a physical or virtual machine, server, PC, terminal
    CPU = "cpu"
    GPU = "gpu"
    OS = "os"
    SOFTWARE = "software"  # an installed program or package
    COMPONENT = "component"  # an SBOM component (library, framework, application)
    PERIPHERAL = "peripheral"
    FIRMWARE = "firmware"
    NETWORK = "network"
    STORAGE = "storage"


@dataclass(slots=True, frozen=True)
class Provenance:
    """Where a record was read: file, and sheet/row (spreadsheets) or a locator (JSON path…)."""

    file: str
    sheet: str | None = None
    row: int | None = None
    locator: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.sheet:
            where += f" [{self.sheet}]"
        if self.row is not None:
            where += f" row {self.row}"
        if self.locator:
            where += f" {self.locator}"
        return where


@dataclass(slots=True, frozen=True)
class HostKey:
    """How a machine is recognised across sources: asset number, then serial, then hostname."""

    asset_no: str | None = None
    serial: str | None = None
    hostname: str | None = None

    def is_empty(self) -> bool:
        """True when nothing identifies the machine."""
        return not (self.asset_no or self.serial or self.hostname)


@dataclass(slots=True)
class AssetRecord:
    """One thing found in a source, as the source spelled it, with identification hints.

    ``host`` names the machine the record belongs to (for a ``machine`` record,
    the machine itself); None for things that belong to no machine (an SBOM
    component of an application, a licence line in a register).
    """

    kind: AssetKind
    name: str
    provenance: Provenance
    host: HostKey | None = None
    version: str | None = None
    vendor: str | None = None
    # identification hints, each as the source gave it
    purl: str | None = None
    cpe: str | None = None
    package_type: str | None = None  # deb, rpm, windows, pypi, npm, maven, …
    arch: str | None = None
    cpu_vendor_id: str | None = None  # x86 CPUID vendor string
    arm_implementer: str | None = None  # 0x48 …
    arm_part: str | None = None  # 0xd01 …
    os_id: str | None = None  # /etc/os-release ID
    dmi_vendor: str | None = None
    dmi_product: str | None = None
    machine_type: str | None = None  # physical | virtual, for machines
    # organization
    unit: str | None = None
    department: str | None = None
    value: Decimal | None = None  # purchase or licence value
    currency: str | None = None
    raw: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class SystemRecord:
    """A business system from the systems file."""

    name: str
    provenance: Provenance
    unit: str | None = None
    sector: str | None = None
    criticality: str | None = None  # high | medium | low
    hosts: list[str] = field(default_factory=list)
    software: list[str] = field(default_factory=list)
    depends_on: list[str] = field(default_factory=list)
    raw: dict[str, str] = field(default_factory=dict)
