"""Presentation helpers for the pages: labels, highlighted snippets, the map and chart specs."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from ofsted_atlas.coding.codebook import load_codebook
from ofsted_atlas.publish import charts
from ofsted_atlas.store.search import HIGHLIGHT_END, HIGHLIGHT_START


def _grade_label(grade: str | None) -> str:
    from ofsted_atlas.publish.briefings.common import grade_label

    return grade_label(grade)


def _area_label(key: str) -> str:
    from ofsted_atlas.publish.briefings.common import area_label

    return area_label(key)


def _theme_names() -> dict[str, str]:
    return {theme.id: theme.name for theme in load_codebook().themes}


def _highlight(snippet: str) -> Any:
    from markupsafe import Markup, escape

    return Markup(
        str(escape(snippet)).replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_END, "</mark>")
    )


def _map_spec(grades_by_ons: dict[str, str | None]) -> dict[str, Any]:
    values = [
        {"code": code, "grade": grade or "not inspected"} for code, grade in grades_by_ons.items()
    ]
    domain = [*charts.GRADE_COLOURS, "not inspected"]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": 420,
        "height": 520,
        "title": "Latest overall effectiveness",
        "data": {"url": "/static/boundaries.geojson", "format": {"property": "features"}},
        "transform": [
            {
                "lookup": "properties.LAD23CD",
                "from": {"data": {"values": values}, "key": "code", "fields": ["grade"]},
                "default": "county area or not inspected",
            }
        ],
        "projection": {"type": "mercator"},
        "mark": {"type": "geoshape", "stroke": "white", "strokeWidth": 0.3},
        "encoding": {
            "color": {
                "field": "grade",
                "type": "nominal",
                "title": "Grade",
                "legend": {"orient": "bottom", "columns": 2},
                "scale": {
                    "domain": [*domain, "county area or not inspected"],
                    "range": [*charts.GRADE_COLOURS.values(), "#cccccc", "#e6e6e6"],
                },
            },
            "tooltip": [
                {"field": "properties.LAD23NM", "title": "Area"},
                {"field": "grade", "title": "Grade"},
            ],
        },
    }


@functools.lru_cache(maxsize=2)
def _map_geometry(path: Path) -> bytes:
    """The boundary file made ready for Vega's (d3) projection: rings wound clockwise, as d3
    expects (GeoJSON files wind them the other way, which d3 reads as 'the whole globe but this
    area'), coordinates rounded and only the code and name kept."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        for polygon in polygons:
            for index, ring in enumerate(polygon):
                rounded = [[round(x, 4), round(y, 4)] for x, y, *_ in ring]
                polygon[index] = rounded[::-1]
        properties = feature["properties"]
        feature["properties"] = {
            "LAD23CD": properties.get("LAD23CD"),
            "LAD23NM": properties.get("LAD23NM"),
        }
    return json.dumps(data, separators=(",", ":")).encode()


def _time_spec(rows: list[dict[str, Any]]) -> dict[str, Any]:
    spec = charts.grade_distribution(
        [{"year": r["year"], r["grade"]: r["reports"]} for r in rows],
        "year",
        "Overall grades by year of inspection",
    )
    spec["width"] = 380
    spec["encoding"]["color"]["legend"] = {"orient": "bottom", "columns": 3}
    spec["encoding"]["y"]["stack"] = True
    spec["encoding"]["y"]["title"] = "reports"
    return spec
