"""Business systems from YAML or CSV."""

from __future__ import annotations

from pathlib import Path

import pytest

from xinchuang.errors import DataError
from xinchuang.ingest.base import ReadOptions
from xinchuang.ingest.register_csv import CsvRegisterReader
from xinchuang.ingest.systems import SystemsReader, split_list
from xinchuang.models.asset import SystemRecord

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ingest" / "systems"


def read(name: str, **options: object) -> tuple[list[SystemRecord], ReadOptions]:
    opts = ReadOptions(**options)  # type: ignore[arg-type]
    records = list(SystemsReader().read(FIXTURES / name, opts))
    assert all(isinstance(r, SystemRecord) for r in records)
    return [r for r in records if isinstance(r, SystemRecord)], opts


def test_gbk_csv_with_chinese_headers() -> None:
    systems, options = read("systems.gbk.csv")
    assert options.encoding == "gb18030"
    core = systems[0]
    assert (core.name, core.unit, core.sector, core.criticality) == (
        "核心业务系统",
        "总行",
        "金融",
        "high",
    )
    assert core.hosts == ["JC-2021-0001", "JC-2021-0005", "JC-2021-0006"]
    assert core.software == ["Oracle Database 19c", "WebLogic 12c"]
    assert core.depends_on == ["统一认证平台"]
    assert core.provenance.row == 2
    assert core.raw["系统名称"] == "核心业务系统"
    assert systems[1].hosts == ["JC-2021-0010", "JC-2021-0011"]
    assert systems[2].criticality == "high"
    assert systems[2].depends_on == ["核心业务系统", "统一认证平台"]
    assert (systems[3].criticality, systems[3].hosts, systems[3].depends_on) == ("low", [], [])


def test_yaml_with_english_and_chinese_keys() -> None:
    systems, _ = read("systems.yaml")
    assert [(s.name, s.unit, s.criticality) for s in systems] == [
        ("核心业务系统", "总行", "high"),
        ("统一认证平台", "总行", "medium"),
        ("信贷管理系统", "西湖支行", "low"),
    ]
    assert systems[1].hosts == ["JC-2021-0010", "JC-2021-0011"]
    assert systems[2].hosts == ["20230001", "20230002"]
    assert systems[0].provenance.locator == "systems[0] line 3"


@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        (
            "systems.self-dependency.csv",
            r":row 2: IMP403 depends_on: a system cannot depend on "
            r"itself \(got 'Payments'\)",
        ),
        (
            "systems.bad-criticality.csv",
            r":row 2: IMP402 criticality: criticality must be high, "
            r"medium or low",
        ),
        ("systems.missing-name.yaml", r":4 \(systems\[1\]\): IMP401 system: a system needs a name"),
        ("systems.duplicate.csv", r":row 3: IMP404 system: system named twice"),
        ("systems.no-name-column.csv", r"IMP405 no system-name column .*owner, criticality, hosts"),
        ("systems.bad-syntax.yaml", r"systems\.bad-syntax\.yaml:4:9: IMP406 YAML syntax error"),
        ("systems.not-a-list.yaml", r"IMP406 expected a list of systems"),
        ("systems.alias-bomb.yaml", r":7:5: IMP407 the YAML document expands to more than"),
        ("systems.deep-nesting.yaml", r"IMP40[67] .*(nesting|nests)"),
        ("systems.alias-refers-to-itself.yaml", r"IMP407 .*alias refers to the value"),
    ],
)
def test_errors(name: str, pattern: str) -> None:
    with pytest.raises(DataError, match=pattern) as caught:
        read(name)
    assert "\n" not in str(caught.value)


def test_skip_bad_rows_keeps_the_good_ones() -> None:
    systems, options = read("systems.duplicate.csv", skip_bad_rows=True)
    assert [(s.name, s.unit) for s in systems] == [("Payments", "HQ"), ("Payments", "Branch")]
    assert [i.code for i in options.skipped] == ["IMP404"]


@pytest.mark.parametrize("name", ["systems.gbk.csv", "systems.yaml", "systems.duplicate.csv"])
def test_sniff_prefers_systems_over_registers(name: str) -> None:
    path = FIXTURES / name
    head = path.read_bytes()
    assert SystemsReader.sniff(path, head) > CsvRegisterReader.sniff(path, head)


def test_split_list() -> None:
    assert split_list("a; b；c,d，e、f") == ["a", "b", "c", "d", "e", "f"]
    assert split_list([1, " x ", ""]) == ["1", "x"]
    assert split_list(None) == []
