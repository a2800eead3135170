"""The recommendation tracker as an Excel workbook a council edits (status, owner, due date,
notes), and reading those edits back (`readiness --tracker FILE`)."""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from ofsted_atlas.analysis.readiness import Readiness
from ofsted_atlas.errors import AtlasError

from .briefings.readiness import passage_where
from .readiness_labels import STATUS_LABELS, long_date, status_from_label, status_label

SHEET = "Tracker"
HEADER = (
    "No.",
    "Recommendation",
    "Status",
    "Repeats the inspection before",
    "Owner",
    "Due date",
    "Notes",
    "Where the documents address it",
)
EDITABLE = ("Status", "Owner", "Due date", "Notes")
_REPORT_CELL = "B2"  # which inspection the tracker belongs to (checked when read back)
_FIRST_ROW = 4


class TrackerError(AtlasError):
    code = "tracker_error"
    hint = "Give the tracker written by `ofsted-atlas readiness --format xlsx` for this inspection."


def write_tracker(result: Readiness) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet["A1"] = f"{result.authority}: recommendation tracker"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = "Inspection"
    sheet[_REPORT_CELL] = (
        f"report {result.inspection.report_id}, ending "
        f"{long_date(result.inspection.inspection_end)}"
    )
    for column, title in enumerate(HEADER, start=1):
        cell = sheet.cell(row=_FIRST_ROW - 1, column=column, value=title)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="0B3D6B")
    choices = DataValidation(
        type="list", formula1='"' + ",".join(STATUS_LABELS.values()) + '"', allow_blank=True
    )
    sheet.add_data_validation(choices)
    for offset, item in enumerate(result.recommendations):
        row = _FIRST_ROW + offset
        values = (
            item.number,
            item.text,
            status_label(item.status),
            "Yes" if item.recurring else "No",
            item.owner,
            _due_value(item.due),
            item.notes,
            "\n".join(f"{passage_where(p)}: {p.text}" for p in item.evidence),
        )
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(row=row, column=6).number_format = "d mmmm yyyy"
        choices.add(sheet.cell(row=row, column=3))
    for letter, width in zip("ABCDEFGH", (6, 60, 16, 14, 18, 16, 30, 70), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = f"A{_FIRST_ROW}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _due_value(due: str) -> date | str:
    try:
        return date.fromisoformat(due)
    except ValueError:
        return due


def read_tracker(data: bytes, report_id: int | None = None) -> dict[int, dict[str, str]]:
    """Recommendation number -> the council's status, owner, due date (ISO when a date) and
    notes. Refuses a tracker for another inspection than `report_id`."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a file that is not a workbook
        raise TrackerError(f"not an Excel tracker ({type(error).__name__})") from error
    if SHEET not in book.sheetnames:
        raise TrackerError(f"the workbook has no '{SHEET}' sheet")
    sheet = book[SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    if len(rows) < _FIRST_ROW - 1 or tuple(rows[_FIRST_ROW - 2][: len(HEADER)]) != HEADER:
        raise TrackerError("the tracker's columns have been changed")
    marker = str(rows[1][1] or "")
    if report_id is not None and not marker.startswith(f"report {report_id},"):
        raise TrackerError(f"this tracker belongs to another inspection ({marker or 'unknown'})")
    edits: dict[int, dict[str, str]] = {}
    for values in rows[_FIRST_ROW - 1 :]:
        if not values or values[0] in (None, ""):
            continue
        try:
            number = int(str(values[0]))
        except (TypeError, ValueError):
            continue
        status_text = str(values[2] or "")
        status = status_from_label(status_text)
        if status_text and status is None:
            raise TrackerError(
                f"row {number}: status {status_text!r} is not one of "
                + ", ".join(STATUS_LABELS.values())
            )
        edits[number] = {
            "status": status or "",
            "owner": str(values[4] or "").strip(),
            "due": _due_text(values[5]),
            "notes": str(values[6] or "").strip(),
        }
    return edits


def _due_text(value: object) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value or "").strip()
