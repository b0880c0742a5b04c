"""A machine's origin: its line's, its brand's, and its CPU's, in that order of trust.

A server or PC is a platform, not a brand (DESIGN.md, "Platforms, not brands"): a Chinese
brand's Intel server is not a Xinchuang server, and a TaiShan or a Hygon-based Sugon is.

:func:`machine_origin` decides, from what identification said of the machine record and of
the host's CPU record:

1. a CPU known to be foreign makes the machine foreign, whatever its brand;
2. a foreign brand (or line) makes it foreign;
3. a Chinese brand's machine (``cpu_decides``) follows the host's CPU when that is known, else
   its line's CPUs when they all agree (``Product.cpus``), else it stays unknown;
4. anything else stays unknown.
"""

from __future__ import annotations

from typing import Any


def machine_origin(catalog: Any, match: Any, cpu_origin: str | None) -> str | None:
    """``domestic``, ``foreign`` or None for a machine record (see the module docstring)."""
    del catalog  # the match already carries what the catalog says
    if cpu_origin == "foreign":
        return "foreign"
    if match.origin == "foreign" and not match.cpu_decides:
        return "foreign"
    own: str | None = match.origin
    if match.cpu_decides:
        return cpu_origin or own
    return own
