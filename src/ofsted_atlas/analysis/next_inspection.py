"""When a council's next inspection is likely, read from the corpus.

For councils whose inspection had the same framework and overall grade as this council's latest,
the months from that inspection to their next one give a window (the middle 80% of intervals,
with the median as the likeliest date) counted from this council's last inspection. When too few
such intervals are in the corpus the basis widens, step by step, as `BASES` lists. `backtest`
predicts every inspection's date from the one before (leaving that council's own intervals out)
and reports the share that fell inside its window.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

import numpy as np

from .filters import Filters

DAYS_PER_MONTH = 365.25 / 12
MIN_INTERVALS = 5  # fewer intervals than this on a basis: widen it
WINDOW = (0.10, 0.90)  # the window holds the middle 80% of the intervals
# Frameworks that are one regime for intervals (ILACS standard and short inspections alike).
FRAMEWORK_FAMILY = {"ilacs_standard": "ilacs", "ilacs_short": "ilacs"}
# The bases tried in turn: which of (framework family, grade) must match.
BASES = (("family", "grade"), ("grade",), ())
VISIT_LABELS = {"focused_visit": "Focused visit", "monitoring_visit": "Monitoring visit"}


@dataclass(frozen=True)
class Visit:
    report_id: int
    kind: str  # a key of VISIT_LABELS
    date: str | None


@dataclass(frozen=True)
class InspectionPoint:
    la_code: str
    report_id: int
    end: date
    family: str
    grade: str | None  # overall effectiveness


@dataclass(frozen=True)
class Window:
    earliest: str
    likely: str
    latest: str
    basis: tuple[str, ...]  # what matched this council's last inspection: "family", "grade"
    family: str
    grade: str | None
    intervals: int
    median_months: float
    range_months: tuple[float, float]  # the shortest and longest interval on the basis
    visits: tuple[Visit, ...] = ()


def family_of(framework: str | None) -> str:
    return FRAMEWORK_FAMILY.get(framework or "", framework or "unknown")


def inspection_points(conn: sqlite3.Connection) -> dict[str, list[InspectionPoint]]:
    """Every council's graded inspections in date order."""
    where, params = Filters().sql("r")
    rows = conn.execute(
        "SELECT r.la_code, r.id, r.inspection_end, r.framework, j.grade FROM reports r"
        " LEFT JOIN judgements j ON j.report_id = r.id AND j.key = 'overall_effectiveness'"
        f" WHERE {where} AND r.la_code IS NOT NULL AND r.inspection_end IS NOT NULL"
        " ORDER BY r.inspection_end",
        params,
    )
    out: dict[str, list[InspectionPoint]] = defaultdict(list)
    for la_code, report_id, end, framework, grade in rows:
        point = InspectionPoint(
            la_code, report_id, date.fromisoformat(end), family_of(framework), grade
        )
        if not out[la_code] or out[la_code][-1].end != point.end:
            out[la_code].append(point)
    return out


def _intervals(
    points: dict[str, list[InspectionPoint]], exclude: str | None = None
) -> list[tuple[InspectionPoint, float]]:
    """(earlier inspection, months to the council's next) for every consecutive pair."""
    return [
        (a, (b.end - a.end).days / DAYS_PER_MONTH)
        for la_code, series in points.items()
        if la_code != exclude
        for a, b in pairwise(series)
    ]


def _matching(
    intervals: list[tuple[InspectionPoint, float]], last: InspectionPoint
) -> tuple[tuple[str, ...], list[float]]:
    for basis in BASES:
        months = [
            m
            for a, m in intervals
            if ("family" not in basis or a.family == last.family)
            and ("grade" not in basis or a.grade == last.grade)
        ]
        if len(months) >= MIN_INTERVALS:
            return basis, months
    return (), [m for _, m in intervals]


def _add_months(start: date, months: float) -> date:
    return start + timedelta(days=round(months * DAYS_PER_MONTH))


def window_for(
    last: InspectionPoint, intervals: list[tuple[InspectionPoint, float]]
) -> Window | None:
    basis, months = _matching(intervals, last)
    if not months:
        return None
    low, mid, high = np.quantile(months, [WINDOW[0], 0.5, WINDOW[1]])
    return Window(
        earliest=_add_months(last.end, float(low)).isoformat(),
        likely=_add_months(last.end, float(mid)).isoformat(),
        latest=_add_months(last.end, float(high)).isoformat(),
        basis=basis,
        family=last.family,
        grade=last.grade,
        intervals=len(months),
        median_months=round(float(mid), 1),
        range_months=(round(min(months), 1), round(max(months), 1)),
    )


def next_inspection(conn: sqlite3.Connection, la_code: str) -> Window | None:
    """The window for this council's next inspection, with its visits since the last one."""
    points = inspection_points(conn)
    series = points.get(la_code)
    if not series:
        return None
    window = window_for(series[-1], _intervals(points))
    if window is None:
        return None
    visits = tuple(
        Visit(report_id, kind, when)
        for report_id, kind, when in conn.execute(
            "SELECT id, publication_type, COALESCE(inspection_end, published) FROM reports"
            " WHERE status = 'parsed' AND la_code = ? AND publication_type != 'inspection'"
            " AND COALESCE(inspection_end, published) > ? ORDER BY 3",
            (la_code, series[-1].end.isoformat()),
        )
    )
    return Window(**{**window.__dict__, "visits": visits})


@dataclass(frozen=True)
class Backtest:
    predictions: int
    inside: int
    median_error_months: float

    @property
    def share_inside(self) -> float:
        return self.inside / self.predictions if self.predictions else 0.0


def backtest(conn: sqlite3.Connection) -> Backtest:
    """Predict each inspection's date from the one before, with windows built from the other
    councils' intervals only; count those inside their window."""
    points = inspection_points(conn)
    inside, errors = 0, []
    for la_code, series in points.items():
        others = _intervals(points, exclude=la_code)
        for a, b in pairwise(series):
            window = window_for(a, others)
            if window is None:
                continue
            actual = b.end.isoformat()
            inside += window.earliest <= actual <= window.latest
            errors.append(abs((b.end - date.fromisoformat(window.likely)).days) / DAYS_PER_MONTH)
    return Backtest(len(errors), inside, round(float(np.median(errors)), 1) if errors else 0.0)
