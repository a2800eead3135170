"""An Excel workbook of every inspection and judgement, with statistical neighbours' names and
grades (the spreadsheet councils load into Power BI today): human labels, real Excel dates,
printable (landscape, fit to width, repeating header), the briefing's filters honoured, and a
first sheet explaining every column."""

from __future__ import annotations

import io
import math
import sqlite3
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ofsted_atlas.analysis import Filters, annex_rows
from ofsted_atlas.analysis.labels import framework_label, grade_label
from ofsted_atlas.analysis.neighbours import latest_reports
from ofsted_atlas.parse.authorities import load_lookup

from .common import MAIN_AREAS, PROVIDER_PAGE, area_label

AREAS = MAIN_AREAS
HEADER_FILL = PatternFill("solid", fgColor="0B3D6B")
DATE_FORMAT = "d mmmm yyyy"
NEIGHBOURS = 10
MAX_WIDTH = 28  # characters: longer text wraps, so a printed row stays readable
GRADE_WIDTH = 15  # grade columns wrap "Requires improvement to be good" over three lines
# Columns for the screen, not the page: links and file names are left out of the print area.
NOT_PRINTED = ("Ofsted page", "Report file")

# Every column of every sheet, explained on the first sheet.
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "Inspections": [
        ("Authority", "The local authority, as named in Ofsted's lookup."),
        ("LA code", "The Department for Education's three-digit local authority code."),
        ("Region", "The authority's region of England."),
        ("Framework", "The inspection framework the report was written under."),
        ("Inspection started", "First day of the inspection's fieldwork."),
        ("Inspection ended", "Last day of the inspection's fieldwork."),
        ("Published", "The publication date printed in the report (often not printed)."),
        ("Lead inspector", "Ofsted's lead inspector(s), as printed."),
        *[
            (area_label(a), f"The grade for {area_label(a).lower()}, as Ofsted prints it.")
            for a in AREAS
        ],
        ("Ofsted page", "The council's page on the Ofsted website (by its URN)."),
        ("Report file", "The PDF the figures were read from."),
    ],
    "Judgements": [
        ("Authority", "The local authority."),
        ("LA code", "The local authority code."),
        ("Inspection ended", "Last day of the inspection's fieldwork."),
        ("Framework", "The inspection framework."),
        ("Judgement", "The area judged."),
        ("Grade", "The grade, as Ofsted prints it."),
    ],
    "Neighbours": [
        ("Authority", "The local authority."),
        ("LA code", "The local authority code."),
        ("Region", "The authority's region."),
        ("Latest overall grade", "Overall effectiveness at its latest inspection in scope."),
        ("Latest inspection ended", "Last day of that inspection."),
        *[
            item
            for i in range(1, NEIGHBOURS + 1)
            for item in (
                (f"Neighbour {i}", f"Its statistical neighbour number {i} (closest first)."),
                (f"Neighbour {i} overall grade", "That neighbour's latest overall grade."),
            )
        ],
        ("Neighbours inspected", "How many of its neighbours have an inspection in scope."),
        ("Neighbours good or better", "How many of those are good or outstanding."),
    ],
}


def build(
    conn: sqlite3.Connection, lookup: Path | None = None, filters: Filters | None = None
) -> bytes:
    filters = filters or Filters()
    workbook = Workbook()
    about = workbook.active
    about.title = "About"
    details = {
        row["id"]: row
        for row in conn.execute(
            "SELECT id, la_code, region, urn, lead_inspector, inspection_start, published"
            " FROM reports"
        )
    }
    rows = annex_rows(conn, filters)
    _table(
        workbook.create_sheet("Inspections"),
        [name for name, _ in COLUMNS["Inspections"]],
        [
            [
                r["authority"],
                details[r["report_id"]]["la_code"],
                details[r["report_id"]]["region"],
                framework_label(str(r["framework"])),
                _date(details[r["report_id"]]["inspection_start"]),
                _date(r["inspection_end"]),
                _date(details[r["report_id"]]["published"]),
                details[r["report_id"]]["lead_inspector"],
                *[grade_label(str(r[a])) if r.get(a) else None for a in AREAS],
                PROVIDER_PAGE.format(urn=details[r["report_id"]]["urn"])
                if details[r["report_id"]]["urn"]
                else None,
                Path(str(r["source"])).name,
            ]
            for r in rows
        ],
    )
    _table(
        workbook.create_sheet("Judgements"),
        [name for name, _ in COLUMNS["Judgements"]],
        [
            [
                r["authority"],
                details[r["report_id"]]["la_code"],
                _date(r["inspection_end"]),
                framework_label(str(r["framework"])),
                area_label(a),
                grade_label(str(r[a])),
            ]
            for r in rows
            for a in AREAS
            if r.get(a)
        ],
    )
    sheets = ["Inspections", "Judgements"]
    if lookup is not None and lookup.exists():
        _neighbour_sheet(workbook.create_sheet("Neighbours"), conn, lookup, filters)
        sheets.append("Neighbours")
    _about(about, filters, sheets)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _date(iso: object) -> date | None:
    if not iso:
        return None
    try:
        return date.fromisoformat(str(iso)[:10])
    except ValueError:
        return None


def _about(sheet: Worksheet, filters: Filters, sheets: list[str]) -> None:
    sheet.append(["Ofsted inspections of children's services"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(
        [
            f"Made by Inspection Atlas on {date.today():%d %B %Y}, from Ofsted's "
            f"published reports; scope: {filters.describe()}."
        ]
    )
    sheet.append([])
    sheet.append(["Sheet", "Column", "What it holds"])
    for cell in sheet[4]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
    for name in sheets:
        for column, meaning in COLUMNS[name]:
            sheet.append([name, column, meaning])
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 30
    sheet.column_dimensions["C"].width = 80
    _print_setup(sheet, "4:4")


def _neighbour_sheet(
    sheet: Worksheet, conn: sqlite3.Connection, lookup: Path, filters: Filters
) -> None:
    lookup_rows = {row.la_code: row for row in load_lookup(lookup)}
    where, params = filters.sql()
    in_scope = {r[0] for r in conn.execute(f"SELECT r.id FROM reports r WHERE {where}", params)}
    latest = {
        code: rid for code, rid in latest_reports(conn, filters.as_at).items() if rid in in_scope
    }
    overall = dict(
        conn.execute("SELECT report_id, grade FROM judgements WHERE key = 'overall_effectiveness'")
    )
    ended = dict(conn.execute("SELECT id, inspection_end FROM reports"))
    body = []
    for code, row in sorted(lookup_rows.items(), key=lambda item: item[1].name):
        own = latest.get(code)
        cells: list[object] = [
            row.name,
            code,
            row.region,
            grade_label(overall.get(own)) if own and overall.get(own) else None,
            _date(ended.get(own)) if own else None,
        ]
        known = good = 0
        codes = list(row.stat_neighbours)[:NEIGHBOURS]
        codes += [""] * (NEIGHBOURS - len(codes))
        for neighbour in codes:
            grade = overall.get(latest.get(neighbour, -1))
            name = lookup_rows[neighbour].name if neighbour in lookup_rows else None
            cells += [name, grade_label(grade) if grade else None]
            known += bool(grade)
            good += grade in ("good", "outstanding")
        body.append([*cells, known, good])
    _table(sheet, [name for name, _ in COLUMNS["Neighbours"]], body)


def _table(sheet: Worksheet, header: list[str], rows: list[list[object]]) -> None:
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
    wrap = Alignment(wrap_text=True, vertical="top")
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
            elif isinstance(cell.value, str) and len(cell.value) > GRADE_WIDTH:
                cell.alignment = wrap
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, title in enumerate(header, start=1):
        values = [r[index - 1] for r in rows[:300]]
        width = max(
            [len(title) // 2 + 2]
            + [18 if isinstance(v, date) else len(str(v or "")) for v in values]
        )
        if any(
            str(v).startswith(("Requires", "Inadequate", "Good", "Outstanding")) for v in values
        ):
            width = GRADE_WIDTH
        sheet.column_dimensions[get_column_letter(index)].width = min(max(10, width + 2), MAX_WIDTH)
    widths = [
        sheet.column_dimensions[get_column_letter(i)].width for i in range(1, len(header) + 1)
    ]
    for number, row in enumerate(rows, start=2):  # wrapped rows get the height they need
        lines = max(
            math.ceil(len(str(v)) / max(w - 1, 1)) if isinstance(v, str) else 1
            for v, w in zip(row, widths, strict=True)
        )
        if lines > 1:
            sheet.row_dimensions[number].height = 13 * lines
    _print_setup(sheet, "1:1")
    printed = [i for i, title in enumerate(header, start=1) if title not in NOT_PRINTED]
    if len(printed) < len(header):
        sheet.print_area = f"A1:{get_column_letter(max(printed))}{len(rows) + 1}"


def _print_setup(sheet: Worksheet, title_rows: str) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = title_rows
    sheet.oddFooter.center.text = "Page &P of &N"
