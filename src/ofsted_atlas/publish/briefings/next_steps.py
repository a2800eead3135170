"""What happens after an inspection: the framework's rules (data/next_steps.toml) and, measured
from the database, how long councils with the same grade waited for their next inspection."""

from __future__ import annotations

import sqlite3
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from statistics import median

from ofsted_atlas.analysis.labels import group_of

DATA = Path(__file__).parent / "data" / "next_steps.toml"


@lru_cache(maxsize=1)
def _rules() -> dict[str, dict[str, dict[str, list[str]]]]:
    return tomllib.loads(DATA.read_text(encoding="utf-8"))


def framework_key(framework: str) -> str:
    return "ilacs" if framework.startswith("ilacs") else framework


def rules(framework: str, grade: str | None) -> dict[str, list[str]]:
    group = group_of(grade)
    return _rules().get(framework_key(framework), {}).get(group or "", {})


@dataclass(frozen=True)
class Interval:
    months: list[float]

    @property
    def median(self) -> float:
        return float(median(self.months))


def months_to_next(
    conn: sqlite3.Connection, framework: str, grade: str | None, as_at: str | None = None
) -> Interval:
    """Months from an inspection under this framework with this overall grade group to the same
    authority's next inspection, over every such pair in the database (as it stood `as_at`)."""
    group = group_of(grade)
    rows = conn.execute(
        "SELECT COALESCE(r.la_code, r.la_name, r.local_authority), r.framework, r.inspection_end,"
        " j.grade FROM reports r LEFT JOIN judgements j ON j.report_id = r.id"
        " AND j.key = 'overall_effectiveness' WHERE r.status = 'parsed'"
        " AND r.publication_type = 'inspection' AND r.inspection_end IS NOT NULL"
        " AND (? IS NULL OR COALESCE(r.published, r.inspection_end) <= ?)"
        " ORDER BY 1, r.inspection_end",
        (as_at, as_at),
    ).fetchall()
    months = []
    for before, after in pairwise(rows):
        if before[0] != after[0] or framework_key(before[1]) != framework_key(framework):
            continue
        if group_of(before[3]) != group:
            continue
        days = (date.fromisoformat(after[2][:10]) - date.fromisoformat(before[2][:10])).days
        if days > 31:  # a second report on the same visit is not a new inspection
            months.append(days / 30.44)
    return Interval(months)
