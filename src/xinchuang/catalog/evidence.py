"""Every sourced fact of the catalog, and whether its evidence can be checked.

A *fact* is one claim a source must show: a vendor's country, an export-control listing,
a product's kind of control, its instruction sets, its own country, a list entry, a
certification row, a substitution candidate. Each fact is

- ``quoted``: confirmed, and every source carries the excerpt that shows the claim;
- ``unquoted``: confirmed by bare URLs only (legacy: counted, refused only by ``--strict``
  in the shipped catalog, always refused in a user catalog);
- ``unconfirmed``: marked so (a source may be given, but it does not settle the claim).

Some pages cannot show some claims at all: a home page (a URL with an empty or ``/`` path)
shows no kind of control, instruction set, list entry, export-control listing or
certification; a scraped mirror (an encyclopedia copy, a document-sharing site) or a forum
thread is not a source for any fact but a substitution. :func:`not_a_source` names why.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, get_args
from urllib.parse import urlparse

from xinchuang import resources
from xinchuang.catalog.model import Catalog, Origin
from xinchuang.errors import Issue
from xinchuang.models.catalog import Quote, Sourced

FactKind = Literal[
    "vendor-country",
    "export-control",
    "product-control",
    "product-isa",
    "product-country",
    "listing",
    "certification",
    "substitution",
]
FACT_KINDS: tuple[FactKind, ...] = get_args(FactKind)
Status = Literal["quoted", "unquoted", "unconfirmed"]

HOME_PAGE_BLIND: frozenset[str] = frozenset(
    {"product-control", "product-isa", "listing", "export-control", "certification"}
)
"""Fact kinds a home page cannot show."""

MIRROR_BLIND: frozenset[str] = HOME_PAGE_BLIND | {"vendor-country", "product-country"}
"""Fact kinds a mirror or forum cannot source (substitutions are advice, not facts of record)."""

# Hosts that republish other sites' text (encyclopedia copies, document-sharing and
# scraped-content sites) or host forums. The original page is the source, not its copy.
MIRROR_HOSTS: dict[str, str] = {
    "m.baike.quwen5.cn": "a copy of an encyclopedia article",
    "iiab.live": "an offline Wikipedia copy (Kiwix)",
    "ipfs.io": "a Wikipedia copy on IPFS",
    "kids.kiddle.co": "a Wikipedia copy",
    "pinocchiopedia.com": "a Wikipedia copy",
    "artikel.siakadpt.com": "a Wikipedia copy",
    "www.endlesswiki.com": "a Wikipedia copy",
    "keywordswiki.com": "a Wikipedia copy",
    "enwikipedia.net": "a Wikipedia copy",
    "wikisum.wiki": "a Wikipedia summary site",
    "owiki.org": "a Wikipedia copy",
    "friendlywiki.com": "a Wikipedia copy",
    "www.wikiwand.com": "a Wikipedia reader",
    "www.hubbry.com": "a Wikipedia copy",
    "en.alegsaonline.com": "a Wikipedia copy",
    "www.liquisearch.com": "a Wikipedia copy",
    "fact-index.com": "a Wikipedia copy",
    "www.fact-index.com": "a Wikipedia copy",
    "www.encyclopediabritannia.org": "a scraped encyclopedia",
    "grokipedia.com": "a machine-written encyclopedia",
    "questionai.com": "a machine-written answer site",
    "searchub.com": "a scraped-content site",
    "information.bz": "a scraped-content site",
    "www.search.com": "a search portal",
    "fdocuments.us": "a document-sharing site",
    "fdocuments.fr": "a document-sharing site",
    "docplayer.fr": "a document-sharing site",
    "en.pdfdrive.to": "a document-sharing site",
    "www.scribd.com": "a document-sharing site",
    "www.slideshare.net": "a document-sharing site",
    "360docs.net": "a document-sharing site",
    "wkbse.com": "a document-sharing site",
    "blog.youkuaiyun.com": "a scraped copy of CSDN blog posts",
    "sinodefenceforum.com": "a forum",
    "www.aswetalk.net": "a forum",
    "talk.dob.jp": "a forum",
}
FORUM_MARKS = ("/bbs/", "/forum/", "/forums/", "showbbs.asp", "/thread-", "/t/")


def home_page(url: str) -> bool:
    """True for a URL that names a site, not a page: an empty or ``/`` path, no query."""
    parts = urlparse(url)
    return parts.path in {"", "/"} and not parts.query


def mirror_or_forum(url: str) -> str | None:
    """Why ``url`` is a copy or a forum thread, or None when it is neither."""
    parts = urlparse(url)
    host = parts.netloc.lower()
    if host in MIRROR_HOSTS:
        return MIRROR_HOSTS[host]
    if (host.startswith(("bbs.", "forum.", "forums.")) and "blog" not in parts.path.lower()) or any(
        mark in f"{parts.path}?{parts.query}".lower() for mark in FORUM_MARKS
    ):
        return "a forum"
    return None


def not_a_source(url: str, kind: str) -> str | None:
    """Why ``url`` cannot be a source for a fact of ``kind``, or None when it can be."""
    if kind in HOME_PAGE_BLIND and home_page(url):
        return "a home page"
    if kind in MIRROR_BLIND:
        return mirror_or_forum(url)
    return None


@dataclass(frozen=True)
class Fact:
    """One claim of the catalog, with its evidence and where it is written."""

    kind: FactKind
    subject: str
    claim: str
    field: str
    evidence: Sourced
    origin: Origin

    @property
    def sources(self) -> list[str]:
        """The fact's source URLs, in the order written."""
        return list(self.evidence.source)

    @property
    def quotes(self) -> list[Quote]:
        """The quoted ones among its sources."""
        return list(self.evidence.quotes)

    @property
    def status(self) -> Status:
        """``quoted``, ``unquoted`` (legacy bare URLs) or ``unconfirmed``."""
        if not self.evidence.confirmed:
            return "unconfirmed"
        return "quoted" if self.evidence.quoted else "unquoted"

    @property
    def key(self) -> tuple[str, str, str]:
        """A stable order: kind, subject, field."""
        return (self.kind, self.subject, self.field)


def _product_fact(product_sources: list[str], quotes: list[Quote], unconfirmed: bool) -> Sourced:
    return Sourced(source=product_sources, quotes=quotes, unconfirmed=unconfirmed)


def iter_facts(catalog: Catalog) -> Iterator[Fact]:
    """Every fact of the catalog, in file order within each kind."""
    for vendor in catalog.vendors.values():
        where = catalog.origins[("vendor", vendor.id)]
        yield Fact(
            "vendor-country",
            vendor.id,
            f"vendor {vendor.id} is based in {vendor.country}",
            "country_source",
            vendor.country_source,
            where,
        )
        for i, entry in enumerate(vendor.export_controls):
            yield Fact(
                "export-control",
                vendor.id,
                f"{entry.entity or vendor.name.en} on the {entry.list_} since {entry.date}",
                f"export_controls.{i}",
                entry,
                where,
            )
    for product in catalog.products.values():
        where = catalog.origins[("product", product.id)]
        claims: list[tuple[FactKind, str, str]] = [
            ("product-control", "control", f"{product.id} is {product.control.value}")
        ]
        if product.isa:
            isa = ", ".join(i.value for i in product.isa)
            claims.append(("product-isa", "isa", f"{product.id} runs on {isa}"))
        if product.country:
            claims.append(("product-country", "country", f"{product.id} is from {product.country}"))
        for kind, fact, claim in claims:
            evidence = _product_fact(
                product.sources.get(fact, []),  # type: ignore[call-overload]
                product.quotes.get(fact, []),  # type: ignore[call-overload]
                fact in product.unconfirmed or not product.sources.get(fact),  # type: ignore[call-overload]
            )
            yield Fact(kind, product.id, claim, f"sources.{fact}", evidence, where)
        for i, listing in enumerate(product.listings):
            level = f" level {listing.level}" if listing.level else ""
            version = f" ({listing.product_version})" if listing.product_version else ""
            yield Fact(
                "listing",
                product.id,
                f"{product.id}{version} on {listing.list_} {listing.batch}{level}",
                f"listings.{i}",
                listing,
                where,
            )
    for cert, where in zip(catalog.certifications, catalog.certification_origins, strict=True):
        yield Fact(
            "certification",
            f"{cert.a}+{cert.b}",
            f"{cert.a} with {cert.b} ({cert.kind}){': ' + cert.scope if cert.scope else ''}",
            "source",
            cert,
            where,
        )
    for sub in catalog.substitutions.values():
        where = catalog.origins[("substitution", sub.foreign)]
        for i, cand in enumerate(sub.candidates):
            yield Fact(
                "substitution",
                f"{sub.foreign}->{cand.product}",
                f"{cand.product} can replace {sub.foreign}",
                f"candidates.{i}",
                cand,
                where,
            )


def shipped_root() -> str:
    """The shipped catalog's root, as the loader records it in an :class:`Origin`."""
    return str(resources.catalog_dir())


def evidence_issues(catalog: Catalog, *, strict: bool = False) -> list[Issue]:
    """What keeps the catalog's evidence from being checked, one issue per fact and cause.

    CAT020: a confirmed fact with a source that carries no quote, in a user catalog (or,
    with ``strict``, in the shipped one). CAT021: a source that cannot show the fact (a
    home page, a mirror, a forum), in a user catalog (or, with ``strict``, the shipped one).
    """
    shipped = shipped_root()
    issues: list[Issue] = []
    seen: set[tuple[str, int | None, str, str]] = set()
    for fact in iter_facts(catalog):
        from_shipped = fact.origin.root == shipped
        if from_shipped and not strict:
            continue
        # rows of one 'with:' group share their origin and sources: report them once
        once = (fact.origin.file, fact.origin.line, fact.field, fact.kind)
        if once in seen:
            continue
        seen.add(once)
        for url in fact.sources:
            reason = not_a_source(url, fact.kind)
            if reason:
                issues.append(
                    Issue(
                        file=fact.origin.file,
                        line=fact.origin.line,
                        code="CAT021",
                        field=fact.field,
                        value=url,
                        message=f"{reason} is not a source for a {fact.kind} fact",
                    )
                )
        if fact.status == "unquoted":
            quoted = {q.url for q in fact.quotes}
            for url in fact.sources:
                if url not in quoted:
                    issues.append(
                        Issue(
                            file=fact.origin.file,
                            line=fact.origin.line,
                            code="CAT020",
                            field=fact.field,
                            value=url,
                            message=(
                                "a source needs the quote that shows the claim: "
                                "write {url, quote, read}"
                            ),
                        )
                    )
    return issues


def unusable_sources(catalog: Catalog) -> list[tuple[Fact, str, str]]:
    """(fact, url, reason) for every source that cannot show its fact, shipped or not."""
    found: list[tuple[Fact, str, str]] = []
    for fact in iter_facts(catalog):
        for url in fact.sources:
            reason = not_a_source(url, fact.kind)
            if reason:
                found.append((fact, url, reason))
    return found
