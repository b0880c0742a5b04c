"""Catalog loading: every problem located by file and line, collected, and reported once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from xinchuang.catalog.loader import load_catalog
from xinchuang.errors import DataError, UsageError

MINIMAL = Path(__file__).resolve().parent.parent / "fixtures" / "catalogs" / "minimal"


@pytest.fixture
def catalog_dir(tmp_path: Path) -> Path:
    target = tmp_path / "catalog"
    shutil.copytree(MINIMAL, target)
    return target


def load(root: Path, *overlays: Path):  # type: ignore[no-untyped-def]
    return load_catalog([root, *overlays], shipped=False)


def problems(root: Path, *overlays: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load(root, *overlays)
    return [str(issue) for issue in caught.value.issues]


def test_minimal_catalog_loads(catalog_dir: Path) -> None:
    catalog = load(catalog_dir)
    assert set(catalog.products) == {"acme-os", "acme-db", "globex-db"}
    assert len(catalog.certifications) == 2
    assert catalog.revision.startswith("2026.11.0+")


def test_revision_changes_with_content(catalog_dir: Path) -> None:
    before = load(catalog_dir).revision
    path = catalog_dir / "products" / "os" / "acme-os.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "note: changed\n", encoding="utf-8")
    assert load(catalog_dir).revision != before


def test_invalid_yaml_names_file_and_line(catalog_dir: Path) -> None:
    (catalog_dir / "vendors" / "broken.yaml").write_text("id: broken\nname: {en: x\n", "utf-8")
    [problem] = problems(catalog_dir)
    assert "vendors/broken.yaml:3" in problem
    assert "CAT001" in problem


def test_unsourced_fact_is_rejected_with_its_line(catalog_dir: Path) -> None:
    path = catalog_dir / "products" / "database-centralized" / "acme-db.yaml"
    text = path.read_text(encoding="utf-8").replace(
        'sources: {control: ["https://example.org/acme-db"]}\n', ""
    )
    path.write_text(text, encoding="utf-8")
    [problem] = problems(catalog_dir)
    assert "acme-db.yaml:1" in problem
    assert "'control' has no source" in problem


def test_unknown_field_is_an_error_not_ignored(catalog_dir: Path) -> None:
    path = catalog_dir / "vendors" / "acme-cn.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "contry: CN\n", encoding="utf-8")
    [problem] = problems(catalog_dir)
    assert "acme-cn.yaml:6" in problem and "contry" in problem


def test_every_problem_is_collected_before_failing(catalog_dir: Path) -> None:
    (catalog_dir / "vendors" / "bad-country.yaml").write_text(
        "id: bad-country\nname: {en: X}\ncountry: China\ncountry_source: {unconfirmed: true}\n",
        "utf-8",
    )
    path = catalog_dir / "products" / "os" / "acme-os.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("arm64", "aarch64"), "utf-8")
    found = problems(catalog_dir)
    assert any("bad-country.yaml:3" in p and "country" in p for p in found)
    assert any("acme-os.yaml" in p and "aarch64" in p for p in found)


def test_dangling_references_are_reported(catalog_dir: Path) -> None:
    (catalog_dir / "certifications" / "more.yaml").write_text(
        "- {a: acme-db, b: no-such-os, kind: reported, unconfirmed: true}\n", "utf-8"
    )
    [problem] = problems(catalog_dir)
    assert "certifications/more.yaml:1" in problem and "no-such-os" in problem


def test_substitution_candidate_must_be_domestic(catalog_dir: Path) -> None:
    path = catalog_dir / "substitutions" / "globex-db.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("acme-db", "globex-db"), "utf-8")
    assert any("candidate must be domestic" in p for p in problems(catalog_dir))


def test_identifier_collision_across_products(catalog_dir: Path) -> None:
    path = catalog_dir / "products" / "database-centralized" / "globex-db.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("[globex-db]", "[acme-db-server]"), "utf-8"
    )
    [problem] = problems(catalog_dir)
    assert "CAT011" in problem and "acme-db-server" in problem


def test_file_name_must_match_id(catalog_dir: Path) -> None:
    path = catalog_dir / "products" / "os" / "acme-os.yaml"
    path.rename(path.with_name("acme.yaml"))
    [problem] = problems(catalog_dir)
    assert "CAT004" in problem and "acme-os.yaml" in problem


def test_duplicate_ids_in_one_catalog(catalog_dir: Path) -> None:
    shutil.copy(
        catalog_dir / "products" / "os" / "acme-os.yaml",
        catalog_dir / "products" / "database-centralized" / "acme-os.yaml",
    )
    assert any("CAT004" in p or "CAT003" in p for p in problems(catalog_dir))


def test_user_catalog_overrides_and_conflicts_are_reported(
    catalog_dir: Path, tmp_path: Path
) -> None:
    user = tmp_path / "mine"
    (user / "products" / "database-centralized").mkdir(parents=True)
    (user / "products" / "database-centralized" / "acme-db.yaml").write_text(
        "id: acme-db\nname: {en: Acme DB (our build)}\nvendor: acme-cn\n"
        "layer: database-centralized\ncontrol: domestic-commercial\n"
        "unconfirmed: [control]\n",
        "utf-8",
    )
    catalog = load(catalog_dir, user)
    assert catalog.products["acme-db"].name.en == "Acme DB (our build)"
    [conflict] = catalog.conflicts
    assert conflict.id == "acme-db"
    assert "overrides" in str(conflict)


def test_missing_user_catalog_directory_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="catalog directory not found"):
        load_catalog([tmp_path / "nope"], shipped=False)


def test_listing_validity_order_is_checked(catalog_dir: Path) -> None:
    path = catalog_dir / "products" / "os" / "acme-os.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("2026-12-25", "2020-01-01"), "utf-8")
    assert any("valid_until is before date" in p for p in problems(catalog_dir))


def test_a_yaml_alias_bomb_in_a_catalog_file_is_refused_at_once(tmp_path: Path) -> None:
    from xinchuang.catalog.located_yaml import YamlSyntaxError, load

    levels = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 9)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(levels) + "\n", encoding="utf-8")
    with pytest.raises(YamlSyntaxError, match="expands to more than"):
        load(path)
