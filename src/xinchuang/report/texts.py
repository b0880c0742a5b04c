"""Every fixed string of the HTML report, translated when the report is rendered.

The templates hold no text of their own: they read it from :func:`report_texts`,
so that the message extractor (which reads Python) finds every string.
"""

from __future__ import annotations

from xinchuang.i18n import _


def report_texts() -> dict[str, str]:
    """Key → message in the language in force."""
    return {
        "all_identified": _("Every record was identified."),
        "and_more": _("… and {n} more"),
        "as_of": _("As of"),
        "basis": _("Basis"),
        "by_count": _("By count"),
        "by_system": _("By business system"),
        "by_value": _("By value"),
        "change": _("Change (points)"),
        "charts_credit": _(
            "Charts drawn with Apache ECharts (Apache License 2.0), embedded in this file: "
            "the report works offline."
        ),
        "count": _("Count"),
        "counted": _("Counted"),
        "criticality": _("Criticality"),
        "currencies": _("Currencies: {currencies}."),
        "current": _("On a current list"),
        "domestic": _("Domestic"),
        "domestic_items": _("Domestic items"),
        "expired": _("Listing expired"),
        "foreign": _("Foreign"),
        "headline": _("by count; {value} by value; {systems} by business system."),
        "hosts": _("Hosts"),
        "items": _("Items"),
        "layer": _("Layer"),
        "method_host": _(
            "Hardware and operating system layers count once per host, whatever number of "
            "sources describe it; the identified record with the highest confidence decides."
        ),
        "method_installation": _(
            "Software layers count once per installation: once per host and product; a row "
            "that belongs to no host counts once by itself."
        ),
        "method_not_counted": _(
            "Libraries and fonts are inventoried but not counted; unidentified SBOM "
            "components are not counted either."
        ),
        "method_rate": _(
            "Rate = domestic / (domestic + foreign), from 0 to 1; unknowns are shown beside "
            "it, with the rate as if every unknown were foreign."
        ),
        "method_system": _(
            "By business system: a system is domestic when every counted layer of its hosts "
            "and software is domestic."
        ),
        "method_tier": _(
            "A unit's 2+8+N tier is the most demanding tier among its systems' sectors; units"
            " without systems fall in the policy profile's default tier."
        ),
        "method_value": _(
            "By value: the same items weighted by their purchase or licence value, where the "
            "register gives one."
        ),
        "name": _("Name"),
        "no_listing_recorded": _("No listing recorded"),
        "no": _("no"),
        "no_formula": _(
            "No official formula for the localization rate exists; three bases are shown side"
            " by side. Unknowns are never counted as domestic."
        ),
        "no_snapshots": _(
            "No snapshots yet. Run 'xinchuang snapshot' to freeze today's figures; later "
            "reports show the trend."
        ),
        "no_systems": _("No business systems imported."),
        "not_counted_note": _("Inventoried but left out of the rate."),
        "nothing_counted": _("Nothing counted yet."),
        "now": _("now"),
        "published_lists": _("Published lists"),
        "rate": _("Rate"),
        "rate_if_unknown_foreign": _("Rate if unknown foreign"),
        "snapshot": _("Snapshot"),
        "status": _("Status"),
        "subtitle": _(
            "As of {date} · catalog {revision} · policy profile {policy} · generated {generated}"
        ),
        "system": _("System"),
        "system_note": _(
            "By business system: {n} systems; a system is domestic when every counted layer "
            "of its hosts and software is domestic, foreign when any is foreign, unknown "
            "otherwise."
        ),
        "tier": _("Tier"),
        "unit": _("Unit"),
        "units": _("Units"),
        "unknown": _("Unknown"),
        "unknowns_note": _(
            "The most frequent records that no catalog product matched: extending the catalog"
            " for these moves the rate the most."
        ),
        "validity_unknown": _("Listed, validity not stated"),
        "value_note": _(
            "By value: {with_value} counted items have a purchase or licence value; {without}"
            " have none and are left out of that basis."
        ),
        "what": _("What"),
        "yes": _("yes"),
    }
