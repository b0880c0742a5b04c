"""The identification kernel: one record's hints in, (product, confidence, reason) out.

:meth:`Identifier.from_catalog` compiles the catalog's identifiers into plain
lookup tables once; :meth:`Identifier.identify` then tries the match paths in a
fixed order, most specific evidence first, and stops at the first that names a
product of a layer the record's kind allows:

==  ===============================================  ==========
 #  path                                              confidence
==  ===============================================  ==========
 1  purl (normalized per the purl spec)               1.00
 2  CPE 2.2 / 2.3 → ``vendor:product``                0.98
 3  deb / rpm package name (by ``package_type``)      0.95
    … after dropping a version suffix (postgresql-14) 0.90
 4  os-release ``ID`` with its NAME/VERSION patterns  0.95
    os-release ``ID`` alone                           0.90
 5  ARM implementer + part                            0.95
 6  regex on the CPU model name                       0.90
 7  regex on a Windows DisplayName                    0.90
 8  regex on DMI ``sys_vendor product_name``          0.90
    … on a register's vendor + model instead          0.85
 9  exact alias or name, folded                       0.90
    … after dropping editions and architectures       0.88
    … after also dropping versions                    0.85
10  x86 CPUID vendor string                           0.80
11  ARM implementer alone                             0.70
12  fuzzy (rapidfuzz ratio ≥ FUZZY_THRESHOLD)         0.63–0.70
==  ===============================================  ==========

Below the fuzzy threshold, or when two products fit equally well, the record
stays unknown: product None, confidence 0, and a reason that says why.

The Identifier keeps no global state and pickles to its tables alone (the
cache is dropped), so it can be broadcast to Spark executors; results are
cached per Identifier by the record's distinct hint tuple, because real
inventories repeat the same few thousand names millions of times.
``docs/identification.md`` describes the paths for users.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, NamedTuple
from urllib.parse import unquote

from rapidfuzz import fuzz, process

from xinchuang.catalog.cjk_tokens import has_cjk, identity_text
from xinchuang.catalog.model import Catalog
from xinchuang.catalog.parse_cpu import parse_cpu
from xinchuang.catalog.parse_machine import brand_and_model
from xinchuang.catalog.parse_release import parse_release
from xinchuang.catalog.parse_windows import parse_windows
from xinchuang.catalog.search import fold
from xinchuang.catalog.tokens import is_number, name_tokens
from xinchuang.models.asset import AssetRecord

FUZZY_THRESHOLD = 90.0
"""Least rapidfuzz ``ratio`` (0-100) on version-free folded names that identifies a product.

90 admits one substitution in a 10-character name or one dropped letter in a
5-character one ("Oracle Databse" scores 97 against "oracle database"), and
rejects the near neighbours that are different products ("mysql"/"mssql": 80).
"""
FUZZY_MARGIN = 3.0
"""When a second product scores within this of the best, the match is ambiguous: unknown."""
FUZZY_MIN_LENGTH = 5
"""Shorter names are too short to fuzz ('db2' vs 'db3'): exact paths only."""
CACHE_SIZE = 65_536
"""Distinct hint tuples remembered per Identifier; the cache starts over when full."""

HINT_FIELDS: tuple[str, ...] = (
    "kind",
    "name",
    "version",
    "vendor",
    "purl",
    "cpe",
    "package_type",
    "arch",
    "cpu_vendor_id",
    "arm_implementer",
    "arm_part",
    "os_id",
    "dmi_vendor",
    "dmi_product",
)
"""Every hint an :class:`AssetRecord` carries, by name (the Arrow adapter's column names)."""

# The fields that decide a match, in cache-key order. ``version`` joins the key
# only for os records (os-release VERSION patterns); ``arch`` never decides
# anything, so installations that differ only in those share one cache entry.
KEY_FIELDS: tuple[str, ...] = (
    "kind",
    "name",
    "vendor",
    "purl",
    "cpe",
    "package_type",
    "cpu_vendor_id",
    "arm_implementer",
    "arm_part",
    "os_id",
    "dmi_vendor",
    "dmi_product",
)
_record_key = attrgetter(*KEY_FIELDS)

MACHINE_LAYERS = frozenset({"server", "pc-terminal", "storage", "network", "peripheral"})
_HARDWARE_KINDS: dict[str, frozenset[str]] = {
    "cpu": frozenset({"cpu"}),
    "gpu": frozenset({"gpu"}),
    # an ESXi or Hyper-V Server row in an OS column is the hypervisor itself
    "os": frozenset({"os", "virtualization"}),
    "machine": MACHINE_LAYERS,
    "peripheral": frozenset({"peripheral"}),
    "firmware": frozenset({"firmware"}),
    "network": frozenset({"network"}),
    "storage": frozenset({"storage"}),
}
SOFTWARE_KINDS = frozenset({"software", "component"})
WINDOWS_PACKAGE_TYPES = frozenset({"", "windows", "msi", "exe", "programs"})
"""Package types whose names are Windows DisplayNames (empty: a register's software name)."""
_DEB_TYPES = frozenset({"deb", "dpkg"})
PACKAGE_TYPES = frozenset(
    {"deb", "dpkg", "rpm", "pypi", "npm", "maven", "gem", "cargo", "golang", "nuget", "composer"}
)
"""Package managers: their names are exact identifiers, never read word by word."""
_RPM_TYPES = frozenset({"rpm"})

CONFIDENCE = {
    "purl": 1.0,
    "cpe": 0.98,
    "package": 0.95,
    "package-unversioned": 0.9,
    "os-release": 0.95,
    "os-release-id": 0.9,
    "arm-part": 0.95,
    "cpu-model": 0.9,
    "windows": 0.9,
    "dmi": 0.9,
    "dmi-register": 0.85,
    "alias": 0.9,
    "alias-edition": 0.88,
    "alias-version": 0.85,
    "cpu-vendor": 0.8,
    "arm-implementer": 0.7,
    "parsed": 0.9,
    "tokens": 0.8,
    "family": 0.8,
    "vendor": 0.75,
}
FUZZY_CONFIDENCE_SCALE = 0.7
"""Fuzzy confidence is ``score / 100 × 0.7``: always below every exact path."""


MATCH_LEVELS = ("product", "family", "vendor", "origin", "none")
"""From the most specific answer to none; see :class:`Match`."""


class Match(NamedTuple):
    """What identification found, at the most specific level the evidence supports.

    ``level`` is ``product`` (``product_id`` set), ``family`` (the product line is certain:
    ``family`` set), ``vendor`` (only the maker: ``vendor`` set), ``origin`` (only whether it
    is domestic) or ``none``. ``origin`` is ``domestic``, ``foreign`` or None (not certain);
    ``layer`` is the layer every candidate shares, when they share one. ``cpu_decides`` marks
    a machine of a Chinese brand, whose origin follows the host's CPU (see
    :mod:`xinchuang.catalog.platform`).
    """

    product_id: str | None
    confidence: float
    reason: str
    level: str = "none"
    family: str | None = None
    vendor: str | None = None
    origin: str | None = None
    layer: str | None = None
    cpu_decides: bool = False


def _unknown(reason: str) -> Match:
    return Match(None, 0.0, reason)


# --------------------------------------------------------------------------- purl


# Per the purl types list (github.com/package-url/purl-spec, PURL-TYPES.rst):
# these types declare namespace and/or name case-insensitive and lower-cased.
_PURL_LOWER_NAMESPACE = frozenset(
    {
        "alpm",
        "apk",
        "bitbucket",
        "composer",
        "deb",
        "github",
        "golang",
        "hex",
        "luarocks",
        "qpkg",
        "rpm",
        "npm",
    }
)
_PURL_LOWER_NAME = frozenset(
    {
        "alpm",
        "apk",
        "bitbucket",
        "bitnami",
        "composer",
        "deb",
        "github",
        "golang",
        "hex",
        "luarocks",
        "npm",
        "oci",
        "pub",
        "pypi",
    }
)


def normalize_purl(purl: str) -> str | None:
    """``pkg:type/namespace/name`` without version, qualifiers or subpath, case per the spec.

    Components are percent-decoded; the type is always lower-cased, namespace
    and name only for types the spec declares case-insensitive; PyPI names
    also map ``_`` to ``-``. None when the string is not a purl.
    """
    text = purl.strip()
    if text[:4].lower() != "pkg:":
        return None
    rest = text[4:].lstrip("/")
    rest = rest.split("#", 1)[0].split("?", 1)[0]
    slash = rest.rfind("/")
    at = rest.rfind("@")
    if at > slash:
        rest = rest[:at]
    parts = [unquote(part) for part in rest.split("/") if part]
    if len(parts) < 2:
        return None
    ptype = parts[0].lower()
    namespace, name = parts[1:-1], parts[-1]
    if ptype in _PURL_LOWER_NAMESPACE:
        namespace = [segment.lower() for segment in namespace]
    if ptype in _PURL_LOWER_NAME:
        name = name.lower()
    if ptype == "pypi":
        name = name.replace("_", "-")
    if not name:
        return None
    return "/".join([f"pkg:{ptype}", *namespace, name])


# --------------------------------------------------------------------------- CPE


def _split_cpe23(text: str) -> list[str]:
    """Split a CPE 2.3 formatted string on unescaped colons, dropping the escapes."""
    fields: list[str] = []
    current: list[str] = []
    escaped = False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ":":
            fields.append("".join(current))
            current = []
        else:
            current.append(char)
    fields.append("".join(current))
    return fields


def cpe_vendor_product(cpe: str) -> str | None:
    """``vendor:product`` from a CPE 2.3 name, a CPE 2.2 URI or a bare ``vendor:product``."""
    text = cpe.strip().lower()
    if text.startswith("cpe:2.3:"):
        fields = _split_cpe23(text)
        vendor, product = (fields[3], fields[4]) if len(fields) > 4 else ("", "")
    elif text.startswith("cpe:/"):
        fields = text[5:].split(":")
        vendor, product = (unquote(fields[1]), unquote(fields[2])) if len(fields) > 2 else ("", "")
    else:
        fields = text.split(":")
        vendor, product = (fields[0], fields[1]) if len(fields) == 2 else ("", "")
    if vendor in {"", "*", "-"} or product in {"", "*", "-"}:
        return None
    return f"{vendor}:{product}"


# --------------------------------------------------------------------------- names


_MARKS = re.compile(r"[®™©]")
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_ARCH = re.compile(
    r"(?<![\w.])(?:x86[_-]64|x64|x86|amd64|arm64|aarch64|i[36]86|win(?:64|32)|"
    r"(?:64|32)[- ]?bits?|(?:64|32)\s?位)(?![\w.])"
)
_EDITION = re.compile(
    r"(?<![\w.])(?:professional|pro|plus|enterprise|standard|express|developer|community|"
    r"ultimate|premium|business|home|education|edition|ed\.|lts|trial|evaluation|"
    r"sp\d+|r\d|update\s*\d*|service pack\s*\d*)(?![\w])"
    r"|(?:专业增强|专业|企业|标准|个人|社区|旗舰|家庭|教育|增强|开发者?|试用|正式|简体中文|中文|高级|基础)版"
)
_VERSION = re.compile(r"(?<![a-z\d])(?:v|ver\.?\s?|version\s)?\d+(?:[.\-_]\d+)*(?:[a-z](?![a-z]))?")
_PUNCT_ONLY = re.compile(r"^[\W_]+$")
_COMPANY = re.compile(
    r"[,.]?\s*(?:corporation|corp\.?|incorporated|inc\.?|co\.?,?\s*ltd\.?|ltd\.?|limited|"
    r"gmbh|llc|股份有限公司|有限责任公司|有限公司|公司)\s*$",
    re.IGNORECASE,
)


# Chinese names are spelled with and without a space before a Latin part
# ("银河麒麟桌面操作系统 V10", "银河麒麟桌面操作系统V10"): spaces next to CJK do not count.
_CJK_SPACE = re.compile(r"(?<=[\u3400-\u9fff\uf900-\ufaff])\s+|\s+(?=[\u3400-\u9fff\uf900-\ufaff])")


def _tidy(text: str) -> str:
    tokens = [token for token in text.split() if not _PUNCT_ONLY.match(token)]
    return " ".join(tokens).strip(" -_,;:/")


def name_keys(text: str) -> tuple[str, str, str]:
    """The three alias keys of a name: folded; without editions; without versions too.

    "Microsoft Office Professional Plus 2016" → ("microsoft office professional
    plus 2016", "microsoft office 2016", "microsoft office").
    """
    folded = _CJK_SPACE.sub("", fold(_MARKS.sub("", text)))
    edition_free = _tidy(_EDITION.sub(" ", _ARCH.sub(" ", _BRACKETED.sub(" ", folded))))
    version_free = _tidy(_VERSION.sub(" ", edition_free))
    return folded, edition_free, version_free


def _digits(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\d+", text))


# --------------------------------------------------------------------------- tables


@dataclass(frozen=True, slots=True)
class _Rule:
    """A catalog regex, compiled case-insensitive, with the product that owns it."""

    pattern: re.Pattern[str]
    product_id: str
    layer: str


@dataclass(frozen=True, slots=True)
class _RuleSet:
    """The rules of one regex path that one record kind may use, and a quick 'any of them?'."""

    rules: tuple[_Rule, ...]
    any: re.Pattern[str] | None  # one alternation of them all; None when they cannot combine

    @classmethod
    def of(cls, rules: Sequence[_Rule]) -> _RuleSet:
        patterns = [rule.pattern.pattern for rule in rules]
        combined: re.Pattern[str] | None = None
        # Numbered or named back-references would change meaning inside one alternation.
        if patterns and not any(_BACKREFERENCE.search(p) for p in patterns):
            try:
                combined = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
            except re.error:  # e.g. a group name used by two patterns
                combined = None
        return cls(tuple(rules), combined)


_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P=")


@dataclass(frozen=True, slots=True)
class _OsRule:
    product_id: str
    layer: str
    os_id: str
    name: re.Pattern[str] | None
    version: re.Pattern[str] | None


@dataclass(frozen=True, slots=True)
class _Name:
    product_id: str
    layer: str
    written: str  # the alias or name as the catalog spells it


@dataclass(frozen=True, slots=True)
class _Fuzzy:
    """The fuzzy choices a set of layers allows: version-free keys owned by one product."""

    keys: tuple[str, ...]
    owners: tuple[_Name, ...]


@dataclass(frozen=True, slots=True)
class _Tables:
    layer_of: dict[str, str]
    purl: dict[str, tuple[str, str]]
    cpe: dict[str, str]
    deb: dict[str, str]
    rpm: dict[str, str]
    cpu_vendor: dict[str, tuple[str, str]]
    arm: dict[tuple[str, str | None], str]
    os_release: dict[str, tuple[_OsRule, ...]]
    regexes: dict[tuple[str | None, str], _RuleSet]  # (record kind, path) → rules
    names: tuple[
        dict[str, tuple[_Name, ...]], dict[str, tuple[_Name, ...]], dict[str, tuple[_Name, ...]]
    ]
    allowed: dict[str | None, frozenset[str]]
    fuzzy: dict[str | None, _Fuzzy]
    meta: dict[str, _Meta]
    vendors: dict[str, str]  # folded vendor name or alias → vendor id
    vendor_names: dict[str, tuple[str, ...]]  # vendor id → its Latin names, for DMI patterns
    vendor_products: dict[str, tuple[str, ...]]  # vendor id → its product ids
    tokens: dict[str, tuple[_TokenName, ...]]  # token → names that contain it
    families: dict[str, str]  # family slug → its display name (the first product's)
    written_name: dict[str, str]  # product id → its English name


@dataclass(frozen=True, slots=True)
class _Meta:
    """What a product says beyond its id: line, maker, origin, layer, and CPU dependence."""

    family: str | None
    vendor: str
    origin: str | None
    layer: str
    cpu_decides: bool


@dataclass(frozen=True, slots=True)
class _TokenName:
    product_id: str
    layer: str
    written: str
    tokens: frozenset[str]


def _hex_code(value: str, digits: int) -> str | None:
    text = value.strip().lower()
    text = text[2:] if text.startswith("0x") else text
    try:
        number = int(text, 16)
    except ValueError:
        return None
    return f"0x{number:0{digits}x}"


def _compile(catalog: Catalog) -> _Tables:
    layer_of: dict[str, str] = {}
    purl: dict[str, tuple[str, str]] = {}
    cpe: dict[str, str] = {}
    deb: dict[str, str] = {}
    rpm: dict[str, str] = {}
    cpu_vendor: dict[str, tuple[str, str]] = {}
    arm: dict[tuple[str, str | None], str] = {}
    os_release: dict[str, list[_OsRule]] = {}
    rules: dict[str, list[_Rule]] = {"cpu_model": [], "windows": [], "dmi": []}
    levels: tuple[dict[str, dict[str, _Name]], ...] = ({}, {}, {})

    for product_id in sorted(catalog.products):
        product = catalog.products[product_id]
        layer = product.layer
        layer_of[product_id] = layer
        ids = product.identifiers
        for value in ids.purl:
            key = normalize_purl(value)
            if key:
                purl.setdefault(key, (product_id, value))
        for value in ids.cpe:
            key = cpe_vendor_product(value)
            if key:
                cpe.setdefault(key, product_id)
        for value in ids.deb:
            deb.setdefault(value.lower(), product_id)
        for value in ids.rpm:
            rpm.setdefault(value, product_id)
        for value in ids.cpu_vendor:
            cpu_vendor.setdefault(value.strip().casefold(), (product_id, value.strip()))
        for arm_id in ids.arm_cpu:
            arm.setdefault((arm_id.implementer, arm_id.part), product_id)
        for osr in ids.os_release:
            os_release.setdefault(osr.id.casefold(), []).append(
                _OsRule(
                    product_id,
                    layer,
                    osr.id,
                    re.compile(osr.name, re.IGNORECASE) if osr.name else None,
                    re.compile(osr.version, re.IGNORECASE) if osr.version else None,
                )
            )
        for field_name in ("cpu_model", "windows", "dmi"):
            for pattern in getattr(ids, field_name):
                rules[field_name].append(
                    _Rule(re.compile(pattern, re.IGNORECASE), product_id, layer)
                )
        written = [
            product.name.en,
            *([product.name.zh] if product.name.zh else []),
            *product.aliases,
            product_id,
        ]
        for spelling in written:
            for level, key in zip(levels, name_keys(spelling), strict=True):
                if key:
                    level.setdefault(key, {}).setdefault(
                        product_id, _Name(product_id, layer, spelling)
                    )

    names = tuple(
        {key: tuple(owners.values()) for key, owners in level.items()} for level in levels
    )
    software = frozenset(
        layer.id
        for layer in catalog.layers.values()
        if layer.group != "hardware" and layer.id != "os"
    )
    allowed: dict[str | None, frozenset[str]] = {None: frozenset(catalog.layers)}
    allowed.update(_HARDWARE_KINDS)
    allowed.update(dict.fromkeys(SOFTWARE_KINDS, software))
    fuzzy: dict[str | None, _Fuzzy] = {}
    for kind, layers in allowed.items():
        keys: list[str] = []
        owners: list[_Name] = []
        for key, named in names[2].items():
            inside = [n for n in named if n.layer in layers]
            if len(inside) == 1 and len(key) >= FUZZY_MIN_LENGTH:
                keys.append(key)
                owners.append(inside[0])
        fuzzy[kind] = _Fuzzy(tuple(keys), tuple(owners))

    def ordered(rules_of: list[_OsRule]) -> tuple[_OsRule, ...]:
        # The most constrained rule first: NAME and VERSION, then one of them, then ID alone.
        return tuple(
            sorted(
                rules_of,
                key=lambda r: (-(r.name is not None) - (r.version is not None), r.product_id),
            )
        )

    meta = {pid: _product_meta(catalog, pid) for pid in catalog.products}
    vendor_index: dict[str, str] = {}
    vendor_names: dict[str, tuple[str, ...]] = {}
    for vendor_id in sorted(catalog.vendors):
        vendor = catalog.vendors[vendor_id]
        spellings = [vendor.name.en, *([vendor.name.zh] if vendor.name.zh else []), *vendor.aliases]
        for spelling in spellings:
            key = vendor_key(spelling)
            if key:
                vendor_index.setdefault(key, vendor_id)
        vendor_names[vendor_id] = tuple(
            dict.fromkeys(w for w in (vendor.name.en.split()[0], *vendor.aliases) if w.isascii())
        )
    vendor_products: dict[str, list[str]] = {}
    for pid in sorted(catalog.products):
        vendor_products.setdefault(catalog.products[pid].vendor, []).append(pid)
    token_index: dict[str, list[_TokenName]] = {}
    seen_tokens: set[tuple[str, frozenset[str]]] = set()
    for pid in sorted(catalog.products):
        product = catalog.products[pid]
        for spelling in (product.name.en, product.name.zh or "", *product.aliases):
            tokens = name_tokens(spelling)
            if not tokens or (pid, tokens) in seen_tokens:
                continue
            seen_tokens.add((pid, tokens))
            entry = _TokenName(pid, product.layer, spelling, tokens)
            for token in tokens:
                token_index.setdefault(token, []).append(entry)
    families: dict[str, str] = {}
    for pid in sorted(catalog.products):
        family = catalog.products[pid].family
        if family:
            families.setdefault(family, family)

    return _Tables(
        meta=meta,
        vendors=vendor_index,
        vendor_names=vendor_names,
        vendor_products={k: tuple(v) for k, v in vendor_products.items()},
        tokens={k: tuple(v) for k, v in token_index.items()},
        families=families,
        written_name={pid: catalog.products[pid].name.en for pid in catalog.products},
        layer_of=layer_of,
        purl=purl,
        cpe=cpe,
        deb=deb,
        rpm=rpm,
        cpu_vendor=cpu_vendor,
        arm=arm,
        os_release={key: ordered(value) for key, value in os_release.items()},
        regexes={
            (kind, path): _RuleSet.of([rule for rule in found if rule.layer in layers])
            for kind, layers in allowed.items()
            for path, found in rules.items()
        },
        names=(names[0], names[1], names[2]),
        allowed=allowed,
        fuzzy=fuzzy,
    )


_COMPANY_WORDS = re.compile(
    r"\b(?:corporation|corp|incorporated|inc|co|ltd|limited|gmbh|llc|technologies|technology|"
    r"computer|computers|information|systems|group|international|enterprise)\b\.?|"
    r"股份有限公司|有限责任公司|有限公司|公司|集团|科技|技术|信息|计算机|电脑|[,.()（）]",
    re.IGNORECASE,
)


def vendor_key(text: str) -> str:
    """A vendor name without company words, folded: "Dell Inc." and "DELL" read as "dell"."""
    # "联想(北京)有限公司": a place in brackets is no part of the name
    unbracketed = _PLACE.sub(" ", fold(text))
    return " ".join(_COMPANY_WORDS.sub(" ", unbracketed).split())


_PLACE = re.compile(r"[(（][^()（）]*[)）]")


def _product_meta(catalog: Catalog, product_id: str) -> _Meta:
    product = catalog.products[product_id]
    layer = product.layer
    if layer in PLATFORM_LAYERS:
        if not product.domestic:
            return _Meta(product.family, product.vendor, "foreign", layer, False)
        # A Chinese brand's machine is domestic only on a domestic CPU: its line's CPUs
        # decide when they agree, the host's CPU record when it is known.
        cpus = [catalog.products[c] for c in product.cpus if c in catalog.products]
        origins = {c.domestic for c in cpus}
        origin = None
        if len(origins) == 1:
            origin = "domestic" if origins.pop() else "foreign"
        return _Meta(product.family, product.vendor, origin, layer, True)
    return _Meta(
        product.family, product.vendor, "domestic" if product.domestic else "foreign", layer, False
    )


PLATFORM_LAYERS = frozenset({"server", "pc-terminal"})
SHARED_CPU_VENDORS = frozenset({"centaurhauls"})
"""CPUID vendor strings more than one maker reports: VIA's and Zhaoxin's x86 cores both say
``CentaurHauls`` (Linux ``arch/x86/kernel/cpu/centaur.c`` and ``zhaoxin.c`` both match it), so
the vendor string alone never decides between a foreign and a domestic CPU."""
"""Layers whose products are platforms: their origin follows their CPU, not their brand."""


# --------------------------------------------------------------------------- the matcher

HintSource = AssetRecord | Mapping[str, Any]


def _text(value: object) -> str:
    """A hint as text: None and blanks become ''; numbers and enums their string form."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return str(getattr(value, "value", value)).strip()


def _hashable(key: tuple[Any, ...]) -> tuple[str | None, ...]:
    return tuple(None if value is None else _text(value) for value in key)


class Identifier:
    """A compiled, immutable, picklable matcher over one catalog (see the module docstring)."""

    __slots__ = ("_cache", "_tables", "cache_size", "fuzzy_threshold")

    _tables: _Tables
    _cache: dict[tuple[Any, ...], Match]
    cache_size: int
    fuzzy_threshold: float

    def __init__(
        self,
        tables: _Tables,
        *,
        cache_size: int = CACHE_SIZE,
        fuzzy_threshold: float = FUZZY_THRESHOLD,
    ) -> None:
        object.__setattr__(self, "_tables", tables)
        object.__setattr__(self, "_cache", {})
        object.__setattr__(self, "cache_size", max(0, cache_size))
        object.__setattr__(self, "fuzzy_threshold", fuzzy_threshold)

    @classmethod
    def from_catalog(
        cls,
        catalog: Catalog,
        *,
        cache_size: int = CACHE_SIZE,
        fuzzy_threshold: float = FUZZY_THRESHOLD,
    ) -> Identifier:
        """Compile ``catalog``'s identifiers into a matcher."""
        return cls(_compile(catalog), cache_size=cache_size, fuzzy_threshold=fuzzy_threshold)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("an Identifier is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        # Ship the compiled tables, never the cache.
        return (_rebuild, (self._tables, self.cache_size, self.fuzzy_threshold))

    def with_cache_size(self, cache_size: int) -> Identifier:
        """The same matcher with another cache bound (0: no cache)."""
        return Identifier(self._tables, cache_size=cache_size, fuzzy_threshold=self.fuzzy_threshold)

    @property
    def cached(self) -> int:
        """How many distinct hint tuples are cached now."""
        return len(self._cache)

    # ------------------------------------------------------------------ public API

    def identify(self, record: HintSource | None = None, /, **hints: object) -> Match:
        """Identify one record: an :class:`AssetRecord`, a mapping of hints, or keywords.

        Keywords override the record's own hints. Never raises on odd input:
        what cannot be read stays unknown.
        """
        if record is None:
            key = tuple(hints.get(name) for name in KEY_FIELDS)
            version = hints.get("version")
        elif isinstance(record, AssetRecord):
            key = _record_key(record)
            version = record.version
            if hints:
                key = tuple(hints.get(n, k) for n, k in zip(KEY_FIELDS, key, strict=True))
                version = hints.get("version", version)
        else:
            merged = {**record, **hints} if hints else record
            key = tuple(map(merged.get, KEY_FIELDS))
            version = merged.get("version")
        if key[0] == "os":
            key = (*key, version)
        return self._lookup(key)

    def identify_many(self, rows: Iterable[HintSource]) -> list[Match]:
        """Identify a batch of plain records (mappings or AssetRecords), in order."""
        cache = self._cache
        get = cache.get
        out: list[Match] = []
        append = out.append
        lookup = self._lookup
        for row in rows:
            if isinstance(row, AssetRecord):
                key = _record_key(row)
                if key[0] == "os":
                    key = (*key, row.version)
            else:
                key = tuple(map(row.get, KEY_FIELDS))
                if key[0] == "os":
                    key = (*key, row.get("version"))
            try:
                hit = get(key)
            except TypeError:  # an unhashable hint, e.g. a list from JSON: use its text
                key = _hashable(key)
                hit = get(key)
            append(hit if hit is not None else lookup(key))
        return out

    def _lookup(self, key: tuple[Any, ...]) -> Match:
        try:
            hit = self._cache.get(key)
        except TypeError:  # an unhashable hint, e.g. a list from JSON: use its text
            key = _hashable(key)
            hit = self._cache.get(key)
        if hit is not None:
            return hit
        try:
            match = self._complete(self._match(key))
        except (ValueError, TypeError, re.error) as exc:  # odd input stays unknown
            match = _unknown(f"unreadable hints: {type(exc).__name__}")
        if self.cache_size:
            if len(self._cache) >= self.cache_size:
                self._cache.clear()
            self._cache[key] = match
        return match

    def _complete(self, match: Match) -> Match:
        """A product match with its level, family, vendor, origin and layer filled in."""
        if match.product_id is None or match.level != "none":
            return match
        meta = self._tables.meta[match.product_id]
        return match._replace(
            level="product",
            family=meta.family,
            vendor=meta.vendor,
            origin=meta.origin,
            layer=meta.layer,
            cpu_decides=meta.cpu_decides,
        )

    # ------------------------------------------------------------------ the paths

    def _match(self, key: tuple[Any, ...]) -> Match:
        t = self._tables
        (
            kind_v,
            name_v,
            vendor_v,
            purl_v,
            cpe_v,
            ptype_v,
            cpu_vendor_v,
            impl_v,
            part_v,
            os_id_v,
            dmi_vendor_v,
            dmi_product_v,
        ) = (_text(v) for v in key[:12])
        version_v = _text(key[12]) if len(key) > 12 else ""
        kind: str | None = kind_v.lower() or None
        allowed = t.allowed.get(kind)
        if allowed is None:
            return _unknown(f"unsupported record kind '{kind_v}'")
        layer_of = t.layer_of

        def ok(product_id: str | None) -> bool:
            return product_id is not None and layer_of[product_id] in allowed

        if purl_v:
            normalized = normalize_purl(purl_v)
            found = t.purl.get(normalized) if normalized else None
            if found and ok(found[0]):
                return Match(found[0], CONFIDENCE["purl"], f"purl {found[1]}")
        if cpe_v:
            pair = cpe_vendor_product(cpe_v)
            product_id = t.cpe.get(pair) if pair else None
            if product_id and ok(product_id):
                return Match(product_id, CONFIDENCE["cpe"], f"cpe {pair}")
        ptype = ptype_v.lower()
        if name_v and (ptype in _DEB_TYPES or ptype in _RPM_TYPES):
            found_package = self._package(ptype, name_v, ok)
            if found_package:
                return found_package
        if os_id_v:
            found_os = self._os_release(os_id_v, name_v, version_v, ok)
            if found_os:
                return found_os
        implementer = _hex_code(impl_v, 2) if impl_v else None
        part = _hex_code(part_v, 3) if part_v else None
        if implementer and part:
            product_id = t.arm.get((implementer, part))
            if product_id and ok(product_id):
                return Match(
                    product_id, CONFIDENCE["arm-part"], f"arm implementer {implementer} part {part}"
                )
        cpu = parse_cpu(name_v) if name_v and "cpu" in allowed else None
        if name_v and "cpu" in allowed:
            ruleset = t.regexes[kind, "cpu_model"]
            found_rule = self._regex(ruleset, name_v)
            spelled = name_v
            if found_rule is None and cpu is not None and cpu.canonical != name_v:
                found_rule = self._regex(ruleset, cpu.canonical)
                spelled = cpu.canonical
            if found_rule and (cpu is None or t.meta[found_rule.product_id].vendor == cpu.maker):
                via = "" if spelled == name_v else f" read as '{spelled}'"
                return Match(
                    found_rule.product_id,
                    CONFIDENCE["cpu-model"],
                    f"cpu model{via} matches '{found_rule.pattern.pattern}'",
                )
        # An os record's name is the Windows caption ("Microsoft Windows 10 专业版"), which the
        # os products' DisplayName patterns are written for too.
        windows = None
        if name_v and (kind == "os" or kind is None):
            windows = parse_windows(name_v, version_v or None)
        if (
            name_v
            and ptype in WINDOWS_PACKAGE_TYPES
            and (kind is None or kind in SOFTWARE_KINDS or kind == "os")
        ):
            ruleset = t.regexes[kind, "windows"]
            found_rule = None
            spelled = name_v
            if windows is not None and windows.release:
                # The parsed caption first: "Windows 10 Server (64 bit)" is vSphere's 2016.
                spelled = f"Microsoft {windows.canonical}"
                found_rule = self._regex(ruleset, spelled)
            if found_rule is None:
                spelled = name_v
                found_rule = self._regex(ruleset, name_v)
            if found_rule:
                via = "" if spelled == name_v else f" read as '{spelled}'"
                return Match(
                    found_rule.product_id,
                    CONFIDENCE["windows"] if spelled == name_v else CONFIDENCE["parsed"],
                    f"DisplayName{via} matches '{found_rule.pattern.pattern}'",
                )
        release = None
        if name_v and kind == "os" and not os_id_v and windows is None:
            release = parse_release(name_v)
            if release is not None:
                found_os = self._os_release(
                    release.os_id, release.name, release.version or "", ok, parsed=True
                )
                if found_os:
                    return found_os._replace(
                        confidence=CONFIDENCE["parsed"],
                        reason=f"release '{name_v}' read as ID {release.os_id}; {found_os.reason}",
                    )
                if release.distro and not t.os_release.get(release.os_id.casefold()):
                    # no product carries this os-release ID: the distribution's name may
                    # still be a catalog name ("NeoKylin", "Solaris", "VMware ESXi")
                    found_alias, _why, _agreed = self._alias(release.distro, allowed)
                    if found_alias:
                        return found_alias._replace(
                            confidence=CONFIDENCE["parsed"],
                            reason=f"release '{name_v}' names {release.distro}: "
                            + found_alias.reason,
                        )
        brands: list[str] = []
        model = name_v
        if allowed & MACHINE_LAYERS:
            dmi = f"{dmi_vendor_v} {dmi_product_v}".strip()
            path, label = "dmi", "dmi"
            if not dmi and kind == "machine":
                dmi = f"{vendor_v} {name_v}".strip()
                path, label = "dmi-register", "model"
            ruleset = t.regexes[kind, "dmi"]
            found_rule = self._regex(ruleset, dmi) if dmi else None
            if kind == "machine":
                brands, model = brand_and_model(name_v, vendor_v, dmi_vendor_v, dmi_product_v)
            if found_rule is None and brands:
                # A register's brand in Chinese, or DMI's "LENOVO": retry with the vendor's
                # own Latin names, which the catalog's DMI patterns are written with.
                for brand in brands:
                    vendor_id = self._vendor_id(brand)
                    if vendor_id is None:
                        continue
                    for written in t.vendor_names.get(vendor_id, ()):
                        found_rule = self._regex(ruleset, f"{written} {model}")
                        if found_rule:
                            path, label = "dmi-register", f"brand {written}, model"
                            break
                    if found_rule:
                        break
            if found_rule:
                return Match(
                    found_rule.product_id,
                    CONFIDENCE[path],
                    f"{label} matches '{found_rule.pattern.pattern}'",
                )
        ambiguity = ""
        common: Match | None = None
        if name_v:
            spellings = [name_v]
            company = _COMPANY.sub("", vendor_v).strip()
            if company and fold(company) not in fold(name_v):
                spellings.append(f"{company} {name_v}")
            worded = ptype not in PACKAGE_TYPES  # a package manager's names are exact ids
            if worded and has_cjk(name_v):
                spellings.append(identity_text(name_v))
            if kind == "machine" and model and model != name_v:
                spellings.append(model)
            for spelling in spellings:
                found_alias, why, agreed = self._alias(spelling, allowed)
                if found_alias:
                    return found_alias
                ambiguity = ambiguity or why
                common = common or agreed
            if worded:
                # words before an agreement: "统信 UOS 服务器操作系统 V20" is UOS Server 20,
                # though its name alone ("统信UOS") fits the desktop editions as well
                found_tokens, why, agreed = self._tokens(spellings, allowed)
                if found_tokens:
                    return found_tokens
                ambiguity = ambiguity or why
                common = common or agreed
        if cpu_vendor_v and cpu_vendor_v.strip().casefold() in SHARED_CPU_VENDORS and cpu is None:
            pass  # VIA and Zhaoxin both report CentaurHauls: only the model name can tell
        elif cpu_vendor_v:
            found = t.cpu_vendor.get(cpu_vendor_v.casefold())
            # CentaurHauls is both VIA's and Zhaoxin's: the model name must not contradict it.
            if found and ok(found[0]) and (cpu is None or t.meta[found[0]].vendor == cpu.maker):
                owner = t.meta[found[0]].vendor
                lines = [p for p in t.vendor_products.get(owner, ()) if t.layer_of[p] == "cpu"]
                if cpu is None and len(lines) == 1:
                    return Match(found[0], CONFIDENCE["cpu-vendor"], f"cpu vendor {found[1]}")
                # With several lines (GenuineIntel is every Intel's), or a model name that
                # names a line the catalog lacks (an AMD A10, an Intel Celeron), the maker is
                # certain and the product is not.
                why = f"cpu vendor {found[1]}"
                if cpu is not None:
                    why += f", model '{cpu.canonical}'"
                found_vendor = self._vendor_level(owner, allowed, kind, why)
                if found_vendor:
                    return found_vendor
        if implementer:
            product_id = t.arm.get((implementer, None))
            if product_id and ok(product_id):
                return Match(
                    product_id, CONFIDENCE["arm-implementer"], f"arm implementer {implementer}"
                )
        if common is not None:
            return common
        # Below a product: a family or a vendor all of whose candidates share one origin.
        if release is not None:
            found_family = self._os_family(release.os_id, allowed)
            if found_family:
                return found_family
        if os_id_v:
            found_family = self._os_family(os_id_v, allowed)
            if found_family:
                return found_family
        fuzzy: Match | None = None
        if name_v and not ambiguity:
            fuzzy = self._fuzzy(name_v, kind)
            if fuzzy.product_id:
                return fuzzy
        maker: str | None = None
        why_maker = ""
        if cpu is not None:
            maker, why_maker = cpu.maker, f"cpu model '{cpu.canonical}'"
        elif windows is not None:
            maker, why_maker = "microsoft", f"'{windows.canonical}'"
        if maker:
            found_vendor = self._vendor_level(maker, allowed, kind, why_maker)
            if found_vendor:
                return found_vendor
        if not brands and name_v and ptype not in PACKAGE_TYPES:
            # the maker's name leads many product names: "Oracle Client 11g", "Amazon Linux"
            words = _MARKS.sub(" ", _BRACKETED.sub(" ", name_v)).split()
            brands = [" ".join(words[:2]), words[0]] if len(words) > 1 else words[:1]
        for brand in [vendor_v, dmi_vendor_v, *brands]:
            vendor_id = self._vendor_id(brand) if brand else None
            if vendor_id:
                found_vendor = self._vendor_level(vendor_id, allowed, kind, f"vendor '{brand}'")
                if found_vendor:
                    return found_vendor
        if ambiguity:
            return _unknown(ambiguity)
        return fuzzy or _unknown("no match")

    def _vendor_id(self, brand: str) -> str | None:
        """The catalog vendor a brand or company name names, if any.

        A Chinese company name leads with its brand ("曙光信息产业股份有限公司",
        "浪潮电子信息产业股份有限公司"): when the whole name is no vendor's, its first
        two to four characters are tried.
        """
        vendors = self._tables.vendors
        key = vendor_key(brand)
        found = vendors.get(key)
        if found or not key or not has_cjk(key[:1]):
            return found
        head = key.split()[0]
        for candidate in dict.fromkeys((head, head[:4], head[:3], head[:2])):
            found = vendors.get(candidate) if len(candidate) >= 2 else None
            if found:
                return found
        return None

    def _os_release(
        self,
        os_id: str,
        name: str,
        version: str,
        ok: Callable[[str | None], bool],
        *,
        parsed: bool = False,
    ) -> Match | None:
        for rule in self._tables.os_release.get(os_id.casefold(), ()):
            if not ok(rule.product_id):
                continue
            if parsed and rule.name and "(?!" in rule.name.pattern:
                # "anything but Server" reads a real os-release NAME; a release line or a
                # register that merely omits the edition ("Kylin V10") does not say desktop.
                continue
            if rule.name and not rule.name.search(name):
                continue
            if rule.version and not rule.version.search(version or name):
                continue
            reason = f"os-release ID {rule.os_id}"
            if rule.name:
                reason += f", NAME matches '{rule.name.pattern}'"
            if rule.version:
                reason += f", VERSION matches '{rule.version.pattern}'"
            path = "os-release" if (rule.name or rule.version) else "os-release-id"
            return Match(rule.product_id, CONFIDENCE[path], reason)
        return None

    def _agreeing(self, product_ids: Iterable[str], confidence: float, why: str) -> Match | None:
        """A family- or origin-level answer when every candidate agrees; else None."""
        metas = [self._tables.meta[pid] for pid in sorted(set(product_ids))]
        if not metas:
            return None
        origins = {m.origin for m in metas}
        layers = {m.layer for m in metas}
        families = {m.family for m in metas}
        vendors = {m.vendor for m in metas}
        cpu_decides = any(m.cpu_decides for m in metas)
        if len(layers) != 1 or len(origins) != 1 or (None in origins and not cpu_decides):
            return None
        origin = origins.pop()
        layer = layers.pop()
        family = families.pop() if len(families) == 1 else None
        vendor = vendors.pop() if len(vendors) == 1 else None
        level = "family" if family else ("vendor" if vendor else "origin")
        return Match(
            None,
            confidence,
            why,
            level=level,
            family=family,
            vendor=vendor,
            origin=origin,
            layer=layer,
            cpu_decides=cpu_decides,
        )

    def _os_family(self, os_id: str, allowed: frozenset[str]) -> Match | None:
        rules = self._tables.os_release.get(os_id.casefold(), ())
        owners = [r.product_id for r in rules if r.layer in allowed]
        if not owners:
            return None
        return self._agreeing(
            owners,
            CONFIDENCE["family"],
            f"os-release ID {os_id}: {', '.join(sorted(set(owners)))} agree",
        )

    def _vendor_level(
        self, vendor_id: str, allowed: frozenset[str], kind: str | None, why: str
    ) -> Match | None:
        """The maker's answer: its origin when all its products share one.

        A machine looks only at the maker's platforms (servers, PCs): a foreign maker's are
        foreign, a Chinese maker's follow their CPU. Anything else takes the origin all the
        maker's products share, in whatever layer (Kingsoft: domestic; Lenovo, whose
        products are all Chinese-made, still judges its machines by their CPU).
        """
        t = self._tables
        products = t.vendor_products.get(vendor_id, ())
        if not products:
            return None
        if kind == "machine":
            platforms = [p for p in products if t.layer_of[p] in PLATFORM_LAYERS]
            if not platforms:
                # a Chinese maker with no machine lines (Phytium's own boards): its CPU
                # decides; a foreign one's (VMware's virtual hardware) decides nothing
                if all(t.meta[p].origin == "domestic" for p in products):
                    return Match(
                        None,
                        CONFIDENCE["vendor"],
                        f"{why}: a Chinese maker's machine is judged by its CPU",
                        level="vendor",
                        vendor=vendor_id,
                        cpu_decides=True,
                    )
                return None
            metas = [t.meta[p] for p in platforms]
            if all(m.origin == "foreign" and not m.cpu_decides for m in metas):
                origin, cpu_decides = "foreign", False
            elif any(m.cpu_decides for m in metas) and all(
                m.cpu_decides or m.origin == "foreign" for m in metas
            ):
                origin, cpu_decides = None, True
            else:
                return None
            layers = {m.layer for m in metas}
            return Match(
                None,
                CONFIDENCE["vendor"],
                f"{why}: {vendor_id} machines are "
                + ("foreign" if origin else "judged by their CPU"),
                level="vendor",
                vendor=vendor_id,
                origin=origin,
                layer=layers.pop() if len(layers) == 1 else None,
                cpu_decides=cpu_decides,
            )
        origins = {t.meta[p].origin for p in products if t.layer_of[p] not in PLATFORM_LAYERS}
        origins |= {
            "domestic" if t.meta[p].cpu_decides else t.meta[p].origin
            for p in products
            if t.layer_of[p] in PLATFORM_LAYERS
        }
        if len(origins) != 1 or None in origins:
            return None
        origin = origins.pop()
        inside = {t.layer_of[p] for p in products if t.layer_of[p] in allowed}
        families = {t.meta[p].family for p in products if t.layer_of[p] in allowed}
        return Match(
            None,
            CONFIDENCE["vendor"],
            f"{why}: every {vendor_id} product is {origin}",
            level="vendor",
            vendor=vendor_id,
            family=families.pop() if len(families) == 1 and len(inside) == 1 else None,
            origin=origin,
            layer=inside.pop() if len(inside) == 1 else None,
        )

    def _package(self, ptype: str, name: str, ok: Callable[[str | None], bool]) -> Match | None:
        is_deb = ptype in _DEB_TYPES
        table = self._tables.deb if is_deb else self._tables.rpm
        label = "deb" if is_deb else "rpm"
        # dpkg may print the architecture: "libc6:amd64".
        package = name.split(":", 1)[0].lower() if is_deb else name
        product_id = table.get(package)
        if product_id and ok(product_id):
            return Match(product_id, CONFIDENCE["package"], f"{label} package {package}")
        unversioned = re.sub(r"-?\d+(?:\.\d+)*$", "", package)
        if unversioned and unversioned != package:
            product_id = table.get(unversioned)
            if product_id and ok(product_id):
                return Match(
                    product_id,
                    CONFIDENCE["package-unversioned"],
                    f"{label} package {package} as {unversioned}",
                )
        return None

    @staticmethod
    def _regex(ruleset: _RuleSet, text: str) -> _Rule | None:
        # Every rule runs; the longest match is the most specific
        # ('^Microsoft Office Visio' beats '^Microsoft Office'); ties go to the
        # first product id. One search of the alternation skips texts no rule matches.
        if ruleset.any is not None and ruleset.any.search(text) is None:
            return None
        best: _Rule | None = None
        best_length = -1
        for rule in ruleset.rules:
            found = rule.pattern.search(text)
            if found and found.end() - found.start() > best_length:
                best, best_length = rule, found.end() - found.start()
        return best

    def _alias(
        self, spelling: str, allowed: frozenset[str]
    ) -> tuple[Match | None, str, Match | None]:
        """(a product, or why not, and an answer below product level all candidates agree on)."""
        paths = ("alias", "alias-edition", "alias-version")
        for level, key, path in zip(self._tables.names, name_keys(spelling), paths, strict=True):
            if not key:
                continue
            named = [n for n in level.get(key, ()) if n.layer in allowed]
            if len(named) == 1:
                return (
                    Match(named[0].product_id, CONFIDENCE[path], f"alias '{named[0].written}'"),
                    "",
                    None,
                )
            if named:
                owners = ", ".join(sorted(n.product_id for n in named))
                agreed = self._agreeing(
                    (n.product_id for n in named),
                    CONFIDENCE["family"],
                    f"name '{key}' fits {owners}, which agree",
                )
                return None, f"ambiguous name '{key}': {owners}", agreed
        return None, "", None

    def _tokens(
        self, spellings: Sequence[str], allowed: frozenset[str]
    ) -> tuple[Match | None, str, Match | None]:
        """Every token of a catalog name found among the record's tokens (most tokens wins).

        The catalog name must cover at least half of the record's non-version tokens, and a
        version-free catalog name never answers for a record that names a version unless the
        product's own name has none ("Tomcat" answers "Tomcat 9"; "Kylin" does not answer
        "Kylin V11" for the V10 product).
        """
        t = self._tables
        best: list[_TokenName] = []
        best_size = 0
        for spelling in spellings:
            query = name_tokens(spelling)
            words = {tok for tok in query if not is_number(tok)}
            if not words:
                continue
            numbered = len(words) != len(query)
            seen: set[int] = set()
            for token in words:
                for entry in t.tokens.get(token, ()):
                    if id(entry) in seen or entry.layer not in allowed:
                        continue
                    seen.add(id(entry))
                    if not entry.tokens <= query:
                        continue
                    entry_words = {tok for tok in entry.tokens if not is_number(tok)}
                    if not entry_words or (len(entry_words) * 2 <= len(words) and len(words) > 1):
                        continue
                    if (
                        numbered
                        and len(entry_words) == len(entry.tokens)
                        and re.search(r"\d", t.written_name.get(entry.product_id, ""))
                    ):
                        continue
                    size = len(entry.tokens)
                    if size > best_size:
                        best, best_size = [entry], size
                    elif size == best_size:
                        best.append(entry)
            if best:
                break
        products = sorted({entry.product_id for entry in best})
        if len(products) == 1:
            entry = best[0]
            return (
                Match(entry.product_id, CONFIDENCE["tokens"], f"words of '{entry.written}'"),
                "",
                None,
            )
        if products:
            owners = ", ".join(products)
            agreed = self._agreeing(
                products, CONFIDENCE["family"], f"words fit {owners}, which agree"
            )
            return None, f"ambiguous words: {owners}", agreed
        return None, "", None

    def _fuzzy(self, name: str, kind: str | None) -> Match:
        choices = self._tables.fuzzy[kind]
        query = name_keys(name)[2]
        if len(query) < FUZZY_MIN_LENGTH or not choices.keys:
            return _unknown("no match")
        found = process.extract(
            query,
            choices.keys,
            scorer=fuzz.ratio,
            limit=8,
            score_cutoff=self.fuzzy_threshold - FUZZY_MARGIN,
        )
        digits = _digits(query)
        best: list[tuple[float, _Name, str]] = []
        for choice, score, index in found:
            # Numbers are never fuzzed: "Windows 12" is not "Windows 10", "DM7" not "DM8".
            if _digits(choice) == digits:
                best.append((float(score), choices.owners[index], choice))
        best.sort(key=lambda item: (-item[0], item[1].product_id))
        if not best or best[0][0] < self.fuzzy_threshold:
            if best:
                return _unknown(
                    f"fuzzy '{name}' ~ '{best[0][1].written}' ({best[0][0]:.0f}) "
                    f"below {self.fuzzy_threshold:.0f}"
                )
            return _unknown("no match")
        score, owner, _choice = best[0]
        rivals = [b for b in best[1:] if b[1].product_id != owner.product_id]
        if rivals and rivals[0][0] >= score - FUZZY_MARGIN:
            return _unknown(
                f"fuzzy '{name}' ambiguous: {owner.product_id} ({score:.0f}), "
                f"{rivals[0][1].product_id} ({rivals[0][0]:.0f})"
            )
        confidence = round(score / 100 * FUZZY_CONFIDENCE_SCALE, 3)
        return Match(
            owner.product_id, confidence, f"fuzzy '{name}' ~ '{owner.written}' ({score:.0f})"
        )


def _rebuild(tables: _Tables, cache_size: int, fuzzy_threshold: float) -> Identifier:
    return Identifier(tables, cache_size=cache_size, fuzzy_threshold=fuzzy_threshold)
