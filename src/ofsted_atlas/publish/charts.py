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


def grade_distribution(rows: list[dict[str, Any]], by: str, title: str) -> dict[str, Any]:
    values = [
        {by: row[by], "grade": grade, "reports": row[grade]}
        for row in rows
        for grade in GRADE_COLOURS
        if row.get(grade)
    ]
    return {
        "$schema": _SCHEMA,
        "title": title,
        "width": 420,
        "height": 220,
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "x": {"field": by, "type": "nominal", "title": by.replace("_", " ")},
            "y": {
                "field": "reports",
                "type": "quantitative",
                "stack": "normalize",
                "title": "share of reports",
            },
            "color": {
                "field": "grade",
                "type": "nominal",
                "scale": {"domain": list(GRADE_COLOURS), "range": list(GRADE_COLOURS.values())},
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
            "y": {"field": "theme", "type": "nominal", "sort": None, "title": None},
            "yOffset": {"field": "group"},
            "x": {
                "field": "share",
                "type": "quantitative",
                "axis": {"format": "%"},
                "title": "share of reports featuring the theme",
            },
            "color": {"field": "group", "type": "nominal", "title": None},
            "tooltip": [
                {"field": "theme"},
                {"field": "group"},
                {"field": "share", "format": ".0%"},
            ],
        },
    }


def grade_timeline(points: list[dict[str, Any]], title: str) -> dict[str, Any]:
    order = ["inadequate", "requires_improvement", "adequate", "good", "outstanding"]
    return {
        "$schema": _SCHEMA,
        "title": title,
        "width": 420,
        "height": 200,
        "data": {"values": points},
        "mark": {"type": "line", "point": {"size": 80}},
        "encoding": {
            "x": {"field": "date", "type": "temporal", "title": "inspection"},
            "y": {"field": "grade", "type": "ordinal", "sort": order, "title": None},
            "color": {"field": "judgement", "type": "nominal"},
            "tooltip": [
                {"field": "date", "type": "temporal"},
                {"field": "judgement"},
                {"field": "grade"},
            ],
        },
    }


def to_png(spec: dict[str, Any]) -> bytes:
    return bytes(vl_convert.vegalite_to_png(json.dumps(spec), scale=2))


@lru_cache(maxsize=1)
def javascript_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed in one script: HTML briefings work offline."""
    return str(vl_convert.javascript_bundle(None))  # type: ignore[arg-type]
