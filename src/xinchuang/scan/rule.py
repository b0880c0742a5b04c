"""A rule: one YAML file under ``scan/rules/<family>/<CODE>.yaml``, validated here.

Everything a user reads about a rule (title, why, fix, references, the
verdict per target, the effort) is data in that file, so the docs page, the
``rules explain`` text and the SARIF rule descriptor come from one place.
The optional ``matcher`` names a class in :mod:`xinchuang.scan.matchers`;
without it the rule is a set of regular expressions over one view of a file.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from xinchuang.i18n import current_language
from xinchuang.scan.targets import PREFIXES, TARGETS, Family, Severity, Support, family_targets

# One ora2pg cost unit is five minutes (ora2pg's COST_UNIT_VALUE default); see docs/scan.md.
ORA2PG_UNIT_MINUTES = 5.0


# Shorthands for the kinds a rule reads (expanded when the rule loads).
KIND_GROUPS: dict[str, list[str]] = {
    "@c": ["c", "cpp"],
    "@code": [
        "c",
        "cpp",
        "java",
        "kotlin",
        "groovy",
        "go",
        "csharp",
        "javascript",
        "typescript",
        "python",
        "vbnet",
    ],
    "@sql": [
        "sql",
        "plsql",
        "mapper",
        "java",
        "kotlin",
        "groovy",
        "python",
        "csharp",
        "go",
        "vbnet",
        "config",
        "properties",
        "ini",
        "xml",
    ],
    "@web": ["html", "javascript", "typescript"],
    "@config": ["config", "properties", "ini", "xml", "nginx"],
    "@manifest": ["maven", "gradle", "pip", "npm", "jar-manifest", "go-mod"],
    "@vba": ["vba", "ole", "ooxml"],
}


class Text(BaseModel):
    """A sentence in English and in Chinese."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    en: Annotated[str, Field(min_length=1)]
    zh: Annotated[str, Field(min_length=1)]

    def local(self, lang: str | None = None) -> str:
        """The text in ``lang`` (default: the current language)."""
        return self.zh if (lang or current_language()).startswith("zh") else self.en


class Scope(StrEnum):
    """Which view of a file a regular-expression rule reads."""

    CODE = "code"  # comments and string contents blanked
    NOCOMMENT = "nocomment"  # comments blanked, strings kept
    STRINGS = "strings"  # inside string literals only
    RAW = "raw"  # the file as it is
    SQL = "sql"  # every SQL text: SQL files, mapper XML, SQL in strings and configuration
    VBA = "vba"  # VBA source, from documents or exported modules


class Effort(BaseModel):
    """Minutes of work per occurrence (or per file), or ora2pg units for SQL."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    minutes: float | None = Field(default=None, ge=0)
    ora2pg_units: float | None = Field(default=None, ge=0)
    per: Literal["occurrence", "file"] = "occurrence"
    basis: str | None = None  # why this number

    @model_validator(mode="after")
    def _one_unit(self) -> Effort:
        if (self.minutes is None) == (self.ora2pg_units is None):
            raise ValueError("give exactly one of minutes or ora2pg_units")
        return self

    @property
    def total_minutes(self) -> float:
        """The effort in minutes."""
        if self.ora2pg_units is not None:
            return self.ora2pg_units * ORA2PG_UNIT_MINUTES
        assert self.minutes is not None
        return self.minutes


class Rule(BaseModel):
    """One rule, exactly as its YAML file states it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: Annotated[str, Field(pattern=r"^[A-Z]{2,3}\d{3}$")]
    name: Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    family: Family
    status: Literal["preview", "stable", "deprecated", "removed"] = "stable"
    since: str = "0.1.0"
    title: Text
    why: Text
    fix: Text
    remark: Text | None = None
    kinds: Annotated[list[str], Field(min_length=1)]
    scope: Scope = Scope.CODE
    matcher: str = "regex"
    patterns: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    ignore_case: bool = False
    options: dict[str, object] = Field(default_factory=dict)
    confidence: Literal["high", "medium", "low"] = "high"
    targets: dict[str, Severity] = Field(default_factory=dict)
    support: dict[str, Support] = Field(default_factory=dict)
    sources: dict[str, str] = Field(default_factory=dict)
    effort: Effort
    references: Annotated[list[str], Field(min_length=1)]
    example: Text | None = None

    @field_validator("kinds", mode="before")
    @classmethod
    def _expand_kinds(cls, value: object) -> object:
        if not isinstance(value, list):
            return value
        out: list[str] = []
        for kind in value:
            for item in KIND_GROUPS.get(str(kind), [str(kind)]):
                if item not in out:
                    out.append(item)
        return out

    @model_validator(mode="before")
    @classmethod
    def _expand_star(cls, data: object) -> object:
        if isinstance(data, dict) and isinstance(data.get("targets"), dict):
            targets = dict(data["targets"])
            if "*" in targets:
                family = Family(str(data.get("family", "scan")))
                level = targets.pop("*")
                data = {
                    **data,
                    "targets": {**dict.fromkeys(family_targets(family), level), **targets},
                }
        return data

    @field_validator("keywords")
    @classmethod
    def _lowercase(cls, value: list[str]) -> list[str]:
        bad = [k for k in value if k != k.lower() or not k]
        if bad:
            raise ValueError(f"keywords must be non-empty lowercase text: {bad}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        prefix = PREFIXES[self.family]
        if not self.code.startswith(prefix) or not self.code[len(prefix) :].isdigit():
            raise ValueError(f"a {self.family.value} rule code starts with {prefix}")
        known = set(family_targets(self.family))
        named = set(self.targets) | set(self.support) | set(self.sources)
        stray = sorted(named - known)
        if stray:
            raise ValueError(f"targets outside the {self.family.value} family: {stray}")
        if self.support and self.targets:
            raise ValueError("give either targets (verdicts) or support (a matrix), not both")
        if not self.support and not self.targets:
            raise ValueError("a rule needs targets or support")
        if self.matcher == "regex" and not self.patterns:
            raise ValueError("a regex rule needs patterns")
        if self.matcher == "regex" and not self.keywords:
            raise ValueError("a regex rule needs keywords (its cheap pre-filter)")
        for pattern in [*self.patterns, *self.exclude]:
            try:
                re.compile(pattern)
            except re.error as error:
                raise ValueError(f"bad pattern {pattern!r}: {error}") from error
        return self

    @cached_property
    def verdicts(self) -> dict[str, Severity]:
        """Target → severity, for every target on which this rule is a finding."""
        if self.targets:
            return dict(self.targets)
        out: dict[str, Severity] = {}
        for target, level in self.support.items():
            severity = level.severity()
            if severity is not None:
                out[target] = severity
        return out

    def source_for(self, target: str) -> str:
        """Where the verdict for ``target`` comes from."""
        return self.sources.get(target) or TARGETS[target].doc_url

    @cached_property
    def compiled(self) -> list[re.Pattern[str]]:
        """The rule's patterns, compiled."""
        flags = re.MULTILINE | (re.IGNORECASE if self.ignore_case else 0)
        return [re.compile(p, flags) for p in self.patterns]

    @cached_property
    def compiled_exclude(self) -> list[re.Pattern[str]]:
        """Patterns that cancel a match when they match its line."""
        flags = re.IGNORECASE if self.ignore_case else 0
        return [re.compile(p, flags) for p in self.exclude]

    def summary(self, lang: str | None = None) -> dict[str, object]:
        """The rule as plain data (``rules list --format json``)."""
        return {
            "code": self.code,
            "name": self.name,
            "family": self.family.value,
            "status": self.status,
            "title": self.title.local(lang),
            "kinds": list(self.kinds),
            "confidence": self.confidence,
            "per_target": {t: s.value for t, s in self.verdicts.items()},
            "support": {t: s.value for t, s in self.support.items()},
            "effort_minutes": self.effort.total_minutes,
            "effort_per": self.effort.per,
        }
