"""SPDX 2.x SBOMs (2.2 and 2.3, and the 2.0/2.1 documents that still circulate): JSON and tag-value.

Every package is a ``component`` record with no host: ``name``,
``versionInfo``/``PackageVersion``, the vendor from the supplier (else the
originator) without its ``Organization:``/``Person:`` prefix and e-mail, the
first ``PACKAGE-MANAGER purl`` and ``SECURITY cpe23Type`` (else ``cpe22Type``)
external references. The packages the document describes (``documentDescribes``
or ``DESCRIBES`` relationships from the document) are marked
``raw["role"] = "described"``; a description naming an element the document
does not define is a bad row. Files and snippets are not installations and
are not read; a document without packages is refused.

Both parsers are written here rather than taken from spdx-tools: they read a
100,000-package document in about a second and report every problem with its
line (tag-value) or JSON path, while spdx-tools builds and validates the whole
model first. SPDX 3.0 (JSON-LD) is recognized and refused with a clear line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import process

from xinchuang.errors import DataError, Issue
from xinchuang.filenames import shown
from xinchuang.i18n import _
from xinchuang.ingest.base import Reader, ReadOptions, Record
from xinchuang.ingest.cyclonedx import purl_type
from xinchuang.ingest.json_document import head_matches, json_type, load_json
from xinchuang.ingest.text import decode
from xinchuang.models.asset import AssetKind, AssetRecord, Provenance

CODE_SYNTAX = "IMP601"
CODE_FORMAT = "IMP602"
CODE_PACKAGE = "IMP603"
CODE_NO_PACKAGES = "IMP604"
CODE_REFERENCE = "IMP605"

_VERSION = re.compile(r"^SPDX-2\.\d$")
_PARTY = re.compile(r"^(?:(Person|Organization|Tool)\s*:)?\s*(.*?)\s*(?:\([^()]*\))?\s*$")
_NO_VALUE = frozenset({"", "NOASSERTION", "NONE"})
_PACKAGE_MANAGER = frozenset({"PACKAGE-MANAGER", "PACKAGE_MANAGER"})
DOCUMENT_ID = "SPDXRef-DOCUMENT"


def party_name(value: str | None) -> str | None:
    """``Organization: Red Hat, Inc. (secalert@redhat.com)`` → ``Red Hat, Inc.``; None for
    NOASSERTION or an empty value."""
    if value is None or value.strip() in _NO_VALUE:
        return None
    match = _PARTY.match(value.strip())
    name = match.group(2) if match else value.strip()
    return name or None


@dataclass(slots=True)
class Package:
    """One package as either serialization spells it."""

    name: str | None
    locator: str
    line: int | None = None
    spdx_id: str | None = None
    version: str | None = None
    supplier: str | None = None
    originator: str | None = None
    purl: str | None = None
    cpe: str | None = None
    purpose: str | None = None
    issue: Issue | None = None  # the first problem found in it: the package is a bad row

    def add_reference(self, category: str, kind: str, locator: str) -> None:
        """Keep the first purl and the first CPE (2.3 over 2.2) among the external refs."""
        category = category.upper()
        if category in _PACKAGE_MANAGER and kind == "purl" and self.purl is None:
            self.purl = locator
        elif (
            category == "SECURITY"
            and kind in {"cpe23Type", "cpe22Type"}
            and (self.cpe is None or (kind == "cpe23Type" and not self.cpe.startswith("cpe:2.3:")))
        ):
            self.cpe = locator


@dataclass
class Document:
    """What a document holds."""

    file: str
    spdx_version: str | None = None
    packages: list[Package] = field(default_factory=list)
    element_ids: set[str] = field(default_factory=set)
    files: int = 0
    described: list[tuple[str, Issue]] = field(default_factory=list)  # id, where it was said
    problems: list[Issue] = field(default_factory=list)  # bad rows outside any package


def records(document: Document, options: ReadOptions) -> Iterator[AssetRecord]:
    """The package records, after the document-level checks."""
    if not document.packages:
        issue = Issue(
            document.file,
            _("holds no packages (only {files}): nothing to inventory").format(
                files=_("1 file")
                if document.files == 1
                else _("{n} files").format(n=document.files)
            ),
            CODE_NO_PACKAGES,
        )
        raise DataError(str(issue), [issue])
    for problem in document.problems:
        options.reject(problem)
    described: set[str] = set()
    for element, where in document.described:
        if element in document.element_ids or element.startswith("DocumentRef-"):
            described.add(element)
        else:
            options.reject(where)
    for package in document.packages:
        if package.issue is not None:
            options.reject(package.issue)
            continue
        if not package.name:
            options.reject(
                Issue(
                    document.file,
                    _("a package without a name"),
                    CODE_PACKAGE,
                    line=package.line,
                    position=None if package.line else package.locator,
                )
            )
            continue
        raw = {"spdx_version": document.spdx_version or ""}
        if package.spdx_id:
            raw["spdx_id"] = package.spdx_id
            if package.spdx_id in described:
                raw["role"] = "described"
        if package.purpose:
            raw["primary_purpose"] = package.purpose
        yield AssetRecord(
            kind=AssetKind.COMPONENT,
            name=package.name,
            provenance=Provenance(document.file, locator=package.locator),
            version=package.version if package.version not in _NO_VALUE else None,
            vendor=party_name(package.supplier) or party_name(package.originator),
            purl=package.purl,
            cpe=package.cpe,
            package_type=purl_type(package.purl),
            raw=raw,
        )


def _refuse_version(file: str, found: object, line: int | None = None) -> DataError:
    text = str(found) if found is not None else None
    if text and text.upper().startswith("SPDX-3"):
        message = _("SPDX 3 documents are not read yet: export the SBOM as SPDX 2.3 (or CycloneDX)")
    elif text is None:
        message = _("no SPDX version: not an SPDX 2.x document")
    else:
        message = _("unsupported SPDX version (SPDX-2.0 to SPDX-2.3 are read)")
    issue = Issue(
        file,
        message,
        CODE_FORMAT,
        line=line,
        position=None if line else "spdxVersion",
        value=text,
    )
    return DataError(str(issue), [issue])


# -- JSON -----------------------------------------------------------------------------


class _JsonPackages:
    def __init__(self, document: Document) -> None:
        self.document = document

    def text(self, package: Package, data: dict[str, Any], key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            if package.issue is None:
                package.issue = Issue(
                    self.document.file,
                    _("expected a string, found {found}").format(found=json_type(value)),
                    CODE_PACKAGE,
                    position=f"{package.locator}.{key}",
                )
            return None
        return str(value).strip() or None

    def package(self, data: object, locator: str) -> Package:
        if not isinstance(data, dict):
            package = Package(None, locator)
            package.issue = Issue(
                self.document.file,
                _("expected an object, found {found}").format(found=json_type(data)),
                CODE_PACKAGE,
                position=locator,
            )
            return package
        package = Package(None, locator)
        package.name = self.text(package, data, "name")
        package.spdx_id = self.text(package, data, "SPDXID")
        package.version = self.text(package, data, "versionInfo")
        package.supplier = self.text(package, data, "supplier")
        package.originator = self.text(package, data, "originator")
        package.purpose = self.text(package, data, "primaryPackagePurpose")
        references = data.get("externalRefs") or []
        if not isinstance(references, list):
            references = [references]
        for index, reference in enumerate(references):
            where = f"{locator}.externalRefs[{index}]"
            values = (
                [
                    reference.get(k)
                    for k in ("referenceCategory", "referenceType", "referenceLocator")
                ]
                if isinstance(reference, dict)
                else []
            )
            if len(values) != 3 or not all(isinstance(v, str) and v.strip() for v in values):
                if package.issue is None:
                    package.issue = Issue(
                        self.document.file,
                        _(
                            "an external reference needs referenceCategory, referenceType and "
                            "referenceLocator strings"
                        ),
                        CODE_PACKAGE,
                        position=where,
                    )
                continue
            category, kind, target = (str(v).strip() for v in values)
            package.add_reference(category, kind, target)
        return package


def read_json(path: Path, options: ReadOptions) -> Document:
    """Parse an SPDX 2.x JSON document."""
    display = shown(path)
    data, options.encoding = load_json(path, CODE_SYNTAX, _("SPDX document"))
    if not isinstance(data, dict):
        issue = Issue(display, _("not an SPDX document (not a JSON object)"), CODE_FORMAT)
        raise DataError(str(issue), [issue])
    version = data.get("spdxVersion")
    if version is None and "spdx.org/rdf/3" in str(data.get("@context", "")):
        version = "SPDX-3 (JSON-LD)"
    if not isinstance(version, str) or not _VERSION.match(version.strip()):
        raise _refuse_version(display, version)
    document = Document(display, version.strip())
    walker = _JsonPackages(document)
    packages = data.get("packages") or []
    if not isinstance(packages, list):
        issue = Issue(
            display,
            _("expected an array, found {found}").format(found=json_type(packages)),
            CODE_FORMAT,
            position="packages",
        )
        raise DataError(str(issue), [issue])
    for index, entry in enumerate(packages):
        package = walker.package(entry, f"packages[{index}]")
        document.packages.append(package)
        if package.spdx_id:
            document.element_ids.add(package.spdx_id)
    for key in ("files", "snippets"):
        elements = data.get(key)
        if isinstance(elements, list):
            if key == "files":
                document.files = len(elements)
            document.element_ids.update(
                e["SPDXID"]
                for e in elements
                if isinstance(e, dict) and isinstance(e.get("SPDXID"), str)
            )
    describes = data.get("documentDescribes") or []
    for index, element in enumerate(describes if isinstance(describes, list) else [describes]):
        document.described.append(
            (
                str(element),
                Issue(
                    display,
                    _("documentDescribes names an element the document does not define"),
                    CODE_REFERENCE,
                    position=f"documentDescribes[{index}]",
                    value=str(element),
                ),
            )
        )
    relationships = data.get("relationships") or []
    for index, relation in enumerate(relationships if isinstance(relationships, list) else []):
        if not isinstance(relation, dict):
            continue
        kind = relation.get("relationshipType")
        source, target = relation.get("spdxElementId"), relation.get("relatedSpdxElement")
        if kind == "DESCRIBED_BY":
            source, target = target, source
            kind = "DESCRIBES"
        if kind == "DESCRIBES" and source == DOCUMENT_ID and isinstance(target, str):
            document.described.append(
                (
                    target,
                    Issue(
                        display,
                        _("a DESCRIBES relationship names an element the document does not define"),
                        CODE_REFERENCE,
                        position=f"relationships[{index}]",
                        value=target,
                    ),
                )
            )
    return document


# -- tag-value ------------------------------------------------------------------------

# Tags that belong to a package section (SPDX 2.3 §7), and those that open a section.
PACKAGE_TAGS = frozenset(
    {
        "PackageVersion", "PackageFileName", "PackageSupplier", "PackageOriginator",
        "PackageDownloadLocation", "FilesAnalyzed", "PackageVerificationCode", "PackageChecksum",
        "PackageHomePage", "PackageSourceInfo", "PackageLicenseConcluded",
        "PackageLicenseInfoFromFiles", "PackageLicenseDeclared", "PackageLicenseComments",
        "PackageCopyrightText", "PackageSummary", "PackageDescription", "PackageComment",
        "ExternalRef", "ExternalRefComment", "PackageAttributionText", "PrimaryPackagePurpose",
        "ReleaseDate", "BuiltDate", "ValidUntilDate",
    }
)  # fmt: skip
SINGLE_VALUED = frozenset(
    {"PackageVersion", "PackageSupplier", "PackageOriginator", "PrimaryPackagePurpose"}
)
OTHER_TAGS = frozenset(
    {
        "SPDXVersion", "DataLicense", "SPDXID", "DocumentName", "DocumentNamespace",
        "ExternalDocumentRef", "LicenseListVersion", "Creator", "Created", "CreatorComment",
        "DocumentComment", "PackageName", "FileName", "FileType", "FileChecksum",
        "LicenseConcluded", "LicenseInfoInFile", "LicenseComments", "FileCopyrightText",
        "FileComment", "FileNotice", "FileContributor", "FileAttributionText", "FileDependency",
        "SnippetSPDXID", "SnippetFromFileSPDXID", "SnippetByteRange", "SnippetLineRange",
        "SnippetLicenseConcluded", "LicenseInfoInSnippet", "SnippetLicenseComments",
        "SnippetCopyrightText", "SnippetComment", "SnippetName", "SnippetAttributionText",
        "LicenseID", "ExtractedText", "LicenseName", "LicenseCrossReference", "LicenseComment",
        "Relationship", "RelationshipComment", "Annotator", "AnnotationDate", "AnnotationType",
        "SPDXREF", "AnnotationComment", "Reviewer", "ReviewDate", "ReviewComment",
    }
)  # fmt: skip
KNOWN_TAGS = PACKAGE_TAGS | OTHER_TAGS
_SECTION_OPENERS = {
    "PackageName": "package",
    "FileName": "file",
    "SnippetSPDXID": "snippet",
    "LicenseID": "license",
    "Annotator": "annotation",
    "Reviewer": "review",
}
_TAG_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)\s*:\s?(.*)$")


def _tag_values(text: str, display: str, document: Document) -> Iterator[tuple[int, str, str]]:
    """(line, tag, value) for every tag line; ``<text>`` values may span lines."""
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        number = index + 1
        line = lines[index]
        index += 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _TAG_LINE.match(stripped)
        if match is None:
            document.problems.append(
                Issue(
                    display, _("not a 'Tag: value' line"), CODE_SYNTAX, line=number, value=stripped
                )
            )
            continue
        tag, value = match.group(1), match.group(2).strip()
        if value.startswith("<text>"):
            value = value[len("<text>") :]
            parts = []
            while "</text>" not in value:
                parts.append(value)
                if index >= len(lines) or "<text>" in lines[index]:
                    # A second <text> before </text>: the first one was never closed.
                    issue = Issue(
                        display,
                        _("<text> opened here is never closed with </text>"),
                        CODE_SYNTAX,
                        line=number,
                        field=tag,
                    )
                    raise DataError(str(issue), [issue])
                value = lines[index]
                index += 1
            parts.append(value[: value.index("</text>")])
            value = "\n".join(parts).strip()
        yield number, tag, value


def read_tag_value(path: Path, options: ReadOptions) -> Document:
    """Parse an SPDX 2.x tag-value document, every problem located by line."""
    display = shown(path)
    text, options.encoding = decode(path.read_bytes(), display)
    document = Document(display)
    section = "document"
    package: Package | None = None
    seen: set[str] = set()

    def package_problem(message: str, number: int, tag: str, value: str | None = None) -> None:
        issue = Issue(display, message, CODE_PACKAGE, line=number, field=tag, value=value)
        if package is not None and package.issue is None:
            package.issue = issue

    for number, tag, value in _tag_values(text, display, document):
        if tag == "SPDXVersion" and document.spdx_version is None:
            document.spdx_version = value
            if not _VERSION.match(value):
                raise _refuse_version(display, value, number)
            continue
        if document.spdx_version is None:
            issue = Issue(
                display,
                _("an SPDX tag-value document starts with SPDXVersion"),
                CODE_FORMAT,
                line=number,
                field=tag,
            )
            raise DataError(str(issue), [issue])
        if tag in _SECTION_OPENERS:
            section = _SECTION_OPENERS[tag]
            package = None
            if section == "package":
                package = Package(value or None, f"line {number}", line=number)
                document.packages.append(package)
                seen = set()
            elif section == "file":
                document.files += 1
            elif section == "snippet" and value:
                document.element_ids.add(value)
            continue
        if tag == "SPDXID":
            if section == "package" and package is not None:
                package.spdx_id = value
            if section in {"package", "file"}:
                document.element_ids.add(value)
            continue
        if tag == "Relationship":
            parts = value.split()
            if len(parts) != 3:
                document.problems.append(
                    Issue(
                        display,
                        _("a relationship is 'ELEMENT TYPE ELEMENT'"),
                        CODE_SYNTAX,
                        line=number,
                        field=tag,
                        value=value,
                    )
                )
                continue
            source, kind, target = parts
            if kind == "DESCRIBED_BY":
                source, kind, target = target, "DESCRIBES", source
            if kind == "DESCRIBES" and source == DOCUMENT_ID:
                document.described.append(
                    (
                        target,
                        Issue(
                            display,
                            _(
                                "a DESCRIBES relationship names an element the document does "
                                "not define"
                            ),
                            CODE_REFERENCE,
                            line=number,
                            value=target,
                        ),
                    )
                )
            continue
        if tag in PACKAGE_TAGS:
            if section != "package" or package is None:
                document.problems.append(
                    Issue(
                        display,
                        _(
                            "{tag} outside a package (no PackageName above it in this section)"
                        ).format(tag=tag),
                        CODE_PACKAGE,
                        line=number,
                    )
                )
                continue
            if tag in SINGLE_VALUED:
                if tag in seen:
                    package_problem(_("given twice for one package"), number, tag, value)
                    continue
                seen.add(tag)
            if tag == "PackageVersion":
                package.version = value or None
            elif tag == "PackageSupplier":
                package.supplier = value
            elif tag == "PackageOriginator":
                package.originator = value
            elif tag == "PrimaryPackagePurpose":
                package.purpose = value
            elif tag == "ExternalRef":
                parts = value.split()
                if len(parts) != 3:
                    package_problem(
                        _("an external reference is 'CATEGORY TYPE LOCATOR'"), number, tag, value
                    )
                    continue
                package.add_reference(*parts)
            continue
        if tag not in KNOWN_TAGS:
            guess = process.extractOne(tag, sorted(KNOWN_TAGS), score_cutoff=85)
            if guess is not None:
                document.problems.append(
                    Issue(
                        display,
                        _("unknown tag; did you mean {tag}?").format(tag=guess[0]),
                        CODE_SYNTAX,
                        line=number,
                        value=tag,
                    )
                )
            # other unknown tags (extensions, later minor versions) are passed over
    if document.spdx_version is None:
        raise _refuse_version(display, None, 1)
    return document


# -- readers --------------------------------------------------------------------------


class SpdxJsonReader(Reader):
    """An SPDX 2.x SBOM in JSON."""

    key = "spdx-json"
    description = _("SPDX SBOM, JSON (SPDX 2.2 and 2.3)")
    patterns = ("*.spdx.json",)

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> float:
        """Sure when ``spdxVersion`` is in the head; likely for SPDX 3 JSON-LD (to refuse it)."""
        if head_matches(head, rb'"spdxVersion"\s*:\s*"SPDX-'):
            return 0.95
        if head_matches(head, rb"spdx\.org/rdf/3"):
            return 0.6
        return 0.0

    def read(self, path: Path, options: ReadOptions) -> Iterator[Record]:
        """Yield one component record per package."""
        yield from records(read_json(path, options), options)


class SpdxTagValueReader(Reader):
    """An SPDX 2.x SBOM in tag-value format."""

    key = "spdx-tag"
    description = _("SPDX SBOM, tag-value (SPDX 2.2 and 2.3)")
    patterns = ("*.spdx", "*.spdx.txt")

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> float:
        """Sure when a line starts with ``SPDXVersion: SPDX-``."""
        return 0.95 if head_matches(head, rb"(?m)^\s*SPDXVersion\s*:\s*SPDX-") else 0.0

    def read(self, path: Path, options: ReadOptions) -> Iterator[Record]:
        """Yield one component record per package."""
        yield from records(read_tag_value(path, options), options)
