"""CycloneDX SBOMs, JSON and XML: software components, nested and described; no-software refused."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xinchuang.errors import DataError
from xinchuang.ingest.base import ReadOptions
from xinchuang.ingest.cyclonedx import CycloneDxJsonReader, CycloneDxXmlReader, purl_type
from xinchuang.models.asset import AssetKind, AssetRecord

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ingest" / "cyclonedx"


def read(name: str, options: ReadOptions | None = None) -> list[AssetRecord]:
    path = FIXTURES / name
    reader = CycloneDxXmlReader() if path.suffix == ".xml" else CycloneDxJsonReader()
    return [r for r in reader.read(path, options or ReadOptions()) if isinstance(r, AssetRecord)]


def test_json_1_7_reads_described_nested_and_skips_tools_and_crypto() -> None:
    records = read("core-banking-1.7.cdx.json")
    assert [(r.name, r.version, r.provenance.locator) for r in records] == [
        ("核心业务系统", "3.2.0", "metadata.component"),
        ("spring-core", "5.3.31", "components[0]"),
        ("DmJdbcDriver18", "8.1.3.62", "components[1]"),
        ("core-banking-runtime", "2026.10", "components[2]"),
        ("openEuler", "22.03-LTS-SP1", "components[2].components[0]"),
        ("BiSheng JDK", "11.0.20", "components[2].components[1]"),
        ("bcprov-jdk18on", "1.77", "components[2].components[1].components[0]"),
        ("HSM firmware", "4.2.1", "components[4]"),
    ]  # the SM4 cryptographic asset, the maven plugin (a tool) and the repeated app are not read
    assert all(r.kind is AssetKind.COMPONENT and r.host is None for r in records)
    app, spring, dameng, *_ = records
    assert app.raw["role"] == "described"
    assert app.vendor == "江城银行科技部"  # 1.6+ manufacturer
    assert spring.vendor == "VMware, Inc."  # supplier
    assert spring.purl == "pkg:maven/org.springframework/spring-core@5.3.31?type=jar"
    assert spring.cpe == "cpe:2.3:a:vmware:spring_framework:5.3.31:*:*:*:*:*:*:*"
    assert spring.package_type == "maven"
    assert spring.raw["group"] == "org.springframework" and spring.raw["scope"] == "required"
    assert dameng.vendor == "武汉达梦数据库股份有限公司"  # 1.6+ authors
    assert records[4].vendor == "openEuler community"  # publisher
    assert records[4].raw["type"] == "operating-system"
    assert records[-1].vendor == "三未信安"


def test_xml_1_6_with_a_namespace_prefix() -> None:
    records = read("mbank-gateway-1.6.cdx.xml")
    assert [(r.name, r.vendor, r.provenance.locator) for r in records] == [
        ("mbank-gateway", "江城银行", "metadata/component"),  # metadata manufacturer
        ("express", "OpenJS Foundation", "components/component[1]"),
        ("body-parser", None, "components/component[1]/components/component[1]"),
        ("tongweb-client", "东方通", "components/component[2]"),
    ]  # the data component and the service are not software installations
    tongweb = records[-1]
    assert tongweb.cpe == "cpe:2.3:a:tongtech:tongweb:7.0.4.9:*:*:*:*:*:*:*"
    assert tongweb.package_type == "npm"
    assert tongweb.raw["spec_version"] == "1.6"


def test_xml_1_1_without_metadata() -> None:
    records = read("legacy-1.1.cdx.xml")
    assert [(r.name, r.version, r.vendor) for r in records] == [
        ("log4j-core", "2.14.1", "The Apache Software Foundation"),
        ("fastjson", "1.2.83", "Alibaba"),
    ]


def test_a_document_with_only_its_described_product_yields_it() -> None:
    (record,) = read("described-only.cdx.json")
    assert (record.name, record.version, record.raw["role"]) == ("柜面系统", "2.4.0", "described")


@pytest.mark.parametrize(
    ("name", "holds"),
    [
        ("vex.cdx.json", "only 2 vulnerabilities (VEX)"),
        ("cbom.cdx.json", "only 3 cryptographic assets (CBOM)"),
        ("hbom.cdx.xml", "only 2 hardware devices (HBOM)"),
        ("saasbom.cdx.json", "only 2 services (SaaSBOM)"),
        ("cyclonedx.empty-document.json", "holds no components at all"),
    ],
)
def test_documents_without_software_are_refused_saying_what_they_hold(
    name: str, holds: str
) -> None:
    with pytest.raises(DataError) as caught:
        read(name)
    message = str(caught.value)
    assert message.startswith(f"{FIXTURES / name}: IMP503 ")
    assert holds in message and "\n" not in message


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("cyclonedx.truncated.json", ":25:7: IMP501 not valid JSON"),
        ("cyclonedx.not-well-formed.xml", ":6:24: IMP501 not well-formed XML (mismatched tag)"),
        ("cyclonedx.entity-expansion.xml", ": IMP501 XML with entity declarations"),
        ("cyclonedx.wrong-namespace.xml", ": IMP502 not a CycloneDX document"),
        ("cyclonedx.not-cyclonedx.json", ":bomFormat: IMP502 not a CycloneDX document"),
        ("cyclonedx.spec-version-2.json", ":specVersion: IMP502 unsupported CycloneDX specVersion"),
        ("cyclonedx.component-without-name.json", ":components[1]: IMP504 a component without"),
        ("cyclonedx.component-not-an-object.json", ":components[1]: IMP504 expected an object"),
        (
            "cyclonedx.version-is-an-object.json",
            ":components[0].version: IMP504 expected a string, found object",
        ),
    ],
)
def test_malformed_documents_give_one_located_line(name: str, expected: str) -> None:
    with pytest.raises(DataError) as caught:
        read(name)
    assert str(caught.value).startswith(f"{FIXTURES / name}{expected}")


def test_skip_bad_rows_keeps_the_rest_including_nested_components() -> None:
    options = ReadOptions(skip_bad_rows=True)
    records = read("cyclonedx.component-without-name.json", options)
    assert [r.name for r in records] == ["guava", "nested-but-fine"]
    assert [issue.position for issue in options.skipped] == ["components[1]"]


def test_sniffing() -> None:
    json_head = (FIXTURES / "core-banking-1.7.cdx.json").read_bytes()
    xml_head = (FIXTURES / "mbank-gateway-1.6.cdx.xml").read_bytes()
    path = Path("x")
    assert CycloneDxJsonReader.sniff(path, json_head) == 0.95
    assert CycloneDxJsonReader.sniff(path, xml_head) == 0.0
    assert CycloneDxXmlReader.sniff(path, xml_head) == 0.95
    assert CycloneDxXmlReader.sniff(path, json_head) == 0.0
    assert CycloneDxJsonReader.sniff(path, "\ufeff".encode() + json_head) == 0.95


@pytest.mark.parametrize(
    ("purl", "expected"),
    [
        ("pkg:maven/org.a/b@1", "maven"),
        ("pkg:PyPI/requests@2", "pypi"),
        ("pkg://npm/x@1", "npm"),
        ("not a purl", None),
        (None, None),
    ],
)
def test_purl_type(purl: str | None, expected: str | None) -> None:
    assert purl_type(purl) == expected


def refusal(run: Callable[[], object]) -> str | None:
    """The one-line refusal of ``run``, or None when it read; anything else propagates."""
    try:
        run()
    except DataError as error:
        return str(error)
    return None


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                ["name", "version", "type", "components", "purl", "supplier", "authors"]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(components=JSON_VALUES, metadata=JSON_VALUES)
def test_any_json_shape_reads_or_refuses_without_a_traceback(
    tmp_path: Path, components: object, metadata: object
) -> None:
    path = tmp_path / "bom.json"
    document = {"bomFormat": "CycloneDX", "specVersion": "1.6", "components": components}
    document["metadata"] = metadata
    path.write_text(json.dumps(document), encoding="utf-8")
    message = refusal(
        lambda: list(CycloneDxJsonReader().read(path, ReadOptions(skip_bad_rows=True)))
    )
    assert message is None or "\n" not in message


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.text(max_size=200))
def test_any_xml_text_reads_or_refuses_without_a_traceback(tmp_path: Path, body: str) -> None:
    path = tmp_path / "bom.xml"
    path.write_text(
        f'<bom xmlns="http://cyclonedx.org/schema/bom/1.5"><components>{body}</components></bom>',
        encoding="utf-8",
    )
    message = refusal(
        lambda: list(CycloneDxXmlReader().read(path, ReadOptions(skip_bad_rows=True)))
    )
    assert message is None or "\n" not in message
