"""Briefing -> Word (.docx): A4, page numbers, document properties, tables whose header row
repeats and whose rows stay whole, charts with alt text, landscape sections for wide annexes,
marked placeholders; built on a council's own template (.docx or .dotx) when given."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document as new_word_document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_COLOR_INDEX
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .charts import to_png
from .document import Briefing, Bullets, Chart, Citation, Note, Quote, Section, Table, Text

A4 = (Cm(21.0), Cm(29.7))
MARGIN = Cm(2.0)
LINK_COLOUR = "0B5394"


def render_docx(briefing: Briefing, template: Path | None = None) -> bytes:
    document = _open(template)
    briefing.set_properties(document.core_properties)
    if template is None:  # a council's template keeps its own page setup, header and footer
        _page(document.sections[0], landscape=False)
        _page_numbers(document.sections[0])
    document.add_heading(briefing.title, level=0)
    subtitle = document.add_paragraph(briefing.subtitle)
    for run in subtitle.runs:
        run.italic = True
    for label, text in briefing.front_matter:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        _add_text(paragraph, text)
    landscape = False
    for section in briefing.sections:
        if section.landscape != landscape:
            new = document.add_section(WD_SECTION.NEW_PAGE)
            _page(new, landscape=section.landscape)
            landscape = section.landscape
        _section(document, section)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _open(template: Path | None) -> WordDocument:
    if template is None:
        document = new_word_document()
        style = document.styles["Normal"]
        style.font.name = "Arial"
        style.font.size = Pt(10.5)
        return document
    document = new_word_document(str(template))
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document


def _page(section: object, landscape: bool) -> None:
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT  # type: ignore[attr-defined]
    section.page_width, section.page_height = (height, width) if landscape else (width, height)  # type: ignore[attr-defined]
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)


def _page_numbers(section: object) -> None:
    paragraph = section.footer.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.text = "Page "
    _field(paragraph, "PAGE")
    paragraph.add_run(" of ")
    _field(paragraph, "NUMPAGES")


def _field(paragraph: object, code: str) -> None:
    run = paragraph.add_run()  # type: ignore[attr-defined]
    for kind, text in (("begin", None), ("instr", code), ("separate", None), ("end", None)):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
        if kind == "separate":
            number = OxmlElement("w:t")
            number.text = "1"
            run._r.append(number)


def _section(document: WordDocument, section: Section) -> None:
    document.add_heading(section.title, level=min(section.level, 3))
    for block in section.blocks:
        _block(document, block)
    if section.notes:
        for line in section.notes.split("\n"):
            document.add_paragraph(line, style=_style(document, "Caption"))


def _style(document: WordDocument, name: str, fallback: str = "Normal") -> str:
    return name if name in [s.name for s in document.styles] else fallback


def _block(document: WordDocument, block: object) -> None:
    if isinstance(block, Text):
        _add_text(document.add_paragraph(), block)
    elif isinstance(block, Bullets):
        for item in block.items:
            style = "List Bullet" if item.level == 0 else "List Bullet 2"
            _add_text(document.add_paragraph(style=_style(document, style)), item)
    elif isinstance(block, Quote):
        paragraph = document.add_paragraph(style=_style(document, "Quote"))
        paragraph.add_run(f"“{block.text}”")
        _citations(paragraph, (block.citation,))
    elif isinstance(block, Note):
        paragraph = document.add_paragraph()
        run = paragraph.add_run(block.text)
        run.font.size = Pt(8.5)
        run.italic = True
    elif isinstance(block, Table):
        _table(document, block)
    elif isinstance(block, Chart):
        width = Cm(15.5)
        document.add_picture(io.BytesIO(to_png(block.spec)), width=width)
        picture = document.inline_shapes[-1]
        doc_pr = picture._inline.docPr
        doc_pr.set("descr", block.description)
        doc_pr.set("title", block.caption)
        document.add_paragraph(block.caption, style=_style(document, "Caption"))


def _add_text(paragraph: object, text: Text) -> None:
    if text.placeholder:
        run = paragraph.add_run(f"[To complete: {text.text}]")  # type: ignore[attr-defined]
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        run.italic = True
        return
    paragraph.add_run(text.text)  # type: ignore[attr-defined]
    _citations(paragraph, text.citations)


def _table(document: WordDocument, block: Table) -> None:
    if block.caption:
        caption = document.add_paragraph(block.caption, style=_style(document, "Caption"))
        caption.paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=len(block.header))
    # Narrow columns on a portrait page: a smaller size keeps "improvement" whole.
    size = Pt(9) if len(block.header) <= 5 or section_is_landscape(document) else Pt(7.5)
    table.style = _style(document, "Light Grid Accent 1", "Table Grid")
    header = table.rows[0]
    _row_properties(header, repeat=True)
    for cell, text in zip(header.cells, block.header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
            run.font.size = size
    for row in block.rows:
        new = table.add_row()
        _row_properties(new, repeat=False)
        for cell, text in zip(new.cells, row, strict=True):
            cell.text = text
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = size
    total = sum(block.widths) if block.widths else float(len(block.header))
    shares = block.widths or tuple(1.0 for _ in block.header)
    usable = int(document.sections[-1].page_width or A4[0]) - 2 * MARGIN
    table.autofit = False
    for column, share in zip(table.columns, shares, strict=True):
        column.width = int(usable * share / total)
    for row in table.rows:
        for cell, share in zip(row.cells, shares, strict=True):
            cell.width = int(usable * share / total)


def section_is_landscape(document: WordDocument) -> bool:
    section = document.sections[-1]
    return bool((section.page_width or 0) > (section.page_height or 0))


def _row_properties(row: object, repeat: bool) -> None:
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    cant_split = OxmlElement("w:cantSplit")
    properties.append(cant_split)
    if repeat:
        header = OxmlElement("w:tblHeader")
        properties.append(header)


def _citations(paragraph: object, citations: tuple[Citation, ...]) -> None:
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
    colour.set(qn("w:val"), LINK_COLOUR)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "18")
    properties.append(colour)
    properties.append(underline)
    properties.append(size)
    run.append(properties)
    text_element = OxmlElement("w:t")
    text_element.text = text
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)  # type: ignore[attr-defined]


__all__ = ["RGBColor", "render_docx"]
