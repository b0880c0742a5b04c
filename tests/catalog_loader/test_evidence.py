"""The evidence rules: quotes in user catalogs, no home page or mirror as a source, counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from xinchuang import resources
from xinchuang.catalog.audit import sample_facts
from xinchuang.catalog.evidence import evidence_issues, iter_facts, mirror_or_forum, not_a_source
from xinchuang.catalog.loader import load_catalog
from xinchuang.catalog.stats import catalog_stats
from xinchuang.errors import UsageError

QUOTE = "{url: 'https://example.org/v/about', quote: 'V Ltd, Hangzhou', read: 2026-12-08}"


def user_catalog(root: Path, country_source: str, product_control: str) -> Path:
    (root / "vendors").mkdir(parents=True)
    (root / "products" / "os").mkdir(parents=True)
    (root / "vendors" / "v.yaml").write_text(
        f"id: v\nname: {{en: V}}\ncountry: CN\ncountry_source:\n  source: [{country_source}]\n",
        "utf-8",
    )
    (root / "products" / "os" / "v-os.yaml").write_text(
        "id: v-os\nname: {en: V OS}\nvendor: v\nlayer: os\ncontrol: domestic-commercial\n"
        f"sources:\n  control: [{product_control}]\n",
        "utf-8",
    )
    return root


@pytest.mark.parametrize(
    ("url", "kind", "why"),
    [
        ("https://www.intel.com/", "product-control", "a home page"),
        ("https://www.intel.com", "listing", "a home page"),
        ("https://www.intel.com/", "vendor-country", None),  # a home page can show an address
        ("https://www.intel.com/content/www/us/en/about.html", "product-control", None),
        ("https://www.intel.com/?lang=en", "certification", None),
        (
            "http://m.baike.quwen5.cn/item/228024.html",
            "product-isa",
            "a copy of an encyclopedia article",
        ),
        ("https://sinodefenceforum.com/t/news.4270/page-530", "vendor-country", "a forum"),
        ("http://example.cn/mis/bbs/showbbs.asp?id=1", "listing", "a forum"),
        ("https://bbs.example.com/post/1", "export-control", "a forum"),
        ("http://m.baike.quwen5.cn/item/228024.html", "substitution", None),
    ],
)
def test_what_cannot_be_a_source(url: str, kind: str, why: str | None) -> None:
    assert not_a_source(url, kind) == why


def test_a_plain_article_is_no_mirror() -> None:
    assert mirror_or_forum("https://jw.ijiwei.com/n/850937") is None


def test_a_user_catalog_must_quote_its_sources(tmp_path: Path) -> None:
    root = user_catalog(tmp_path / "mine", "https://example.org/v/about", QUOTE)
    issues = evidence_issues(load_catalog([root]))
    assert [(i.code, i.field, i.value) for i in issues] == [
        ("CAT020", "country_source", "https://example.org/v/about")
    ]
    assert issues[0].file.endswith("v.yaml") and issues[0].line == 1


def test_a_quoted_user_catalog_passes(tmp_path: Path) -> None:
    root = user_catalog(tmp_path / "mine", QUOTE, QUOTE)
    assert evidence_issues(load_catalog([root])) == []


def test_a_home_page_is_refused_even_when_quoted(tmp_path: Path) -> None:
    home = "{url: 'https://v.example.cn/', quote: 'V OS', read: 2026-12-08}"
    root = user_catalog(tmp_path / "mine", QUOTE, home)
    issues = evidence_issues(load_catalog([root]))
    assert [(i.code, i.field) for i in issues] == [("CAT021", "sources.control")]
    assert "a home page is not a source for a product-control fact" in str(issues[0])


def test_the_shipped_catalog_passes_the_evidence_rules_unless_strict() -> None:
    catalog = load_catalog()
    assert evidence_issues(catalog) == []
    strict = evidence_issues(catalog, strict=True)
    assert {i.code for i in strict} <= {"CAT020", "CAT021"}


def test_the_shipped_catalog_has_no_home_page_or_mirror_sources() -> None:
    strict = evidence_issues(load_catalog(), strict=True)
    assert [str(i) for i in strict if i.code == "CAT021"] == []


def test_stats_count_quoted_unquoted_and_unconfirmed_apart(tmp_path: Path) -> None:
    root = user_catalog(tmp_path / "mine", QUOTE, "https://example.org/v-os")
    (root / "layers.yaml").write_text(
        (resources.catalog_dir() / "layers.yaml").read_text("utf-8"), "utf-8"
    )
    catalog = load_catalog([root], shipped=False)
    facts = catalog_stats(catalog)["facts"]
    assert facts["by_kind"]["vendor-country"]["quoted"] == 1
    assert facts["by_kind"]["product-control"]["unquoted"] == 1
    assert facts["quoted_share"] == 0.5


def test_every_product_isa_is_a_fact_of_its_own() -> None:
    catalog = load_catalog()
    with_isa = sum(1 for p in catalog.products.values() if p.isa)
    facts = [f for f in iter_facts(catalog) if f.kind == "product-isa"]
    assert len(facts) == with_isa
    stats = catalog_stats(catalog)["facts"]["by_kind"]["product-isa"]
    assert stats["quoted"] + stats["unquoted"] + stats["unconfirmed"] == with_isa


def test_the_audit_sample_is_reproducible_and_seed_dependent() -> None:
    catalog = load_catalog()
    first, eligible = sample_facts(catalog, 20, 1)
    again, _ = sample_facts(catalog, 20, 1)
    other, _ = sample_facts(catalog, 20, 2)
    assert [f.key for f in first] == [f.key for f in again]
    assert [f.key for f in first] != [f.key for f in other]
    assert len(first) == 20 and eligible > 20
    assert all(f.status != "unconfirmed" for f in first)


def test_the_audit_can_draw_one_kind_and_refuses_an_unknown_one() -> None:
    catalog = load_catalog()
    facts, eligible = sample_facts(catalog, 1000, 3, kind="export-control", status="all")
    assert {f.kind for f in facts} == {"export-control"} and len(facts) == eligible
    with pytest.raises(UsageError):
        sample_facts(catalog, 5, 1, kind="colour")


def test_two_excerpts_of_one_page_are_both_shown(tmp_path: Path) -> None:
    from xinchuang.catalog.audit import fact_view

    first = "{url: 'https://example.org/v', quote: 'V Ltd', read: 2026-12-08}"
    second = "{url: 'https://example.org/v', quote: 'based in Wuhan', read: 2026-12-08}"
    root = user_catalog(tmp_path / "mine", f"{first}, {second}", QUOTE)
    catalog = load_catalog([root])
    fact = next(f for f in iter_facts(catalog) if f.subject == "v")
    assert [s["quote"] for s in fact_view(fact)["sources"]] == ["V Ltd", "based in Wuhan"]
