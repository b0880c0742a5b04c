"""A source is a bare URL (legacy, unquoted) or a {url, quote, read} mapping."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from xinchuang.models.catalog import Product, Vendor

QUOTED = {"url": "https://example.org/a", "quote": "V is a US company", "read": "2026-12-08"}


def product(sources: dict[str, object]) -> Product:
    return Product.model_validate(
        {
            "id": "x",
            "name": {"en": "X"},
            "vendor": "v",
            "layer": "os",
            "control": "foreign-commercial",
            "sources": sources,
        }
    )


def test_quoted_and_bare_sources_keep_their_urls_in_order() -> None:
    p = product({"control": [QUOTED, "https://example.org/b"]})
    assert p.sources["control"] == ["https://example.org/a", "https://example.org/b"]
    assert [q.quote for q in p.quotes["control"]] == ["V is a US company"]
    assert not p.quoted("control")  # one of its two sources has no quote


def test_a_fact_whose_every_source_is_quoted_is_quoted() -> None:
    assert product({"control": [QUOTED]}).quoted("control")
    vendor = Vendor.model_validate(
        {"id": "v", "name": {"en": "V"}, "country": "US", "country_source": {"source": [QUOTED]}}
    )
    assert vendor.country_source.quoted
    assert vendor.country_source.source == ["https://example.org/a"]


@pytest.mark.parametrize(
    ("fault", "entry"),
    [
        ("no-quote", {"url": "https://example.org/a", "read": "2026-12-08"}),
        ("no-date", {"url": "https://example.org/a", "quote": "q"}),
        ("quote-too-long", {**QUOTED, "quote": "x" * 301}),
        ("not-a-url", {**QUOTED, "url": "example.org/a"}),
    ],
)
def test_a_malformed_quote_is_refused(fault: str, entry: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        product({"control": [entry]})
