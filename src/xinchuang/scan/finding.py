"""What the scanner reports: findings, the objects SQL defines, and the scan's totals."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Hit:
    """What a matcher found, before the engine turns it into a finding.

    ``offset`` is an offset in the file's text; matchers that only know a line
    (binaries, document modules) give ``line`` instead, or neither for the
    whole file.
    """

    offset: int | None = None
    line: int | None = None
    column: int | None = None
    snippet: str | None = None
    message: str | None = None
    remark: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    rule: str | None = None  # a matcher serving several rules names the one that fired
    # severity per target when the matcher judged each target itself (absent: not a finding
    # for that target); None: the rule's verdicts
    per_target: dict[str, str] | None = None
    confidence: str | None = None  # lower than the rule's when a condition was not decided


@dataclass
class Finding:
    """One finding, as JSON, SARIF and the workspace carry it."""

    rule: str
    family: str
    path: str
    line: int | None
    column: int | None
    severity: str
    per_target: dict[str, str]
    effort_minutes: float
    message: str
    snippet: str | None = None
    remark: str | None = None
    title: str = ""
    confidence: str = "high"
    detail: dict[str, Any] = field(default_factory=dict)
    root: str = ""  # the scan root the path is relative to, as the user gave it

    def sort_key(self) -> tuple[str, str, int, int, str]:
        """Order: root, path, line, column, rule."""
        return (self.root, self.path, self.line or 0, self.column or 0, self.rule)

    @property
    def display_path(self) -> str:
        """The path as a user finds the file: the root they gave, then the relative path."""
        if not self.root or self.root == ".":
            return self.path
        return f"{self.root.rstrip('/')}/{self.path}"

    def as_json(self) -> dict[str, Any]:
        """The JSON object of ``scan --format json``."""
        data = asdict(self)
        data["path"] = self.display_path
        root = data.pop("root")
        data["scan_root"] = root
        return data


@dataclass
class SqlObject:
    """A database object or query found in SQL (one statement, one mapper element…)."""

    path: str
    line: int
    object_type: str
    name: str | None
    rules: list[str] = field(default_factory=list)
    root: str = ""


@dataclass
class FileStats:
    """Counts for one batch of files."""

    files: int = 0
    lines: int = 0
    bytes: int = 0
    skipped: int = 0

    def add(self, other: FileStats) -> None:
        """Add another batch's counts to these."""
        self.files += other.files
        self.lines += other.lines
        self.bytes += other.bytes
        self.skipped += other.skipped


@dataclass
class Document:
    """An office document seen by the scanner (for the per-folder summary)."""

    path: str
    macros: bool
    modules: int = 0
    root: str = ""


@dataclass
class BatchResult:
    """What a worker sends back for one batch of files."""

    findings: list[Finding] = field(default_factory=list)
    objects: list[SqlObject] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    stats: FileStats = field(default_factory=FileStats)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle the SQL objects as columns of plain values (a SQL tree has 100,000s).

        A dataclass instance pickles as its class and a dict of its fields, and the
        process that collects the batches spends twice as long reading that back.
        """
        objects = self.objects
        columns = (
            [o.path for o in objects],
            [o.line for o in objects],
            [o.object_type for o in objects],
            [o.name for o in objects],
            [o.rules for o in objects],
            [o.root for o in objects],
        )
        return (_batch_result, (self.findings, columns, self.documents, self.stats))


def _batch_result(
    findings: list[Finding],
    columns: tuple[list[str], list[int], list[str], list[str | None], list[list[str]], list[str]],
    documents: list[Document],
    stats: FileStats,
) -> BatchResult:
    return BatchResult(findings, list(map(SqlObject, *columns)), documents, stats)
