"""Office documents: the VBA project (read with oletools' olevba) and OOXML parts.

WPS Office runs VBA only with its VBA component, and on Kylin or UOS nothing
that calls Windows (``Declare … Lib "kernel32"``, ``CreateObject("WScript.Shell")``)
can run at all; external data connections and ActiveX controls must be
checked one by one.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

from xinchuang.i18n import _
from xinchuang.scan.context import FileContext, VbaModule
from xinchuang.scan.finding import Hit
from xinchuang.scan.rule import Rule


def extract_vba(data: bytes, name: str) -> tuple[list[VbaModule], str | None]:
    """The VBA modules of a document, and an error message when it cannot be read."""
    import logging
    import warnings

    with warnings.catch_warnings():  # oletools' pyparsing calls are deprecated upstream
        warnings.simplefilter("ignore")
        from oletools import olevba

    logging.getLogger("olevba").setLevel(logging.CRITICAL)
    try:
        parser = olevba.VBA_Parser(name, data=data)
    except Exception as error:  # olevba raises bare Exceptions for unreadable files
        return [], str(error).splitlines()[0] if str(error) else type(error).__name__
    try:
        if not parser.detect_vba_macros():
            return [], None
        modules = []
        for _filename, _stream, vba_name, code in parser.extract_macros():
            if isinstance(code, bytes):
                code = code.decode("utf-8", "replace")
            modules.append(VbaModule(str(vba_name), code.replace("\r\n", "\n")))
        return modules, None
    except Exception as error:  # a damaged VBA project: report it, keep scanning
        return [], str(error).splitlines()[0] if str(error) else type(error).__name__
    finally:
        parser.close()


def match_vba_project(rule: Rule, ctx: FileContext) -> Iterator[Hit]:
    """A document that carries a VBA project (one finding per document)."""
    if not ctx.vba_modules or not (ctx.kinds & {"ole", "ooxml"}):
        return
    names = ", ".join(m.name for m in ctx.vba_modules[:6])
    yield Hit(
        line=None,
        snippet=names,
        message=_("{title}: {count} modules").format(
            title=rule.title.local(), count=len(ctx.vba_modules)
        ),
        detail={"modules": [m.name for m in ctx.vba_modules]},
    )


def match_ooxml_parts(rule: Rule, ctx: FileContext) -> Iterator[Hit]:
    """OOXML parts named by the rule's patterns (external links, ActiveX controls…)."""
    if "ooxml" not in ctx.kinds:
        return
    try:
        with zipfile.ZipFile(io.BytesIO(ctx.data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    patterns = [re.compile(p, re.IGNORECASE) for p in rule.patterns]
    parts = sorted(n for n in names if any(p.search(n) for p in patterns))
    if parts:
        yield Hit(
            line=None,
            snippet=", ".join(parts[:5]),
            message=_("{title}: {parts}").format(
                title=rule.title.local(), parts=", ".join(parts[:5])
            ),
            detail={"parts": parts},
        )
