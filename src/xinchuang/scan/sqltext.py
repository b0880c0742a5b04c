"""Find the SQL in a file and split it into statements, the way SQL*Plus would.

SQL comes from four places, and every one becomes a :class:`SqlUnit` whose
``code`` view maps back to offsets in the file:

- SQL and PL/SQL files, read as SQL*Plus reads them: ``PROMPT``/``SET``/``@``
  lines (with ``-`` continuations) are not SQL, ``&var`` is a substitution
  variable, ``/`` alone on a line ends a PL/SQL block or runs the buffer
  (SQL*Plus User's Guide, "Entering and Executing Commands");
- MyBatis and iBATIS mapper XML (``<select>``, ``<insert>``…, dynamic tags
  removed, ``#{x}``/``${x}`` kept as placeholders);
- string literals in Java, Python, C#, Go and JavaScript that hold a statement,
  joined when the code concatenates them;
- configuration values that hold a statement (``validationQuery=…``).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from xinchuang.scan.lexer import Language, Literal, blank, joined_literals, lex


@dataclass
class Statement:
    """One statement of a unit: its span in the unit's code view and what it defines."""

    start: int
    end: int
    object_type: str
    name: str | None


@dataclass
class SqlUnit:
    """A stretch of SQL: its code view (SQL comments and literals blanked) and offsets."""

    code: str
    origin: str  # file | mapper | string | config
    # (offset in code, offset in file, length): pieces in order; one piece = identity
    pieces: list[tuple[int, int, int]] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    text: str = ""  # the SQL as written (for sqlglot), same length as ``code``

    def file_offset(self, offset: int) -> int:
        """Map an offset in ``code`` to an offset in the file."""
        if not self.pieces:
            return offset
        starts = [p[0] for p in self.pieces]
        index = max(0, bisect.bisect_right(starts, offset) - 1)
        unit_start, file_start, length = self.pieces[index]
        return file_start + min(offset - unit_start, max(0, length - 1))

    def statement_at(self, offset: int) -> Statement | None:
        """The statement holding ``offset``."""
        starts = [s.start for s in self.statements]
        index = bisect.bisect_right(starts, offset) - 1
        if index >= 0 and self.statements[index].start <= offset < self.statements[index].end:
            return self.statements[index]
        return None


_SQLPLUS = re.compile(
    r"^[ \t]*(?:@@?|(?:rem(?:ark)?|pro(?:mpt)?|set|spo(?:ol)?|sta(?:rt)?|def(?:ine)?|undef(?:ine)?"
    r"|col(?:umn)?|tti(?:tle)?|bti(?:tle)?|bre(?:ak)?|comp(?:ute)?|conn(?:ect)?|disc(?:onnect)?"
    r"|whenever|exit|quit|show?|acc(?:ept)?|pau(?:se)?|desc(?:ribe)?|cl(?:ear)?|host|var(?:iable)?"
    r"|print|timing|passw(?:ord)?|store|repf(?:ooter)?|reph(?:eader)?|get|save|edit|run"
    r"|archive|startup|shutdown|recover|attribute|copy|help|list|del|append|change|input"
    r"|sqlblanklines|xquery|ho|!)\b)",
    re.IGNORECASE,
)
_PLSQL_START = re.compile(
    r"\s*(?:create\s+(?:or\s+replace\s+)?(?:(?:non)?editionable\s+)?"
    r"(?:function|procedure|package|trigger|type|library|java)\b|declare\b|begin\b)",
    re.IGNORECASE,
)
_SLASH = re.compile(r"^[ \t]*/[ \t]*$")
_SUBSTITUTION = re.compile(r"&&?[A-Za-z_0-9]+\.?")
_OBJECT = re.compile(
    r"\s*(?:(?P<create>create)\s+(?:or\s+replace\s+)?(?:(?:non)?editionable\s+)?(?:force\s+)?"
    r"(?:no\s+force\s+)?(?:unique\s+|bitmap\s+)?"
    r"(?P<kind>global\s+temporary\s+table|materialized\s+view|package\s+body|type\s+body"
    r"|public\s+database\s+link|database\s+link|public\s+synonym|table|view|index|sequence"
    r"|synonym|procedure|function|package|trigger|type|directory|user|role|schema)\b"
    r"(?:\s+if\s+not\s+exists)?\s*(?P<name>[\w$#.\"]+)?"
    r"|(?P<dml>select|insert|update|delete|merge|with|upsert|replace)\b"
    r"|(?P<block>declare|begin|exec(?:ute)?|call)\b"
    r"|(?P<other>\w+))",
    re.IGNORECASE,
)

# Object types as ora2pg's report names them.
_KIND_NAMES = {
    "global temporary table": "GLOBAL TEMPORARY TABLE",
    "materialized view": "MATERIALIZED VIEW",
    "package body": "PACKAGE BODY",
    "type body": "TYPE BODY",
    "public database link": "DATABASE LINK",
    "database link": "DATABASE LINK",
    "public synonym": "SYNONYM",
}


def classify(statement: str) -> tuple[str, str | None]:
    """The object type a statement defines (ora2pg's names) and its name."""
    match = _OBJECT.match(statement)
    if match is None:
        return "OTHER", None
    if match.group("create"):
        kind = " ".join(match.group("kind").lower().split())
        name = match.group("name")
        return _KIND_NAMES.get(kind, kind.upper()), name.strip('"') if name else None
    if match.group("dml"):
        return "QUERY", None
    if match.group("block"):
        return "ANONYMOUS BLOCK", None
    return "OTHER", None


def _mask_sqlplus(code: str) -> tuple[str, list[tuple[int, int]]]:
    """Blank SQL*Plus commands and terminators; return the masked text and statement spans."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    offset = 0
    start: int | None = None
    plsql = False
    continuation = False
    for line in code.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        stripped = body.strip()
        if continuation:
            out.append(blank(line))
            continuation = stripped.endswith("-")
        elif start is None:
            if not stripped or _SLASH.match(body):
                out.append(blank(line))
            elif _SQLPLUS.match(body):
                out.append(blank(line))
                continuation = stripped.endswith("-")
            else:
                start = offset + (len(body) - len(body.lstrip()))
                plsql = bool(_PLSQL_START.match(body))
                out.append(line)
                if not plsql and stripped.endswith(";"):
                    spans.append((start, offset + len(body)))
                    start = None
        elif _SLASH.match(body):
            spans.append((start, offset))
            start = None
            out.append(blank(line))
        else:
            out.append(line)
            if not plsql and stripped.endswith(";"):
                spans.append((start, offset + len(body)))
                start = None
        offset += len(line)
    if start is not None:
        spans.append((start, offset))
    masked = "".join(out)
    masked = _SUBSTITUTION.sub(lambda m: "_" * len(m.group()), masked)
    return masked, spans


def sql_file_unit(text: str) -> SqlUnit:
    """A SQL or PL/SQL file, as SQL*Plus would run it."""
    lexed = lex(text, Language.SQL)
    masked, spans = _mask_sqlplus(lexed.code)
    statements = []
    for start, end in spans:
        kind, name = classify(masked[start:end])
        statements.append(Statement(start, end, kind, name))
    return SqlUnit(code=masked, origin="file", statements=statements, text=text)


_MAPPER_ELEMENT = re.compile(
    r"<(select|insert|update|delete|sql|statement|procedure)\b([^>]*)>(.*?)</\1\s*>",
    re.DOTALL | re.IGNORECASE,
)
_TAG = re.compile(r"<!\[CDATA\[|\]\]>|<[^>]*>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|apos);")
_ENTITY_CHAR = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_PARAM = re.compile(r"[#$]\{[^}]*\}")
_ID = re.compile(r"\bid\s*=\s*[\"']([^\"']+)")
_NAMESPACE = re.compile(r"<(?:mapper|sqlMap)\b[^>]*\bnamespace\s*=\s*[\"']([^\"']+)")


def mapper_unit(text: str, xml_code: str) -> SqlUnit:
    """MyBatis/iBATIS mapper XML: the SQL of every statement element, in place."""
    masked = list(blank(xml_code))
    namespace_match = _NAMESPACE.search(text)
    namespace = namespace_match.group(1) if namespace_match else None
    spans: list[Statement] = []
    for element in _MAPPER_ELEMENT.finditer(xml_code):
        body_start = element.start(3)
        body = element.group(3)
        body = _TAG.sub(lambda m: blank(m.group()), body)
        body = _ENTITY.sub(lambda m: _ENTITY_CHAR[m.group(1)].ljust(len(m.group())), body)
        body = _PARAM.sub(lambda m: "?".ljust(len(m.group())), body)
        masked[body_start : body_start + len(body)] = body
        id_match = _ID.search(element.group(2))
        name = id_match.group(1) if id_match else None
        if namespace and name:
            name = f"{namespace}.{name}"
        spans.append(Statement(element.start(), element.end(), "QUERY", name))
    sql = "".join(masked)
    inner = lex(sql, Language.SQL)
    return SqlUnit(code=inner.code, origin="mapper", statements=spans, text=sql)


_LOOKS_LIKE_SQL = re.compile(
    r"^\s*(?:\(\s*)?(?:select\s+[\s\S]*\bfrom\b|select\s+[\w.]+\.(?:nextval|currval)\b"
    r"|insert\s+into\b|update\s+[\w.\"]+\s+(?:\w+\s+)?set\b|delete\s+from\b|merge\s+into\b"
    r"|with\s+\w+\s+as\s*\(|create\s+(?:or\s+replace\s+)?\w|alter\s+(?:table|session)\b"
    r"|begin\b|declare\b|call\s+\w|\{\s*call\b|exec(?:ute)?\s+\w|truncate\s+table\b)",
    re.IGNORECASE,
)


_PROSE = re.compile(
    r"^\s*(?:select|update|delete|insert)\s+(?:an?|the|your|one|this|that|which|from|one)\b",
    re.IGNORECASE,
)


def looks_like_sql(text: str) -> bool:
    """True for text that starts like a SQL statement (not prose that says "select")."""
    return bool(_LOOKS_LIKE_SQL.match(text)) and not _PROSE.match(text)


def string_units(literals: list[Literal], text: str) -> list[SqlUnit]:
    """SQL held in string literals, one unit per concatenated group that reads as SQL."""
    units = []
    for group in joined_literals(text, literals):
        head = group[0].value
        if not looks_like_sql(head if len(group) == 1 else " ".join(g.value for g in group)):
            continue
        pieces: list[tuple[int, int, int]] = []
        parts: list[str] = []
        position = 0
        for literal in group:
            pieces.append((position, literal.value_start, max(1, len(literal.value))))
            parts.append(literal.value)
            position += len(literal.value) + 1
        sql = " ".join(parts)
        lexed = lex(sql, Language.SQL)
        kind, name = classify(sql)
        units.append(
            SqlUnit(
                code=lexed.code,
                origin="string",
                pieces=pieces,
                statements=[Statement(0, len(sql), kind, name)],
                text=sql,
            )
        )
    return units


_CONFIG_SQL = re.compile(
    r"(?P<sql>(?:select|insert\s+into|update|delete\s+from|merge\s+into)\b[^\n]*)",
    re.IGNORECASE,
)


def config_units(text: str) -> list[SqlUnit]:
    """Statements written as configuration values (one line each)."""
    units = []
    for match in _CONFIG_SQL.finditer(text):
        sql = match.group("sql").rstrip().rstrip("\"',;")
        if not looks_like_sql(sql):
            continue
        lexed = lex(sql, Language.SQL)
        units.append(
            SqlUnit(
                code=lexed.code,
                origin="config",
                pieces=[(0, match.start("sql"), len(sql))],
                statements=[Statement(0, len(sql), "QUERY", None)],
                text=sql,
            )
        )
    return units
