"""Reports with open parser warnings (failed self-checks), for `ofsted-atlas check`."""

from __future__ import annotations

import sqlite3
from typing import Any


def open_checks(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every parsed report with at least one failed self-check, with its checks, in the export's
    order (authority, inspection end, source)."""
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'parse_checks'"
    ).fetchone()
    if not has_table:
        return []
    reports: dict[int, dict[str, Any]] = {}
    for row in conn.execute(
        "SELECT r.id, r.source, COALESCE(r.la_name, r.local_authority) AS local_authority,"
        " r.la_code, r.framework, r.inspection_start, r.inspection_end,"
        " c.code, c.message, c.page"
        " FROM parse_checks c JOIN reports r ON r.id = c.report_id"
        " ORDER BY COALESCE(r.la_name, r.local_authority, ''), r.inspection_end, r.source,"
        " c.ordinal"
    ):
        report = reports.setdefault(
            row["id"],
            {
                "source": row["source"],
                "local_authority": row["local_authority"],
                "la_code": row["la_code"],
                "framework": row["framework"],
                "inspection_start": row["inspection_start"],
                "inspection_end": row["inspection_end"],
                "checks": [],
            },
        )
        report["checks"].append(
            {"code": row["code"], "message": row["message"], "page": row["page"]}
        )
    return list(reports.values())
