"""Properties of the comment and string stripper, for every language it knows."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from scan_marks import FIXTURES

from xinchuang.scan.lexer import _PATTERNS, Language, blank, lex

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


# The lexer's expressions as first written (plain, slow): the fast ones must find the
# very same tokens, of the same kinds.
_PLAIN_DQ = r'"(?:\\.|[^"\\\n])*"'
_PLAIN_SQ = r"'(?:\\.|[^'\\\n])*'"
_PLAIN: dict[Language, re.Pattern[str]] = {
    Language.C: re.compile(
        r"(?P<lc>//[^\n]*)"
        r"|(?P<bc>/\*.*?(?:\*/|\Z))"
        r'|(?P<tb>""".*?(?:"""|\Z))'
        r'|(?P<vs>@"(?:""|[^"])*")'
        r"|(?P<tl>`(?:\\.|[^`\\])*`)"
        rf"|(?P<dq>{_PLAIN_DQ})"
        rf"|(?P<sq>{_PLAIN_SQ})",
        re.DOTALL,
    ),
    Language.PYTHON: re.compile(
        r"(?P<lc>#[^\n]*)"
        r'|(?P<tq>[rRbBuUfF]{0,2}(?:""".*?(?:"""|\Z)|\'\'\'.*?(?:\'\'\'|\Z)))'
        rf"|(?P<dq>[rRbBuUfF]{{0,2}}{_PLAIN_DQ})"
        rf"|(?P<sq>[rRbBuUfF]{{0,2}}{_PLAIN_SQ})",
        re.DOTALL,
    ),
    Language.HASH: re.compile(
        rf"(?P<lc>(?<![\w$\\])#[^\n]*)|(?P<dq>{_PLAIN_DQ})|(?P<sq>{_PLAIN_SQ})"
    ),
    Language.INI: re.compile(r"(?P<lc>^[ \t]*[#;!][^\n]*)", re.MULTILINE),
    Language.SQL: re.compile(
        r"(?P<lc>--[^\n]*)"
        r"|(?P<hint>/\*\+.*?(?:\*/|\Z))"
        r"|(?P<bc>/\*.*?(?:\*/|\Z))"
        r"|(?P<qq>[nN]?[qQ]'(?:\[.*?\]|\{.*?\}|\(.*?\)|<.*?>|(?P<qd>[^\s\[{(<]).*?(?P=qd))')"
        r"|(?P<sq>'(?:''|[^'])*(?:'|\Z))",
        re.DOTALL,
    ),
    Language.XML: re.compile(r"(?P<bc><!--.*?(?:-->|\Z))", re.DOTALL),
    Language.VB: re.compile(
        r'(?P<dq>"(?:""|[^"\n])*")'
        r"|(?P<lc>'[^\n]*)"
        r"|(?P<rem>(?im:^[ \t]*rem\b[^\n]*))",
    ),
    Language.BATCH: re.compile(r"(?P<lc>(?im:^[ \t]*@?(?:rem\b|::)[^\n]*))"),
    Language.POWERSHELL: re.compile(
        rf"(?P<bc><#.*?(?:#>|\Z))|(?P<lc>#[^\n]*)|(?P<dq>{_PLAIN_DQ})|(?P<sq>'(?:''|[^'])*')",
        re.DOTALL,
    ),
}


def _tokens(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, str]]:
    out = []
    for match in pattern.finditer(text):
        kind = match.lastgroup or "qq"
        out.append((*match.span(), "qq" if kind.startswith(("qq", "qd")) else kind))
    return out


_TOKEN_TEXT = st.lists(
    st.sampled_from(
        [
            *_ALPHABET.elements,
            "**",
            "*/",
            "/*",
            "\\",
            '\\"',
            "\\'",
            "''",
            '""',
            "-->",
            "#>",
            "q'[",
            "]'",
            "nq'x",
            "x'",
            "Q'<",
            ">'",
            '@"',
            "`",
            "r'",
            'b"',
            "\n#",
            "\\\n",
        ]
    ),
    max_size=80,
).map("".join)


@settings(max_examples=1500, deadline=None)
@given(_TOKEN_TEXT, st.sampled_from(sorted(_PLAIN)))
def test_fast_expressions_find_the_plain_tokens(text: str, language: Language) -> None:
    assert _tokens(_PATTERNS[language], text) == _tokens(_PLAIN[language], text)


def test_fast_expressions_find_the_plain_tokens_in_the_fixtures() -> None:
    for path in FIXTURES.rglob("*"):
        if not path.is_file():
            continue
        text = path.read_bytes().decode("utf-8", "replace")
        for language, plain in _PLAIN.items():
            assert _tokens(_PATTERNS[language], text) == _tokens(plain, text), (path, language)
