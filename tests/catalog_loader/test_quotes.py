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


def test_a_certification_group_keeps_its_quotes_on_every_row() -> None:
    from xinchuang.models.catalog import CertificationGroup

    group = CertificationGroup.model_validate(
        {"a": "x", "with": ["y", "z"], "kind": "vendor-platform-list", "source": [QUOTED]}
    )
    rows = group.expand()
    assert [r.b for r in rows] == ["y", "z"]
    assert all(r.quoted and r.quotes[0].quote == "V is a US company" for r in rows)


def test_list_status_is_unknown_without_an_entry_and_contested_with_a_contradiction() -> None:
    base = {
        "id": "x",
        "name": {"en": "X"},
        "vendor": "v",
        "layer": "cpu",
        "control": "domestic-commercial",
        "unconfirmed": ["control"],
    }
    entry = {"list": "cnitsec-anke", "batch": "2023-1", "source": [QUOTED]}
    assert Product.model_validate(base).list_status == "unknown"
    assert Product.model_validate({**base, "listings": [entry]}).list_status == "listed"
    contested = {**entry, "contested": {"source": [QUOTED], "note": "not in this batch"}}
    product = Product.model_validate({**base, "listings": [contested]})
    assert product.list_status == "contested"
    assert product.listings[0].contested is not None
    assert product.listings[0].contested.quotes[0].quote == "V is a US company"
