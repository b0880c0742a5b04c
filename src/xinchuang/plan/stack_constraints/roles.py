"""Roles in a target stack, the links between them, and what scanner target a product means.

A *role* is a place in a stack. Several catalog layers can fill one role (a
centralized or a distributed database both fill ``database``), so a
substitution that crosses layers (Oracle → OceanBase) stays in its place.
Application layers become roles only when a system is *replaced* by a domestic
product; a *migrated* system keeps its application and moves its platform.

The *links* are the pairs of roles whose chosen products must be certified
together (docs/stacks.md explains the choice of pairs).
"""

from __future__ import annotations

from xinchuang.models.catalog import Isa, Product

ROLE_OF_LAYER: dict[str, str] = {
    "cpu": "cpu",
    "server": "server",
    "pc-terminal": "terminal",
    "os": "os",
    "virtualization": "virtualization",
    "database-centralized": "database",
    "database-distributed": "database",
    "middleware-appserver": "middleware",
    "middleware-messaging": "messaging",
    "developer-runtime": "runtime",
    "office-suite": "office-suite",
    "browser": "browser",
}

# Layers that are a stack role only when the system is replaced by a domestic product.
APPLICATION_LAYERS: tuple[str, ...] = ("erp-finance", "email", "industrial-software")

# The order in which roles are filled: hardware first, then what runs on it.
ROLE_ORDER: tuple[str, ...] = (
    "cpu",
    "server",
    "terminal",
    "virtualization",
    "os",
    "database",
    "middleware",
    "messaging",
    "runtime",
    "office-suite",
    "browser",
    *APPLICATION_LAYERS,
)

# Pairs of roles whose products must be certified together when a system has both.
LINKS: tuple[tuple[str, str], ...] = (
    ("cpu", "server"),
    ("cpu", "terminal"),
    ("cpu", "virtualization"),
    ("cpu", "os"),
    ("os", "database"),
    ("os", "middleware"),
    ("os", "messaging"),
    ("database", "middleware"),
    ("os", "runtime"),
    ("os", "office-suite"),
    ("os", "browser"),
)

# Person-days per system for a substitution whose catalog entry gives no base_effort_days
# (an assumption, documented in docs/stacks.md; the catalog's own estimate wins).
DEFAULT_BASE_DAYS: dict[str, float] = {
    "cpu": 5.0,
    "server": 2.0,
    "terminal": 0.5,
    "virtualization": 10.0,
    "os": 5.0,
    "database": 20.0,
    "middleware": 8.0,
    "messaging": 5.0,
    "runtime": 3.0,
    "office-suite": 1.0,
    "browser": 1.0,
    "erp-finance": 60.0,
    "email": 15.0,
    "industrial-software": 40.0,
}

# What a carried-over capability does to a substitution's base effort (a factor < 1).
# The scanner's minutes already price each construct per target, so only the base shrinks.
CARRY_FACTORS: dict[str, float] = {
    "x86-binary-compatibility": 0.2,
    "oracle-compatible-sql": 0.5,
    "mysql-protocol": 0.6,
    "postgresql-compatible-sql": 0.6,
    "rhel-compatible-userland": 0.7,
    "java-ee-api": 0.7,
    "java-se-api": 0.7,
    "ooxml-file-format": 0.7,
    "servlet-api": 0.8,
    "postgresql-wire-protocol": 0.8,
    "jdbc-api": 0.9,
    "rpm-package-format": 0.9,
}
MIN_CARRY_FACTOR = 0.1

# Product id (or id prefix ending in '-') → scanner target (xinchuang.scan.targets.TARGETS).
# CPUs are mapped by instruction set instead (ISA_TARGETS); OceanBase by what it replaces.
PRODUCT_TARGETS: dict[str, str] = {
    "dm8": "dm",
    "kingbasees": "kingbase",
    "opengauss": "opengauss",
    "gaussdb": "gaussdb",
    "tidb": "tidb",
    "polardb": "polardb",
    "kylin-": "kylin",
    "neokylin": "kylin",
    "uos-": "uos",
    "wps-office": "wps",
    "360-secure-browser": "chromium",
    "qianxin-browser": "chromium",
    "chromium": "chromium",
}
ISA_TARGETS: dict[Isa, str] = {
    Isa.ARM64: "arm64",
    Isa.LOONGARCH64: "loongarch64",
    Isa.SW64: "sw64",
}
ORACLE_LIKE: frozenset[str] = frozenset({"oracle-database"})

# Operating-system editions (docs/stacks.md "Editions"): a server OS is replaced by a server
# edition and a desktop OS by a desktop edition. Ids with "desktop"/"server" in them say it
# themselves; the rest are listed. An OS in neither set (Debian, Ubuntu) fits both.
DESKTOP_OS: frozenset[str] = frozenset(
    {"windows-7", "windows-10", "windows-11", "macos", "harmonyos-pc", "deepin", "nfs-desktop"}
)
SERVER_OS: frozenset[str] = frozenset(
    {
        "windows-server", "centos", "rhel", "sles", "oracle-linux", "oracle-solaris", "ibm-aix",
        "openeuler", "anolis-os", "opencloudos", "ctyunos", "euleros", "huawei-cloud-euleros",
        "neokylin",
    }
)  # fmt: skip

# Weight of leaving one place of a role foreign (blocked), in units of BLOCK_PENALTY_DAYS:
# the stack chooser blocks as few places as it can, and the least foundational ones
# (a JDK before the operating system it runs on). docs/stacks.md explains the numbers.
BLOCK_WEIGHT: dict[str, int] = {
    # a place weighs more than the places that run on it, so that the chooser never keeps
    # an operating system foreign to free the applications above it from certification
    "cpu": 400,
    "server": 200,
    "terminal": 200,
    "os": 100,
    "virtualization": 50,
    "database": 10,
    "middleware": 6,
    "messaging": 4,
    "office-suite": 3,
    "runtime": 2,
    "browser": 2,
}
BLOCK_PENALTY_DAYS = 100


def os_edition(product: Product) -> str | None:
    """'desktop', 'server', or None when the OS fits both (docs/stacks.md)."""
    if product.layer != "os":
        return None
    key = product.family or product.id
    if product.id in DESKTOP_OS or "desktop" in key:
        return "desktop"
    if product.id in SERVER_OS or "server" in key:
        return "server"
    return None


def role_of(layer: str, disposition: str) -> str | None:
    """The stack role of a catalog layer for a system of this disposition (None: not a role)."""
    if layer in ROLE_OF_LAYER:
        return ROLE_OF_LAYER[layer]
    if disposition == "replace" and layer in APPLICATION_LAYERS:
        return layer
    return None


def scanner_target(product: Product, replaces: str | None = None) -> str | None:
    """The scanner target whose findings price the move to ``product`` (None: no target).

    A CPU that keeps x86-64 has no target: x86 binaries run unchanged on it.
    OceanBase's target depends on the tenant mode, chosen by what it replaces.
    """
    if product.layer == "cpu":
        if Isa.X86_64 in product.isa:
            return None
        for isa in product.isa:
            if isa in ISA_TARGETS:
                return ISA_TARGETS[isa]
        return None
    if product.id == "oceanbase":
        return "oceanbase-oracle" if replaces in ORACLE_LIKE else "oceanbase-mysql"
    if product.id in PRODUCT_TARGETS:
        return PRODUCT_TARGETS[product.id]
    for prefix, target in PRODUCT_TARGETS.items():
        if prefix.endswith("-") and product.id.startswith(prefix):
            return target
    return None
