"""Rewritten statements, where sqlglot can transpile Oracle SQL safely.

"Safely" means: sqlglot parses the statement as Oracle, writes the target
dialect without reporting anything unsupported, and the construct the rule
found is gone from the result (sqlglot turns ``NVL`` into ``COALESCE`` and
``DECODE`` into ``CASE``, but leaves ``ROWNUM`` or ``CONNECT BY`` as they were:
those get no rewrite).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlglot.expressions import Expr

_MAX_STATEMENT = 4000
logging.getLogger("sqlglot").setLevel(logging.ERROR)  # its fallbacks are ours to report
_TRAILER = re.compile(r"[\s;/]+\Z")


def oracle_trees(statement: str) -> list[Expr | None] | None:
    """The statement as sqlglot reads it as Oracle SQL; None when it does not, wholly.

    Parse once, then :func:`transpile_trees` to every dialect: writing SQL copies
    the tree first, so the trees serve every target.
    """
    import sqlglot
    from sqlglot.errors import ErrorLevel, SqlglotError

    if len(statement) > _MAX_STATEMENT:
        return None
    try:
        trees = sqlglot.parse(
            _TRAILER.sub("", statement), read="oracle", error_level=ErrorLevel.RAISE
        )
    except (SqlglotError, RecursionError, ValueError, KeyError, TypeError):
        return None
    if not trees or any(t is None for t in trees):
        return None
    return trees


def parses(statement: str) -> bool:
    """True when sqlglot parses the statement as Oracle SQL."""
    return oracle_trees(statement) is not None


def transpile_trees(
    trees: list[Expr | None],
    dialect: str,
    patterns: Iterable[re.Pattern[str]],
    *,
    last_use: bool = False,
) -> str | None:
    """The parsed statement in ``dialect``, or None when that is not a safe rewrite.

    Writing SQL transforms a copy of the tree; with ``last_use`` (no other dialect
    is written from these trees after this one) it transforms the tree itself.
    """
    from sqlglot import exp
    from sqlglot.errors import ErrorLevel, SqlglotError

    if len(trees) != 1 or trees[0] is None or isinstance(trees[0], exp.Command):
        return None
    try:
        out = trees[0].sql(dialect=dialect, copy=not last_use, unsupported_level=ErrorLevel.RAISE)
    except (SqlglotError, RecursionError, ValueError, KeyError, TypeError):
        return None
    if any(p.search(out) for p in patterns):
        return None
    return out


def transpile(statement: str, dialect: str, patterns: Iterable[re.Pattern[str]]) -> str | None:
    """The statement in ``dialect``, or None when that is not a safe rewrite."""
    text = _TRAILER.sub("", statement)
    if not text or len(text) > _MAX_STATEMENT:
        return None
    trees = oracle_trees(text)
    return None if trees is None else transpile_trees(trees, dialect, patterns)
