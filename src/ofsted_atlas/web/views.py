"""What the pages show, prepared for the templates: charts as Vega-Lite specs (every one resizes
to its container, so phones get the whole chart), the theme profile said in words, recurring
recommendations with their dates."""

from __future__ import annotations

from typing import Any

from ofsted_atlas.publish import charts

from .labels import (
    AREA_ORDER,
    GRADE_SHORT,
    GRADES_BEST_FIRST,
    area_label,
    grade_label,
    human_date,
    theme_label,
)

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
NO_REPORT = "No inspection report in the database"
NO_OVERALL = "Latest report gives no overall grade"
RESPONSIVE = {"type": "fit-x", "contains": "padding"}
# Ratios put into words; beyond the table, "N times".
_TIMES = {2: "twice", 3: "three times", 4: "four times", 5: "five times", 6: "six times"}
_FRACTIONS = {2: "half", 3: "a third", 4: "a quarter", 5: "a fifth"}
_VERBS = {"weakness": "criticised", "strength": "praised"}


def _legend_scale(grades: list[str]) -> dict[str, Any]:
    return {
        "domain": [GRADE_SHORT[g] for g in grades],
        "range": [charts.GRADE_COLOURS[g] for g in grades],
    }


def map_spec(latest: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """England's authorities coloured by their latest overall grade; each links to its page.
    `latest` maps LA code -> the latest inspection (or is missing the authority)."""
    values = [
        {
            "la_code": code,
            "grade": GRADE_SHORT.get(row.get("overall") or "", NO_OVERALL),
            "date": human_date(row.get("inspection_end")),
            "url": f"/authorities/{code}",
        }
        for code, row in latest.items()
    ]
    shown = [g for g in GRADES_BEST_FIRST if g != "adequate"]
    scale = _legend_scale(shown)
    scale["domain"] += [NO_OVERALL, NO_REPORT]
    scale["range"] += ["#9e9ac8", "#d9d9d9"]
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": 560,
        "usermeta": {"aspect": 1.2},  # England is taller than wide (static/charts.js)
        "autosize": RESPONSIVE,
        "title": "Latest overall effectiveness grade",
        "data": {"url": "/static/england.geojson", "format": {"property": "features"}},
        "transform": [
            {
                "lookup": "properties.la_code",
                "from": {
                    "data": {"values": values},
                    "key": "la_code",
                    "fields": ["grade", "date", "url"],
                },
            },
            {"calculate": f"datum.grade || '{NO_REPORT}'", "as": "grade"},
            {"calculate": "datum.url || '/authorities/' + datum.properties.la_code", "as": "url"},
        ],
        "projection": {"type": "mercator"},
        "mark": {"type": "geoshape", "stroke": "white", "strokeWidth": 0.5, "cursor": "pointer"},
        "encoding": {
            "color": {
                "field": "grade",
                "type": "nominal",
                "title": "Latest overall grade",
                "legend": {"orient": "bottom", "columns": 1, "labelLimit": 300},
                "scale": scale,
            },
            "href": {"field": "url"},
            "tooltip": [
                {"field": "properties.name", "title": "Authority"},
                {"field": "grade", "title": "Latest overall grade"},
                {"field": "date", "title": "Inspection ended"},
            ],
        },
    }


def time_spec(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Overall grades by year of inspection, stacked, best grade on top."""
    values = [
        {
            "year": r["year"],
            "grade": GRADE_SHORT.get(r["grade"], r["grade"]),
            "reports": r["reports"],
        }
        for r in rows
        if r["year"]
    ]
    present = [g for g in GRADES_BEST_FIRST if any(r["grade"] == g for r in rows)]
    order = {GRADE_SHORT[g]: i for i, g in enumerate(reversed(present))}
    return {
        "$schema": SCHEMA,
        "title": "Overall grades by year of inspection",
        "width": "container",
        "height": 220,
        "autosize": RESPONSIVE,
        "data": {"values": [{**v, "order": order.get(v["grade"], 0)} for v in values]},
        "mark": "bar",
        "encoding": {
            "x": {"field": "year", "type": "ordinal", "title": "Year inspection ended"},
            "y": {"field": "reports", "type": "quantitative", "stack": True, "title": "Reports"},
            "color": {
                "field": "grade",
                "type": "nominal",
                "title": "Overall grade",
                "scale": _legend_scale(present),
                "legend": {"orient": "bottom", "columns": 2, "labelLimit": 260},
            },
            "order": {"field": "order"},
            "tooltip": [
                {"field": "year", "title": "Year"},
                {"field": "grade", "title": "Grade"},
                {"field": "reports", "title": "Reports"},
            ],
        },
    }


def grade_history_spec(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """A heat strip: one column per inspection, one row per judgement (overall first), every
    judgement shown as its own cell, so nothing overlaps; legend best grade first."""
    values = []
    for number, report in enumerate(reports, 1):
        for key, grade in report["judgements"].items():
            values.append(
                {
                    "inspection": _short_date(report["inspection_end"]) or f"Inspection {number}",
                    "date": human_date(report["inspection_end"]),
                    "judgement": area_label(key),
                    "position": AREA_ORDER.index(key) if key in AREA_ORDER else len(AREA_ORDER),
                    "grade": GRADE_SHORT.get(grade, grade),
                    "full": grade_label(grade),
                }
            )
    present = [g for g in GRADES_BEST_FIRST if any(g in r["judgements"].values() for r in reports)]
    rows = sorted({(v["position"], v["judgement"]) for v in values})
    return {
        "$schema": SCHEMA,
        "title": "Grades at each inspection",
        "width": "container",
        "height": {"step": 26},
        "autosize": RESPONSIVE,
        "data": {"values": values},
        "encoding": {
            "x": {
                "field": "inspection",
                "type": "ordinal",
                "title": None,
                "sort": None,
                "axis": {"orient": "top", "labelAngle": 0, "labelLimit": 80},
            },
            "y": {
                "field": "judgement",
                "type": "nominal",
                "sort": [name for _, name in rows],
                "title": None,
                "axis": {"labelLimit": 130},
            },
        },
        "layer": [
            {
                "mark": {"type": "rect", "stroke": "white", "strokeWidth": 2},
                "encoding": {
                    "color": {
                        "field": "grade",
                        "type": "nominal",
                        "title": "Grade",
                        "scale": _legend_scale(present),
                        "legend": {"orient": "bottom", "columns": 2, "labelLimit": 260},
                    },
                    "tooltip": [
                        {"field": "date", "title": "Inspection ended"},
                        {"field": "judgement", "title": "Judgement"},
                        {"field": "full", "title": "Grade"},
                    ],
                },
            },
        ],
    }


def _short_date(value: Any) -> str:
    """'2019-06-21' -> 'Jun 2019' (column labels that fit a phone)."""
    full = human_date(value)
    return " ".join(full.split()[1:])[:3] + " " + full.split()[-1] if full else ""


def _ratio_words(ratio: float) -> str:
    if ratio >= 1:
        whole = round(ratio)
        return _TIMES.get(whole, f"{whole} times") + " as often as"
    part = round(1 / ratio)
    return _FRACTIONS.get(part, "less than a fifth") + " as often as"


def profile_rows(
    profile: list[dict[str, Any]], compare_to: str = "neighbours"
) -> list[dict[str, Any]]:
    """Theme profile rows sorted by their difference from the comparison group, the notable ones
    (at least twice or at most half as often, and at least one coding per 100 sentences apart)
    flagged and said in words."""
    out = []
    place = "in neighbouring councils" if compare_to == "neighbours" else "across England"
    for row in profile:
        own, other = float(row["authority"]), float(row[compare_to])
        difference = own - other
        verb = _VERBS.get(str(row["polarity"]), "mentioned")
        name = theme_label(str(row["theme"]))
        notable = abs(difference) >= 1.0 and (other == 0 or own == 0 or not 0.5 < own / other < 2)
        if not notable:
            words = ""
        elif other == 0:
            words = f"{name} is {verb} here ({own:.1f} per 100 sentences) but never {place}."
        elif own == 0:
            words = f"{name} is never {verb} here, against {other:.1f} per 100 sentences {place}."
        else:
            words = (
                f"{name} is {verb} {_ratio_words(own / other)} {place}"
                f" ({own:.1f} against {other:.1f} per 100 sentences)."
            )
        out.append(
            {**row, "name": name, "difference": difference, "notable": notable, "words": words}
        )
    out.sort(key=lambda r: -abs(r["difference"]))
    return out


def recurring_rows(recurring: list[Any], reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Recurring recommendations with both inspections' dates and links."""
    dates = {r["id"]: r["inspection_end"] for r in reports}
    return [
        {
            "earlier": r.earlier,
            "later": r.later,
            "earlier_report": r.earlier_report,
            "later_report": r.later_report,
            "earlier_date": human_date(dates.get(r.earlier_report)),
            "later_date": human_date(dates.get(r.later_report)),
            "themes": [theme_label(t) for t in getattr(r, "shared_themes", ())],
        }
        for r in recurring
    ]
