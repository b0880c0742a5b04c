"""Docs cannot drift: generated pages are current, every error code and message is documented."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "xinchuang"


def _run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / script), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_generated_reference_pages_are_current() -> None:
    result = _run("gen_docs.py", "--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_message_has_a_chinese_translation() -> None:
    result = _run("i18n.py", "check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_error_code_has_a_heading() -> None:
    headings = set(
        re.findall(r"^## (\w+)$", (ROOT / "docs/reference/errors.md").read_text("utf-8"), re.M)
    )
    used: set[str] = set()
    for path in SRC.rglob("*.py"):
        used |= set(re.findall(r'"((?:XC|CAT|WS|IMP|PLN)\d{3})"', path.read_text("utf-8")))
    assert used, "no error codes found: the pattern is wrong"
    assert sorted(used - headings) == []


def test_readme_quickstart_is_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "make demo" in readme and "make test" in readme
