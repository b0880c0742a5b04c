"""Migration targets, rule families and severities: the scanner's fixed vocabulary.

A target names what an organization moves *to*. Each belongs to one family of
rules, so ``--target dm`` turns off the CPU, browser and office rules and keeps
the database ones. The documentation URL is where the target's vendor states
its compatibility; it is the default source of a rule's support verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import total_ordering


@total_ordering
class Severity(StrEnum):
    """How much a finding blocks a target, from worst to least."""

    BLOCKER = "blocker"
    WARNING = "warning"
    PERFORMANCE = "performance"
    NOTE = "note"

    @property
    def rank(self) -> int:
        """0 for the worst (blocker), 3 for a note."""
        return _RANK[self]

    def __lt__(self, other: object) -> bool:  # "less" means "less severe"
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank


_RANK = {Severity.BLOCKER: 0, Severity.WARNING: 1, Severity.PERFORMANCE: 2, Severity.NOTE: 3}


class Support(StrEnum):
    """How a database target handles an Oracle construct (the support matrix)."""

    NATIVE = "native"
    REWRITE = "rewrite"
    UNSUPPORTED = "unsupported"

    def severity(self) -> Severity | None:
        """A native construct is no finding; a rewrite is a warning; unsupported blocks."""
        if self is Support.NATIVE:
            return None
        return Severity.WARNING if self is Support.REWRITE else Severity.BLOCKER


class Family(StrEnum):
    """The rule families; each has its own code prefix."""

    CPU = "cpu"
    DATABASE = "database"
    OS = "os"
    BROWSER = "browser"
    OFFICE = "office"
    MIDDLEWARE = "middleware"
    CRYPTO = "crypto"
    SCAN = "scan"  # the scanner's own notes: unreadable, huge, undecodable files


PREFIXES: dict[Family, str] = {
    Family.CPU: "ISA",
    Family.DATABASE: "DB",
    Family.OS: "OS",
    Family.BROWSER: "WEB",
    Family.OFFICE: "OFC",
    Family.MIDDLEWARE: "MW",
    Family.CRYPTO: "GM",
    Family.SCAN: "SCN",
}


@dataclass(frozen=True)
class Target:
    """One migration target."""

    key: str
    family: Family
    name: str
    doc_url: str
    sqlglot_dialect: str | None = None  # where sqlglot can write this target's SQL


TARGETS: dict[str, Target] = {
    t.key: t
    for t in (
        Target(
            "arm64",
            Family.CPU,
            "ARM64 (Kunpeng, Phytium)",
            "https://developer.arm.com/documentation/102159/latest/",
        ),
        Target(
            "loongarch64",
            Family.CPU,
            "LoongArch64 (Loongson 3A5000/3C5000 and later)",
            "https://loongson.github.io/LoongArch-Documentation/",
        ),
        Target("sw64", Family.CPU, "SW64 (Sunway)", "https://www.swcpu.cn/"),
        Target(
            "dm",
            Family.DATABASE,
            "DM8 (Dameng)",
            "https://eco.dameng.com/document/dm/zh-cn/pm/",
            None,
        ),
        Target(
            "kingbase",
            Family.DATABASE,
            "KingbaseES V8R6 (Oracle mode)",
            "https://help.kingbase.com.cn/v8/",
            "postgres",
        ),
        Target(
            "opengauss",
            Family.DATABASE,
            "openGauss 5 (A compatibility)",
            "https://docs.opengauss.org/",
            "postgres",
        ),
        Target(
            "gaussdb",
            Family.DATABASE,
            "GaussDB (A compatibility)",
            "https://support.huaweicloud.com/gaussdb/",
            "postgres",
        ),
        Target(
            "oceanbase-oracle",
            Family.DATABASE,
            "OceanBase 4 (Oracle mode)",
            "https://en.oceanbase.com/docs/",
            None,
        ),
        Target(
            "oceanbase-mysql",
            Family.DATABASE,
            "OceanBase 4 (MySQL mode)",
            "https://en.oceanbase.com/docs/",
            "mysql",
        ),
        Target(
            "tidb",
            Family.DATABASE,
            "TiDB",
            "https://docs.pingcap.com/tidb/stable/mysql-compatibility",
            "mysql",
        ),
        Target(
            "polardb",
            Family.DATABASE,
            "PolarDB for PostgreSQL (Oracle syntax compatible)",
            "https://www.alibabacloud.com/help/en/polardb/polardb-for-oracle/",
            "postgres",
        ),
        Target("kylin", Family.OS, "Kylin OS (Linux)", "https://www.kylinos.cn/"),
        Target("uos", Family.OS, "UnionTech OS (Linux)", "https://www.chinauos.com/"),
        Target(
            "chromium",
            Family.BROWSER,
            "Chromium-based browsers (360, QAX, UOS browser)",
            "https://learn.microsoft.com/en-us/deployedge/edge-ie-mode",
        ),
        Target("wps", Family.OFFICE, "WPS Office", "https://www.wps.cn/"),
        Target(
            "gm",
            Family.CRYPTO,
            "Commercial cryptography (SM2/SM3/SM4, GB/T 39786-2021)",
            "https://www.oscca.gov.cn/",
        ),
    )
}

# The scanner's own notes concern every target.
ALL_TARGETS: tuple[str, ...] = tuple(TARGETS)


def family_targets(family: Family) -> tuple[str, ...]:
    """The targets of one family (all targets for the scanner's own notes)."""
    if family is Family.SCAN:
        return ALL_TARGETS
    if family is Family.MIDDLEWARE:  # foreign middleware and drivers matter to DB and OS moves
        return tuple(k for k, t in TARGETS.items() if t.family in (Family.DATABASE, Family.OS))
    return tuple(k for k, t in TARGETS.items() if t.family is family)


def worst(severities: list[Severity]) -> Severity:
    """The worst of several severities."""
    return min(severities, key=lambda s: s.rank)
