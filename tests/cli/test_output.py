"""Terminal output: data is printed as data, never as markup or control sequences."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinchuang.cli import output


def test_markup_in_a_value_is_printed_literally(capsys: pytest.CaptureFixture[str]) -> None:
    output.emit_table([{"name": "[bold red]HACKED[/bold red]"}], [("name", "Name")])
    assert "[bold red]HACKED[/bold red]" in capsys.readouterr().out


def test_escape_sequences_in_a_value_are_shown_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    output.emit_table([{"name": "pc-01\x1b[2J\x1b]0;owned\x07"}], [("name", "Name")])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b[2J" in out and "\\x07" in out


def test_warnings_escape_control_characters(capsys: pytest.CaptureFixture[str]) -> None:
    output.warn("skipped: row 3 \x1b[31mred\x1b[0m")
    err = capsys.readouterr().err
    assert "\x1b[31m" not in err and "\\x1b[31mred" in err


@given(st.text())
def test_printable_leaves_no_control_character_but_tab_and_newline(text: str) -> None:
    shown = output.printable(text)
    assert not [c for c in shown if (ord(c) < 32 and c not in "\t\n") or 127 <= ord(c) < 160]
