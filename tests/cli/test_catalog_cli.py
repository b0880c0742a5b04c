"""``xinchuang catalog …`` as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SUMMARY_KEYS = {"id", "name", "vendor", "country", "layer", "domestic", "control", "isa", "listed"}


@pytest.mark.parametrize("query", ["达梦", "Dameng", "DM8", "dm8"])
def test_search_finds_dm8_in_either_language(run_cli, query: str) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run_cli("catalog", "search", query, "--format", "json")
    assert code == 0, err
    results = json.loads(out)
    assert results[0]["id"] == "dm8"
    assert set(results[0]) >= SUMMARY_KEYS
    assert results[0]["domestic"] is True
    assert results[0]["country"] == "CN"


def test_search_tolerates_a_typo(run_cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run_cli("catalog", "search", "Oracel Database", "--format", "json")
    assert code == 0
    assert "oracle-database" in [r["id"] for r in json.loads(out)]


def test_search_with_no_match_prints_an_empty_array(run_cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run_cli("catalog", "search", "zzqqxx", "--format", "json")
    assert code == 0 and json.loads(out) == []


def test_show_gives_summary_keys_and_the_rest(run_cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run_cli("catalog", "show", "oracle-database", "--format", "json")
    assert code == 0, err
    detail = json.loads(out)
    assert set(detail) >= SUMMARY_KEYS
    assert detail["domestic"] is False and detail["country"] == "US"
    assert "dm8" in [c["product"] for c in detail["substitutes"]]
    assert detail["sources"]["control"]


def test_show_table_names_sources(run_cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run_cli("catalog", "show", "dm8")
    assert code == 0
    assert "DM8" in out and "source" in out


def test_show_unknown_id_suggests_the_closest(run_cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run_cli("catalog", "show", "dm9")
    assert code == 2 and out == ""
    assert "unknown product 'dm9'" in err and "did you mean 'dm8'" in err
    assert "Traceback" not in err


def test_stats_json_is_one_object_with_coverage(run_cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run_cli("catalog", "stats", "--format", "json")
    assert code == 0
    stats = json.loads(out)
    assert {"products", "vendors", "certifications", "facts", "substitutions"} <= set(stats)
    assert stats["facts"]["sourced"] > 0 and "unconfirmed" in stats["facts"]


def test_validate_reports_every_problem_of_a_user_catalog(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    user = tmp_path / "mine"
    (user / "vendors").mkdir(parents=True)
    (user / "vendors" / "x.yaml").write_text("id: x\nname: {en: X}\ncountry: Narnia\n", "utf-8")
    code, _, err = run_cli("catalog", "validate", "--catalog", str(user))
    assert code == 2
    lines = err.strip().splitlines()
    assert any("x.yaml:3" in line and "country" in line for line in lines)
    assert any("x.yaml:1" in line and "country_source" in line for line in lines)


def test_user_catalog_overrides_are_warned_and_win(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    user = tmp_path / "mine"
    (user / "products" / "database-centralized").mkdir(parents=True)
    (user / "products" / "database-centralized" / "dm8.yaml").write_text(
        "id: dm8\nname: {en: DM8 (our licence)}\nvendor: dameng\nlayer: database-centralized\n"
        "control: domestic-commercial\nunconfirmed: [control]\n",
        "utf-8",
    )
    code, out, err = run_cli("catalog", "show", "dm8", "--catalog", str(user), "--format", "json")
    assert code == 0
    assert json.loads(out)["name"] == "DM8 (our licence)"
    assert "overrides" in err


def test_chinese_messages(run_cli) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run_cli("--lang", "zh_CN", "catalog", "show", "dm9")
    assert code == 2
    assert "未知产品" in err


def test_unsupported_language_is_a_usage_error(run_cli) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run_cli("--lang", "fr", "catalog", "stats")
    assert code == 2 and "unsupported language" in err


def test_audit_prints_a_reproducible_sample(run_cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run_cli("catalog", "audit", "--sample", "5", "--seed", "7", "--format", "json")
    assert code == 0, err
    first = json.loads(out)
    assert len(first["sample"]) == 5 and first["eligible"] >= 5
    assert {"kind", "claim", "status", "file", "sources"} <= set(first["sample"][0])
    code, again, _ = run_cli("catalog", "audit", "--sample", "5", "--seed", "7", "--format", "json")
    assert json.loads(again)["sample"] == first["sample"]
    code, table, _ = run_cli("catalog", "audit", "--sample", "2", "--seed", "7")
    assert code == 0 and "seed 7" in table and first["sample"][0]["claim"] in table


def test_audit_refuses_an_unknown_kind(run_cli) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run_cli("catalog", "audit", "--kind", "colour")
    assert code == 2 and "unknown fact kind 'colour'" in err and "Traceback" not in err


def test_validate_refuses_an_unquoted_user_source_and_show_prints_quotes(  # type: ignore[no-untyped-def]
    run_cli, tmp_path: Path
) -> None:
    user = tmp_path / "mine"
    (user / "vendors").mkdir(parents=True)
    vendor = "id: v\nname: {en: V}\ncountry: CN\ncountry_source:\n  source: [%s]\n"
    (user / "vendors" / "v.yaml").write_text(vendor % "https://example.org/v", "utf-8")
    code, _, err = run_cli("catalog", "validate", "--catalog", str(user))
    assert code == 2 and "CAT020 country_source" in err
    quoted = "{url: 'https://example.org/v', quote: 'V, Wuhan', read: 2026-12-08}"
    (user / "vendors" / "v.yaml").write_text(vendor % quoted, "utf-8")
    (user / "products" / "os").mkdir(parents=True)
    (user / "products" / "os" / "v-os.yaml").write_text(
        "id: v-os\nname: {en: V OS}\nvendor: v\nlayer: os\ncontrol: domestic-commercial\n"
        f"sources:\n  control: [{quoted}]\n",
        "utf-8",
    )
    code, out, err = run_cli("catalog", "validate", "--catalog", str(user))
    assert code == 0, err
    assert "quoted" in out
    code, out, _ = run_cli("catalog", "show", "v-os", "--catalog", str(user))
    assert code == 0 and "“V, Wuhan” (read 2026-12-08)" in out
