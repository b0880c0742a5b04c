"""JSON sources: decode, parse with a located error, and read typed fields with a path.

Readers of JSON formats (CycloneDX, SPDX, host and Windows scans) share this:
the text is decoded like every other text source (:mod:`xinchuang.ingest.text`),
a syntax error names its line and column, and :class:`Fields` reads a value of
an expected type or reports where (``packages[3].version``) and what was found.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from xinchuang.errors import DataError, Issue
from xinchuang.filenames import shown
from xinchuang.i18n import _
from xinchuang.ingest.text import decode


def load_json(path: Path, code: str, what: str) -> tuple[Any, str]:
    """Parse ``path`` as JSON; return (document, encoding) or raise a located DataError."""
    display = shown(path)
    text, encoding = decode(path.read_bytes(), display)
    try:
        return json.loads(text), encoding
    except json.JSONDecodeError as exc:
        issue = Issue(
            display,
            _("not valid JSON ({reason}), so not a readable {what}").format(
                reason=exc.msg, what=what
            ),
            code,
            line=exc.lineno,
            column=exc.colno,
        )
        raise DataError(str(issue), [issue]) from exc
    except RecursionError as exc:
        issue = Issue(display, _("JSON nested too deeply to read"), code)
        raise DataError(str(issue), [issue]) from exc


def json_type(value: object) -> str:
    """The JSON name of a Python value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def head_matches(head: bytes, pattern: bytes) -> bool:
    """True when the (possibly BOM-prefixed, possibly UTF-16) head contains ``pattern``."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            head = (
                head[2 : len(head) // 2 * 2]
                .decode("utf-16-le" if head[:2] == b"\xff\xfe" else "utf-16-be")
                .encode("utf-8")
            )
        except UnicodeDecodeError:
            return False
    return re.search(pattern, head) is not None


class FieldError(Exception):
    """A field of the wrong type or value; carries the Issue to report."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(str(issue))
        self.issue = issue


class Fields:
    """Typed access to one JSON object, reporting problems at ``path`` in ``file``."""

    __slots__ = ("code", "data", "file", "path")

    def __init__(self, data: object, file: str, path: str, code: str) -> None:
        self.file = file
        self.path = path
        self.code = code
        if not isinstance(data, dict):
            raise FieldError(
                Issue(
                    file,
                    _("expected an object, found {found}").format(found=json_type(data)),
                    code,
                    position=path or "$",
                )
            )
        self.data: dict[str, Any] = data

    def _where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def error(self, key: str, message: str, value: object = None) -> FieldError:
        """A FieldError about ``key`` of this object."""
        shown = None if value is None else (value if isinstance(value, str) else repr(value))
        return FieldError(
            Issue(self.file, message, self.code, position=self._where(key), value=shown)
        )

    def has(self, key: str) -> bool:
        """True when ``key`` is present (even as null)."""
        return key in self.data

    def text(self, key: str, *, required: bool = False) -> str | None:
        """A string field, stripped; None when absent, null or blank (unless required)."""
        value = self.data.get(key)
        if value is None:
            if required:
                raise self.error(key, _("missing (a string is required)"))
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.error(
                key, _("expected a string, found {found}").format(found=json_type(value))
            )
        result = str(value).strip()
        if not result and required:
            raise self.error(key, _("empty (a value is required)"))
        return result or None

    def required(self, key: str) -> str:
        """A string field that must be present and not blank."""
        value = self.text(key, required=True)
        if value is None:  # text() raised already; this keeps the type exact
            raise self.error(key, _("missing (a string is required)"))
        return value

    def integer(self, key: str) -> int | None:
        """A non-negative integer field (or a string of digits); None when absent or null."""
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, str) and value.strip().isdigit():
            return int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.error(key, _("expected a non-negative integer"), value)
        return value

    def boolean(self, key: str) -> bool | None:
        """A boolean field; None when absent or null."""
        value = self.data.get(key)
        if value is None or isinstance(value, bool):
            return value
        raise self.error(
            key, _("expected true or false, found {found}").format(found=json_type(value))
        )

    def obj(self, key: str) -> Fields | None:
        """A nested object as Fields; None when absent or null."""
        value = self.data.get(key)
        if value is None:
            return None
        return Fields(value, self.file, self._where(key), self.code)

    def array(self, key: str) -> list[Any]:
        """An array field; empty when absent or null."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(
                key, _("expected an array, found {found}").format(found=json_type(value))
            )
        return value

    def child(self, value: object, where: str) -> Fields:
        """Fields of an element found under this object (``where`` relative to it)."""
        return Fields(value, self.file, self._where(where), self.code)


def check_collector_format(scan: Fields, expected: str, version: int, not_this: str) -> None:
    """A collector document names its format and version: refuse another format, a newer
    version (with the way out), or any version this reader does not know.

    ``not_this`` is the message for another format, with ``{expected}`` in it.
    """
    found = scan.data.get("format")
    if found != expected:
        raise scan.error(
            "format",
            not_this.format(expected=expected),
            found if found is not None else "missing",
        )
    given = scan.data.get("version")
    if isinstance(given, int) and not isinstance(given, bool) and given > version:
        raise scan.error(
            "version",
            _(
                "written by a newer collector (format version {found}); this xinchuang reads "
                "version {supported}: upgrade xinchuang"
            ).format(found=given, supported=version),
        )
    if given != version:
        raise scan.error(
            "version", _("unsupported format version (expected {v})").format(v=version), given
        )
