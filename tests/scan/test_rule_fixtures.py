"""Every rule's fixture: what it must find, and the look-alikes it must not."""

from __future__ import annotations

from pathlib import Path

import pytest
from scan_marks import FIXTURES, all_fixtures, fixture_for, read, scan_root

from xinchuang.scan import build_config, default_registry, scan_paths


def _found(fixture: Path) -> set[tuple[str, str, int | None]]:
    root = scan_root(fixture)
    result = scan_paths([root], build_config([root]), jobs=1)
    return {(f.rule, f.path.split("!/")[0], f.line) for f in result.findings}


@pytest.mark.parametrize("fixture", all_fixtures(), ids=lambda p: p.stem)
def test_fixture(fixture: Path) -> None:
    expectations = read(fixture)
    found = _found(fixture)
    by_file = {(code, path) for code, path, _line in found}
    missing = [
        e
        for e in expectations.expect
        if (e not in found if e[2] is not None else (e[0], e[1]) not in by_file)
    ]
    wrongly = [
        o for o in expectations.ok if (o in found if o[2] is not None else (o[0], o[1]) in by_file)
    ]
    own = fixture.stem
    expected_own = {(c, p, ln) for c, p, ln in expectations.expect if c == own}
    unexpected = [
        f
        for f in found
        if f[0] == own and f not in expected_own and (f[0], f[1], None) not in expected_own
    ]
    assert not missing, f"not found: {sorted(missing, key=str)}; found: {sorted(found, key=str)}"
    assert not wrongly, f"found on an ok line: {sorted(wrongly, key=str)}"
    assert not unexpected, f"found where nothing was marked: {sorted(unexpected, key=str)}"


def test_every_rule_has_one_fixture_with_expect_and_ok() -> None:
    problems = []
    for code in default_registry().rules:
        fixture = fixture_for(code)
        if fixture is None:
            problems.append(f"{code}: no fixture (or more than one) under {FIXTURES}")
            continue
        expectations = read(fixture)
        if not any(c == code for c, _p, _l in expectations.expect):
            problems.append(f"{code}: no 'expect: {code}' mark")
        if not any(c == code for c, _p, _l in expectations.ok):
            problems.append(f"{code}: no 'ok: {code}' mark")
    assert not problems, "\n".join(problems)


def test_every_fixture_belongs_to_a_rule() -> None:
    codes = set(default_registry().rules)
    stray = [p.name for p in all_fixtures() if p.stem not in codes]
    assert not stray
