"""Briefing -> Word (.docx) and PowerPoint (.pptx): the documents councils circulate.
Charts are embedded as images; citations are hyperlinks to the report's page."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence

from docx import Document as new_word_document
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm as WordCm
from docx.shared import Pt, RGBColor
from pptx import Presentation as new_deck
from pptx.presentation import Presentation
from pptx.util import Cm
from pptx.util import Pt as SlidePt

from .charts import to_png
from .document import Briefing, Bullets, Chart, Citation, Quote, Table, Text

NAVY = RGBColor(0x0B, 0x3D, 0x6B)


def render_docx(briefing: Briefing) -> bytes:
    document = new_word_document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10.5)
    title = document.add_heading(briefing.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.LEFT
    document.add_paragraph(briefing.subtitle).runs[0].italic = True
    for section in briefing.sections:
        document.add_heading(section.title, level=1)
        for block in section.blocks:
            _docx_block(document, block)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_block(document: WordDocument, block: object) -> None:
    if isinstance(block, Text):
        paragraph = document.add_paragraph(block.text)
        _docx_citations(paragraph, block.citations)
    elif isinstance(block, Bullets):
        for item in block.items:
            paragraph = document.add_paragraph(item.text, style="List Bullet")
            _docx_citations(paragraph, item.citations)
    elif isinstance(block, Quote):
        paragraph = document.add_paragraph(style="Quote")
        paragraph.add_run(f"“{block.text}” ")
        _docx_citations(paragraph, (block.citation,))
    elif isinstance(block, Table):
        _docx_table(document, block)
    elif isinstance(block, Chart):
        document.add_picture(io.BytesIO(to_png(block.spec)), width=WordCm(15.5))
        document.add_paragraph(block.caption, style="Caption")


def _docx_table(document: WordDocument, block: Table) -> None:
    if block.caption:
        document.add_paragraph(block.caption, style="Caption")
    table = document.add_table(rows=1, cols=len(block.header))
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, block.header, strict=True):
        cell.text = text
    for row in block.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)


def _docx_citations(paragraph: object, citations: tuple[Citation, ...]) -> None:
    for index, citation in enumerate(citations):
        paragraph.add_run(" (" if index == 0 else "; ")  # type: ignore[attr-defined]
        _hyperlink(paragraph, citation.link, citation.label)
    if citations:
        paragraph.add_run(")")  # type: ignore[attr-defined]


def _hyperlink(paragraph: object, url: str, text: str) -> None:
    """python-docx has no hyperlink API: add the relationship and the w:hyperlink element."""
    part = paragraph.part  # type: ignore[attr-defined]
    rel_id = part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "0B5394")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    properties.append(colour)
    properties.append(underline)
    run.append(properties)
    text_element = OxmlElement("w:t")
    text_element.text = text
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)  # type: ignore[attr-defined]


# PowerPoint: 16:9, title + body layouts; long content flows onto continuation slides.
_BULLETS_PER_SLIDE = 6
_ROWS_PER_SLIDE = 12


def render_pptx(briefing: Briefing) -> bytes:
    deck = new_deck()
    deck.slide_width, deck.slide_height = Cm(33.867), Cm(19.05)
    cover = deck.slides.add_slide(deck.slide_layouts[0])
    cover.shapes.title.text = briefing.title
    cover.placeholders[1].text = briefing.subtitle
    for section in briefing.sections:
        for title, chunk in _slides_of(section.title, section.blocks):
            _slide(deck, title, chunk)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _slides_of(title: str, blocks: Sequence[object]) -> Iterator[tuple[str, list[object]]]:
    """Text and quotes share a slide (a few at a time); each table or chart gets its own."""
    pending: list[object] = []
    for block in blocks:
        if isinstance(block, Table | Chart):
            if pending:
                yield title, pending
                pending = []
            if isinstance(block, Table):
                for start in range(0, max(len(block.rows), 1), _ROWS_PER_SLIDE):
                    rows = block.rows[start : start + _ROWS_PER_SLIDE]
                    yield title, [Table(block.header, rows, block.caption)]
            else:
                yield title, [block]
            continue
        pending.append(block)
        if len(pending) >= _BULLETS_PER_SLIDE:
            yield title, pending
            pending = []
    if pending:
        yield title, pending


def _slide(deck: Presentation, title: str, blocks: list[object]) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
    slide.shapes.title.text = title
    slide.shapes.title.text_frame.paragraphs[0].font.size = SlidePt(28)
    left, top, width, height = Cm(1.5), Cm(3.6), Cm(30.8), Cm(14.5)
    first = blocks[0]
    if isinstance(first, Chart):
        slide.shapes.add_picture(io.BytesIO(to_png(first.spec)), left, top, height=height)
        return
    if isinstance(first, Table):
        _slide_table(slide, first, left, top, width)
        return
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    for index, block in enumerate(blocks):
        for text, citations, italic in _lines_of(block):
            paragraph = (
                frame.paragraphs[0]
                if index == 0 and not frame.paragraphs[0].text
                else frame.add_paragraph()
            )
            run = paragraph.add_run()
            run.text = text
            run.font.size = SlidePt(16)
            run.font.italic = italic
            for citation in citations:
                link = paragraph.add_run()
                link.text = f"  [{citation.label}]"
                link.font.size = SlidePt(11)
                link.hyperlink.address = citation.link
            paragraph.space_after = SlidePt(8)


def _lines_of(block: object) -> Iterator[tuple[str, tuple[Citation, ...], bool]]:
    if isinstance(block, Text):
        yield block.text, block.citations, False
    elif isinstance(block, Bullets):
        for item in block.items:
            yield f"• {item.text}", item.citations, False
    elif isinstance(block, Quote):
        yield f"“{block.text}”", (block.citation,), True


def _slide_table(slide: object, block: Table, left: int, top: int, width: int) -> None:
    rows, cols = len(block.rows) + 1, len(block.header)
    shape = slide.shapes.add_table(rows, cols, left, top, width, Cm(1.0) * rows)  # type: ignore[attr-defined]
    table = shape.table
    for column, text in enumerate(block.header):
        table.cell(0, column).text = text
    for r, row in enumerate(block.rows, start=1):
        for column, text in enumerate(row):
            table.cell(r, column).text = text
    for r in range(rows):
        for column in range(cols):
            for paragraph in table.cell(r, column).text_frame.paragraphs:
                paragraph.font.size = SlidePt(11)
