"""The self-contained HTML report: one file, charts inline (vendored ECharts), no network.

Asset, unit and system names come from untrusted files, so the templates are
rendered with autoescape on, chart data is embedded with ``tojson`` (which
escapes ``<``, ``>``, ``&`` and quotes), and chart tooltips use ECharts'
rich-text mode rather than HTML.

The page is a list of sections, each its own template under
``templates/sections``; other stages (the scanner's findings, the planner's
waves) add theirs by passing more :class:`Section` objects to
:func:`render_html`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from xinchuang import resources
from xinchuang.i18n import _, current_language
from xinchuang.report.data import ReportData
from xinchuang.report.labels import layer_label, percent, tier_label, verdict_label
from xinchuang.report.texts import report_texts

ECHARTS = ("vendor", "echarts", "echarts.min.js")
SYSTEM_REASONS_SHOWN = 3


@dataclass(frozen=True)
class Section:
    """One part of the page: an anchor, a title, its template and the data it shows."""

    id: str
    title: str
    template: str
    data: Mapping[str, Any] = field(default_factory=dict)


@cache
def echarts_source() -> str:
    """The vendored ECharts bundle, checked to be safe to inline in a <script> element."""
    source = resources.read_text(*ECHARTS)
    if "</script" in source.lower():
        raise RuntimeError("the vendored echarts.min.js cannot be inlined: it contains </script")
    return source


def environment() -> Environment:
    """The Jinja environment: autoescape always on, undefined names an error."""
    env = Environment(
        loader=PackageLoader("xinchuang.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["percent"] = percent
    return env


def _rate_rows(
    groups: Mapping[str, Mapping[str, Any]], labels: Mapping[str, str]
) -> list[dict[str, Any]]:
    return [{"key": key, "label": labels.get(key, key), **view} for key, view in groups.items()]


def _rate_chart(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """ECharts options: the rate and the rate if unknowns were foreign, per group."""
    labels = [row["label"] for row in rows]

    def series(name: str, key: str) -> dict[str, Any]:
        return {
            "name": name,
            "type": "bar",
            "data": [None if row[key] is None else round(row[key] * 100, 1) for row in rows],
        }

    return {
        "tooltip": {"trigger": "axis", "renderMode": "richText"},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 24, "bottom": 8, "top": 32, "containLabel": True},
        "xAxis": {"type": "value", "min": 0, "max": 100, "axisLabel": {"formatter": "{value}%"}},
        "yAxis": {"type": "category", "data": labels, "inverse": True},
        "series": [
            series(_("Rate"), "rate"),
            series(_("Rate if unknown foreign"), "rate_if_unknown_foreign"),
        ],
    }


def _trend_chart(points: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    def series(name: str, key: str) -> dict[str, Any]:
        return {
            "name": name,
            "type": "line",
            "data": [None if p[key] is None else round(p[key] * 100, 1) for p in points],
        }

    return {
        "tooltip": {"trigger": "axis", "renderMode": "richText"},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 24, "bottom": 8, "top": 32, "containLabel": True},
        "xAxis": {
            "type": "category",
            "data": [p["label"] or p["as_of"] if p["snapshot"] else _("now") for p in points],
        },
        "yAxis": {"type": "value", "min": 0, "max": 100, "axisLabel": {"formatter": "{value}%"}},
        "series": [
            series(_("By count"), "rate"),
            series(_("By value"), "rate_by_value"),
            series(_("By business system"), "rate_by_system"),
        ],
    }


def localization_sections(data: ReportData) -> list[Section]:
    """The sections of the localization part of the report."""
    figures = data.figures
    count = figures["localization_rate"]
    value = figures["localization_rate_by_value"]
    system = figures["localization_rate_by_system"]
    layers = _rate_rows(
        count["by_layer"], {k: layer_label(data.catalog, k) for k in count["by_layer"]}
    )
    units = _rate_rows(count["by_unit"], {})
    tiers = _rate_rows(count["by_tier"], {k: tier_label(data.policy, k) for k in count["by_tier"]})
    bases = [
        {"label": _("by count"), **count["overall"]},
        {"label": _("by value"), **value["overall"]},
        {"label": _("by business system"), **system["overall"]},
    ]
    systems = [
        {
            "name": s.name,
            "unit": s.unit,
            "tier": tier_label(data.policy, s.tier),
            "criticality": s.criticality,
            "verdict": verdict_label(s.domestic),
            "domestic": s.domestic,
            "hosts": s.hosts,
            "foreign": list(s.foreign[:SYSTEM_REASONS_SHOWN]),
            "foreign_more": max(0, len(s.foreign) - SYSTEM_REASONS_SHOWN),
            "unknown": list(s.unknown[:SYSTEM_REASONS_SHOWN]),
            "unknown_more": max(0, len(s.unknown) - SYSTEM_REASONS_SHOWN),
        }
        for s in data.result.systems
    ]
    unknowns = [
        {**u, "layer_label": layer_label(data.catalog, u["layer"])}
        for u in data.result.top_unknowns
    ]
    not_counted = [
        {"label": layer_label(data.catalog, layer), "count": n}
        for layer, n in figures["not_counted"]["layers"].items()
    ]
    not_counted.append(
        {
            "label": _("Unidentified SBOM components and packages (mostly libraries)"),
            "count": figures["not_counted"]["unidentified_components"],
        }
    )
    return [
        Section(
            "summary",
            _("Localization rate"),
            "sections/summary.html.j2",
            {"bases": bases, "listed": figures["listed"], "value": value, "systems": system},
        ),
        Section(
            "layers",
            _("By layer"),
            "sections/rates.html.j2",
            {"rows": layers, "chart": _rate_chart(layers), "header": _("Layer")},
        ),
        Section(
            "units",
            _("By unit"),
            "sections/rates.html.j2",
            {"rows": units, "chart": _rate_chart(units), "header": _("Unit")},
        ),
        Section(
            "tiers",
            _("By 2+8+N tier"),
            "sections/rates.html.j2",
            {"rows": tiers, "chart": None, "header": _("Tier")},
        ),
        Section(
            "trend",
            _("Trend"),
            "sections/trend.html.j2",
            {
                "points": data.trend,
                "chart": _trend_chart(data.trend) if len(data.trend) > 1 else None,
            },
        ),
        Section("systems", _("Business systems"), "sections/systems.html.j2", {"rows": systems}),
        Section("unknowns", _("Top unknowns"), "sections/unknowns.html.j2", {"rows": unknowns}),
        Section(
            "not-counted", _("Not counted"), "sections/not_counted.html.j2", {"rows": not_counted}
        ),
        Section("method", _("How the rate is counted"), "sections/method.html.j2"),
    ]


def render_html(data: ReportData, extra_sections: Sequence[Section] = ()) -> str:
    """The report page: the localization sections, then any others given."""
    sections = [*localization_sections(data), *extra_sections]
    template = environment().get_template("report.html.j2")
    return template.render(
        lang="zh-CN" if current_language() == "zh_CN" else "en",
        title=_("Xinchuang localization report: {workspace}").format(workspace=data.workspace),
        workspace=data.workspace,
        generated_at=data.generated_at.isoformat(timespec="seconds"),
        as_of=data.figures["as_of"],
        catalog_revision=data.figures["catalog_revision"],
        policy=data.policy.id,
        sections=sections,
        t=SimpleNamespace(**report_texts()),  # attributes: t.items is a text, not dict.items
        echarts=echarts_source(),
    )


def write_html(path: Path, data: ReportData, extra_sections: Sequence[Section] = ()) -> Path:
    """Write the report page to ``path``."""
    path.write_text(render_html(data, extra_sections), encoding="utf-8")
    return path
