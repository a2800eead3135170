"""Grade statistics (seed 004 section 5): counts, shares and the 'not yet good' share."""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .filters import GRADE_ORDER, NOT_YET_GOOD, Filters

DIMENSIONS = {
    "framework": "r.framework",
    "year": "substr(COALESCE(r.inspection_end, r.published), 1, 4)",
    "region": "COALESCE(r.region, 'unknown')",
    "authority_type": "COALESCE(r.la_type, 'unknown')",
    "all": "'all'",
}


@dataclass
class GradeTable:
    judgement: str
    by: str
    counts: dict[str, Counter[str]] = field(default_factory=dict)  # group -> grade -> count

    def total(self, group: str) -> int:
        return sum(self.counts[group].values())

    def share(self, group: str, grade: str) -> float:
        total = self.total(group)
        return self.counts[group][grade] / total if total else 0.0

    def not_yet_good(self, group: str) -> float:
        total = self.total(group)
        bad = sum(n for grade, n in self.counts[group].items() if grade in NOT_YET_GOOD)
        return bad / total if total else 0.0

    def rows(self) -> list[dict[str, object]]:
        out = []
        for group in sorted(self.counts):
            row: dict[str, object] = {self.by: group, "reports": self.total(group)}
            row.update(
                {
                    grade: self.counts[group][grade]
                    for grade in GRADE_ORDER
                    if any(self.counts[g][grade] for g in self.counts)
                }
            )
            row["not_yet_good_share"] = round(self.not_yet_good(group), 3)
            out.append(row)
        return out


def grade_statistics(
    conn: sqlite3.Connection,
    filters: Filters | None = None,
    judgement: str = "overall_effectiveness",
    by: str = "all",
) -> GradeTable:
    filters = filters or Filters()
    if by not in DIMENSIONS:
        raise ValueError(f"by must be one of {', '.join(DIMENSIONS)}")
    where, params = filters.sql()
    rows = conn.execute(
        f"SELECT {DIMENSIONS[by]} AS grp, j.grade FROM reports r JOIN judgements j"
        f" ON j.report_id = r.id AND j.key = ? WHERE {where}",
        [judgement, *params],
    )
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for group, grade in rows:
        counts[str(group)][grade] += 1
    return GradeTable(judgement=judgement, by=by, counts=dict(counts))


def annex_rows(conn: sqlite3.Connection, filters: Filters | None = None) -> list[dict[str, object]]:
    """Every report in scope with all its judgements: the mapping paper's annex table."""
    filters = filters or Filters()
    where, params = filters.sql()
    reports = conn.execute(
        f"SELECT r.id, COALESCE(r.la_name, r.local_authority) AS authority, r.framework,"
        f" r.inspection_end, r.published, r.source FROM reports r WHERE {where}"
        " ORDER BY authority, r.inspection_end",
        params,
    ).fetchall()
    grades: dict[int, dict[str, str]] = defaultdict(dict)
    for report_id, key, grade in conn.execute("SELECT report_id, key, grade FROM judgements"):
        grades[report_id][key] = grade
    return [
        {
            "report_id": r["id"],
            "authority": r["authority"],
            "framework": r["framework"],
            "inspection_end": r["inspection_end"],
            "source": r["source"],
            **grades[r["id"]],
        }
        for r in reports
    ]
