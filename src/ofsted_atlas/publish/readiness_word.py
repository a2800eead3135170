"""The readiness briefing in Word: the shared renderer, then column widths for its tables (the
recommendation text needs the room; numbers and statuses do not)."""

from __future__ import annotations

import io

from docx import Document as open_word
from docx.shared import Cm

from .document import Briefing
from .render_office import render_docx

# Width of a column by its heading; columns not listed share what is left of the page.
COLUMN_WIDTHS_CM = {
    "No.": 1.3,
    "Status": 2.6,
    "Repeats the inspection before": 2.2,
    "Owner": 2.4,
    "Due": 2.4,
    "Criticised in": 2.6,
    "Same grade": 2.4,
    "Neighbours": 2.8,
    "Covered by the documents": 3.2,
    "Judgement": 6.0,
}
PAGE_WIDTH_CM = 16.0


def render_readiness_docx(briefing: Briefing) -> bytes:
    document = open_word(io.BytesIO(render_docx(briefing)))
    for table in document.tables:
        header = [cell.text for cell in table.rows[0].cells]
        fixed = sum(COLUMN_WIDTHS_CM.get(h, 0.0) for h in header)
        free = [h for h in header if h not in COLUMN_WIDTHS_CM]
        share = (PAGE_WIDTH_CM - fixed) / len(free) if free else 0.0
        table.autofit = False
        for index, heading in enumerate(header):
            width = Cm(COLUMN_WIDTHS_CM.get(heading, share))
            table.columns[index].width = width  # the grid LibreOffice reads
            for row in table.rows:  # the cells Word reads
                row.cells[index].width = width
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
