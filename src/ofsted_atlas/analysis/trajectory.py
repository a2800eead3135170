"""One authority's journey: its inspections and grades, how its theme profile moved between
consecutive inspections, and recommendations that recur from one inspection to the next (seed 000
names slowness to act on the previous inspection as a weakness)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np

from ofsted_atlas.errors import AtlasError


class UnknownAuthority(AtlasError):
    code = "unknown_authority"
    hint = "Give the authority's name as on its reports, its LA code or its URN."


@dataclass
class Inspection:
    report_id: int
    framework: str
    inspection_end: str | None
    source: str
    judgements: dict[str, str]
    tone: float | None
    recommendations: list[tuple[int, str]]  # (recommendation id, text)
    title: str = ""
    urn: str | None = None


@dataclass(frozen=True)
class RecurringRecommendation:
    """A possibly recurring recommendation (see analysis/recurring.py): show it with both
    inspections' dates; `similarity` is for evaluation, not for readers."""

    earlier_report: int
    later_report: int
    earlier: str
    later: str
    similarity: float
    shared_themes: tuple[str, ...]
    earlier_date: str | None = None
    later_date: str | None = None


@dataclass(frozen=True)
class ThemeChange:
    theme: str
    polarity: str
    before: float  # codings per 100 coded sentences
    after: float


@dataclass
class Trajectory:
    authority: str
    la_code: str | None
    inspections: list[Inspection]
    theme_changes: list[list[ThemeChange]] = field(default_factory=list)  # per consecutive pair
    recurring: list[RecurringRecommendation] = field(default_factory=list)


def resolve_authority(conn: sqlite3.Connection, name: str) -> tuple[str, str | None]:
    """(display name, LA code) for a name, LA code or URN, as stored."""
    row = conn.execute(
        "SELECT COALESCE(la_name, local_authority), la_code FROM reports"
        " WHERE status = 'parsed' AND (la_code = ? OR urn = ? OR lower(la_name) = lower(?)"
        " OR lower(local_authority) = lower(?)) ORDER BY inspection_end DESC LIMIT 1",
        (name, name, name, name),
    ).fetchone()
    if row is None:
        raise UnknownAuthority(f"{name!r}: no ingested report is about this authority")
    return str(row[0]), row[1]


def trajectory(conn: sqlite3.Connection, authority: str, as_at: str | None = None) -> Trajectory:
    """The authority's inspections as the database stood on `as_at` (reports published by then;
    a report that prints no publication date counts from its inspection's last day)."""
    name, la_code = resolve_authority(conn, authority)
    rows = conn.execute(
        "SELECT r.id, r.framework, r.inspection_end, r.source, r.title, r.urn, c.tone"
        " FROM reports r LEFT JOIN coding_runs c ON c.report_id = r.id WHERE r.status = 'parsed'"
        " AND r.publication_type = 'inspection'"
        " AND (r.la_code = ? OR (r.la_code IS NULL AND COALESCE(r.la_name, r.local_authority) = ?))"
        " AND (? IS NULL OR COALESCE(r.published, r.inspection_end) <= ?)"
        " ORDER BY r.inspection_end",
        (la_code, name, as_at, as_at),
    ).fetchall()
    inspections = [
        Inspection(
            report_id=row["id"],
            framework=row["framework"],
            inspection_end=row["inspection_end"],
            source=row["source"],
            title=row["title"] or "",
            urn=row["urn"],
            tone=row["tone"],
            judgements=dict(
                conn.execute("SELECT key, grade FROM judgements WHERE report_id = ?", (row["id"],))
            ),
            recommendations=[
                (int(r[0]), str(r[1]))
                for r in conn.execute(
                    "SELECT id, text FROM recommendations WHERE report_id = ?"
                    " AND scope = 'local_authority' ORDER BY ordinal",
                    (row["id"],),
                )
            ],
        )
        for row in rows
    ]
    result = Trajectory(authority=name, la_code=la_code, inspections=inspections)
    for earlier, later in pairwise(inspections):
        result.theme_changes.append(_theme_changes(conn, earlier.report_id, later.report_id))
        result.recurring.extend(recurring_recommendations(conn, earlier, later))
    return result


def _rates(conn: sqlite3.Connection, report_id: int) -> dict[tuple[str, str], float]:
    sentences = conn.execute(
        "SELECT sentences FROM coding_runs WHERE report_id = ?", (report_id,)
    ).fetchone()
    if not sentences or not sentences[0]:
        return {}
    return {
        (theme, polarity): 100.0 * count / sentences[0]
        for theme, polarity, count in conn.execute(
            "SELECT theme, polarity, COUNT(*) FROM codings WHERE report_id = ?"
            " GROUP BY theme, polarity",
            (report_id,),
        )
    }


def _theme_changes(conn: sqlite3.Connection, earlier: int, later: int) -> list[ThemeChange]:
    before, after = _rates(conn, earlier), _rates(conn, later)
    changes = [
        ThemeChange(
            theme,
            polarity,
            round(before.get((theme, polarity), 0.0), 2),
            round(after.get((theme, polarity), 0.0), 2),
        )
        for theme, polarity in before.keys() | after.keys()
        if polarity != "neutral"
    ]
    return sorted(changes, key=lambda c: -abs(c.after - c.before))


def recurring_recommendations(
    conn: sqlite3.Connection, earlier: Inspection, later: Inspection
) -> list[RecurringRecommendation]:
    """Recommendations of `later` that possibly recur from `earlier`: they share a theme and
    much of their wording (analysis/recurring.py, measured on hand-labelled pairs)."""
    from .recurring import possibly_recurring

    return [
        RecurringRecommendation(
            earlier.report_id,
            later.report_id,
            p.earlier,
            p.later,
            p.similarity,
            p.shared_themes,
            p.earlier_date,
            p.later_date,
        )
        for p in possibly_recurring(conn, earlier, later)
    ]


def mean_rates(rates: list[dict[tuple[str, str], float]]) -> dict[tuple[str, str], float]:
    keys = {key for rate in rates for key in rate}
    return {key: float(np.mean([rate.get(key, 0.0) for rate in rates])) for key in keys}
