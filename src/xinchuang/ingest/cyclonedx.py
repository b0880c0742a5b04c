"""CycloneDX SBOMs, JSON and XML, specification 1.0 to 1.7.

Read: every component under ``components`` with its nested ``components``
(an assembly's parts), and the described component in ``metadata.component``
(1.2+), each as a ``component`` record with no host, carrying purl, CPE,
version and a vendor (supplier, else manufacturer, publisher, author). Tools
in ``metadata.tools`` are not components of the product and are not read;
nor are pedigree ancestors/variants, which are other products.

The inventory counts software, so only software component types are read:
application, framework, library, container, platform, operating-system,
device-driver, firmware, file. A document with none of them — a VEX (only
vulnerabilities), a CBOM (only cryptographic assets), an HBOM (only hardware
devices), a SaaSBOM (only services), an ML-BOM — is refused with a line that
says what it holds. A document that holds nothing but its described
component (a product declared for BOM-Link) yields that component.

XML is parsed with defusedxml (no entity expansion, no external references)
and read namespace-agnostically: ``http://cyclonedx.org/schema/bom/1.x`` for
any x, prefixed or not.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeElementTree
from defusedxml import DefusedXmlException

from xinchuang.errors import DataError, Issue
from xinchuang.filenames import shown
from xinchuang.i18n import _
from xinchuang.ingest.base import Reader, ReadOptions, Record
from xinchuang.ingest.json_document import head_matches, json_type, load_json
from xinchuang.models.asset import AssetKind, AssetRecord, Provenance

CODE_SYNTAX = "IMP501"
CODE_FORMAT = "IMP502"
CODE_NO_SOFTWARE = "IMP503"
CODE_COMPONENT = "IMP504"

SOFTWARE_TYPES = frozenset(
    {
        "application",
        "framework",
        "library",
        "container",
        "platform",
        "operating-system",
        "device-driver",
        "firmware",
        "file",
    }
)
HARDWARE_TYPES = frozenset({"device", "hardware"})
NAMESPACE_PREFIX = "http://cyclonedx.org/schema/bom/"
_SPEC_VERSION = re.compile(r"^1\.\d+$")
_PURL_TYPE = re.compile(r"^pkg:/*([A-Za-z][A-Za-z0-9.+-]*)/")


@dataclass(slots=True)
class Component:
    """One component as either serialization spells it."""

    locator: str
    name: str | None
    type: str
    version: str | None = None
    group: str | None = None
    purl: str | None = None
    cpe: str | None = None
    vendor: str | None = None
    bom_ref: str | None = None
    scope: str | None = None
    issue: Issue | None = None  # a field of the wrong type: the component is a bad row


@dataclass
class Bom:
    """What a document holds, in reading order."""

    file: str
    spec_version: str
    described: Component | None = None
    components: list[Component] = field(default_factory=list)
    services: int = 0
    vulnerabilities: int = 0
    problems: list[Issue] = field(default_factory=list)


def purl_type(purl: str | None) -> str | None:
    """The package type of a purl (``pkg:maven/…`` → ``maven``), lower-cased; None if malformed."""
    if not purl:
        return None
    match = _PURL_TYPE.match(purl.strip())
    return match.group(1).lower() if match else None


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def refusal(bom: Bom) -> str | None:
    """Why the document holds nothing to inventory, or None when it holds software."""
    software = [c for c in bom.components if c.type in SOFTWARE_TYPES]
    if software:
        return None
    kinds = Counter(c.type for c in bom.components)
    parts: list[str] = []
    labels: list[str] = []
    if kinds["cryptographic-asset"]:
        parts.append(
            _plural(kinds["cryptographic-asset"], "cryptographic asset", "cryptographic assets")
        )
        labels.append("CBOM")
    hardware = sum(kinds[t] for t in HARDWARE_TYPES)
    if hardware:
        parts.append(_plural(hardware, "hardware device", "hardware devices"))
        labels.append("HBOM")
    models = kinds["machine-learning-model"] + kinds["data"]
    if models:
        parts.append(_plural(models, "data or ML-model component", "data or ML-model components"))
        labels.append("ML-BOM")
    other = sum(kinds.values()) - kinds["cryptographic-asset"] - hardware - models
    if other:
        parts.append(_plural(other, "component of another type", "components of other types"))
    if bom.services:
        parts.append(_plural(bom.services, "service", "services"))
        labels.append("SaaSBOM")
    if bom.vulnerabilities:
        parts.append(_plural(bom.vulnerabilities, "vulnerability", "vulnerabilities"))
        labels.append("VEX")
    if not parts:
        if bom.described is not None and bom.described.type in SOFTWARE_TYPES:
            return None  # only the described product: that is what it inventories
        return _("holds no components at all: nothing to inventory")
    return _("holds no software components, only {contents} ({kind}): nothing to inventory").format(
        contents=", ".join(parts), kind="/".join(labels) or _("no SBOM")
    )


def records(bom: Bom, options: ReadOptions) -> Iterator[AssetRecord]:
    """The component records of a document that holds software, else a DataError."""
    reason = refusal(bom)
    if reason is not None:
        issue = Issue(bom.file, reason, CODE_NO_SOFTWARE)
        raise DataError(str(issue), [issue], tip=_("import the SBOM of the product instead"))
    for problem in bom.problems:
        options.reject(problem)
    seen: set[str] = set()
    described = bom.described
    chosen = ([described] if described is not None else []) + bom.components
    for component in chosen:
        if component.type not in SOFTWARE_TYPES:
            continue
        if component.issue is not None:
            options.reject(component.issue)
            continue
        if component.name is None:
            options.reject(
                Issue(
                    bom.file,
                    _("a component without a name"),
                    CODE_COMPONENT,
                    position=component.locator,
                )
            )
            continue
        if component.bom_ref:
            if component.bom_ref in seen:
                continue  # the described component listed again among the components
            seen.add(component.bom_ref)
        raw = {"type": component.type, "spec_version": bom.spec_version}
        if component is described:
            raw["role"] = "described"
        for key, value in (
            ("group", component.group),
            ("bom_ref", component.bom_ref),
            ("scope", component.scope),
        ):
            if value:
                raw[key] = value
        yield AssetRecord(
            kind=AssetKind.COMPONENT,
            name=component.name,
            provenance=Provenance(bom.file, locator=component.locator),
            version=component.version,
            vendor=component.vendor,
            purl=component.purl,
            cpe=component.cpe,
            package_type=purl_type(component.purl),
            raw=raw,
        )


# -- JSON -----------------------------------------------------------------------------


class _JsonWalker:
    def __init__(self, bom: Bom) -> None:
        self.bom = bom

    def problem(self, locator: str, message: str, value: str | None = None) -> None:
        self.bom.problems.append(
            Issue(self.bom.file, message, CODE_COMPONENT, position=locator, value=value)
        )

    def text(self, data: dict[str, Any], key: str, locator: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(
                f"{locator}.{key}",
                _("expected a string, found {found}").format(found=json_type(value)),
            )
            return None
        return str(value).strip() or None

    def party(self, data: dict[str, Any], key: str, locator: str) -> str | None:
        """The name of an organizational entity (``supplier``, ``manufacturer`` …)."""
        value = data.get(key)
        if isinstance(value, dict):
            return self.text(value, "name", f"{locator}.{key}")
        if isinstance(value, str):
            return value.strip() or None
        return None

    def vendor(self, data: dict[str, Any], locator: str) -> str | None:
        authors = data.get("authors")
        first_author = None
        if isinstance(authors, list) and authors and isinstance(authors[0], dict):
            first_author = self.text(authors[0], "name", f"{locator}.authors[0]")
        return (
            self.party(data, "supplier", locator)
            or self.party(data, "manufacturer", locator)
            or self.text(data, "publisher", locator)
            or self.text(data, "author", locator)
            or first_author
        )

    def component(self, data: object, locator: str) -> Component | None:
        if not isinstance(data, dict):
            self.problem(
                locator, _("expected an object, found {found}").format(found=json_type(data))
            )
            return None
        before = len(self.bom.problems)
        kind = self.text(data, "type", locator) or "library"
        component = Component(
            locator=locator,
            name=self.text(data, "name", locator),
            type=kind.lower(),
            version=self.text(data, "version", locator),
            group=self.text(data, "group", locator),
            purl=self.text(data, "purl", locator),
            cpe=self.text(data, "cpe", locator),
            vendor=self.vendor(data, locator),
            bom_ref=self.text(data, "bom-ref", locator),
            scope=self.text(data, "scope", locator),
        )
        if len(self.bom.problems) > before:
            component.issue = self.bom.problems[before]
            del self.bom.problems[before:]
        return component

    def components(self, value: object, locator: str) -> None:
        if value is None:
            return
        if not isinstance(value, list):
            self.problem(
                locator, _("expected an array, found {found}").format(found=json_type(value))
            )
            return
        for index, data in enumerate(value):
            where = f"{locator}[{index}]"
            component = self.component(data, where)
            if component is None:
                continue
            self.bom.components.append(component)
            if isinstance(data, dict):
                self.components(data.get("components"), f"{where}.components")


def read_json(path: Path, options: ReadOptions) -> Bom:
    """Parse a CycloneDX JSON document."""
    display = shown(path)
    document, options.encoding = load_json(path, CODE_SYNTAX, _("CycloneDX document"))
    if not isinstance(document, dict) or document.get("bomFormat") != "CycloneDX":
        found = document.get("bomFormat") if isinstance(document, dict) else json_type(document)
        issue = Issue(
            display,
            _('not a CycloneDX document (bomFormat is not "CycloneDX")'),
            CODE_FORMAT,
            position="bomFormat",
            value=None if found is None else str(found),
        )
        raise DataError(str(issue), [issue])
    spec = document.get("specVersion")
    if not isinstance(spec, str) or not _SPEC_VERSION.match(spec.strip()):
        issue = Issue(
            display,
            _("unsupported CycloneDX specVersion (1.0 to 1.7 are read)"),
            CODE_FORMAT,
            position="specVersion",
            value=str(spec),
        )
        raise DataError(str(issue), [issue])
    bom = Bom(display, spec.strip())
    walker = _JsonWalker(bom)
    metadata = document.get("metadata")
    if isinstance(metadata, dict) and metadata.get("component") is not None:
        bom.described = walker.component(metadata["component"], "metadata.component")
        if bom.described is not None and bom.described.vendor is None:
            bom.described.vendor = (
                walker.party(metadata, "supplier", "metadata")
                or walker.party(metadata, "manufacturer", "metadata")
                or walker.party(metadata, "manufacture", "metadata")
            )
    walker.components(document.get("components"), "components")
    services = document.get("services")
    bom.services = len(services) if isinstance(services, list) else 0
    vulnerabilities = document.get("vulnerabilities")
    bom.vulnerabilities = len(vulnerabilities) if isinstance(vulnerabilities, list) else 0
    return bom


# -- XML ------------------------------------------------------------------------------


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name]


def _child(element: Element, name: str) -> Element | None:
    return next((child for child in element if _local(child.tag) == name), None)


def _child_text(element: Element | None, name: str) -> str | None:
    if element is None:
        return None
    child = _child(element, name)
    if child is None or child.text is None:
        return None
    return child.text.strip() or None


def _xml_vendor(element: Element) -> str | None:
    authors = _child(element, "authors")
    return (
        _child_text(_child(element, "supplier"), "name")
        or _child_text(_child(element, "manufacturer"), "name")
        or _child_text(element, "publisher")
        or _child_text(element, "author")
        or (_child_text(_child(authors, "author"), "name") if authors is not None else None)
    )


def _xml_component(element: Element, locator: str) -> Component:
    return Component(
        locator=locator,
        name=_child_text(element, "name"),
        type=(element.get("type") or "library").strip().lower(),
        version=_child_text(element, "version"),
        group=_child_text(element, "group"),
        purl=_child_text(element, "purl"),
        cpe=_child_text(element, "cpe"),
        vendor=_xml_vendor(element),
        bom_ref=(element.get("bom-ref") or "").strip() or None,
        scope=_child_text(element, "scope"),
    )


def _xml_components(container: Element | None, locator: str, out: list[Component]) -> None:
    if container is None:
        return
    for index, element in enumerate(_children(container, "component"), start=1):
        where = f"{locator}/component[{index}]"
        out.append(_xml_component(element, where))
        _xml_components(_child(element, "components"), f"{where}/components", out)


def read_xml(path: Path, options: ReadOptions) -> Bom:
    """Parse a CycloneDX XML document (safely: defusedxml)."""
    display = shown(path)
    data = path.read_bytes()
    try:
        root = SafeElementTree.fromstring(data)
    except ParseError as exc:
        line, column = exc.position
        issue = Issue(
            display,
            _("not well-formed XML ({reason})").format(reason=str(exc).split(":")[0]),
            CODE_SYNTAX,
            line=line,
            column=column + 1,
        )
        raise DataError(str(issue), [issue]) from exc
    except DefusedXmlException as exc:
        issue = Issue(
            display,
            _(
                "XML with entity declarations or external references is refused (unsafe): {what}"
            ).format(what=type(exc).__name__),
            CODE_SYNTAX,
        )
        raise DataError(str(issue), [issue]) from exc
    declared = re.match(
        rb"<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)", data.lstrip(b"\xef\xbb\xbf")
    )
    options.encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    namespace = _namespace(root.tag)
    if _local(root.tag) != "bom" or not namespace.startswith(NAMESPACE_PREFIX):
        issue = Issue(
            display,
            _("not a CycloneDX document (root element is not <bom> in {ns}1.x)").format(
                ns=NAMESPACE_PREFIX
            ),
            CODE_FORMAT,
            value=root.tag,
        )
        raise DataError(str(issue), [issue])
    spec = namespace[len(NAMESPACE_PREFIX) :]
    if not _SPEC_VERSION.match(spec):
        issue = Issue(
            display,
            _("unsupported CycloneDX schema version (1.0 to 1.7 are read)"),
            CODE_FORMAT,
            value=namespace,
        )
        raise DataError(str(issue), [issue])
    bom = Bom(display, spec)
    metadata = _child(root, "metadata")
    described = _child(metadata, "component") if metadata is not None else None
    if metadata is not None and described is not None:
        bom.described = _xml_component(described, "metadata/component")
        if bom.described.vendor is None:
            bom.described.vendor = _child_text(_child(metadata, "supplier"), "name") or _child_text(
                _child(metadata, "manufacturer") or _child(metadata, "manufacture"), "name"
            )
    _xml_components(_child(root, "components"), "components", bom.components)
    services = _child(root, "services")
    bom.services = len(_children(services, "service")) if services is not None else 0
    vulnerabilities = _child(root, "vulnerabilities")
    bom.vulnerabilities = (
        len(_children(vulnerabilities, "vulnerability")) if vulnerabilities is not None else 0
    )
    return bom


# -- readers --------------------------------------------------------------------------


class CycloneDxJsonReader(Reader):
    """A CycloneDX SBOM in JSON (1.2 to 1.7)."""

    key = "cyclonedx-json"
    description = _("CycloneDX SBOM, JSON (spec 1.2 to 1.7)")
    patterns = ("*.cdx.json", "bom.json", "*.bom.json", "*.cyclonedx.json")

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> float:
        """Sure when ``bomFormat`` says CycloneDX."""
        return 0.95 if head_matches(head, rb'"bomFormat"\s*:\s*"CycloneDX"') else 0.0

    def read(self, path: Path, options: ReadOptions) -> Iterator[Record]:
        """Yield the software components."""
        yield from records(read_json(path, options), options)


class CycloneDxXmlReader(Reader):
    """A CycloneDX SBOM in XML (1.0 to 1.7)."""

    key = "cyclonedx-xml"
    description = _("CycloneDX SBOM, XML (schema 1.0 to 1.7)")
    patterns = ("*.cdx.xml", "bom.xml", "*.bom.xml", "*.cyclonedx.xml")

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> float:
        """Sure when the root element is a ``bom`` in a CycloneDX namespace."""
        if head_matches(head, rb"cyclonedx\.org/schema/bom/\d") and head_matches(
            head, rb"<([A-Za-z_][\w.-]*:)?bom[\s>]"
        ):
            return 0.95
        return 0.0

    def read(self, path: Path, options: ReadOptions) -> Iterator[Record]:
        """Yield the software components."""
        yield from records(read_xml(path, options), options)
