"""A name as a set of identifying tokens, for matching a register's wording to a catalog name.

:func:`name_tokens` reads a name through :func:`~xinchuang.catalog.cjk_tokens.identity_text`
(full-width folded, generic CJK words dropped, CJK/Latin runs spaced), keeps the two Chinese
qualifiers that do tell products apart (服务器操作系统 → ``server``, 桌面操作系统 → ``desktop``),
drops editions, architectures and packaging words in either language, and writes versions
without their ``V`` (``V10`` → ``10``). "统信 UOS 服务器操作系统 V20 企业版" and "UOS Server 20"
give the same tokens {``统信``, ``uos``, ``server``, ``20``} minus the brand.
"""

from __future__ import annotations

import re

from xinchuang.catalog.cjk_tokens import half_width, identity_text

_QUALIFIERS = (
    (re.compile(r"高级服务器操作系统|服务器操作系统|服务器版"), " server "),
    (re.compile(r"桌面操作系统|桌面版"), " desktop "),
)
_DROP = frozenset(
    {
        "pro",
        "professional",
        "enterprise",
        "standard",
        "edition",
        "ed",
        "ultimate",
        "home",
        "premium",
        "business",
        "education",
        "datacenter",
        "lts",
        "x64",
        "x86",
        "x86_64",
        "amd64",
        "arm64",
        "aarch64",
        "64-bit",
        "32-bit",
        "bit",
        "64bit",
        "32bit",
        "the",
        "and",
        "for",
        "version",
        "ver",
        "release",
        "update",
        "build",
        "official",
        "trial",
        "evaluation",
        "software",
        "suite",
        "of",
        "-",
    }
)
_SPLIT = re.compile(r"[\s,;:/|()\[\]{}（）【】、，；：\"'`]+")
_VERSION = re.compile(r"^v(?=\d)")
_SERVICE_PACK = re.compile(r"^sp\d+$")


def name_tokens(text: str) -> frozenset[str]:
    """The identifying tokens of ``text`` (see the module docstring); empty for no text."""
    if not text:
        return frozenset()
    prepared = half_width(text)
    for pattern, word in _QUALIFIERS:
        prepared = pattern.sub(word, prepared)
    tokens = set()
    for token in _SPLIT.split(identity_text(prepared)):
        token = token.strip(".-_")
        if not token or token in _DROP or _SERVICE_PACK.match(token):
            continue
        tokens.add(_VERSION.sub("", token))
    return frozenset(tokens)


def is_number(token: str) -> bool:
    """True for a version-like token: it starts with a digit (10, 8r6, 2008, 7.0)."""
    return token[:1].isdigit()
