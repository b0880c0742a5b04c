"""Messages in English and Simplified Chinese.

Every user-facing string goes through :func:`_`. Translations live in
``locale/<lang>/LC_MESSAGES/xinchuang.po`` (gettext PO, edited with Babel's
tools) and are read directly with Babel, so no compiled ``.mo`` files are
committed. The language comes from ``--lang``, then ``XINCHUANG_LANG``, then
the POSIX locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``); English is the fallback.
"""

from __future__ import annotations

import os
from functools import cache

from babel.messages.pofile import read_po

from xinchuang import resources

SUPPORTED = ("en", "zh_CN")
_current = "en"


def normalize(lang: str | None) -> str | None:
    """Map ``zh``, ``zh-CN``, ``zh_CN.UTF-8`` … to a supported code, or None."""
    if not lang:
        return None
    code = lang.split(".")[0].replace("-", "_").lower()
    if code.startswith("zh"):
        return "zh_CN"
    if code.startswith("en") or code in {"c", "posix"}:
        return "en"
    return None


def detect(explicit: str | None = None) -> str:
    """Pick the language from an explicit choice, the environment, or the locale."""
    for candidate in (
        explicit,
        os.environ.get("XINCHUANG_LANG"),
        os.environ.get("LC_ALL"),
        os.environ.get("LC_MESSAGES"),
        os.environ.get("LANG"),
    ):
        lang = normalize(candidate)
        if lang:
            return lang
    return "en"


def set_language(lang: str) -> None:
    """Set the language for every message produced from now on."""
    global _current
    norm = normalize(lang)
    if norm is None:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(SUPPORTED)}")
    _current = norm


def current_language() -> str:
    """The language in force."""
    return _current


@cache
def _messages(lang: str) -> dict[str, str]:
    if lang == "en":
        return {}
    path = resources.locale_dir() / lang / "LC_MESSAGES" / "xinchuang.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    table: dict[str, str] = {}
    for message in catalog:
        if message.id and isinstance(message.id, str) and message.string and not message.fuzzy:
            table[message.id] = str(message.string)
    return table


def gettext(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _messages(_current).get(message, message)


def translations(lang: str) -> dict[str, str]:
    """Every translated message of ``lang`` (for tests and docs)."""
    return dict(_messages(lang))


_ = gettext
