"""Statistical neighbours (from la_lookup.csv) and the national picture for one authority."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ofsted_atlas.parse.authorities import load_lookup

from .trajectory import _rates, mean_rates


@dataclass(frozen=True)
class NeighbourRow:
    la_code: str
    name: str
    latest_inspection: str | None
    framework: str | None
    judgements: dict[str, str]
    report_id: int | None


def latest_reports(conn: sqlite3.Connection, as_at: str | None = None) -> dict[str, int]:
    """LA code -> its most recent inspection report (as published by `as_at`, when given)."""
    rows = conn.execute(
        "SELECT la_code, id FROM reports WHERE status = 'parsed' AND la_code IS NOT NULL"
        " AND publication_type = 'inspection'"
        " AND (? IS NULL OR COALESCE(published, inspection_end) <= ?) ORDER BY inspection_end",
        (as_at, as_at),
    )
    latest: dict[str, int] = {}
    for la_code, report_id in rows:
        latest[la_code] = report_id
    return latest


def neighbours(
    conn: sqlite3.Connection, la_code: str, lookup: Path, as_at: str | None = None
) -> list[NeighbourRow]:
    rows = {row.la_code: row for row in load_lookup(lookup)}
    if la_code not in rows:
        return []
    latest = latest_reports(conn, as_at)
    out = []
    for code in rows[la_code].stat_neighbours:
        report_id = latest.get(code)
        name = rows[code].name if code in rows else code
        if report_id is None:
            out.append(NeighbourRow(code, name, None, None, {}, None))
            continue
        end, framework = conn.execute(
            "SELECT inspection_end, framework FROM reports WHERE id = ?", (report_id,)
        ).fetchone()
        grades = dict(
            conn.execute("SELECT key, grade FROM judgements WHERE report_id = ?", (report_id,))
        )
        out.append(NeighbourRow(code, name, end, framework, grades, report_id))
    return out


def profile_comparison(
    conn: sqlite3.Connection, report_id: int, neighbour_reports: list[int]
) -> list[dict[str, object]]:
    """The report's theme rates (per 100 sentences) against its neighbours' and the nation's
    latest reports."""
    own = _rates(conn, report_id)
    national = mean_rates([_rates(conn, r) for r in latest_reports(conn).values()])
    near = mean_rates([_rates(conn, r) for r in neighbour_reports]) if neighbour_reports else {}
    keys = sorted(k for k in own.keys() | national.keys() if k[1] != "neutral")
    return [
        {
            "theme": theme,
            "polarity": polarity,
            "authority": round(own.get((theme, polarity), 0), 2),
            "neighbours": round(near.get((theme, polarity), 0), 2),
            "national": round(national.get((theme, polarity), 0), 2),
        }
        for theme, polarity in keys
    ]
