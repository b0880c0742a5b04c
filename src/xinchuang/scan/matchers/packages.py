"""Python wheels tagged for x86 only: by file name, by ``WHEEL`` metadata, in requirements.

The platform tag is the last part of a wheel's name (PEP 427, PEP 600):
``manylinux_2_17_x86_64``, ``win_amd64``, ``macosx_10_9_x86_64``. A wheel
tagged ``any`` or for aarch64/loongarch64 is fine.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from xinchuang.i18n import _
from xinchuang.scan.context import FileContext
from xinchuang.scan.finding import Hit
from xinchuang.scan.rule import Rule

_X86_PLATFORM = re.compile(r"(?:^|[._])(?:x86_64|amd64|i[3-6]86|win32|intel)$")
_WHEEL_NAME = re.compile(
    r"[\w.+!-]+-[\w.+!]+(?:-\d[\w.]*)?-[\w.]+-[\w.]+-(?P<platform>[\w.]+)\.whl"
)
_TAG_LINE = re.compile(r"^Tag:\s*[\w.]+-[\w.]+-(?P<platform>[\w.]+)\s*$", re.MULTILINE)


def x86_only_platform(platform: str) -> bool:
    """True when every platform of a (possibly compressed) tag set is x86."""
    parts = platform.split(".")
    return all(_X86_PLATFORM.search(p) for p in parts)


def match_wheel_tags(rule: Rule, ctx: FileContext) -> Iterator[Hit]:
    """An x86-only wheel file, ``WHEEL`` metadata, or a wheel named in a requirements file."""
    name = ctx.path.rsplit("/", 1)[-1]
    if "wheel" in ctx.kinds:
        found = _WHEEL_NAME.fullmatch(name)
        if found and x86_only_platform(found.group("platform")):
            yield Hit(
                line=None,
                snippet=name,
                message=_("{title}: {platform}").format(
                    title=rule.title.local(), platform=found.group("platform")
                ),
            )
        return
    if name == "WHEEL" and ".dist-info" in ctx.path:
        tags = list(_TAG_LINE.finditer(ctx.text))
        if tags and all(x86_only_platform(t.group("platform")) for t in tags):
            yield Hit(offset=tags[0].start(), snippet=tags[0].group().strip())
        return
    for found in _WHEEL_NAME.finditer(ctx.lexed.code):
        if x86_only_platform(found.group("platform")):
            yield Hit(offset=found.start(), snippet=found.group())


def wheel_platform(ctx: FileContext) -> str | None:
    """The platform tag of a wheel file or of a ``WHEEL`` metadata file (all its tags)."""
    name = ctx.path.rsplit("/", 1)[-1]
    if "wheel" in ctx.kinds:
        found = _WHEEL_NAME.fullmatch(name)
        return found.group("platform") if found else None
    if name == "WHEEL" and ".dist-info" in ctx.path:
        tags = [t.group("platform") for t in _TAG_LINE.finditer(ctx.text)]
        return ".".join(dict.fromkeys(tags)) if tags else None
    return None
