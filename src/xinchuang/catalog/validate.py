"""Cross-record checks: dangling references, identifier collisions, policy coherence."""

from __future__ import annotations

from collections import defaultdict

from xinchuang.catalog.model import Catalog, Origin
from xinchuang.errors import Issue


def _issue(origin: Origin | None, code: str, message: str, field: str, value: str) -> Issue:
    return Issue(
        file=origin.file if origin else "<catalog>",
        line=origin.line if origin else None,
        code=code,
        field=field,
        value=value,
        message=message,
    )


def exact_keys(catalog: Catalog) -> dict[tuple[str, str], list[str]]:
    """Every exact identifier key → the products that claim it."""
    claims: dict[tuple[str, str], list[str]] = defaultdict(list)
    for product in catalog.products.values():
        ids = product.identifiers
        for kind, values in (
            ("deb", ids.deb),
            ("rpm", ids.rpm),
            ("purl", [v.lower() for v in ids.purl]),
            ("cpe", ids.cpe),
            ("cpu_vendor", ids.cpu_vendor),
        ):
            for value in values:
                claims[(kind, value)].append(product.id)
        for arm in ids.arm_cpu:
            claims[("arm_cpu", f"{arm.implementer}/{arm.part or '*'}")].append(product.id)
        for osr in ids.os_release:
            key = f"{osr.id}|{osr.name or ''}|{osr.version or ''}"
            claims[("os_release", key)].append(product.id)
    return claims


def check_references(catalog: Catalog) -> list[Issue]:
    """Every problem that spans records; an empty list when the catalog is coherent."""
    issues: list[Issue] = []
    origin = catalog.origins.get

    def known_product(pid: str) -> bool:
        return pid in catalog.products or ("product", pid) in catalog.invalid_ids

    def known_vendor(vid: str) -> bool:
        return vid in catalog.vendors or ("vendor", vid) in catalog.invalid_ids

    for vendor in catalog.vendors.values():
        if vendor.parent and not known_vendor(vendor.parent):
            issues.append(
                _issue(
                    origin(("vendor", vendor.id)),
                    "CAT010",
                    "unknown parent vendor",
                    "parent",
                    vendor.parent,
                )
            )

    for product in catalog.products.values():
        where = origin(("product", product.id))
        if not known_vendor(product.vendor):
            issues.append(_issue(where, "CAT010", "unknown vendor", "vendor", product.vendor))
        if product.layer not in catalog.layers:
            issues.append(_issue(where, "CAT010", "unknown layer", "layer", product.layer))
        for i, cpu_id in enumerate(product.cpus):
            cpu = catalog.products.get(cpu_id)
            if cpu is None and not known_product(cpu_id):
                issues.append(_issue(where, "CAT010", "unknown product", f"cpus.{i}", cpu_id))
            elif cpu is not None and cpu.layer != "cpu":
                issues.append(_issue(where, "CAT010", "not a cpu product", f"cpus.{i}", cpu_id))

    for key, owners in sorted(exact_keys(catalog).items()):
        if len(owners) > 1:
            first = origin(("product", owners[1]))
            issues.append(
                _issue(
                    first,
                    "CAT011",
                    f"identifier claimed by several products: {', '.join(sorted(owners))}",
                    f"identifiers.{key[0]}",
                    key[1],
                )
            )

    for sub in catalog.substitutions.values():
        where = origin(("substitution", sub.foreign))
        foreign = catalog.products.get(sub.foreign)
        if foreign is None and known_product(sub.foreign):
            pass
        elif foreign is None:
            issues.append(_issue(where, "CAT010", "unknown product", "foreign", sub.foreign))
        elif foreign.domestic:
            issues.append(
                _issue(
                    where,
                    "CAT012",
                    "substitutions are for foreign products",
                    "foreign",
                    sub.foreign,
                )
            )
        for i, cand in enumerate(sub.candidates):
            candidate = catalog.products.get(cand.product)
            if candidate is None and known_product(cand.product):
                continue
            if candidate is None:
                issues.append(
                    _issue(
                        where, "CAT010", "unknown product", f"candidates.{i}.product", cand.product
                    )
                )
            elif not candidate.domestic:
                issues.append(
                    _issue(
                        where,
                        "CAT012",
                        "a candidate must be domestic",
                        f"candidates.{i}.product",
                        cand.product,
                    )
                )

    seen: dict[tuple[str, str, str], Origin] = {}
    for cert, where in zip(catalog.certifications, catalog.certification_origins, strict=True):
        for side in ("a", "b"):
            pid = getattr(cert, side)
            if not known_product(pid):
                issues.append(_issue(where, "CAT010", "unknown product", side, pid))
        if cert.a == cert.b:
            issues.append(
                _issue(where, "CAT013", "a product cannot be certified with itself", "b", cert.b)
            )
        low, high = sorted((cert.a, cert.b))
        cert_key = (low, high, str(cert.kind))
        if cert_key in seen and seen[cert_key].root == where.root:
            issues.append(
                _issue(
                    where,
                    "CAT014",
                    f"duplicate certification (also at {seen[cert_key]})",
                    "b",
                    cert.b,
                )
            )
        seen.setdefault(cert_key, where)

    for policy in catalog.policies.values():
        where = origin(("policy", policy.id))
        sector_ids = {s.id for s in policy.sectors}
        tier_of: dict[str, str] = {}
        for tier in policy.tiers:
            for sector in tier.sectors:
                if sector not in sector_ids:
                    issues.append(
                        _issue(
                            where, "CAT010", "unknown sector", f"tiers.{tier.id}.sectors", sector
                        )
                    )
                if sector in tier_of:
                    issues.append(
                        _issue(
                            where,
                            "CAT015",
                            f"sector is in tiers {tier_of[sector]} and {tier.id}",
                            f"tiers.{tier.id}.sectors",
                            sector,
                        )
                    )
                tier_of[sector] = tier.id
        for deadline in policy.deadlines:
            for layer in deadline.layers:
                if layer not in catalog.layers:
                    issues.append(
                        _issue(
                            where,
                            "CAT010",
                            "unknown layer",
                            f"deadlines.{deadline.id}.layers",
                            layer,
                        )
                    )
            for sector in deadline.sectors:
                if sector not in sector_ids:
                    issues.append(
                        _issue(
                            where,
                            "CAT010",
                            "unknown sector",
                            f"deadlines.{deadline.id}.sectors",
                            sector,
                        )
                    )
    return issues
