"""Windows names as captions, guest OS names, registers and typos write them.

Formats read:

* ``Win32_OperatingSystem.Caption`` / ``systeminfo`` *OS Name* — ``Microsoft Windows 10 Pro``,
  ``Microsoft Windows Server 2019 Datacenter``, in Chinese ``Microsoft Windows 10 专业版``,
  ``Microsoft Windows Server 2012 R2 标准版``;
* VMware guest OS names and identifiers — ``Windows Server 2008 R2 (64 bit)``, ``Windows 8
  Server (64 bit)`` (vSphere's name for 2012), ``Windows 10 Server (64 bit)`` (2016),
  ``windows7Server64Guest``, ``windows9_64Guest`` (vSphere's id for Windows 10),
  ``windows2019srv_64Guest``;
* register abbreviations and typos — ``win7``, ``Win10``, ``Win2008R2``, ``Win Server 2012``,
  ``Windwos 7``, ``windows7``, ``WIN 2016``;
* a bare ``Windows`` (or ``Microsoft Windows``) with the release in the version column
  (``10 专业版``, ``Server 2016``).

:func:`parse_windows` returns ``desktop`` or ``server`` with the release ("7", "10", "2008 R2")
and a canonical caption ("Windows 10", "Windows Server 2008 R2") that the catalog's Windows
patterns are written for; ``release`` None when only "Windows" is certain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xinchuang.catalog.cjk_tokens import half_width


@dataclass(frozen=True, slots=True)
class WindowsName:
    """What a Windows string says: desktop or server, the release, a canonical caption."""

    line: str  # desktop | server | unknown (only "Windows" is certain)
    release: str | None
    canonical: str


_WINDOWS_WORD = re.compile(
    r"^\s*(?:microsoft\s*)?(?:windows|windwos|widnows|wndows|windos|windowns|win)(?=\s|\d|$|_|-)",
    re.IGNORECASE,
)
_DESKTOP = {"xp", "vista", "7", "8", "8.1", "10", "11", "2000", "nt", "me", "95", "98"}
_SERVER_YEARS = re.compile(r"\b(2000|2003|2008|2012|2016|2019|2022|2025)\s*(r2)?\b", re.IGNORECASE)
_GUEST = re.compile(
    r"^(?:windows|win)(\d+|xp|vista|net|longhorn|2000)?"
    r"(server|srv|serv|advserv|pro|home|standard|enterprise|datacenter|web|business)?"
    r"(?:_?64)?guest$",
    re.IGNORECASE,
)
# vSphere guest ids use the NT kernel generation: windows9 = Windows 10, windows8Server = 2012 …
_GUEST_DESKTOP = {"7": "7", "8": "8", "9": "10", "11": "11", "xp": "XP", "vista": "Vista"}
_GUEST_SERVER = {"7": "2008 R2", "8": "2012", "9": "2016", "net": "2003", "longhorn": "2008"}


def _guest(text: str) -> WindowsName | None:
    found = _GUEST.match(text.strip())
    if not found:
        return None
    generation = (found.group(1) or "").lower()
    kind = (found.group(2) or "").lower()
    if re.match(r"^20\d\d", generation):
        release = generation
        return WindowsName("server", release, f"Windows Server {release}")
    if kind in {"server", "srv", "serv", "advserv"} or generation in {"net", "longhorn"}:
        release = _GUEST_SERVER.get(generation)
        return WindowsName("server", release, "Windows Server" + (f" {release}" if release else ""))
    release = _GUEST_DESKTOP.get(generation)
    return WindowsName("desktop", release, "Windows" + (f" {release}" if release else ""))


def parse_windows(text: str, version: str | None = None) -> WindowsName | None:
    """The Windows release ``text`` (and the version column) name, or None."""
    if not text or not text.strip():
        return None
    guest = _guest(text)
    if guest:
        return guest
    clean = " ".join(half_width(text).split())
    found = _WINDOWS_WORD.match(clean)
    if not found:
        return None
    rest = clean[found.end() :]
    if version and not re.search(r"\d", rest):
        rest = f"{rest} {half_width(version)}"
    rest = re.sub(
        r"\(\s*(?:64|32)[- ]?bits?\s*\)|\(experimental\)|x64|x86|64位|32位", " ", rest, flags=re.I
    )
    if re.search(r"\bserver\b|\bsrv\b|服务器|\bsbs\b|small business server", rest, re.IGNORECASE):
        year = _SERVER_YEARS.search(rest)
        if year:
            release = year.group(1) + (" R2" if year.group(2) else "")
        else:
            generation = re.search(r"\b(7|8|10)\b", rest)  # vSphere's "Windows 8 Server"
            vsphere = {"7": "2008 R2", "8": "2012", "10": "2016"}
            release = vsphere.get(generation.group(1)) if generation else None
        return WindowsName("server", release, "Windows Server" + (f" {release}" if release else ""))
    year = _SERVER_YEARS.search(rest)
    if year and year.group(1) != "2000":  # Win2008R2, Win2012: registers drop the word Server
        release = year.group(1) + (" R2" if year.group(2) else "")
        return WindowsName("server", release, f"Windows Server {release}")
    desktop = re.search(
        r"(?<![\d.])(xp|vista|8\.1|11|10|8|7|nt|me|95|98|2000)(?![\d.])", rest, re.I
    )
    if desktop:
        release = desktop.group(1).upper() if desktop.group(1).isalpha() else desktop.group(1)
        release = {"XP": "XP", "VISTA": "Vista", "NT": "NT", "ME": "ME"}.get(release, release)
        return WindowsName("desktop", release, f"Windows {release}")
    return WindowsName("unknown", None, "Windows")
