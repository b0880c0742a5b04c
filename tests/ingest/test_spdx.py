"""SPDX 2.2/2.3 SBOMs, JSON and tag-value: packages with purl, CPE, vendor; located errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xinchuang.errors import DataError
from xinchuang.ingest.base import ReadOptions
from xinchuang.ingest.spdx import KNOWN_TAGS, SpdxJsonReader, SpdxTagValueReader, party_name
from xinchuang.models.asset import AssetKind, AssetRecord

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ingest" / "spdx"


def read(name: str, options: ReadOptions | None = None) -> list[AssetRecord]:
    path = FIXTURES / name
    reader = SpdxJsonReader() if path.suffix == ".json" else SpdxTagValueReader()
    return [r for r in reader.read(path, options or ReadOptions()) if isinstance(r, AssetRecord)]


def test_json_2_3_container_image_from_syft() -> None:
    image, openssl, tongweb, zlib = read("teller-image-2.3.spdx.json")
    assert all(r.kind is AssetKind.COMPONENT and r.host is None for r in (image, openssl))
    assert image.raw["role"] == "described"  # DESCRIBES relationship from the document
    assert image.raw["primary_purpose"] == "CONTAINER"
    assert image.vendor is None  # supplier NOASSERTION
    assert (openssl.name, openssl.version, openssl.vendor) == (
        "openssl",
        "1:1.1.1wa-2.oe2203sp1",
        "openEuler",  # the supplier, without "Organization:" and the e-mail
    )
    assert openssl.purl is not None and openssl.purl.startswith("pkg:rpm/openEuler/openssl@")
    assert openssl.package_type == "rpm"
    assert openssl.cpe == "cpe:2.3:a:openssl:openssl:1.1.1wa:*:*:*:*:*:*:*"  # the first one
    assert "role" not in openssl.raw
    assert tongweb.vendor == "东方通 TongTech"  # originator when there is no supplier
    assert tongweb.cpe == "cpe:/a:tongtech:tongweb:7.0.4.9"  # a CPE 2.2 when it is the only one
    assert zlib.version is None  # NOASSERTION
    assert openssl.provenance.locator == "packages[1]"


def test_json_2_2_with_document_describes_and_underscore_category() -> None:
    payroll, mysql = read("payroll-2.2.spdx.json")
    assert payroll.raw == {
        "spdx_version": "SPDX-2.2",
        "spdx_id": "SPDXRef-Package-payroll",
        "role": "described",
    }
    assert payroll.vendor == "江城银行人力资源部"
    assert mysql.purl == "pkg:golang/github.com/go-sql-driver/mysql@v1.7.1"  # PACKAGE_MANAGER


def test_tag_value_with_multi_line_text_files_and_relationships() -> None:
    kiosk, qt, wps = read("branch-kiosk-2.3.spdx")
    assert (kiosk.name, kiosk.version, kiosk.vendor, kiosk.raw["role"]) == (
        "branch-kiosk",
        "2.8.1",
        "江城市商业银行",
        "described",
    )
    assert kiosk.provenance.locator == "line 19"
    assert (qt.name, qt.version, qt.vendor) == (
        "qt5-base",
        "5.11.3-1+dde",
        "UnionTech Software Technology Co., Ltd.",  # supplier over originator
    )
    assert qt.purl == "pkg:deb/uos/qtbase-opensource-src@5.11.3-1%2Bdde?arch=loong64"
    assert qt.cpe == "cpe:2.3:a:qt:qt:5.11.3:*:*:*:*:*:*:*"
    assert wps.purl == "pkg:deb/kingsoft/wps-office@11.1.0.11720?arch=loong64"
    assert wps.package_type == "deb"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("spdx.missing-version.spdx", ":2: IMP602 DataLicense: an SPDX tag-value document starts"),
        ("spdx.unsupported-version.spdx", ":2: IMP602 unsupported SPDX version"),
        ("spdx.not-a-tag-line.spdx", ":21: IMP601 not a 'Tag: value' line"),
        ("spdx.unterminated-text.spdx", ":29: IMP601 PackageDescription: <text> opened here"),
        ("spdx.version-before-package-name.spdx", ":19: IMP603 PackageVersion outside a package"),
        ("spdx.external-ref-missing-locator.spdx", ":40: IMP603 ExternalRef: an external ref"),
        ("spdx.version-given-twice.spdx", ":50: IMP603 PackageVersion: given twice"),
        ("spdx.misspelled-tag.spdx", ":21: IMP601 unknown tag; did you mean PackageVersion?"),
        ("spdx.describes-unknown-element.spdx", ":16: IMP605 a DESCRIBES relationship names"),
        ("spdx.bad-relationship.spdx", ":55: IMP601 Relationship: a relationship is"),
        ("spdx.truncated.spdx.json", ":22:30: IMP601 not valid JSON"),
        ("spdx.files-only.spdx.json", ": IMP604 holds no packages (only 1 file)"),
        ("spdx.spdx-3.json", ":spdxVersion: IMP602 SPDX 3 documents are not read yet"),
        ("spdx.package-not-an-object.spdx.json", ":packages[1]: IMP603 expected an object"),
        ("spdx.package-without-name.spdx.json", ":packages[2]: IMP603 a package without a name"),
        ("spdx.version-is-an-array.spdx.json", ":packages[1].versionInfo: IMP603 expected a str"),
    ],
)
def test_malformed_documents_give_one_located_line(name: str, expected: str) -> None:
    with pytest.raises(DataError) as caught:
        read(name)
    message = str(caught.value)
    assert message.startswith(f"{FIXTURES / name}{expected}")
    assert "\n" not in message


def test_skip_bad_rows_drops_only_the_bad_package() -> None:
    options = ReadOptions(skip_bad_rows=True)
    records = read("spdx.version-given-twice.spdx", options)
    assert [r.name for r in records] == ["branch-kiosk", "qt5-base"]
    assert [issue.line for issue in options.skipped] == [50]


def test_sniffing() -> None:
    path = Path("x")
    tag = (FIXTURES / "branch-kiosk-2.3.spdx").read_bytes()
    js = (FIXTURES / "teller-image-2.3.spdx.json").read_bytes()
    assert SpdxTagValueReader.sniff(path, tag) == 0.95
    assert SpdxTagValueReader.sniff(path, js) == 0.0
    assert SpdxJsonReader.sniff(path, js) == 0.95
    assert SpdxJsonReader.sniff(path, tag) == 0.0
    assert SpdxJsonReader.sniff(path, (FIXTURES / "spdx.spdx-3.json").read_bytes()) == 0.6


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Organization: Red Hat, Inc. (secalert@redhat.com)", "Red Hat, Inc."),
        ("Person: 张三 (zhangsan@example.cn)", "张三"),
        ("Organization: Kingsoft", "Kingsoft"),
        ("NOASSERTION", None),
        ("", None),
        (None, None),
        ("ACME Corp", "ACME Corp"),
    ],
)
def test_party_name(value: str | None, expected: str | None) -> None:
    assert party_name(value) == expected


def refusal(run: Callable[[], object]) -> str | None:
    """The one-line refusal of ``run``, or None when it read; anything else propagates."""
    try:
        run()
    except DataError as error:
        return str(error)
    return None


TAGS = sorted(KNOWN_TAGS)
TAG_LINES = st.one_of(
    st.builds(lambda tag, value: f"{tag}: {value}", st.sampled_from(TAGS), st.text(max_size=20)),
    st.sampled_from(
        [
            "PackageName: p",
            "ExternalRef: PACKAGE-MANAGER purl pkg:npm/x@1",
            "Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-p",
            "SPDXID: SPDXRef-p",
            "PackageComment: <text>open",
            "closed</text>",
            "<text>",
            "# comment",
            "",
        ]
    ),
    st.text(max_size=30),
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=st.lists(TAG_LINES, max_size=25), skip=st.booleans())
def test_tag_value_parser_never_raises_anything_but_a_located_data_error(
    tmp_path: Path, lines: list[str], skip: bool
) -> None:
    path = tmp_path / "doc.spdx"
    path.write_text("\n".join(["SPDXVersion: SPDX-2.3", *lines]), encoding="utf-8")
    options = ReadOptions(skip_bad_rows=skip)
    message = refusal(lambda: list(SpdxTagValueReader().read(path, options)))
    assert message is None or (message.startswith(str(path)) and "\n" not in message)
    assert all(issue.line is not None for issue in options.skipped)
