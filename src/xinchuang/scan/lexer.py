"""Tell code from comments and string literals, per language, keeping every offset.

The scanner matches rules against *views* of a file that have the same length
and the same line breaks as the file itself, so an offset found in a view is
an offset in the file:

- ``code``: comments and the insides of string literals replaced by spaces;
- ``nocomment``: comments replaced by spaces, strings kept (build flags and
  SQL live in strings);
- ``strings``: the literals themselves, with their offsets, for SQL inside
  Java, Python or C# strings.

One compiled regular expression per language does the work: the scanner must
read C at more than 100,000 lines per second, and a character loop in Python
cannot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class Language(StrEnum):
    """Comment and string syntaxes the lexer knows."""

    C = "c"  # C, C++, Java, C#, JavaScript, TypeScript, Go, Kotlin, Groovy, CSS
    PYTHON = "python"
    HASH = "hash"  # shell, Makefile, CMake, Dockerfile, YAML, TOML, properties, nginx
    SQL = "sql"
    XML = "xml"
    HTML = "html"
    VB = "vb"  # VBA, VBScript, VB.NET
    BATCH = "batch"
    POWERSHELL = "powershell"
    INI = "ini"
    PLAIN = "plain"  # no comments, no strings


@dataclass(frozen=True)
class Literal:
    """A string literal: its offsets in the file (quotes included) and its content."""

    start: int
    end: int
    value: str
    value_start: int  # offset of the first character of ``value`` in the file


@dataclass
class Lexed:
    """The views of one file."""

    code: str
    nocomment: str
    literals: list[Literal] = field(default_factory=list)
    comments: list[tuple[int, int]] = field(default_factory=list)


# Two things make these expressions fast, matching exactly the tokens they did
# when written plainly (tests/scan/test_lexer_properties.py compares them):
# - each alternative starts with a literal character and names its kind with an
#   empty group at its end, so re skips to the next of those characters instead
#   of trying every alternative at every offset;
# - each token is "unrolled" (a run of ordinary characters, then each special
#   character with the run after it), one step per run instead of one attempt
#   per character as ``.*?(?:\*/|\Z)`` costs.
_DQ = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
_SQ = r"'[^'\\\n]*(?:\\.[^'\\\n]*)*'"
_BLOCK = r"/\*[^*]*(?:\*+[^*/][^*]*)*(?:\*+/|\**\Z)"  # /* … */, or to the end
_TRIPLE_DQ = r'"""[^"]*(?:"(?!"")[^"]*)*(?:"""|\Z)'
_TRIPLE_SQ = r"'''[^']*(?:'(?!'')[^']*)*(?:'''|\Z)"


def _q_quote(first: str, number: int) -> str:
    """Oracle's q'[…]' quoting, starting with ``first`` (group names must be unique)."""
    delimiter = f"qd{number}"
    return (
        rf"{first}'(?:\[.*?\]|\{{.*?\}}|\(.*?\)|<.*?>|(?P<{delimiter}>[^\s\[{{(<]).*?"
        rf"(?P={delimiter}))'(?P<qq{number}>)"
    )


_PATTERNS: dict[Language, re.Pattern[str]] = {
    Language.C: re.compile(
        r"//[^\n]*(?P<lc>)"
        rf"|{_BLOCK}(?P<bc>)"
        rf"|{_TRIPLE_DQ}(?P<tb>)"  # Java text blocks
        r'|@"[^"]*(?:""[^"]*)*"(?P<vs>)'  # C# verbatim strings
        r"|`[^`\\]*(?:\\.[^`\\]*)*`(?P<tl>)"  # JavaScript template literals
        rf"|{_DQ}(?P<dq>)"
        rf"|{_SQ}(?P<sq>)",
        re.DOTALL,
    ),
    Language.PYTHON: re.compile(
        r"(?P<lc>#[^\n]*)"
        rf"|(?P<tq>[rRbBuUfF]{{0,2}}(?:{_TRIPLE_DQ}|{_TRIPLE_SQ}))"
        rf"|(?P<dq>[rRbBuUfF]{{0,2}}{_DQ})"
        rf"|(?P<sq>[rRbBuUfF]{{0,2}}{_SQ})",
        re.DOTALL,
    ),
    Language.HASH: re.compile(rf"#(?<![\w$\\]#)[^\n]*(?P<lc>)|{_DQ}(?P<dq>)|{_SQ}(?P<sq>)"),
    Language.INI: re.compile(r"(?P<lc>^[ \t]*[#;!][^\n]*)", re.MULTILINE),
    Language.SQL: re.compile(
        r"--[^\n]*(?P<lc>)"
        r"|/\*\+[^*]*(?:\*+[^*/][^*]*)*(?:\*+/|\**\Z)(?P<hint>)"  # hints are code
        rf"|{_BLOCK}(?P<bc>)"
        rf"|{_q_quote('n[qQ]', 1)}|{_q_quote('N[qQ]', 2)}|{_q_quote('q', 3)}|{_q_quote('Q', 4)}"
        r"|'[^']*(?:''[^']*)*(?:'|\Z)(?P<sq>)",
        re.DOTALL,
    ),
    Language.XML: re.compile(r"(?P<bc><!--[^-]*(?:-(?!->)[^-]*)*(?:-->|\Z))", re.DOTALL),
    Language.VB: re.compile(
        r'"[^"\n]*(?:""[^"\n]*)*"(?P<dq>)'
        r"|'[^\n]*(?P<lc>)"
        r"|(?P<rem>(?im:^[ \t]*rem\b[^\n]*))",
    ),
    Language.BATCH: re.compile(r"(?P<lc>(?im:^[ \t]*@?(?:rem\b|::)[^\n]*))"),
    Language.POWERSHELL: re.compile(
        r"<#[^#]*(?:#+[^#>][^#]*)*(?:#+>|#*\Z)(?P<bc>)|#[^\n]*(?P<lc>)"
        rf"|{_DQ}(?P<dq>)|'[^']*(?:''[^']*)*'(?P<sq>)",
        re.DOTALL,
    ),
}

_SCRIPT = re.compile(r"(<script\b[^>]*>)(.*?)(</script\s*>|\Z)", re.DOTALL | re.IGNORECASE)
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_NOT_NEWLINE = re.compile(r"[^\n]+")

_STRING_GROUPS = frozenset({"dq", "sq", "tb", "vs", "tl", "tq", "qq"})


def blank(text: str) -> str:
    """Spaces in place of every character but line breaks (so offsets survive)."""
    if "\n" not in text:
        return " " * len(text)
    return _NOT_NEWLINE.sub(lambda m: " " * len(m.group()), text)


def _quote_width(kind: str, token: str) -> tuple[int, int]:
    """How many characters of ``token`` open and close the literal."""
    if kind == "tb":
        return 3, 3
    if kind == "vs":
        return 2, 1
    if kind == "qq":
        opening = token.index("'") + 2
        return opening, 2
    if kind == "tq":
        prefix = len(token) - len(token.lstrip("rRbBuUfF"))
        return prefix + 3, 3
    prefix = 0
    while prefix < len(token) and token[prefix] not in "\"'`":
        prefix += 1
    return prefix + 1, 1


def lex(text: str, language: Language) -> Lexed:
    """Split ``text`` into its views; unknown syntax yields the text unchanged."""
    if language is Language.HTML:
        return _lex_html(text)
    pattern = _PATTERNS.get(language)
    if pattern is None:
        return Lexed(code=text, nocomment=text)
    code: list[str] = []
    nocomment: list[str] = []
    literals: list[Literal] = []
    comments: list[tuple[int, int]] = []
    last = 0
    for match in pattern.finditer(text):
        kind = match.lastgroup
        if kind is None or kind.startswith(("qq", "qd")):
            kind = "qq"
        start, end = match.span()
        if start > last:
            chunk = text[last:start]
            code.append(chunk)
            nocomment.append(chunk)
        token = match.group()
        if kind in _STRING_GROUPS:
            opening, closing = _quote_width(kind, token)
            closing = min(closing, max(0, len(token) - opening))
            inner_end = len(token) - closing
            value = token[opening:inner_end]
            if language is Language.SQL and kind == "sq" and not token.endswith("'"):
                inner_end = len(token)
                value = token[opening:]
            code.append(token[:opening] + blank(value) + token[inner_end:])
            nocomment.append(token)
            literals.append(Literal(start, end, value, start + opening))
        elif kind == "hint":
            code.append(token)
            nocomment.append(token)
        else:
            blanked = blank(token)
            code.append(blanked)
            nocomment.append(blanked)
            comments.append((start, end))
        last = end
    if last < len(text):
        chunk = text[last:]
        code.append(chunk)
        nocomment.append(chunk)
    return Lexed("".join(code), "".join(nocomment), literals, comments)


def _lex_html(text: str) -> Lexed:
    """HTML: ``<!-- -->`` comments, and JavaScript rules inside ``<script>`` blocks."""
    code: list[str] = []
    nocomment: list[str] = []
    literals: list[Literal] = []
    comments: list[tuple[int, int]] = []

    def plain(chunk: str, offset: int) -> None:
        last = 0
        for match in _HTML_COMMENT.finditer(chunk):
            code.append(chunk[last : match.start()])
            nocomment.append(chunk[last : match.start()])
            blanked = blank(match.group())
            code.append(blanked)
            nocomment.append(blanked)
            comments.append((offset + match.start(), offset + match.end()))
            last = match.end()
        code.append(chunk[last:])
        nocomment.append(chunk[last:])

    last = 0
    for match in _SCRIPT.finditer(text):
        plain(text[last : match.start(2)], last)
        inner = lex(match.group(2), Language.C)
        base = match.start(2)
        code.append(inner.code)
        nocomment.append(inner.nocomment)
        literals.extend(
            Literal(lit.start + base, lit.end + base, lit.value, lit.value_start + base)
            for lit in inner.literals
        )
        comments.extend((s + base, e + base) for s, e in inner.comments)
        last = match.end(2)
    plain(text[last:], last)
    return Lexed("".join(code), "".join(nocomment), literals, comments)


_CONCAT_GAP = re.compile(r"\s*(?:\+|\.|&|\|\|)?\s*\Z")


def joined_literals(text: str, literals: list[Literal]) -> list[list[Literal]]:
    """Group literals that the code concatenates (``"a " + "b"``, or adjacent ones).

    SQL in Java is usually built from several literals, one per line.
    """
    groups: list[list[Literal]] = []
    for literal in literals:
        if groups:
            previous = groups[-1][-1]
            gap = text[previous.end : literal.start]
            if len(gap) < 200 and _CONCAT_GAP.match(gap):
                groups[-1].append(literal)
                continue
        groups.append([literal])
    return groups
