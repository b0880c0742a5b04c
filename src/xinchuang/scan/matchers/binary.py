"""Prebuilt binaries, judged by their real headers, not by their names.

ELF ``e_machine`` is read with pyelftools and the PE ``Machine`` field with
pefile. A .NET assembly marked IL-only runs on any CPU that has a runtime,
so it is not an x86 binary.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator

from xinchuang.i18n import _
from xinchuang.scan.context import FileContext
from xinchuang.scan.finding import Hit
from xinchuang.scan.rule import Rule

X86_ELF = {"EM_386": "x86 (i386)", "EM_X86_64": "x86-64", "EM_IAMCU": "x86 (IAMCU)"}
# e_machine numbers, for headers pyelftools cannot parse whole (truncated members).
_ELF_NUMBERS = {3: "EM_386", 62: "EM_X86_64", 6: "EM_IAMCU", 183: "EM_AARCH64", 258: "EM_LOONGARCH"}

# PE/COFF machine types (Microsoft, "PE Format", Machine Types).
X86_PE = {0x14C: "x86 (i386)", 0x8664: "x86-64 (AMD64)"}
_PE_NAMES = {0xAA64: "ARM64", 0x1C4: "ARMNT", 0x6264: "LoongArch64", 0x14C: "i386", 0x8664: "AMD64"}


def elf_machine(data: bytes) -> str | None:
    """The ``e_machine`` name of an ELF image (``EM_X86_64`` …), or None when not ELF."""
    if not data.startswith(b"\x7fELF"):
        return None
    from elftools.common.exceptions import ELFError
    from elftools.elf.elffile import ELFFile

    try:
        return str(ELFFile(io.BytesIO(data)).header["e_machine"])
    except (ELFError, struct.error, ValueError, OSError):
        if len(data) < 20:
            return None
        order = "<" if data[5] == 1 else ">"
        (number,) = struct.unpack_from(order + "H", data, 18)
        return _ELF_NUMBERS.get(number, f"EM_{number}")


def pe_machine(data: bytes) -> tuple[int, bool] | None:
    """The PE ``Machine`` and whether the image is IL-only .NET; None when not PE."""
    if not data.startswith(b"MZ"):
        return None
    import pefile

    try:
        image = pefile.PE(data=data, fast_load=True)
    except pefile.PEFormatError:
        return None
    try:
        machine = int(image.FILE_HEADER.Machine)
        directories = image.OPTIONAL_HEADER.DATA_DIRECTORY
        clr = len(directories) > 14 and directories[14].VirtualAddress != 0
        il_only = False
        if clr:
            image.parse_data_directories(directories=[14])
            descriptor = getattr(image, "DIRECTORY_ENTRY_COM_DESCRIPTOR", None)
            flags = int(descriptor.struct.Flags) if descriptor is not None else 0
            il_only = bool(flags & 0x1) and not flags & 0x2  # ILONLY and not 32BITREQUIRED
        return machine, il_only
    finally:
        image.close()


def match_elf(rule: Rule, ctx: FileContext) -> Iterator[Hit]:
    """ELF images built for x86 or x86-64."""
    machine = elf_machine(ctx.data)
    if machine in X86_ELF:
        yield Hit(
            line=None,
            snippet=f"e_machine={machine}",
            message=_("{title}: {machine}").format(
                title=rule.title.local(), machine=X86_ELF[machine]
            ),
            detail={"e_machine": machine},
        )


def match_pe(rule: Rule, ctx: FileContext) -> Iterator[Hit]:
    """PE images (EXE, DLL) built for x86 or x64, except IL-only .NET assemblies."""
    found = pe_machine(ctx.data)
    if found is None:
        return
    machine, il_only = found
    if machine in X86_PE and not il_only:
        yield Hit(
            line=None,
            snippet=f"Machine=0x{machine:04x}",
            message=_("{title}: {machine}").format(
                title=rule.title.local(), machine=X86_PE[machine]
            ),
            detail={"machine": _PE_NAMES.get(machine, hex(machine))},
        )


# e_machine → the CPU target it runs on (ELF gABI machine numbers; LoongArch: EM_LOONGARCH 258).
_ELF_TARGET = {"EM_AARCH64": "arm64", "EM_LOONGARCH": "loongarch64", "EM_ALPHA_SW64": "sw64"}
_ELF_NAMES = {
    "EM_AARCH64": "AArch64",
    "EM_LOONGARCH": "LoongArch",
    "EM_ARM": "32-bit ARM",
    "EM_PPC64": "POWER (ppc64)",
    "EM_S390": "s390x",
    "EM_RISCV": "RISC-V",
    "EM_MIPS": "MIPS",
}
_WHEEL_TARGET = (
    ("aarch64", "arm64"),
    ("arm64", "arm64"),
    ("loongarch64", "loongarch64"),
    ("sw_64", "sw64"),
    ("sw64", "sw64"),
)
_CPU_TARGETS = ("arm64", "loongarch64", "sw64")


def _wheel_targets(platform: str) -> set[str] | None:
    """The CPU targets a wheel's (compressed) platform tag covers; None for ``any``."""
    covered: set[str] = set()
    for part in platform.split("."):
        if part == "any":
            return None
        for marker, target in _WHEEL_TARGET:
            if part.endswith(marker) or f"_{marker}_" in part:
                covered.add(target)
                break
        else:
            covered.add("other")
    return covered


def match_other_isa(rule: Rule, ctx: FileContext) -> Iterator[Hit]:
    """An ELF image or wheel for one non-x86 instruction set: a blocker for every other target."""
    from xinchuang.scan.matchers.packages import wheel_platform, x86_only_platform

    if "elf" in ctx.kinds:
        machine = elf_machine(ctx.data)
        if machine is None or machine in X86_ELF:
            return
        runs_on = _ELF_TARGET.get(machine)
        blocked = {t: "blocker" for t in _CPU_TARGETS if t != runs_on}
        name = _ELF_NAMES.get(machine, machine)
        yield Hit(
            line=None,
            snippet=f"e_machine={machine}",
            message=_("{title}: {machine}").format(title=rule.title.local(), machine=name),
            detail={
                "e_machine": machine,
                "targets": {t: _("built for {isa}").format(isa=name) for t in blocked},
            },
            per_target=blocked,
        )
        return
    platform = wheel_platform(ctx)
    if platform is None or x86_only_platform(platform):
        return  # x86-only wheels are ISA133's
    covered = _wheel_targets(platform)
    if covered is None:
        return
    blocked = {t: "blocker" for t in _CPU_TARGETS if t not in covered}
    if blocked:
        yield Hit(
            line=None,
            snippet=platform,
            message=_("{title}: {platform}").format(title=rule.title.local(), platform=platform),
            detail={
                "targets": {t: _("tagged {platform}").format(platform=platform) for t in blocked}
            },
            per_target=blocked,
        )
