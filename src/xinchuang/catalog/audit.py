"""A reproducible random sample of catalog facts, for a person to check against the sources."""

from __future__ import annotations

import random
from typing import Any, Literal

from xinchuang.catalog.evidence import FACT_KINDS, Fact, iter_facts, not_a_source
from xinchuang.catalog.model import Catalog
from xinchuang.errors import UsageError

StatusFilter = Literal["sourced", "quoted", "unquoted", "unconfirmed", "all"]


def fact_view(fact: Fact) -> dict[str, Any]:
    """A fact as JSON: what it claims, where it is written, each source with its quote."""
    pending = list(fact.quotes)
    sources = []
    for url in fact.sources:
        # a URL may be cited twice with two excerpts: pair each with the next unused quote
        quote = next((q for q in pending if q.url == url), None)
        if quote is not None:
            pending.remove(quote)
        sources.append(
            {
                "url": url,
                "quote": quote.quote if quote else None,
                "read": quote.read.isoformat() if quote else None,
                "not_a_source": not_a_source(url, fact.kind),
            }
        )
    contested = getattr(fact.evidence, "contested", None)
    return {
        "kind": fact.kind,
        "subject": fact.subject,
        "claim": fact.claim,
        "status": fact.status,
        "secondary": fact.evidence.secondary,
        "file": str(fact.origin),
        "field": fact.field,
        "sources": sources,
        "contested": (
            {
                "note": contested.note,
                "sources": [
                    {"url": q.url, "quote": q.quote, "read": q.read.isoformat()}
                    for q in contested.quotes
                ],
            }
            if contested is not None
            else None
        ),
    }


def sample_facts(
    catalog: Catalog,
    size: int,
    seed: int,
    *,
    kind: str | None = None,
    status: StatusFilter = "sourced",
) -> tuple[list[Fact], int]:
    """``size`` facts drawn without replacement (all when fewer), and how many were eligible.

    The draw depends only on the seed and on the catalog's facts (in a fixed order), so the
    same seed over the same catalog revision gives the same sample.
    """
    if kind is not None and kind not in FACT_KINDS:
        raise UsageError(
            f"unknown fact kind {kind!r}",
            tip="one of: " + ", ".join(FACT_KINDS),
        )
    eligible = sorted(
        (
            fact
            for fact in iter_facts(catalog)
            if (kind is None or fact.kind == kind)
            and (
                status == "all"
                or fact.status == status
                or (status == "sourced" and fact.status != "unconfirmed")
            )
        ),
        key=lambda fact: (*fact.key, fact.claim),
    )
    rng = random.Random(seed)
    chosen = rng.sample(eligible, min(size, len(eligible)))
    return chosen, len(eligible)
