"""The rules' pre-filter never drops a match: required literals, folding, trigrams, views."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scan_marks import FIXTURES

from xinchuang.scan.context import FileContext
from xinchuang.scan.filekinds import language_of
from xinchuang.scan.lexer import Language, lex
from xinchuang.scan.prefilter import (
    VIEW_INSERTS,
    FileGate,
    KindPlan,
    LiteralSet,
    Trigrams,
    folded,
    matches,
    required_literals,
    start_finder,
)
from xinchuang.scan.registry import default_registry
from xinchuang.scan.rule import Scope
from xinchuang.scan.sqltext import mapper_unit, sql_file_unit, string_units


def test_literals_of_simple_patterns() -> None:
    assert required_literals(r"\bSHA1_(?:Init|Final)\s*\(", False) == (
        (frozenset({"SHA1_Init", "SHA1_Final"}), frozenset({"("})),
        False,
    )
    assert required_literals(r"\bLoadLibrary(?:Ex)?[AW]?", False) == (
        (frozenset({"LoadLibrary"}),),
        False,
    )
    assert required_literals(r"\bROWNUM\b", True) == ((frozenset({"rownum"}),), True)
    assert required_literals(r"(?i)\bROWNUM\b", False) == ((frozenset({"rownum"}),), True)
    # every stretch of known text is required, the rarest first
    assert required_literals(r"^[ \t]*#[ \t]*include[ \t]*<(?:windows|io)\.h>", True) == (
        (frozenset({"<windows.h>", "<io.h>"}), frozenset({"include"}), frozenset({"#"})),
        True,
    )
    # nothing is required of a pattern that can match anything
    assert required_literals(r"\w+", False) is None
    assert required_literals(r"(?:ab)?c*", False) is None
    # a literal never holds a character the view may have put there
    literals = required_literals(r"\bDBMS_OUTPUT\b", True, VIEW_INSERTS["sql"])
    assert literals is not None and all("_" not in lit for s in literals[0] for lit in s)
    code = required_literals(r"new\s+ActiveXObject", False, VIEW_INSERTS["code"])
    assert code == ((frozenset({"ActiveXObject"}), frozenset({"new"})), False)


def test_fold_covers_every_character_that_ignorecase_matches_to_ascii() -> None:
    everything = "".join(
        chr(c) for c in range(0x80, sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF
    )
    for letter in "abcdefghijklmnopqrstuvwxyz":
        for ch in re.findall(letter, everything, re.IGNORECASE):
            assert folded(ch) == letter, (letter, hex(ord(ch)))


# Regular expressions from a small grammar, and texts to run them on.
_ATOMS = st.sampled_from(
    [
        "a",
        "b",
        "c",
        "X",
        "ab",
        "Ab",
        "bc",
        "cab",
        "[ab]",
        "[xX]",
        ".",
        r"\b",
        r"\s*",
        r"\s+",
        r"\w+",
        "a?",
        "(?:ab)?",
        "(?:a|bc)",
        "(?:ab|c)+",
        "(?:x|)",
        "[^a]",
        "^",
        "$",
        "(?=a)",
        "(?<!b)",
        "b{2}",
        "(?:c|cab){1,2}",
        " ",
        "_",
        "(?i:ab)",
        "İ",
        "ſ",
    ]
)
_PATTERNS = st.lists(_ATOMS, min_size=1, max_size=6).map("".join)
_TEXTS = st.lists(
    st.sampled_from([*"abcxyABCXY _\n", "ab", "cab", "İ", "ı", "ſ", "K", "Σ", "贷"]), max_size=40
).map("".join)


@settings(max_examples=400, deadline=None)
@given(_PATTERNS, _TEXTS, st.booleans(), st.sampled_from(sorted(VIEW_INSERTS)))
def test_every_match_holds_a_required_literal(
    pattern: str, text: str, ignore_case: bool, scope: str
) -> None:
    inserts = VIEW_INSERTS[scope]
    need = required_literals(pattern, ignore_case, inserts)
    if need is None:
        return
    sets, fold = need
    assert all(not set(lit) & inserts for literals in sets for lit in literals)
    flags = re.MULTILINE | (re.IGNORECASE if ignore_case else 0)
    for match in re.finditer(pattern, text, flags):
        found = folded(match.group()) if fold else match.group()
        for literals in sets:
            assert any(lit in found for lit in literals), (pattern, match.group(), literals)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXTS, min_size=1, max_size=8), _TEXTS)
def test_candidates_hold_every_literal_and_keyword_present(words: list[str], text: str) -> None:
    literal_set = LiteralSet(words)
    candidates = literal_set.candidates(Trigrams(folded(text)))
    for word in words:
        if word and (word in text or word in text.lower() or word in folded(text)):
            assert word in candidates


def test_every_shipped_pattern_keeps_every_match_in_the_fixtures() -> None:
    """Over every fixture file and every view a rule reads, no match lacks its literals."""
    registry = default_registry()
    texts = []
    for path in FIXTURES.rglob("*"):
        if path.is_file():
            try:
                texts.append(path.read_text("utf-8"))
            except UnicodeDecodeError:
                continue
    checked = 0
    for rule in registry.rules.values():
        inserts = VIEW_INSERTS.get(rule.scope.value)
        if inserts is None:
            continue
        for pattern, compiled in zip(rule.patterns, rule.compiled, strict=True):
            need = required_literals(pattern, rule.ignore_case, inserts)
            if need is None:
                continue
            sets, fold = need
            for text in texts:
                for view in _views(text, rule.scope):
                    for match in compiled.finditer(view):
                        found = folded(match.group()) if fold else match.group()
                        for literals in sets:
                            assert any(lit in found for lit in literals), (rule.code, found)
                        checked += 1
    assert checked > 100


def _views(text: str, scope: Scope) -> list[str]:
    if scope is Scope.RAW:
        return [text]
    lexed = lex(text, Language.C)
    if scope is Scope.CODE:
        return [lexed.code]
    if scope is Scope.NOCOMMENT:
        return [lexed.nocomment]
    if scope is Scope.STRINGS:
        return [lit.value for lit in lexed.literals]
    units = [sql_file_unit(text), mapper_unit(text, lex(text, Language.XML).nocomment)]
    units += string_units(lexed.literals, text)
    return [unit.code for unit in units]


_SQLISH = st.lists(
    st.sampled_from(
        [
            *"ab _\n'\";&#{}<>?",
            "select ",
            "from ",
            "&lt;",
            "&amp;",
            "#{id}",
            "${x}",
            "&v.",
            '<select id="q">',
            "</select>",
            '<if test="a">',
            "</if>",
            '" + "',
            "--",
            "/*",
            "*/",
            "PROMPT x\n",
            "\n/\n",
        ]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_SQLISH)
def test_sql_views_hold_the_text_or_an_inserted_character(text: str) -> None:
    """The claim behind VIEW_INSERTS["sql"]: a SQL view invents only those characters."""
    inserts = VIEW_INSERTS["sql"]
    units = [
        sql_file_unit(text),
        mapper_unit(text, lex(text, Language.XML).nocomment),
        *string_units(lex(text, Language.C).literals, text),
    ]
    for unit in units:
        for offset, ch in enumerate(unit.code):
            if ch not in inserts:
                assert text[unit.file_offset(offset)] == ch


@pytest.mark.parametrize("kinds", [("c",), ("java",), ("sql",), ("xml", "mapper")])
def test_gate_agrees_with_the_keywords_it_replaces(kinds: tuple[str, ...]) -> None:
    registry = default_registry()
    rules = [r for r in registry.rules.values() if set(r.kinds) & set(kinds)]
    plan = KindPlan(rules)
    text = "#include <windows.h>\nSELECT ROWNUM FROM dual; // SHA1_Init(x) İnclude ſha1\n"
    ctx = FileContext("a", frozenset(kinds), language_of(kinds), text=text)
    gate = FileGate(plan, ctx.text, ctx.lower)
    for rule in rules:
        expected = any(k in ctx.lower for k in rule.keywords)
        assert gate.any_keyword(rule.keywords) == expected, rule.code


def test_start_finders_of_simple_patterns() -> None:
    finder = start_finder(r"\bSHA1_(?:Init|Final)\s*\(|\bEVP_sha1\s*\(", False)
    assert finder is not None and not finder[1]
    assert sorted(finder[0].pattern.split("|")) == ["EVP_sha1", "SHA1_Final", "SHA1_Init"]
    assert start_finder(r"\bLoadLibrary(?:Ex)?[AW]?\s*\(", False) == (
        re.compile("LoadLibrary"),
        False,
    )
    assert start_finder(r"(?:ab)?c", False) == (re.compile("c|abc"), False)
    assert start_finder(r"\w+x", False) is None
    assert start_finder(r"x?", False) is None


_BLANKS = st.lists(st.booleans(), max_size=40)


@settings(max_examples=500, deadline=None)
@given(_PATTERNS, _TEXTS, st.booleans(), _BLANKS)
def test_matches_finds_what_finditer_finds(
    pattern: str, text: str, ignore_case: bool, blanks: list[bool]
) -> None:
    """Over the text and over a view of it with characters blanked, as in the code view."""
    finder = start_finder(pattern, ignore_case, VIEW_INSERTS["code"])
    if finder is None:
        return
    expression, fold = finder
    haystack = folded(text) if fold else text
    if len(haystack) != len(text):
        return  # the engine only uses a folded haystack with the text's offsets
    flags = re.MULTILINE | (re.IGNORECASE if ignore_case else 0)
    compiled = re.compile(pattern, flags)
    view = "".join(
        " " if i < len(blanks) and blanks[i] and ch != "\n" else ch for i, ch in enumerate(text)
    )
    for subject in (text, view):
        expected = [(m.span(), m.group()) for m in compiled.finditer(subject)]
        found = [(m.span(), m.group()) for m in matches(compiled, subject, expression, haystack)]
        assert found == expected, (pattern, subject)
