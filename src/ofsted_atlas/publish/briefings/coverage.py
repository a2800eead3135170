"""What a briefing holds, said plainly: inspections of the period, authorities (by their latest
grade in the period), and what is missing where it can be known."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

from ofsted_atlas.analysis import Filters
from ofsted_atlas.analysis.labels import GRADE_LABELS
from ofsted_atlas.parse.authorities import load_lookup

from ..document import Text

MAX_NAMED = 60  # name the authorities without a report when there are at most this many


def latest_grades(conn: sqlite3.Connection, filters: Filters, key: str) -> dict[str, str]:
    """Authority -> its latest grade for `key` among the reports in scope."""
    where, params = filters.sql()
    rows = conn.execute(
        f"SELECT COALESCE(r.la_code, COALESCE(r.la_name, r.local_authority)), j.grade"
        f" FROM reports r JOIN judgements j ON j.report_id = r.id AND j.key = ?"
        f" WHERE {where} ORDER BY r.inspection_end",
        [key, *params],
    )
    latest: dict[str, str] = {}
    for authority, grade in rows:
        latest[authority] = grade
    return latest


def coverage(conn: sqlite3.Connection, filters: Filters, lookup: Path | None) -> list[Text]:
    where, params = filters.sql()
    reports, authorities = conn.execute(
        f"SELECT COUNT(*), COUNT(DISTINCT COALESCE(r.la_code, r.la_name, r.local_authority))"
        f" FROM reports r WHERE {where}",
        params,
    ).fetchone()
    latest = Counter(latest_grades(conn, filters, "overall_effectiveness").values())
    grades = "; ".join(
        f"{GRADE_LABELS[g].lower()} {latest[g]}" for g in GRADE_LABELS if latest.get(g)
    )
    lines = [
        Text(
            f"This briefing holds {reports} inspection report{'s' if reports != 1 else ''} "
            f"({filters.describe()}), covering {authorities} local "
            f"authorit{'ies' if authorities != 1 else 'y'}. By each authority's latest overall "
            f"grade in the period: {grades or 'none graded'}."
        )
    ]
    total = _lookup_size(lookup)
    if total and lookup is not None:
        held = {
            row[0]
            for row in conn.execute(
                f"SELECT DISTINCT r.la_code FROM reports r WHERE {where}", params
            )
        }
        missing = sorted(row.name for row in load_lookup(lookup) if row.la_code not in held)
        named = f": {', '.join(missing)}" if 0 < len(missing) <= MAX_NAMED else ""
        lines.append(
            Text(
                f"England has {total} local authorities with children's services; "
                f"{len(missing)} have no inspection report in this set{named}."
            )
        )
    unread = conn.execute(
        "SELECT COUNT(*) FROM reports WHERE status = 'rejected'"
        " AND rejection_code IN ('report_not_found_page', 'corrupt_pdf', 'image_only',"
        " 'encrypted_pdf', 'no_pages', 'empty')"
    ).fetchone()[0]
    if unread:
        lines.append(
            Text(
                f"{unread} file{'s' if unread != 1 else ''} in the collection could not be read "
                "as a report (for example, saved 'report not found' pages): any inspection they "
                "stood for is missing here."
            )
        )
    return lines


def _lookup_size(lookup: Path | None) -> int:
    if lookup is None or not lookup.exists():
        return 0
    return len(load_lookup(lookup))
