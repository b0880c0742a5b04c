"""Properties of the comment and string stripper, for every language it knows."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from xinchuang.scan.lexer import Language, blank, lex

# Text made of the characters that matter to lexers, plus ordinary ones and CJK.
_ALPHABET = st.sampled_from(
    [
        *"abcXYZ019 _;=+(){}[]<>\n\t\r'\"`\\/*-#!@&$%:,.?qQnN贷款",
        *["--", "/*", "*/", "//", "<!--", "-->", "'''", '"""', "<#", "#>", "/*+", "rem "],
    ]
)
_TEXT = st.lists(_ALPHABET, max_size=80).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.sampled_from(list(Language)))
def test_views_keep_length_and_line_breaks(text: str, language: Language) -> None:
    lexed = lex(text, language)
    for view in (lexed.code, lexed.nocomment):
        assert len(view) == len(text)
        assert [i for i, c in enumerate(view) if c == "\n"] == [
            i for i, c in enumerate(text) if c == "\n"
        ]


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.sampled_from(list(Language)))
def test_views_only_blank_never_invent(text: str, language: Language) -> None:
    lexed = lex(text, language)
    for view in (lexed.code, lexed.nocomment):
        assert all(v == t or v == " " for v, t in zip(view, text, strict=True))
    # code blanks at least what nocomment blanks
    assert all(c == " " or c == n for c, n in zip(lexed.code, lexed.nocomment, strict=True))


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.sampled_from([Language.C, Language.PYTHON, Language.SQL, Language.VB]))
def test_literals_point_at_their_text(text: str, language: Language) -> None:
    for literal in lex(text, language).literals:
        assert text[literal.value_start : literal.value_start + len(literal.value)] == literal.value
        assert literal.start <= literal.value_start <= literal.end


@given(st.text(max_size=50))
def test_blank_keeps_only_line_breaks(text: str) -> None:
    out = blank(text)
    assert len(out) == len(text)
    assert set(out) <= {" ", "\n"}
    assert out.count("\n") == text.count("\n")


def test_comments_and_strings_are_not_code() -> None:
    code = lex('int a = 1; // _mm_add\n/* ROWNUM */ char *s = "ROWNUM";\n', Language.C).code
    assert "_mm_add" not in code and "ROWNUM" not in code and "int a = 1;" in code
    sql = lex("SELECT /*+ INDEX(t) */ 'it''s' -- x\nFROM q'[don't]'", Language.SQL).code
    assert "/*+ INDEX(t) */" in sql and "don" not in sql and "it" not in sql.split("SELECT")[1]
