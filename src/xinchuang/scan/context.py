"""One file as the rules see it: its text, its views, and what was derived from them.

Every view is computed on first use and kept for the other rules of the
same file, so a C file that no rule's keywords hit is never lexed at all.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from xinchuang.scan import cpp, cpp_model
from xinchuang.scan.lexer import Language, Lexed, lex
from xinchuang.scan.sqltext import SqlUnit, config_units, mapper_unit, sql_file_unit, string_units

_SQL_IN_STRINGS = frozenset(
    {"java", "kotlin", "groovy", "python", "csharp", "go", "javascript", "typescript", "vbnet"}
)
_SQL_IN_CONFIG = frozenset({"config", "properties", "ini", "xml"})


@dataclass
class VbaModule:
    """One VBA module: its name and source."""

    name: str
    code: str

    @cached_property
    def lexed(self) -> Lexed:
        """The module's views."""
        return lex(self.code, Language.VB)


@dataclass
class FileContext:
    """A file being scanned."""

    path: str  # relative to the scan root, posix; "a.jar!/b/c.so" inside archives
    kinds: frozenset[str]
    language: Language
    text: str = ""
    data: bytes = b""
    real_path: Path | None = None  # on disk, when the file is not inside an archive
    vba_modules: list[VbaModule] = field(default_factory=list)
    # rule code → the patterns that can match this file (see prefilter); absent: all of them
    patterns: dict[str, list[re.Pattern[str]]] = field(default_factory=dict)
    memo: dict[str, object] = field(default_factory=dict)  # what matchers share within a file
    # pattern → an expression finding where it may match, and the text that one reads
    finders: dict[re.Pattern[str], tuple[re.Pattern[str], str]] = field(default_factory=dict)
    # pattern → an expression finding where it may match in a view, read in lower case or not
    view_finders: dict[re.Pattern[str], tuple[re.Pattern[str], bool]] = field(default_factory=dict)

    @cached_property
    def lower(self) -> str:
        """The text in lower case, for the rules' keyword pre-filter."""
        return self.text.lower()

    @cached_property
    def lexed(self) -> Lexed:
        """Code, comment-free text and string literals."""
        return lex(self.text, self.language)

    @cached_property
    def line_starts(self) -> list[int]:
        """Offsets at which each line starts."""
        starts = [0]
        find = self.text.find
        position = find("\n")
        while position >= 0:
            starts.append(position + 1)
            position = find("\n", position + 1)
        return starts

    @property
    def line_count(self) -> int:
        """Lines in the file."""
        return self.text.count("\n") + (1 if self.text and not self.text.endswith("\n") else 0)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of an offset."""
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line break."""
        starts = self.line_starts
        if line < 1 or line > len(starts):
            return ""
        end = starts[line] - 1 if line < len(starts) else len(self.text)
        return self.text[starts[line - 1] : end].rstrip("\r")

    @cached_property
    def conditionals(self) -> cpp.Conditionals:
        """The ``#if`` structure of a C/C++ file."""
        return cpp.analyse(self.lexed.code)

    @cached_property
    def cpp_views(self) -> dict[str, cpp_model.ModelView]:
        """Which lines each CPU target's preprocessor (and any x86 one) keeps."""
        code = (
            self.lexed.nocomment
            if self.language is Language.C
            else lex(
                self.text, Language.C
            ).nocomment  # .S files: C's preprocessor, # is not a comment
        )
        return cpp_model.read(
            code,
            cpp_model.model_names(cpp_model.TARGET_TABLES),
            self.path,
            self.real_path,
        )

    @cached_property
    def sql_units(self) -> list[SqlUnit]:
        """Every stretch of SQL in the file."""
        kinds = self.kinds
        if kinds & {"sql", "plsql"}:
            return [sql_file_unit(self.text)]
        if "mapper" in kinds:
            return [mapper_unit(self.text, self.lexed.nocomment)]
        units: list[SqlUnit] = []
        if kinds & _SQL_IN_STRINGS:
            units.extend(string_units(self.lexed.literals, self.text))
        elif kinds & _SQL_IN_CONFIG:
            units.extend(config_units(self.lexed.nocomment))
        return units
