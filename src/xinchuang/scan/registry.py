"""Load every rule of the shipped packs (and of user directories) and check them once.

Adding a rule is adding one YAML file under ``scan/rules/<family>/``; nothing
else lists rules. Problems in any file are collected and reported together,
each with its file and field.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from xinchuang import resources
from xinchuang.errors import DataError, Issue, UsageError
from xinchuang.i18n import _
from xinchuang.scan.rule import Rule
from xinchuang.scan.targets import Family

_Loader: type[yaml.SafeLoader | yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def rules_dir() -> Path:
    """The shipped rule packs."""
    return Path(str(resources.package_root().joinpath("scan", "rules")))


@dataclass(frozen=True)
class Registry:
    """Every rule by code, in code order."""

    rules: dict[str, Rule] = field(default_factory=dict)

    def get(self, code: str) -> Rule:
        """The rule with ``code``; an unknown code is a usage error with a suggestion."""
        rule = self.rules.get(code.upper())
        if rule is None:
            from rapidfuzz import process

            guess = process.extractOne(code.upper(), list(self.rules), score_cutoff=60)
            raise UsageError(
                _("unknown rule {code!r}").format(code=code)
                + (_("; did you mean {guess!r}?").format(guess=guess[0]) if guess else ""),
                tip=_("list the rules with: xinchuang rules list"),
            )
        return rule

    def by_family(self, family: Family) -> list[Rule]:
        """The rules of one family."""
        return [r for r in self.rules.values() if r.family is family]


def _issue(path: Path, error: ValidationError) -> list[Issue]:
    out = []
    for detail in error.errors():
        where = ".".join(str(p) for p in detail["loc"]) or None
        value = detail.get("input")
        out.append(
            Issue(
                file=str(path),
                message=detail["msg"],
                code="XC210",
                field=where,
                value=None if isinstance(value, dict | list) else str(value),
            )
        )
    return out


def load_rules(extra_dirs: Iterable[Path] = ()) -> Registry:
    """Load the shipped rules, then rules from ``extra_dirs`` (each laid out the same way)."""
    return _load((rules_dir(), *extra_dirs))


@cache
def default_registry() -> Registry:
    """The shipped rules, loaded once per process."""
    return _load((rules_dir(),))


def _load(dirs: Iterable[Path]) -> Registry:
    rules: dict[str, Rule] = {}
    origin: dict[str, Path] = {}
    issues: list[Issue] = []
    for directory in dirs:
        for path in sorted(directory.glob("*/*.yaml")):
            try:
                data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
            except (OSError, yaml.YAMLError) as error:
                issues.append(Issue(str(path), str(error).splitlines()[0], "XC210"))
                continue
            if not isinstance(data, dict):
                issues.append(Issue(str(path), "a rule file holds one mapping", "XC210"))
                continue
            data.setdefault("family", path.parent.name)
            try:
                rule = Rule.model_validate(data)
            except ValidationError as error:
                issues.extend(_issue(path, error))
                continue
            if path.stem != rule.code:
                issues.append(
                    Issue(
                        str(path),
                        "file name must be the rule code",
                        "XC210",
                        field="code",
                        value=rule.code,
                    )
                )
            if path.parent.name != rule.family.value:
                issues.append(
                    Issue(
                        str(path),
                        "folder must be the rule family",
                        "XC210",
                        field="family",
                        value=rule.family.value,
                    )
                )
            if rule.code in rules:
                issues.append(
                    Issue(
                        str(path),
                        f"duplicate code, first in {origin[rule.code]}",
                        "XC210",
                        field="code",
                        value=rule.code,
                    )
                )
                continue
            rules[rule.code] = rule
            origin[rule.code] = path
    if issues:
        raise DataError(
            _("{count} problems in the scanner rules").format(count=len(issues)), issues
        )
    return Registry(dict(sorted(rules.items())))
