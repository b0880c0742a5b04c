"""Find products by any name a person types, in Chinese or English."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from xinchuang.catalog.model import Catalog


def fold(text: str) -> str:
    """Case- and width-insensitive form: NFKC, casefold, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass(frozen=True)
class Hit:
    """A search result: which product, how well it matched, and on what."""

    product_id: str
    score: float
    matched: str


def _names(catalog: Catalog, product_id: str) -> list[str]:
    product = catalog.products[product_id]
    vendor = catalog.vendors[product.vendor]
    names = [product.id, product.name.en, *product.aliases]
    if product.name.zh:
        names.append(product.name.zh)
    names += [vendor.name.en, *vendor.aliases]
    if vendor.name.zh:
        names.append(vendor.name.zh)
    return names


def search(catalog: Catalog, query: str, *, limit: int = 20, threshold: float = 60.0) -> list[Hit]:
    """Products whose names, aliases or vendor match ``query``, best first."""
    needle = fold(query)
    if not needle:
        return []
    best: dict[str, Hit] = {}

    def offer(pid: str, score: float, matched: str) -> None:
        if pid not in best or best[pid].score < score:
            best[pid] = Hit(pid, score, matched)

    choices: dict[tuple[str, int], str] = {}
    for pid in catalog.products:
        product = catalog.products[pid]
        own = {
            fold(n) for n in [product.id, product.name.en, product.name.zh or "", *product.aliases]
        }
        for index, name in enumerate(_names(catalog, pid)):
            folded = fold(name)
            if not folded:
                continue
            choices[(pid, index)] = folded
            is_own = folded in own
            if folded == needle:
                offer(pid, 100.0 if is_own else 85.0, name)
            elif len(needle) >= 2 and needle in folded:
                offer(pid, (95.0 if folded.startswith(needle) else 90.0) if is_own else 80.0, name)
            elif len(folded) >= 2 and folded in needle and len(folded) >= len(needle) / 2:
                offer(pid, 75.0 if is_own else 70.0, name)
    for _choice, score, key in process.extract(
        needle, choices, scorer=fuzz.WRatio, limit=limit * 4, score_cutoff=75
    ):
        # Fuzzy hits rank below every exact or substring hit (at most 79).
        pid = key[0]
        offer(pid, min(float(score) * 0.8, 79.0), _names(catalog, pid)[key[1]])
    hits = [hit for hit in best.values() if hit.score >= threshold]
    hits.sort(key=lambda hit: (-hit.score, hit.product_id))
    return hits[:limit]


def did_you_mean(catalog: Catalog, product_id: str) -> str | None:
    """The closest product id, for 'Did you mean …?'."""
    match = process.extractOne(product_id, list(catalog.products), scorer=fuzz.ratio)
    if match and match[1] >= 60:
        return str(match[0])
    return None
