"""The catalog's schema: layers, vendors, products, substitutions, certifications, policies.

These pydantic models are the single source of truth for the YAML under
``xinchuang/data/catalog``; ``docs/reference/catalog-schema.md`` describes them
for people. Every *fact* (a vendor's country, a product's kind of control and
instruction sets, a list entry, an export-control listing, a certification, a
substitution) carries a source URL or is marked unconfirmed.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[str, Field(pattern=SLUG, min_length=1, max_length=80)]
Url = Annotated[str, Field(pattern=r"^https?://\S+$")]
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]


class Isa(StrEnum):
    """Instruction sets, by the names ``uname -m`` and Debian use most."""

    X86_64 = "x86_64"
    ARM64 = "arm64"
    LOONGARCH64 = "loongarch64"
    MIPS64EL = "mips64el"
    SW64 = "sw64"
    RISCV64 = "riscv64"
    PPC64LE = "ppc64le"
    S390X = "s390x"


class Control(StrEnum):
    """Who controls a product: the axis that decides whether it is domestic."""

    DOMESTIC_COMMERCIAL = "domestic-commercial"
    DOMESTIC_OPEN_SOURCE = "domestic-open-source"
    LICENSED = "licensed"
    FOREIGN_COMMERCIAL = "foreign-commercial"
    FOREIGN_OPEN_SOURCE = "foreign-open-source"

    @property
    def domestic(self) -> bool:
        """True for the three domestic kinds (a licensed domestic maker counts as domestic)."""
        return self in {
            Control.DOMESTIC_COMMERCIAL,
            Control.DOMESTIC_OPEN_SOURCE,
            Control.LICENSED,
        }


class Strict(BaseModel):
    """Base for catalog models: unknown keys are errors, so typos never pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Names(Strict):
    """A name in English and Chinese."""

    en: str = Field(min_length=1)
    zh: str | None = None


class Quote(Strict):
    """What a source says: its URL, the short excerpt that shows the claim, when it was read.

    The excerpt is in the source's own language, at most 300 characters, so a reader can
    check the claim against the page without trusting our summary of it.
    """

    url: Url
    quote: str = Field(min_length=1, max_length=300)
    read: dt.date


SourceEntry = Url | Quote
"""How a source is written in the YAML: a bare URL (legacy, unquoted) or a :class:`Quote`."""


def split_sources(entries: Any) -> tuple[Any, list[Any]]:
    """A YAML source list → (its URLs, its quote mappings), keeping the order of the URLs.

    Bare URL strings pass through; a mapping with ``url`` contributes its URL to the first
    list and itself to the second. Anything else passes through for the field's own
    validation to reject with a clear message.
    """
    if not isinstance(entries, list):
        return entries, []
    urls: list[Any] = []
    quotes: list[Any] = []
    for entry in entries:
        if isinstance(entry, dict) and "url" in entry:
            urls.append(entry["url"])
            quotes.append(entry)
        else:
            urls.append(entry)
    return urls, quotes


class Sourced(Strict):
    """A fact's provenance: URLs (each ideally with a quote), or an explicit 'unconfirmed'.

    In YAML, ``source`` lists bare URLs or ``{url, quote, read}`` mappings; the model keeps
    the URLs in ``source`` (what every consumer reads) and the quoted ones in ``quotes``.
    """

    source: list[Url] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    secondary: bool = False
    unconfirmed: bool = False

    @model_validator(mode="before")
    @classmethod
    def _split_quoted(cls, data: Any) -> Any:
        if isinstance(data, dict) and "source" in data and "quotes" not in data:
            urls, quotes = split_sources(data["source"])
            data = {**data, "source": urls, "quotes": quotes}
        return data

    @property
    def quoted(self) -> bool:
        """True when the fact is confirmed and every one of its sources carries a quote."""
        return self.confirmed and {q.url for q in self.quotes} >= set(self.source)

    @model_validator(mode="after")
    def _source_or_unconfirmed(self) -> Sourced:
        if not self.source and not self.unconfirmed:
            raise ValueError("give a 'source' URL or mark the fact 'unconfirmed: true'")
        return self

    @property
    def confirmed(self) -> bool:
        """True when at least one source is given and the fact is not marked unconfirmed."""
        return bool(self.source) and not self.unconfirmed


class Layer(Strict):
    """A technology layer (the classifier's taxonomy)."""

    id: Slug
    name: Names
    group: Literal["hardware", "base-software", "application", "security", "supporting"]
    counted: bool = Field(description="Counts toward the localization rate.")
    count_by: Literal["host", "installation"]
    description: str = ""


class ExportControl(Sourced):
    """A listing of a vendor on a foreign export-control list."""

    list_: Literal[
        "us-entity-list", "us-meu-list", "us-ns-cmic-list", "us-sdn-list", "us-1260h-list"
    ] = Field(alias="list")
    date: dt.date = Field(description="When the listing took effect.")
    announced: dt.date | None = Field(
        default=None, description="When it was announced, if that day differs from ``date``."
    )
    published: dt.date | None = Field(
        default=None, description="When the rule appeared in the Federal Register, if known."
    )
    entity: str | None = None
    note: str = ""


class Vendor(Strict):
    """A company, foundation or community that makes products."""

    id: Slug
    name: Names
    aliases: list[str] = Field(default_factory=list)
    country: Country
    country_source: Sourced
    parent: Slug | None = None
    website: Url | None = None
    export_controls: list[ExportControl] = Field(default_factory=list)
    note: str = ""


class Contradiction(Sourced):
    """A source that contradicts a fact, kept next to the fact's own sources."""

    note: str = Field(default="", description="What the contradicting source says instead.")


class Listing(Sourced):
    """A product's entry on a published Xinchuang list (e.g. CNITSEC 安全可靠测评).

    ``contested`` holds a source that contradicts the entry (another report of the same
    batch that does not name the product, say): the entry is then neither trusted nor
    dropped, and both sides are shown.
    """

    list_: Literal["cnitsec-anke", "cnitsec-product-certificate", "government-procurement"] = Field(
        alias="list"
    )
    batch: str = Field(description="Announcement number, e.g. '2023-1' for 2023 No.1.")
    date: dt.date | None = None
    level: str | None = None
    valid_until: dt.date | None = None
    product_version: str | None = None
    contested: Contradiction | None = None
    note: str = ""

    @model_validator(mode="after")
    def _valid_after(self) -> Listing:
        if self.date and self.valid_until and self.valid_until < self.date:
            raise ValueError("valid_until is before date")
        return self


class OsReleaseId(Strict):
    """Matches ``/etc/os-release``: its ``ID`` and, optionally, a pattern on NAME/PRETTY_NAME."""

    id: str
    name: str | None = None
    version: str | None = None


class ArmCpuId(Strict):
    """An ARM64 MIDR implementer (and part) code as ``/proc/cpuinfo`` prints them."""

    implementer: Annotated[str, Field(pattern=r"^0x[0-9a-f]{2}$")]
    part: Annotated[str, Field(pattern=r"^0x[0-9a-f]{3}$")] | None = None


class Identifiers(Strict):
    """What real inventories carry, to find this product in them.

    ``deb``, ``rpm``, ``purl``, ``cpe``, ``cpu_vendor``, ``arm_cpu`` and
    ``os_release`` are exact keys and may not collide across products;
    ``windows``, ``cpu_model`` and ``dmi`` are case-insensitive regular
    expressions searched in the string.
    """

    deb: list[str] = Field(default_factory=list)
    rpm: list[str] = Field(default_factory=list)
    purl: list[str] = Field(default_factory=list, description="pkg:type/namespace/name, no version")
    cpe: list[str] = Field(default_factory=list, description="vendor:product as in a CPE 2.3 name")
    windows: list[str] = Field(default_factory=list, description="regex on DisplayName")
    cpu_model: list[str] = Field(default_factory=list, description="regex on the model name")
    cpu_vendor: list[str] = Field(default_factory=list, description="x86 CPUID vendor string")
    arm_cpu: list[ArmCpuId] = Field(default_factory=list)
    dmi: list[str] = Field(default_factory=list, description="regex on 'sys_vendor product_name'")
    os_release: list[OsReleaseId] = Field(default_factory=list)

    @field_validator("windows", "cpu_model", "dmi")
    @classmethod
    def _regex_compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"bad regular expression {pattern!r}: {exc}") from exc
        return patterns

    @field_validator("purl")
    @classmethod
    def _purl_shape(cls, values: list[str]) -> list[str]:
        for value in values:
            if not re.match(r"^pkg:[a-z0-9.+-]+/[^@?#\s]+$", value):
                raise ValueError(
                    f"purl must be pkg:type/[namespace/]name without version: {value!r}"
                )
        return values

    @field_validator("cpe")
    @classmethod
    def _cpe_shape(cls, values: list[str]) -> list[str]:
        for value in values:
            if not re.match(r"^[a-z0-9._\-~%]+:[a-z0-9._\-~%]+$", value):
                raise ValueError(f"cpe must be 'vendor:product' in lower case: {value!r}")
        return values

    @field_validator("deb", "rpm")
    @classmethod
    def _package_names(cls, values: list[str]) -> list[str]:
        for value in values:
            if not re.match(r"^[A-Za-z0-9][A-Za-z0-9.+_-]*$", value):
                raise ValueError(f"not a package name: {value!r}")
        return values


class Product(Strict):
    """One product (or product line) that an organization may run."""

    id: Slug
    name: Names
    aliases: list[str] = Field(default_factory=list)
    vendor: Slug
    layer: Slug
    control: Control
    country: Country | None = Field(
        default=None, description="Origin when it differs from the vendor's country."
    )
    isa: list[Isa] = Field(default_factory=list)
    listings: list[Listing] = Field(default_factory=list)
    identifiers: Identifiers = Field(default_factory=Identifiers)
    family: Slug | None = Field(
        default=None,
        description=(
            "The product family or line this product belongs to (e.g. 'windows-desktop'); "
            "identification answers at family level when only the family is certain."
        ),
    )
    cpus: list[Slug] = Field(
        default_factory=list,
        description=(
            "For a server or PC product line (a platform): the CPU products it is sold with. "
            "The line's domestic standing follows its CPU, not its brand."
        ),
    )
    sources: dict[Literal["control", "isa", "country", "product"], list[Url]] = Field(
        default_factory=dict
    )
    quotes: dict[Literal["control", "isa", "country", "product"], list[Quote]] = Field(
        default_factory=dict,
        description="The quoted ones among ``sources``, per fact (filled from the YAML).",
    )
    unconfirmed: list[Literal["control", "isa", "country"]] = Field(default_factory=list)
    website: Url | None = None
    note: str = ""

    @model_validator(mode="before")
    @classmethod
    def _split_quoted(cls, data: Any) -> Any:
        if (
            isinstance(data, dict)
            and isinstance(data.get("sources"), dict)
            and "quotes" not in data
        ):
            sources: dict[Any, Any] = {}
            quotes: dict[Any, Any] = {}
            for fact, entries in data["sources"].items():
                sources[fact], found = split_sources(entries)
                if found:
                    quotes[fact] = found
            data = {**data, "sources": sources, "quotes": quotes}
        return data

    def quoted(self, fact: str) -> bool:
        """True when ``fact`` is sourced and every one of its sources carries a quote."""
        urls = set(self.sources.get(fact, []))  # type: ignore[call-overload]
        have = {q.url for q in self.quotes.get(fact, [])}  # type: ignore[call-overload]
        return bool(urls) and fact not in self.unconfirmed and have >= urls

    @model_validator(mode="after")
    def _facts_sourced(self) -> Product:
        facts: list[str] = ["control"]
        if self.isa:
            facts.append("isa")
        if self.country:
            facts.append("country")
        for fact in facts:
            if not self.sources.get(fact) and fact not in self.unconfirmed:  # type: ignore[call-overload]
                raise ValueError(
                    f"fact {fact!r} has no source: "
                    f"add sources.{fact} or list it under 'unconfirmed'"
                )
        return self

    @property
    def domestic(self) -> bool:
        """Whether the product counts as domestic (by its kind of control)."""
        return self.control.domestic

    @property
    def list_status(self) -> Literal["listed", "contested", "unknown"]:
        """What the catalog knows of the product's list entries.

        ``listed``: a confirmed, uncontested entry; ``contested``: entries only on evidence
        that another source contradicts (or marked unconfirmed); ``unknown``: no entry
        recorded. No status means "never listed": the lists are not published whole, so
        the absence of an entry in the catalog is not evidence of absence.
        """
        if any(entry.confirmed and entry.contested is None for entry in self.listings):
            return "listed"
        return "contested" if self.listings else "unknown"


class Carry(Strict):
    """Something that carries over (or not) from a foreign product to a candidate."""

    kind: Slug
    note: str = ""


class Candidate(Sourced):
    """A domestic candidate for replacing a foreign product."""

    product: Slug
    carries_over: list[Carry] = Field(default_factory=list)
    does_not_carry_over: list[Carry] = Field(default_factory=list)
    base_effort_days: float | None = Field(
        default=None, ge=0, description="An estimate (an assumption, not a fact) per system."
    )
    note: str = ""


class Substitution(Strict):
    """The domestic candidates for one foreign product."""

    foreign: Slug
    candidates: list[Candidate] = Field(min_length=1)


CertificationKind = Literal[
    "mutual-certification",
    "vendor-platform-list",
    "community-compatibility-list",
    "reported",
]
"""The kinds of compatibility evidence, strongest first.

``mutual-certification``: a 互认证 certificate (兼容性互认证明) issued for the pair;
``vendor-platform-list``: one vendor's own list of supported platforms (install guide,
release notes, system requirements); ``community-compatibility-list``: a community's
published list (e.g. the openEuler compatibility list); ``reported``: a press or
third-party report that the pair works together.
"""


class Certification(Sourced):
    """Two products certified (or documented) to work together."""

    a: Slug
    b: Slug
    kind: CertificationKind
    date: dt.date | None = None
    scope: str = ""


class CertificationGroup(Sourced):
    """Authoring shorthand: one product certified with several, under one source."""

    a: Slug
    with_: list[Slug] = Field(alias="with", min_length=1)
    kind: CertificationKind
    date: dt.date | None = None
    scope: str = ""

    def expand(self) -> list[Certification]:
        """One Certification row per partner."""
        return [
            Certification(
                a=self.a,
                b=partner,
                kind=self.kind,
                date=self.date,
                scope=self.scope,
                source=self.source,
                quotes=self.quotes,
                secondary=self.secondary,
                unconfirmed=self.unconfirmed,
            )
            for partner in self.with_
        ]


class Tier(Strict):
    """A 2+8+N tier and the sectors in it."""

    id: Literal["2", "8", "N"]
    name: Names
    sectors: list[Slug]


class Sector(Strict):
    """A sector, with the spellings that business-systems files use for it."""

    id: Slug
    name: Names
    aliases: list[str] = Field(default_factory=list)


class Deadline(Sourced):
    """A policy deadline for a tier (optionally narrowed to sectors, ownership, layers)."""

    id: Slug
    tier: Literal["2", "8", "N"]
    sectors: list[Slug] = Field(
        default_factory=list, description="Empty: every sector of the tier."
    )
    ownership: Literal["any", "state-owned"] = "any"
    layers: list[Slug] = Field(default_factory=list, description="Empty: every counted layer.")
    date: dt.date
    kind: Literal["procurement", "replacement", "advisory"]
    assumption: bool = Field(
        default=False, description="True when the date is inferred, not stated by a source."
    )
    description: Names


class OpenSourceRule(Sourced):
    """Which foreign-governed open source a tier must replace (docs/policy.md).

    Foreign commercial products in a stack layer are always replaced; upstream open
    source (Linux distributions, MySQL, PostgreSQL, Tomcat, nginx, OpenJDK …) runs
    legally but does not count as domestic, and whether it must go is a policy
    choice. ``layers`` and ``products`` name what must be replaced; what is not named
    is kept, and the plan says so.
    """

    tier: Literal["2", "8", "N"]
    layers: list[Slug] = Field(default_factory=list)
    products: list[Slug] = Field(default_factory=list)
    assumption: bool = Field(
        default=False, description="True when the rule is inferred, not stated by a source."
    )
    description: Names


class PolicyProfile(Strict):
    """Tiers, sectors, deadlines and the counting rules of the localization rate."""

    id: Slug
    name: Names
    description: str = ""
    default_tier: Literal["2", "8", "N"] = "N"
    tiers: list[Tier]
    sectors: list[Sector]
    deadlines: list[Deadline]
    open_source: list[OpenSourceRule] = Field(
        default_factory=list,
        description="Per tier, the foreign-governed open source that must be replaced.",
    )
    assumptions: list[str] = Field(default_factory=list)

    def must_replace(self, tier: str) -> frozenset[str]:
        """Layer and product ids of foreign open source that ``tier`` must replace."""
        out: set[str] = set()
        for rule in self.open_source:
            if rule.tier == tier:
                out.update(rule.layers)
                out.update(rule.products)
        return frozenset(out)


class CatalogInfo(Strict):
    """The catalog's own version line."""

    version: str
    description: str = ""


def json_ready(model: BaseModel) -> dict[str, Any]:
    """A model as plain JSON-able data, enums by value, aliases used."""
    return model.model_dump(mode="json", by_alias=True, exclude_defaults=False)
