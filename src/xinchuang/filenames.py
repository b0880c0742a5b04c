"""File names as text that can be stored and printed, whatever bytes they were.

On Linux a file name is bytes. Names copied from Windows shares are often GBK,
which Python decodes with lone surrogates (PEP 383) that no database driver
and no UTF-8 terminal accepts: one such name failed a whole import with
UnicodeEncodeError. A name is shown with its undecodable bytes as ``\\xNN``
escapes (lossless: the bytes can be read back from the escapes) and control
characters such as a newline escaped too, so an error naming the file stays
on one line.
"""

from __future__ import annotations

import os
import re
from pathlib import PurePath

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def shown(path: str | PurePath) -> str:
    """``path`` as printable, storable text: bad bytes as ``\\xNN``, controls escaped."""
    raw = os.fspath(path).encode("utf-8", "surrogateescape")
    decoded = raw.decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), decoded)
