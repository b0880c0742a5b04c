"""A person's decision about a name the catalog does not know: the curation mapping.

``xinchuang map`` records that a name (or a regular expression over names) means a product,
a vendor or an origin, with who decided, when and why. :class:`Curator` applies those
decisions ahead of the kernel: a record whose name a mapping covers is identified as the
mapping says, at the level it says, with the person's reason; every other record goes
through :class:`~xinchuang.catalog.identify.Identifier` unchanged.

A mapping to a vendor is refused unless the vendor's products of that kind all share one
origin (a Lenovo machine is not domestic by its brand; a Kingsoft product is); a mapping to
an origin needs a layer when the record's kind does not name one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from xinchuang.catalog.identify import PLATFORM_LAYERS, Identifier, Match
from xinchuang.catalog.model import Catalog
from xinchuang.catalog.search import did_you_mean, fold
from xinchuang.errors import UsageError
from xinchuang.i18n import _

TARGET_KINDS = ("product", "vendor", "origin")
ORIGINS = ("domestic", "foreign")
CONFIDENCE = 0.99
"""A person's mapping: surer than any rule, short of a purl (1.0)."""


@dataclass(frozen=True, slots=True)
class Mapping:
    """One curation decision (a row of the workspace's ``mappings`` table)."""

    pattern: str
    is_regex: bool
    target_kind: str  # product | vendor | origin
    target: str
    created_by: str
    created_at: dt.datetime
    why: str
    kind: str | None = None  # only records of this kind (machine, os, software …)
    layer: str | None = None  # for an origin mapping: the layer it counts in
    id: int | None = None


def check_mapping(catalog: Catalog, mapping: Mapping) -> Mapping:
    """``mapping`` if its target exists and can decide; else a one-line UsageError."""
    if not mapping.pattern.strip():
        raise UsageError(_("the name or pattern to map is empty"))
    if not mapping.why.strip():
        raise UsageError(
            _("say why with --why: a mapping is a decision someone will read later"),
        )
    if mapping.is_regex:
        try:
            re.compile(mapping.pattern)
        except re.error as exc:
            raise UsageError(
                _("bad regular expression {pattern!r}: {error}").format(
                    pattern=mapping.pattern, error=exc
                )
            ) from None
    if mapping.target_kind == "product":
        if mapping.target not in catalog.products:
            near = did_you_mean(catalog, mapping.target)
            raise UsageError(
                _("no product {id!r} in the catalog").format(id=mapping.target),
                tip=_("did you mean {near!r}?").format(near=near) if near else None,
            )
    elif mapping.target_kind == "vendor":
        if mapping.target not in catalog.vendors:
            raise UsageError(
                _("no vendor {id!r} in the catalog").format(id=mapping.target),
                tip=_("vendor ids are the file names under catalog vendors/"),
            )
        if vendor_origin(catalog, mapping.target) is None:
            raise UsageError(
                _(
                    "vendor {id!r} does not decide an origin: its products differ, "
                    "or its machines follow their CPU"
                ).format(id=mapping.target),
                tip=_("map to a product (--product) or an origin (--origin) instead"),
            )
    elif mapping.target_kind == "origin":
        if mapping.target not in ORIGINS:
            raise UsageError(
                _("origin must be 'domestic' or 'foreign', not {value!r}").format(
                    value=mapping.target
                )
            )
        if mapping.layer and mapping.layer not in catalog.layers:
            raise UsageError(
                _("unknown layer {layer!r}").format(layer=mapping.layer),
                tip=_("layers: {known}").format(known=", ".join(catalog.layers)),
            )
    else:  # pragma: no cover - the CLI offers only the three
        raise UsageError(_("map to a product, a vendor or an origin"))
    return mapping


def vendor_origin(catalog: Catalog, vendor_id: str) -> str | None:
    """The origin all of a vendor's products share, or None when they differ (or are none).

    A vendor that sells servers or PCs has none: its machines follow their CPU.
    """
    products = [p for p in catalog.products.values() if p.vendor == vendor_id]
    if any(p.layer in PLATFORM_LAYERS and p.domestic for p in products):
        return None
    origins = {p.domestic for p in products}
    if len(origins) != 1:
        return None
    return "domestic" if origins.pop() else "foreign"


class Curator:
    """The workspace's mappings applied ahead of an :class:`Identifier`."""

    def __init__(self, identifier: Identifier, catalog: Catalog, mappings: Sequence[Mapping]):
        self.identifier = identifier
        self.catalog = catalog
        self.exact: dict[tuple[str | None, str], Mapping] = {}
        self.patterns: list[tuple[re.Pattern[str], Mapping]] = []
        for mapping in mappings:
            if mapping.is_regex:
                self.patterns.append((re.compile(mapping.pattern, re.IGNORECASE), mapping))
            else:
                self.exact[(mapping.kind, fold(mapping.pattern))] = mapping

    def __bool__(self) -> bool:
        return bool(self.exact or self.patterns)

    def mapping_for(self, kind: str | None, name: str | None) -> Mapping | None:
        """The mapping that covers a record of ``kind`` named ``name``, if any."""
        if not name:
            return None
        folded = fold(name)
        found = self.exact.get((kind, folded)) or self.exact.get((None, folded))
        if found:
            return found
        for pattern, mapping in self.patterns:
            if (mapping.kind is None or mapping.kind == kind) and pattern.search(name):
                return mapping
        return None

    def identify(self, record: Any) -> Match:
        """The mapping's answer when one covers the record; else the kernel's."""
        if self:
            kind = _field(record, "kind")
            mapping = self.mapping_for(
                str(getattr(kind, "value", kind) or "") or None, _field(record, "name")
            )
            if mapping is not None:
                return self.answer(mapping, kind)
        return self.identifier.identify(record)

    def answer(self, mapping: Mapping, kind: object) -> Match:
        """What a mapping says, as a :class:`Match` at its level."""
        when = mapping.created_at.date().isoformat()
        reason = f"mapped by {mapping.created_by} on {when}: {mapping.why}"
        if mapping.target_kind == "product":
            return self.identifier._complete(Match(mapping.target, CONFIDENCE, reason))
        if mapping.target_kind == "vendor":
            return Match(
                None,
                CONFIDENCE,
                reason,
                level="vendor",
                vendor=mapping.target,
                origin=vendor_origin(self.catalog, mapping.target),
                layer=mapping.layer,
            )
        kind_text = str(getattr(kind, "value", kind) or "")
        layer = mapping.layer or _KIND_LAYER.get(kind_text)
        return Match(None, CONFIDENCE, reason, level="origin", origin=mapping.target, layer=layer)


_KIND_LAYER = {"cpu": "cpu", "os": "os", "gpu": "gpu"}


def _field(record: Any, name: str) -> Any:
    if isinstance(record, dict):
        return record.get(name)
    return getattr(record, name, None)


def export_fragment(mappings: Iterable[Mapping], *, workspace: str) -> str:
    """The mappings as a YAML fragment for the shared catalog's maintainers to review.

    Product mappings become proposed aliases (exact names) or ``windows``/``dmi``-style
    patterns (regular expressions); vendor and origin mappings are listed as decisions, with
    who, when and why, since the catalog records facts with sources, not verdicts.
    """
    import yaml

    products: dict[str, dict[str, Any]] = {}
    decisions: list[dict[str, Any]] = []
    for mapping in mappings:
        provenance = {
            "by": mapping.created_by,
            "on": mapping.created_at.date().isoformat(),
            "why": mapping.why,
        }
        if mapping.target_kind == "product":
            entry = products.setdefault(mapping.target, {"id": mapping.target})
            key = "propose_patterns" if mapping.is_regex else "propose_aliases"
            entry.setdefault(key, []).append(mapping.pattern)
            entry.setdefault("evidence", []).append({"name": mapping.pattern, **provenance})
        else:
            decisions.append(
                {
                    "name": mapping.pattern,
                    "regex": mapping.is_regex,
                    mapping.target_kind: mapping.target,
                    **({"kind": mapping.kind} if mapping.kind else {}),
                    **({"layer": mapping.layer} if mapping.layer else {}),
                    **provenance,
                }
            )
    document: dict[str, Any] = {
        "fragment": {"from_workspace": workspace, "format": "xinchuang-mappings/1"},
        "products": list(products.values()),
        "decisions": decisions,
    }
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
