"""An Excel workbook of every inspection and judgement, with statistical neighbours' grades
(the spreadsheet councils load into Power BI today)."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from ofsted_atlas.analysis import annex_rows
from ofsted_atlas.analysis.neighbours import latest_reports
from ofsted_atlas.parse.authorities import load_lookup

from .common import MAIN_AREAS

AREAS = MAIN_AREAS
HEADER_FILL = PatternFill("solid", fgColor="0B3D6B")


def build(conn: sqlite3.Connection, lookup: Path | None = None) -> bytes:
    workbook = Workbook()
    inspections = workbook.active
    inspections.title = "Inspections"
    details = {
        row["id"]: row
        for row in conn.execute(
            "SELECT id, la_code, region, lead_inspector, inspection_start, published FROM reports"
        )
    }
    rows = annex_rows(conn)
    _table(
        inspections,
        [
            "Authority",
            "LA code",
            "Region",
            "Framework",
            "Inspection start",
            "Inspection end",
            "Published",
            "Lead inspector",
            *AREAS,
            "Source",
        ],
        [
            [
                r["authority"],
                details[r["report_id"]]["la_code"],
                details[r["report_id"]]["region"],
                r["framework"],
                details[r["report_id"]]["inspection_start"],
                r["inspection_end"],
                details[r["report_id"]]["published"],
                details[r["report_id"]]["lead_inspector"],
                *[r.get(a) for a in AREAS],
                r["source"],
            ]
            for r in rows
        ],
    )
    long = workbook.create_sheet("Judgements")
    _table(
        long,
        ["Authority", "LA code", "Inspection end", "Framework", "Judgement", "Grade"],
        [
            [
                r["authority"],
                details[r["report_id"]]["la_code"],
                r["inspection_end"],
                r["framework"],
                a,
                r[a],
            ]
            for r in rows
            for a in AREAS
            if r.get(a)
        ],
    )
    if lookup is not None and lookup.exists():
        _neighbour_sheet(workbook.create_sheet("Neighbours"), conn, lookup)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _neighbour_sheet(sheet, conn: sqlite3.Connection, lookup: Path) -> None:  # type: ignore[no-untyped-def]
    lookup_rows = {row.la_code: row for row in load_lookup(lookup)}
    latest = latest_reports(conn)
    overall = dict(
        conn.execute("SELECT report_id, grade FROM judgements WHERE key = 'overall_effectiveness'")
    )
    body = []
    for code, row in sorted(lookup_rows.items(), key=lambda item: item[1].name):
        own = overall.get(latest.get(code, -1))
        grades = [overall.get(latest.get(n, -1)) for n in row.stat_neighbours][:10]
        grades += [None] * (10 - len(grades))
        known = [g for g in grades if g]
        good = sum(g in ("good", "outstanding") for g in known)
        body.append([row.name, code, row.region, own, *grades, len(known), good])
    _table(
        sheet,
        [
            "Authority",
            "LA code",
            "Region",
            "Latest overall",
            *[f"Neighbour {i} overall" for i in range(1, 11)],
            "Neighbours inspected",
            "Neighbours good or better",
        ],
        body,
    )


def _table(sheet, header: list[str], rows: list[list[object]]) -> None:  # type: ignore[no-untyped-def]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, title in enumerate(header, start=1):
        width = max([len(str(title))] + [len(str(r[index - 1] or "")) for r in rows[:200]])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(10, width + 2), 60)
