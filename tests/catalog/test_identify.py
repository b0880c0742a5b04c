"""Each match path of the identification kernel, on the fixture catalog."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from xinchuang.catalog.identify import (
    CONFIDENCE,
    FUZZY_THRESHOLD,
    Identifier,
    cpe_vendor_product,
    name_keys,
    normalize_purl,
)
from xinchuang.catalog.model import Catalog
from xinchuang.models.asset import AssetKind, AssetRecord, Provenance


def test_purl_ignores_version_qualifiers_and_subpath(identifier: Identifier) -> None:
    match = identifier.identify(
        kind="component",
        name="DmJdbcDriver18",
        purl="pkg:maven/com.dameng/DmJdbcDriver18@8.1.3.62?type=jar#META-INF",
    )
    assert match[:3] == ("dm8", 1.0, "purl pkg:maven/com.dameng/DmJdbcDriver18")


@pytest.mark.parametrize(
    ("purl", "product"),
    [
        ("pkg:NPM/%40Angular/Core@17.0.1", "angular"),  # npm: type, scope and name fold
        ("pkg:pypi/Typing_Extensions@4.9.0", "typing-extensions"),  # pypi: _ is -
        ("pkg:Deb/Debian/MySQL-Server@8.0.35-1?arch=amd64", "mysql"),  # deb: all fold
        ("pkg:rpm/Fedora/postgresql-server@15.4-1.fc39", "postgresql"),  # rpm: namespace folds
    ],
)
def test_purl_case_folds_where_the_type_is_case_insensitive(
    identifier: Identifier, purl: str, product: str
) -> None:
    assert identifier.identify(kind="component", name="x", purl=purl).product_id == product


def test_purl_keeps_case_where_the_type_is_case_sensitive(identifier: Identifier) -> None:
    # Maven coordinates are case-sensitive: a differently cased artifact is another artifact.
    match = identifier.identify(
        kind="component", name="", purl="pkg:maven/com.dameng/dmjdbcdriver18"
    )
    assert match.product_id is None
    assert normalize_purl("pkg:rpm/Fedora/NetworkManager@1.0") == "pkg:rpm/fedora/NetworkManager"


@pytest.mark.parametrize(
    "cpe",
    [
        "cpe:2.3:a:oracle:mysql:8.0.32:*:*:*:*:*:*:*",
        "cpe:/a:oracle:mysql:8.0.32",
        "CPE:/A:Oracle:MySQL",
        "oracle:mysql",
    ],
)
def test_cpe_22_and_23_parse_to_vendor_product(identifier: Identifier, cpe: str) -> None:
    assert identifier.identify(kind="software", name="db", cpe=cpe)[:3] == (
        "mysql",
        CONFIDENCE["cpe"],
        "cpe oracle:mysql",
    )


def test_cpe_23_escapes_and_wildcards() -> None:
    assert cpe_vendor_product(r"cpe:2.3:a:acme\:inc:tool\.x:1:*:*:*:*:*:*:*") == "acme:inc:tool.x"
    assert cpe_vendor_product("cpe:2.3:a:*:mysql:*:*:*:*:*:*:*:*") is None
    assert cpe_vendor_product("cpe:2.3:a") is None


def test_deb_package_by_package_type(identifier: Identifier) -> None:
    match = identifier.identify(kind="software", name="mysql-server:amd64", package_type="deb")
    assert match[:3] == ("mysql", CONFIDENCE["package"], "deb package mysql-server")


def test_rpm_package_by_package_type(identifier: Identifier) -> None:
    match = identifier.identify(kind="software", name="dmdbms", package_type="rpm")
    assert match[:3] == ("dm8", CONFIDENCE["package"], "rpm package dmdbms")


def test_versioned_package_name_falls_back_to_the_unversioned_one(
    identifier: Identifier,
) -> None:
    match = identifier.identify(kind="software", name="postgresql-14", package_type="deb")
    assert match[:3] == (
        "postgresql",
        CONFIDENCE["package-unversioned"],
        "deb package postgresql-14 as postgresql",
    )


def test_package_name_needs_its_package_type(identifier: Identifier) -> None:
    # 'dmdbms' is an rpm name: as a deb package or a bare name it proves nothing.
    assert (
        identifier.identify(kind="software", name="dmdbms", package_type="deb").product_id is None
    )
    assert identifier.identify(kind="software", name="dmdbms").product_id is None


@pytest.mark.parametrize(
    ("vendor_id", "product"),
    [("HygonGenuine", "hygon-c86"), ("  Shanghai  ", "zhaoxin-kx")],
)
def test_cpu_vendor_string(identifier: Identifier, vendor_id: str, product: str) -> None:
    match = identifier.identify(kind="cpu", name="", cpu_vendor_id=vendor_id)
    assert match.product_id == product
    assert match.confidence == CONFIDENCE["cpu-vendor"]
    assert match.reason == f"cpu vendor {vendor_id.strip()}"


def test_a_vendor_string_two_makers_share_decides_nothing_alone(identifier: Identifier) -> None:
    # VIA and Zhaoxin x86 cores both report CentaurHauls: a VIA is no Zhaoxin.
    alone = identifier.identify(kind="cpu", name="", cpu_vendor_id="CentaurHauls")
    assert (alone.product_id, alone.origin) == (None, None)
    via = identifier.identify(
        kind="cpu", name="VIA Nano U3500@1000MHz", cpu_vendor_id="CentaurHauls"
    )
    assert (via.product_id, via.origin) == (None, None)
    zhaoxin = identifier.identify(
        kind="cpu", name="ZHAOXIN KaiXian KX-U6780A@2.7GHz", cpu_vendor_id="CentaurHauls"
    )
    assert zhaoxin.product_id == "zhaoxin-kx"


def test_cpu_model_regex_is_more_specific_than_the_vendor_string(identifier: Identifier) -> None:
    core = identifier.identify(
        kind="cpu", name="Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz", cpu_vendor_id="GenuineIntel"
    )
    assert core[:3] == ("intel-core", 0.9, r"cpu model matches '\bCore\(TM\) i[3579]\b'")
    # GenuineIntel is every Intel line's: the maker is certain, the line is not.
    unnamed = identifier.identify(kind="cpu", name="", cpu_vendor_id="GenuineIntel")
    assert (unnamed.product_id, unnamed.level, unnamed.origin) == (None, "vendor", "foreign")


def test_arm_implementer_and_part(identifier: Identifier) -> None:
    match = identifier.identify(kind="cpu", arm_implementer="0x48", arm_part="0xd01")
    assert match[:3] == ("kunpeng-920", 0.95, "arm implementer 0x48 part 0xd01")
    # lscpu-style bare hex and upper case read the same
    assert identifier.identify(kind="cpu", arm_implementer="48", arm_part="0xD01") == match


def test_arm_implementer_alone_when_the_part_is_unknown(identifier: Identifier) -> None:
    known = identifier.identify(kind="cpu", arm_implementer="0x70", arm_part="0x663")
    assert known.product_id == "phytium-s2500"
    other_part = identifier.identify(kind="cpu", arm_implementer="0x70", arm_part="0x662")
    assert other_part[:3] == ("phytium-cpu", CONFIDENCE["arm-implementer"], "arm implementer 0x70")
    no_part = identifier.identify(kind="cpu", arm_implementer="0x70")
    assert no_part.product_id == "phytium-cpu"
    # 0x41 (Arm Ltd) names no SoC maker: unknown
    assert (
        identifier.identify(kind="cpu", arm_implementer="0x41", arm_part="0xd08").product_id is None
    )


def test_os_release_id_with_name_and_version_patterns(identifier: Identifier) -> None:
    server = identifier.identify(
        kind="os", os_id="kylin", name="Kylin Linux Advanced Server V10 (Sword)", version="V10"
    )
    assert server[:3] == (
        "kylin-server-v10",
        CONFIDENCE["os-release"],
        "os-release ID kylin, NAME matches 'Server', VERSION matches 'V10'",
    )
    desktop = identifier.identify(kind="os", os_id="kylin", name="Kylin V10 SP1", version="V10")
    assert desktop.product_id == "kylin-desktop-v10"


def test_os_release_id_alone(identifier: Identifier) -> None:
    match = identifier.identify(kind="os", os_id="ubuntu", name="Ubuntu 22.04.4 LTS")
    assert match[:3] == ("ubuntu", CONFIDENCE["os-release-id"], "os-release ID ubuntu")


def test_windows_display_name_regex(identifier: Identifier) -> None:
    match = identifier.identify(
        kind="software", name="Microsoft Office Professional Plus 2016", package_type="windows"
    )
    assert match[:3] == ("microsoft-office", 0.9, "DisplayName matches '^Microsoft Office'")


def test_longest_regex_match_wins(identifier: Identifier) -> None:
    match = identifier.identify(
        kind="software", name="Microsoft Office Visio Professional 2016", package_type="windows"
    )
    assert match.product_id == "microsoft-visio"


def test_windows_regexes_do_not_apply_to_other_package_systems(identifier: Identifier) -> None:
    match = identifier.identify(kind="component", name="Microsoft Office Tools", package_type="npm")
    assert match.product_id is None


def test_dmi_regex(identifier: Identifier) -> None:
    match = identifier.identify(
        kind="machine", name="srv-01", dmi_vendor="Huawei", dmi_product="TaiShan 200 (Model 2280)"
    )
    assert match[:3] == ("taishan-200", 0.9, "dmi matches 'Huawei.*TaiShan 200'")


def test_dmi_regex_on_a_registers_vendor_and_model(identifier: Identifier) -> None:
    match = identifier.identify(kind="machine", vendor="Pantum", name="P3301DN")
    assert match[:3] == ("pantum-printer", CONFIDENCE["dmi-register"], r"model matches '^Pantum\b'")


@pytest.mark.parametrize(
    ("kind", "name", "product", "confidence", "alias"),
    [
        ("software", "达梦数据库", "dm8", CONFIDENCE["alias"], "达梦数据库"),
        ("software", "ＭｙＳＱＬ", "mysql", CONFIDENCE["alias"], "MySQL"),  # full width folds
        ("os", "Windows 10 Pro", "windows-10", CONFIDENCE["alias-edition"], "Windows 10"),
        (
            "software",
            "WPS Office 2019 专业版",
            "wps-office",
            CONFIDENCE["alias-version"],
            "WPS Office",
        ),
        (
            "software",
            "Oracle Database 19c Enterprise Edition",
            "oracle-database",
            CONFIDENCE["alias-version"],
            "Oracle Database",
        ),
        (
            "software",
            "Microsoft® Office 2016 (x64)",
            "microsoft-office",
            CONFIDENCE["alias-version"],
            "Microsoft Office",
        ),
    ],
)
def test_exact_alias_after_stripping_versions_and_editions(
    identifier: Identifier, kind: str, name: str, product: str, confidence: float, alias: str
) -> None:
    # An SBOM's package type: no DisplayName regex applies, so the alias path decides.
    match = identifier.identify(kind=kind, name=name, package_type="generic")
    assert match[:3] == (product, confidence, f"alias '{alias}'")


def test_name_keys_strip_editions_then_versions() -> None:
    assert name_keys("Microsoft Office Professional Plus 2016") == (
        "microsoft office professional plus 2016",
        "microsoft office 2016",
        "microsoft office",
    )
    assert name_keys("银河麒麟V10 专业版")[2] == "银河麒麟"
    assert name_keys("DM8")[2] == "dm8"  # a number inside a name is part of the name


def test_vendor_completes_a_bare_product_name(identifier: Identifier) -> None:
    match = identifier.identify(kind="software", name="Database 19c", vendor="Oracle Corporation")
    assert match[:3] == ("oracle-database", CONFIDENCE["alias-version"], "alias 'Oracle Database'")


def test_fuzzy_for_the_long_tail(identifier: Identifier) -> None:
    match = identifier.identify(kind="software", name="Oracle Databse")
    assert match.product_id == "oracle-database"
    assert match.reason == "fuzzy 'Oracle Databse' ~ 'Oracle Database' (97)"
    assert 0 < match.confidence < min(CONFIDENCE.values())


@pytest.mark.parametrize(
    "name",
    [
        "mssql",  # one letter from mysql, but short and a different product
        "Notepad++ (64-bit x64)",
        "柜面业务系统 V3.2",
        "",
    ],
)
def test_unknowns_stay_unknown(identifier: Identifier, name: str) -> None:
    match = identifier.identify(kind="os" if "Windows" in name else "software", name=name)
    assert match.product_id is None
    assert match.confidence == 0.0
    assert match.reason


def test_a_maker_all_of_whose_products_share_an_origin_decides_at_vendor_level(
    identifier: Identifier,
) -> None:
    match = identifier.identify(kind="software", name="Oracle VM VirtualBox")
    assert (match.product_id, match.level, match.vendor, match.origin) == (
        None,
        "vendor",
        "oracle",
        "foreign",
    )


def test_below_the_threshold_the_reason_says_how_close(identifier: Identifier) -> None:
    match = identifier.identify(kind="software", name="Oracl Dtbase")
    assert match[:3] == (
        None,
        0.0,
        f"fuzzy 'Oracl Dtbase' ~ 'Oracle Database' (89) below {FUZZY_THRESHOLD:.0f}",
    )


def test_ambiguous_names_name_no_product_but_the_origin_they_agree_on(
    identifier: Identifier,
) -> None:
    match = identifier.identify(kind="os", name="Microsoft Windows")
    assert (match.product_id, match.level, match.origin) == (None, "vendor", "foreign")
    assert match.reason == "name 'microsoft windows' fits windows-10, windows-11, which agree"
    # "Windows 12" names no product: versions are never fuzzed into another one
    twelve = identifier.identify(kind="os", name="Windows 12 Pro")
    assert (twelve.product_id, twelve.origin) == (None, "foreign")


@pytest.mark.parametrize(
    ("kind", "hints", "product"),
    [
        ("cpu", {"name": "Kunpeng 920"}, "kunpeng-920"),
        ("software", {"name": "Kunpeng 920"}, None),
        ("os", {"name": "MySQL"}, None),
        ("software", {"name": "MySQL"}, "mysql"),
        ("machine", {"name": "TaiShan 200"}, "taishan-200"),
        ("storage", {"name": "OceanStor Dorado"}, "oceanstor"),
        ("machine", {"name": "OceanStor Dorado"}, "oceanstor"),
        ("cpu", {"name": "TaiShan 200"}, None),
        ("software", {"name": "x", "cpu_vendor_id": "HygonGenuine"}, None),
        ("cpu", {"name": "Windows 10"}, None),
        ("machine", {"name": "x", "os_id": "ubuntu"}, None),
    ],
)
def test_the_record_kind_restricts_the_layers(
    identifier: Identifier, kind: str, hints: dict[str, Any], product: str | None
) -> None:
    assert identifier.identify(kind=kind, **hints).product_id == product


def test_an_unsupported_kind_is_unknown(identifier: Identifier) -> None:
    assert identifier.identify(kind="toaster", name="MySQL")[:3] == (
        None,
        0.0,
        "unsupported record kind 'toaster'",
    )


def test_no_kind_allows_every_layer(identifier: Identifier) -> None:
    assert identifier.identify(name="鲲鹏920").product_id == "kunpeng-920"


def test_asset_records_mappings_and_keywords_agree(identifier: Identifier) -> None:
    record = AssetRecord(
        kind=AssetKind.SOFTWARE,
        name="mysql-server",
        provenance=Provenance("dpkg.txt", row=3),
        version="8.0.35",
        package_type="deb",
    )
    mapping = {"kind": "software", "name": "mysql-server", "package_type": "deb"}
    expected = identifier.identify(**mapping)
    assert expected.product_id == "mysql"
    assert identifier.identify(record) == expected
    assert identifier.identify(mapping) == expected
    assert identifier.identify_many([record, mapping]) == [expected, expected]
    # keywords override the record's own hints
    assert identifier.identify(record, package_type="rpm").reason != expected.reason


def test_version_only_decides_os_records(identifier: Identifier, catalog: Catalog) -> None:
    fresh = Identifier.from_catalog(catalog)
    rows = [{"kind": "software", "name": "MySQL", "version": str(v)} for v in range(50)]
    fresh.identify_many(rows)
    assert fresh.cached == 1
    os_rows = [
        {"kind": "os", "os_id": "kylin", "name": "Kylin Linux Advanced Server", "version": v}
        for v in ("V10", "V7")
    ]
    results = fresh.identify_many(os_rows)
    assert results[0].reason.endswith("VERSION matches 'V10'")
    assert results[1].reason != results[0].reason


def test_the_cache_is_bounded(catalog: Catalog) -> None:
    small = Identifier.from_catalog(catalog, cache_size=10)
    for n in range(25):
        small.identify(kind="software", name=f"in-house app {n}")
        assert small.cached <= 10
    uncached = small.with_cache_size(0)
    uncached.identify(kind="software", name="MySQL")
    assert uncached.cached == 0


def test_identifier_is_immutable_and_pickles_without_its_cache(identifier: Identifier) -> None:
    with pytest.raises(AttributeError):
        identifier.cache_size = 3  # type: ignore[misc]
    identifier.identify(kind="software", name="MySQL")
    copy = pickle.loads(pickle.dumps(identifier))
    assert copy.cached == 0
    assert copy.cache_size == identifier.cache_size
    for hints in (
        {"kind": "software", "name": "MySQL"},
        {"kind": "cpu", "arm_implementer": "0x48", "arm_part": "0xd01"},
        {"kind": "software", "name": "Oracle Databse"},
    ):
        assert copy.identify(**hints) == identifier.identify(**hints)


def test_windows_caption_of_an_os_record_matches_the_os_pattern() -> None:
    from xinchuang.catalog.loader import load_catalog as load_shipped

    identifier = Identifier.from_catalog(load_shipped())
    match = identifier.identify(kind="os", name="Microsoft Windows 10 专业版")
    assert match.product_id == "windows-10"
    assert "DisplayName" in match.reason


def test_chinese_names_match_with_or_without_a_space_before_the_latin_part() -> None:
    from xinchuang.catalog.loader import load_catalog as load_shipped

    identifier = Identifier.from_catalog(load_shipped())
    assert identifier.identify(kind="os", name="银河麒麟桌面操作系统V10").product_id == (
        "kylin-desktop-v10"
    )
    assert identifier.identify(kind="cpu", name="酷睿 i7-10700").product_id == "intel-core"
