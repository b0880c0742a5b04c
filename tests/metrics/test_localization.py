"""The localization rate's counting rules, each on a hand-made inventory with exact numbers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pytest
from handmade_catalog import make_catalog

from xinchuang.catalog.model import Catalog
from xinchuang.metrics.localization import (
    AssetRow,
    HostRow,
    Localization,
    SystemRow,
    localization,
    resolve_software,
    software_index,
)

AS_OF = dt.date(2025, 6, 1)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return make_catalog()


class Rows:
    """Builds asset rows with increasing ids."""

    def __init__(self) -> None:
        self.rows: list[AssetRow] = []

    def add(
        self,
        kind: str,
        name: str,
        product: str | None = None,
        *,
        host: int | None = None,
        unit: str = "hq",
        confidence: float | None = None,
        value: str | None = None,
        package_type: str | None = None,
    ) -> None:
        self.rows.append(
            AssetRow(
                id=len(self.rows) + 1,
                host_id=host,
                unit=unit,
                kind=kind,
                name=name,
                product_id=product,
                confidence=confidence if confidence is not None else (1.0 if product else None),
                value=Decimal(value) if value is not None else None,
                package_type=package_type,
            )
        )


HOSTS = [HostRow(1, "A-1", "hq"), HostRow(2, "A-2", "hq"), HostRow(3, "B-1", "branch")]


def run(
    catalog: Catalog,
    rows: Rows,
    systems: Sequence[SystemRow] = (),
    hosts: Sequence[HostRow] = HOSTS,
) -> Localization:
    return localization(
        hosts, rows.rows, systems, catalog, policy=catalog.policies["test"], as_of=AS_OF
    )


def shape(domestic: float, foreign: float, unknown: float) -> dict[str, Any]:
    known = domestic + foreign
    total = known + unknown
    return {
        "domestic": domestic,
        "foreign": foreign,
        "unknown": unknown,
        "rate": round(domestic / known, 4) if known else None,
        "rate_if_unknown_foreign": round(domestic / total, 4) if total else None,
    }


def test_host_layer_counts_once_per_host_and_the_surest_identification_decides(
    catalog: Catalog,
) -> None:
    rows = Rows()
    # host 1: the register does not know the CPU, two scans disagree: the surer one wins
    rows.add("cpu", "Xeon?", host=1)
    rows.add("cpu", "Intel Xeon Gold 6248", "for-cpu", host=1, confidence=0.9)
    rows.add("cpu", "FT-2000", "dom-cpu", host=1, confidence=0.6)
    # host 2: only an unidentified CPU, reported twice
    rows.add("cpu", "mystery chip", host=2)
    rows.add("cpu", "mystery chip", host=2)
    # host 3: a domestic CPU
    rows.add("cpu", "FT-2000", "dom-cpu", host=3)
    figures = run(catalog, rows).figures
    assert figures["localization_rate"]["by_layer"] == {"cpu": shape(1, 1, 1)}
    assert figures["localization_rate"]["overall"] == shape(1, 1, 1)
    assert figures["localization_rate"]["overall"]["rate"] == 0.5
    assert figures["localization_rate"]["overall"]["rate_if_unknown_foreign"] == 0.3333
    assert figures["counted_items"] == 3


def test_a_machine_is_one_slot_whatever_layer_identifies_it(catalog: Catalog) -> None:
    rows = Rows()
    rows.add("machine", "PowerEdge R7x0 (typo)", host=1)  # register: unidentified
    rows.add("machine", "Dell PowerEdge R740", "for-server", host=1)  # scan: identified
    rows.add("machine", "Unknown box", host=2)  # nothing identifies it
    rows.add("machine", "TaiShan 200", "dom-server", host=3)
    rows.add("machine", "TaiShan 200", "dom-server", host=3, confidence=0.8)
    rows.add("cpu", "Kunpeng 920", "dom-cpu", host=3)
    by_layer = run(catalog, rows).figures["localization_rate"]["by_layer"]
    assert by_layer["server"] == shape(1, 1, 0)
    assert by_layer["machine"] == shape(0, 0, 1)


def test_a_machine_is_judged_with_its_cpu_not_its_brand(catalog: Catalog) -> None:
    rows = Rows()
    rows.add("machine", "Inspur NF5280M6", "dom-server", host=1)  # Chinese brand …
    rows.add("cpu", "Intel Xeon Gold 6330", "for-cpu", host=1)  # … on an Intel CPU
    rows.add("machine", "Inspur CS5280H", "dom-server", host=2)  # … on a domestic one
    rows.add("cpu", "Hygon C86 7285", "dom-cpu", host=2)
    rows.add("machine", "Inspur NF5270", "dom-server", host=3)  # CPU unknown: unknown
    rows.add("machine", "Line of domestic CPUs", "dom-line", host=4)  # the line decides
    rows.add("machine", "Line of both", "mixed-line", host=5)  # mixed, no CPU: unknown
    rows.add("machine", "Unknown box", host=6)  # unidentified, on a foreign CPU: foreign
    rows.add("cpu", "Intel Core i5", "for-cpu", host=6)
    rows.add("machine", "Dell PowerEdge", "for-server", host=7)  # a foreign brand
    rows.add("cpu", "mystery", host=7)
    items = {
        (i.host_id, i.layer): i.domestic
        for i in run(catalog, rows).items
        if i.layer in {"server", "machine"}
    }
    assert items == {
        (1, "server"): False,
        (2, "server"): True,
        (3, "server"): None,
        (4, "server"): True,
        (5, "server"): None,
        (6, "machine"): False,
        (7, "server"): False,
    }


def test_a_record_below_product_level_counts_on_the_origin_its_candidates_share(
    catalog: Catalog,
) -> None:
    rows = Rows()
    rows.rows.append(
        AssetRow(
            id=1,
            host_id=1,
            unit="hq",
            kind="os",
            name="Kylin V10",
            match_level="family",
            match_origin="domestic",
            match_layer="os",
            confidence=0.8,
        )
    )
    rows.rows.append(
        AssetRow(id=2, host_id=1, unit="hq", kind="os", name="Windows", match_level="none")
    )
    by_layer = run(catalog, rows).figures["localization_rate"]["by_layer"]
    assert by_layer["os"] == shape(1, 0, 0)


def test_installation_layers_count_per_host_and_product_and_hostless_rows_each(
    catalog: Catalog,
) -> None:
    rows = Rows()
    rows.add("software", "Oracle Database 19c", "for-db", host=1)
    rows.add("software", "oracle-database-ee", "for-db", host=1)  # same host, another source
    rows.add("software", "DM8", "dom-db", host=1)
    rows.add("software", "DM8", "dom-db", host=2)
    rows.add("software", "达梦数据库 licence", "dom-db")  # licence lines: no host, each counts
    rows.add("software", "达梦数据库 licence", "dom-db")
    rows.add("software", "WPS Office", "dom-office", host=3, unit="branch")
    figures = run(catalog, rows).figures
    assert figures["localization_rate"]["by_layer"] == {
        "database-centralized": shape(4, 1, 0),
        "office-suite": shape(1, 0, 0),
    }
    assert figures["localization_rate"]["by_unit"] == {
        "branch": shape(1, 0, 0),
        "hq": shape(4, 1, 0),
    }
    assert figures["localization_rate"]["overall"]["rate"] == round(5 / 6, 4)


def test_uncounted_layers_are_left_out_and_shown(catalog: Catalog) -> None:
    rows = Rows()
    rows.add("software", "DM8", "dom-db", host=1)
    rows.add("component", "libfoo", "lib-foo", host=1)
    rows.add("software", "libfoo1", "lib-foo", host=1)  # same library on the same host
    rows.add("component", "libfoo", "lib-foo")
    rows.add("software", "X Sans", "font-x", host=2)
    figures = run(catalog, rows).figures
    assert figures["localization_rate"]["overall"] == shape(1, 0, 0)
    assert figures["not_counted"] == {
        "layers": {"library": 2, "font": 1},
        "unidentified_components": 0,
    }


def test_unknowns_fall_in_their_kind_and_are_never_domestic(catalog: Catalog) -> None:
    rows = Rows()
    rows.add("os", "SomeLinux 7", host=1)
    rows.add("software", "InHouseCRM", host=1)
    rows.add("software", "inhousecrm", host=1)  # the same name from a second source
    rows.add("software", "InHouseCRM", host=2)
    rows.add("software", "FoxitReader 9")  # a host-less licence line
    rows.add("component", "left-pad")  # SBOM components: not counted, reported
    rows.add("component", "left-pad")
    rows.add("component", "requests", host=1)
    rows.add("os", "Kylin V10", "dom-os", host=2)
    result = run(catalog, rows)
    figures = result.figures
    assert figures["localization_rate"]["by_layer"] == {
        "os": shape(1, 0, 1),
        "unknown-layer": shape(0, 0, 3),
    }
    assert figures["localization_rate"]["overall"] == shape(1, 0, 4)
    assert figures["localization_rate"]["overall"]["rate"] == 1.0
    assert figures["localization_rate"]["overall"]["rate_if_unknown_foreign"] == 0.2
    assert figures["not_counted"]["unidentified_components"] == 3
    top = {(u["layer"], u["name"]): u["count"] for u in result.top_unknowns}
    assert top[("unknown-layer", "InHouseCRM")] == 2
    assert top[("component", "left-pad")] == 2
    # what counts toward the rate comes first, though left-pad is as frequent
    assert [u["counted"] for u in result.top_unknowns] == sorted(
        (u["counted"] for u in result.top_unknowns), reverse=True
    )


def test_an_unknown_record_named_like_an_identified_one_on_its_host_is_that_installation(
    catalog: Catalog,
) -> None:
    rows = Rows()
    rows.add("software", "DM8", "dom-db", host=1)
    rows.add("software", "dm8", host=1, value="5000.00")  # a register line without identification
    result = run(catalog, rows)
    assert result.figures["localization_rate"]["overall"] == shape(1, 0, 0)
    assert result.items[0].value == Decimal("5000.00")


def test_empty_inventory_gives_null_rates(catalog: Catalog) -> None:
    figures = run(catalog, Rows(), hosts=[]).figures
    for basis in ("localization_rate", "localization_rate_by_value", "localization_rate_by_system"):
        assert figures[basis]["overall"] == shape(0, 0, 0)
        assert figures[basis]["overall"]["rate"] is None


def test_value_basis_weights_by_value_and_says_what_had_none(catalog: Catalog) -> None:
    rows = Rows()
    rows.add("machine", "TaiShan 200", "dom-line", host=1, value="60000")
    rows.add("machine", "PowerEdge R740", "for-server", host=2, value="20000.50")
    rows.add("software", "Oracle Database", "for-db", host=1, value="19999.50")
    rows.add("software", "DM8", "dom-db", host=2)  # no value: counted by count, not by value
    rows.add("machine", "Unknown box", host=3, unit="branch", value="10000")
    figures = run(catalog, rows).figures
    value = figures["localization_rate_by_value"]
    assert value["overall"] == shape(60000.0, 40000.0, 10000.0)
    assert value["overall"]["rate"] == 0.6
    assert value["by_layer"]["database-centralized"] == shape(0.0, 19999.5, 0.0)
    assert value["by_unit"]["branch"] == shape(0.0, 0.0, 10000.0)
    assert value["items_with_value"] == 4
    assert value["items_without_value"] == 1
    assert figures["localization_rate"]["overall"] == shape(2, 2, 1)


def test_value_comes_from_any_record_of_a_merged_item(catalog: Catalog) -> None:
    rows = Rows()
    rows.add("machine", "Dell R740 (register)", host=1, value="30000")  # unidentified, valued
    rows.add("machine", "Dell PowerEdge R740", "for-server", host=1)  # identified, no value
    result = run(catalog, rows)
    (item,) = result.items
    assert item.product_id == "for-server"
    assert item.value == Decimal("30000")
    assert result.figures["localization_rate_by_value"]["overall"] == shape(0.0, 30000.0, 0.0)


def test_system_basis_needs_every_stack_layer_domestic(catalog: Catalog) -> None:
    rows = Rows()
    for host in (1, 2):
        rows.add("machine", "TaiShan", "dom-line", host=host)
        rows.add("cpu", "Kunpeng", "dom-cpu", host=host)
        rows.add("os", "Kylin", "dom-os", host=host)
    rows.add("software", "DM8", "dom-db", host=1)
    rows.add("component", "libfoo", "lib-foo", host=1)  # uncounted: does not matter
    rows.add("software", "Oracle", "for-db", host=2)
    rows.add("machine", "box", host=3, unit="branch")
    systems = [
        SystemRow("core", "hq", "银行", None, ("A-1",), ("dom-office suite", "libfoo")),
        SystemRow("crm", "hq", "bank", None, ("A-2",)),  # Oracle on its host: foreign
        SystemRow("oa", "hq", "finance", None, ("A-1",), ("Foreign Office 2019",)),
        SystemRow("hr", "branch", "政府", None, ("B-1",)),  # unknown machine: unknown
        SystemRow("gone", "branch", None, None, ("Z-9",)),  # host not in the inventory
        SystemRow("web", "branch", None, None, (), ("DM8",)),  # identified name of an asset
    ]
    result = run(catalog, rows, systems)
    verdicts = {s.name: s.domestic for s in result.systems}
    assert verdicts == {
        "core": True,
        "crm": False,
        "oa": None,  # "Foreign Office 2019" resolves to nothing: unknown
        "hr": None,
        "gone": None,
        "web": True,
    }
    by_system = result.figures["localization_rate_by_system"]
    assert by_system["overall"] == shape(2, 1, 3)
    assert by_system["by_unit"] == {"branch": shape(1, 0, 2), "hq": shape(1, 1, 1)}
    assert by_system["by_tier"] == {"2": shape(0, 0, 1), "8": shape(1, 1, 1), "N": shape(1, 0, 1)}
    assert by_system["systems"] == 6
    crm = next(s for s in result.systems if s.name == "crm")
    assert crm.foreign == ("A-2: database-centralized for-db",)


def test_software_names_resolve_by_catalog_names_and_version_tails(catalog: Catalog) -> None:
    index = software_index(catalog, [])
    assert resolve_software("For Office", index) == "for-office"
    assert resolve_software("FOR-OFFICE suite", index) == "for-office"
    assert resolve_software("For Office 2019", index) == "for-office"
    assert resolve_software("For Office v16.0.1", index) == "for-office"
    assert resolve_software("Something Else", index) is None


def test_tiers_come_from_sector_aliases_per_unit(catalog: Catalog) -> None:
    rows = Rows()
    rows.add("os", "Kylin", "dom-os", host=1)  # hq: a bank system and a government one → 2
    rows.add("os", "CentOS", "for-os", host=3, unit="branch")  # branch: a bank system → 8
    rows.add("os", "Kylin", "dom-os", host=4, unit="lab")  # lab: no systems → default N
    hosts = [*HOSTS, HostRow(4, "L-1", "lab")]
    systems = [
        SystemRow("core", "hq", "银行", None),
        SystemRow("portal", "hq", "政府", None),
        SystemRow("loans", "branch", "Banking ", "8"),
        SystemRow("odd", "branch", "no such sector", None),
    ]
    figures = run(catalog, rows, systems, hosts).figures
    assert figures["localization_rate"]["by_tier"] == {
        "2": shape(1, 0, 0),
        "8": shape(0, 1, 0),
        "N": shape(1, 0, 0),
    }
    tiers = {s.name: s.tier for s in run(catalog, rows, systems, hosts).systems}
    assert tiers == {"core": "8", "portal": "2", "loans": "8", "odd": "N"}


def test_listed_shows_whether_domestic_items_are_on_a_current_list(catalog: Catalog) -> None:
    rows = Rows()
    rows.add("cpu", "FT-2000", "dom-cpu", host=1)  # listed until 2027: current
    rows.add("os", "Kylin", "dom-os", host=1)  # listed until 2024-06-30: expired
    rows.add("os", "Kylin", "dom-os", host=2)
    rows.add("software", "DM8", "dom-db", host=1)  # listed, validity not given
    rows.add("software", "WPS", "dom-office", host=1)  # listed only after AS_OF: never
    rows.add("machine", "TaiShan", "dom-line", host=1)  # no listing recorded
    rows.add("software", "Oracle", "for-db", host=2)  # foreign: not in this count
    figures = run(catalog, rows).figures
    assert figures["listed"] == {
        "domestic": 6,
        "current": 1,
        "expired": 2,
        "validity_unknown": 1,
        "no_listing_recorded": 2,
    }


def test_figures_carry_their_date_and_catalog_revision(catalog: Catalog) -> None:
    figures = run(catalog, Rows()).figures
    assert figures["as_of"] == "2025-06-01"
    assert figures["catalog_revision"] == catalog.revision
    assert figures["policy"] == "test"


def test_unidentified_distribution_packages_are_components_not_installations(
    catalog: Catalog,
) -> None:
    rows = Rows()
    rows.add("os", "Kylin", "dom-os", host=1)
    rows.add("software", "libc6", host=1, package_type="deb")
    rows.add("software", "bash", host=1, package_type="rpm")
    rows.add("software", "InHouseCRM", host=1, package_type="windows")  # a program: counted
    figures = run(catalog, rows).figures
    assert figures["localization_rate"]["overall"] == shape(1, 0, 1)
    assert figures["not_counted"]["unidentified_components"] == 2


def test_a_foreign_program_beside_a_domestic_stack_does_not_decide_the_system(
    catalog: Catalog,
) -> None:
    rows = Rows()
    rows.add("cpu", "Kunpeng", "dom-cpu", host=1)
    rows.add("os", "Kylin", "dom-os", host=1)
    rows.add("software", "DM8", "dom-db", host=1)
    rows.add("software", "Foreign Office", "for-office", host=1)
    systems = [SystemRow("core", "hq", "银行", None, ("A-1",))]
    [status] = run(catalog, rows, systems).systems
    assert status.domestic is True
