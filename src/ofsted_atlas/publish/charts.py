"""Charts as Vega-Lite specs: PNG for documents (vl-convert, no browser needed), interactive in
HTML (the same spec, embedded with a bundled, offline copy of Vega)."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import vl_convert

GRADE_COLOURS = {
    "outstanding": "#1b7837",
    "good": "#7fbf7b",
    "requires_improvement": "#f1a340",
    "adequate": "#fdb863",
    "inadequate": "#b2182b",
}
_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
# Grades as Ofsted prints them, best first: the top of every grade axis and legend.
GRADE_NAMES = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": "Requires improvement to be good",
    "adequate": "Adequate",
    "inadequate": "Inadequate",
}
_LEGEND = {"orient": "bottom", "columns": 2, "labelLimit": 400, "title": None}


def grade_distribution(rows: list[dict[str, Any]], by: str, title: str) -> dict[str, Any]:
    values = [
        {by: str(row[by]), "grade": GRADE_NAMES[grade], "order": index, "reports": row[grade]}
        for row in rows
        for index, grade in enumerate(GRADE_COLOURS)
        if row.get(grade)
    ]
    present = [g for g in GRADE_COLOURS if any(row.get(g) for row in rows)]
    return {
        "$schema": _SCHEMA,
        "title": title,
        "width": 420,
        "height": 220,
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "x": {"field": by, "type": "ordinal", "title": None, "axis": {"labelAngle": 0}},
            "y": {
                "field": "reports",
                "type": "quantitative",
                "stack": "normalize",
                "title": "share of reports",
                "axis": {"format": "%"},
            },
            "order": {"field": "order", "sort": "descending"},
            "color": {
                "field": "grade",
                "type": "nominal",
                "scale": {
                    "domain": [GRADE_NAMES[g] for g in present],
                    "range": [GRADE_COLOURS[g] for g in present],
                },
                "legend": _LEGEND,
            },
            "tooltip": [{"field": by}, {"field": "grade"}, {"field": "reports"}],
        },
    }


def theme_lift(
    items: list[dict[str, Any]], title: str, focus: str, comparison: str
) -> dict[str, Any]:
    values = [
        {"theme": item["name"], "group": group, "share": item[group]}
        for item in items
        for group in (focus, comparison)
    ]
    return {
        "$schema": _SCHEMA,
        "title": title,
        "width": 360,
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "y": {
                "field": "theme",
                "type": "nominal",
                "sort": None,
                "title": None,
                "axis": {"labelLimit": 320},
            },
            "yOffset": {"field": "group"},
            "x": {
                "field": "share",
                "type": "quantitative",
                "axis": {"format": "%"},
                "title": "share of reports",
            },
            "color": {"field": "group", "type": "nominal", "legend": _LEGEND},
            "tooltip": [
                {"field": "theme"},
                {"field": "group"},
                {"field": "share", "format": ".0%"},
            ],
        },
    }


def grade_timeline(points: list[dict[str, Any]], title: str) -> dict[str, Any]:
    """Grades (as printed, best at the top) at each inspection, one line per judgement; lines
    that share a grade are drawn side by side within its band, so none hides another."""
    order = [g for g in GRADE_NAMES.values() if any(p["grade"] == g for p in points)]
    return {
        "$schema": _SCHEMA,
        "title": title,
        "width": 460,
        "height": 240,
        "data": {"values": points},
        "encoding": {
            "x": {
                "field": "date",
                "type": "temporal",
                "title": None,
                "axis": {"format": "%Y", "tickCount": {"interval": "year", "step": 1}},
            },
            "y": {
                "field": "grade",
                "type": "nominal",
                "sort": order,
                "scale": {"type": "band", "paddingInner": 0.2},
                "title": None,
                "axis": {"labelLimit": 260},
            },
            "yOffset": {"field": "judgement", "type": "nominal"},
            "color": {"field": "judgement", "type": "nominal", "legend": _LEGEND},
            "tooltip": [
                {"field": "date", "type": "temporal", "format": "%d %B %Y"},
                {"field": "judgement"},
                {"field": "grade"},
            ],
        },
        "layer": [
            {"mark": {"type": "line"}},
            {"mark": {"type": "point", "filled": True, "size": 70}},
        ],
    }


def to_png(spec: dict[str, Any]) -> bytes:
    return bytes(vl_convert.vegalite_to_png(json.dumps(spec), scale=2))


@lru_cache(maxsize=1)
def javascript_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed in one script: HTML briefings work offline."""
    return str(vl_convert.javascript_bundle(None))  # type: ignore[arg-type]
