"""Briefing -> PowerPoint (.pptx): 16:9, text in the layouts' own placeholders with bullet
levels, statistics in the speaker notes, charts with alt text, tables paginated so that every
shape stays on its slide; built on a council's own template's masters when given."""

from __future__ import annotations

import io
import math
from collections.abc import Iterator, Sequence
from pathlib import Path

from pptx import Presentation as new_deck
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.presentation import Presentation
from pptx.slide import SlideLayout
from pptx.util import Cm, Emu, Pt

from .charts import to_png
from .document import Briefing, Bullets, Chart, Citation, Note, Quote, Table, Text

WIDE = (Cm(33.867), Cm(19.05))
TEXT_BUDGET = 16  # lines of 16 pt text a 16:9 slide's body holds
LINE = 100  # characters to a line across the body at 16 pt (a little more at 14 pt)
ROW_BUDGET_CM = 13.0


def render_pptx(briefing: Briefing, template: Path | None = None) -> bytes:
    deck = _open(template)
    briefing.set_properties(deck.core_properties)
    own = template is None  # our own layouts: place every shape ourselves, centred
    cover = deck.slides.add_slide(_layout(deck, "title"))
    cover.shapes.title.text = briefing.title
    subtitle = _body(cover)
    if subtitle is not None:
        subtitle.text = briefing.subtitle  # type: ignore[attr-defined]
    if own:
        _place(cover.shapes.title, deck, Cm(5.0), Cm(5.0))
        if subtitle is not None:
            _place(subtitle, deck, Cm(10.5), Cm(4.0))
    for section in briefing.sections:
        for blocks in _slides_of(section.blocks):
            _slide(deck, section.title, blocks, section.notes, own)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _open(template: Path | None) -> Presentation:
    if template is not None:
        deck = new_deck(str(template))
        slides = deck.slides._sldIdLst  # a template's own example slides are not kept
        for slide_id in list(slides):
            deck.part.drop_rel(slide_id.rId)
            slides.remove(slide_id)
        return deck
    deck = new_deck()
    old_width, old_height = int(deck.slide_width or 1), int(deck.slide_height or 1)
    deck.slide_width, deck.slide_height = WIDE
    # The default masters are 4:3: stretch every placeholder so layouts stay centred.
    sx, sy = WIDE[0] / old_width, WIDE[1] / old_height
    for master in deck.slide_masters:
        for owner in (master, *master.slide_layouts):
            for shape in owner.placeholders:
                if shape.left is not None:
                    shape.left, shape.width = int(shape.left * sx), int(shape.width * sx)
                    shape.top, shape.height = int(shape.top * sy), int(shape.height * sy)
    return deck


_BODY_TYPES = {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT}
_TITLE_TYPES = {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE}


def _vertical(placeholder: object) -> bool:
    ph = placeholder._element.ph  # type: ignore[attr-defined]
    return ph is not None and ph.get("orient") == "vert"


def _layout(deck: Presentation, kind: str) -> SlideLayout:
    """From the deck's (or the council's template's) layouts: for 'title' the one with a centre
    title, for 'body' the title layout with the largest single body placeholder, for
    'title_only' a title with no body."""
    slide_area = int(deck.slide_width or 0) * int(deck.slide_height or 0)
    scored = []
    for index, layout in enumerate(deck.slide_layouts):
        placeholders = list(layout.placeholders)
        types = [p.placeholder_format.type for p in placeholders]
        bodies = [
            p for p in placeholders if p.placeholder_format.type in _BODY_TYPES and not _vertical(p)
        ]
        vertical = any(_vertical(p) for p in placeholders)
        has_title = any(t in _TITLE_TYPES for t in types)
        if vertical:
            continue
        if kind == "title" and PP_PLACEHOLDER.CENTER_TITLE in types:
            scored.append((0, index, layout))
        elif kind == "body" and PP_PLACEHOLDER.TITLE in types and len(bodies) == 1:
            area = (bodies[0].width or 0) * (bodies[0].height or 0)
            scored.append((0 if area >= 0.4 * slide_area else 1, index, layout))
        elif kind == "title_only" and PP_PLACEHOLDER.TITLE in types and not bodies:
            scored.append((len(types), index, layout))
        elif has_title:
            scored.append((9, index, layout))
    if not scored:
        return deck.slide_layouts[0]
    return min(scored, key=lambda item: (item[0], item[1]))[2]


def _body(slide: object) -> object | None:
    for shape in slide.placeholders:  # type: ignore[attr-defined]
        if shape.placeholder_format.type in (
            PP_PLACEHOLDER.BODY,
            PP_PLACEHOLDER.SUBTITLE,
            PP_PLACEHOLDER.OBJECT,
        ):
            return shape  # type: ignore[no-any-return]
    return None


def _lines(text: Text | Quote | Note) -> int:
    """Lines a paragraph takes, with its citation and the space after it."""
    citations = getattr(text, "citations", ()) or (
        (text.citation,) if isinstance(text, Quote) else ()
    )
    length = len(text.text) + sum(len(c.label) // 2 + 2 for c in citations)
    return math.ceil(length / LINE)


def _size(block: object) -> int:
    if isinstance(block, Text | Quote | Note):
        return _lines(block)
    if isinstance(block, Bullets):
        return sum(_lines(i) for i in block.items)
    return TEXT_BUDGET


def _slides_of(blocks: Sequence[object]) -> Iterator[list[object]]:
    """Text shares a slide up to the budget (bullet lists split between items); each table page
    or chart gets its own slide."""
    pending: list[object] = []
    used = 0
    for block in blocks:
        if isinstance(block, Table | Chart):
            if pending:
                yield pending
                pending, used = [], 0
            if isinstance(block, Table):
                for page in _table_pages(block):
                    yield [page]
            else:
                yield [block]
            continue
        pieces = (
            [Bullets(chunk) for chunk in _bullet_chunks(block.items)]
            if isinstance(block, Bullets)
            else [block]
        )
        for piece in pieces:
            size = _size(piece)
            if pending and used + size > TEXT_BUDGET:
                yield pending
                pending, used = [], 0
            pending.append(piece)
            used += size
    if pending:
        yield pending


def _bullet_chunks(items: tuple[Text, ...]) -> Iterator[tuple[Text, ...]]:
    """Split before a top-level item once the budget is reached (sub-items stay with theirs)."""
    chunk: list[Text] = []
    used = 0
    for item in items:
        size = _lines(item)
        if chunk and item.level == 0 and used + size > TEXT_BUDGET:
            yield tuple(chunk)
            chunk, used = [], 0
        chunk.append(item)
        used += size
    if chunk:
        yield tuple(chunk)


def _row_height_cm(row: Sequence[str], widths_cm: list[float]) -> float:
    lines = max(
        math.ceil(max(len(text), 1) / max(width * 5.0, 1))
        for text, width in zip(row, widths_cm, strict=True)
    )
    return 0.25 + 0.5 * lines


def _widths_cm(block: Table, total: float) -> list[float]:
    shares = list(block.widths) or [1.0] * len(block.header)
    return [total * s / sum(shares) for s in shares]


def _table_pages(block: Table) -> Iterator[Table]:
    widths = _widths_cm(block, 30.8)
    page: list[tuple[str, ...]] = []
    used = _row_height_cm(block.header, widths)
    for row in block.rows:
        height = _row_height_cm(row, widths)
        if page and used + height > ROW_BUDGET_CM:
            yield Table(block.header, tuple(page), block.caption, block.widths)
            page, used = [], _row_height_cm(block.header, widths)
        page.append(row)
        used += height
    yield Table(block.header, tuple(page), block.caption, block.widths)


MARGIN = Cm(1.5)
TITLE_TOP, TITLE_HEIGHT = Cm(0.8), Cm(2.8)
BODY_TOP = Cm(4.0)


def _place(shape: object, deck: Presentation, top: int, height: int) -> None:
    """Full width less the margins, centred."""
    shape.left, shape.width = MARGIN, int(deck.slide_width or 0) - 2 * MARGIN  # type: ignore[attr-defined]
    shape.top, shape.height = top, height  # type: ignore[attr-defined]


def _slide(
    deck: Presentation, title: str, blocks: list[object], notes: str, own: bool = True
) -> None:
    first = blocks[0]
    kind = "title_only" if isinstance(first, Table | Chart) else "body"
    slide = deck.slides.add_slide(_layout(deck, kind))
    slide.shapes.title.text = title
    if own:
        _place(slide.shapes.title, deck, TITLE_TOP, TITLE_HEIGHT)
        body_shape = _body(slide)
        if body_shape is not None:
            _place(body_shape, deck, BODY_TOP, int(deck.slide_height or 0) - BODY_TOP - Cm(1.0))
    if notes:
        slide.notes_slide.notes_text_frame.text = notes
    width, height = int(deck.slide_width or WIDE[0]), int(deck.slide_height or WIDE[1])
    top = Cm(4.2)
    if isinstance(first, Chart):
        picture = slide.shapes.add_picture(
            io.BytesIO(to_png(first.spec)), 0, top, height=int(height - top - Cm(1.2))
        )
        if picture.width > width - Cm(2):
            scale = (width - Cm(2)) / picture.width
            picture.width, picture.height = int(picture.width * scale), int(picture.height * scale)
        picture.left = int((width - picture.width) / 2)
        picture._element.nvPicPr.cNvPr.set("descr", first.description)
        picture._element.nvPicPr.cNvPr.set("title", first.caption)
        return
    if isinstance(first, Table):
        _slide_table(slide, first, width, top)
        return
    body = _body(slide)
    if body is None:
        body = slide.shapes.add_textbox(Cm(1.5), top, width - Cm(3), height - top - Cm(1))
    frame = body.text_frame  # type: ignore[attr-defined]
    frame.word_wrap = True
    first_paragraph = True
    for block in blocks:
        for text, citations, level, placeholder in _lines_of(block):
            paragraph = frame.paragraphs[0] if first_paragraph else frame.add_paragraph()
            first_paragraph = False
            paragraph.level = level
            run = paragraph.add_run()
            run.text = f"[To complete: {text}]" if placeholder else text
            run.font.size = Pt(16 if level == 0 else 14)
            run.font.italic = placeholder
            for citation in citations:
                link = paragraph.add_run()
                link.text = f"  {citation.label}"
                link.font.size = Pt(11)
                link.hyperlink.address = citation.link


def _lines_of(block: object) -> Iterator[tuple[str, tuple[Citation, ...], int, bool]]:
    if isinstance(block, Text):
        yield block.text, block.citations, 0, block.placeholder
    elif isinstance(block, Bullets):
        for item in block.items:
            yield item.text, item.citations, item.level, item.placeholder
    elif isinstance(block, Quote):
        yield f"“{block.text}”", (block.citation,), 0, False
    elif isinstance(block, Note):
        yield block.text, (), 0, False


def _slide_table(slide: object, block: Table, slide_width: int, top: int) -> None:
    widths = _widths_cm(block, 30.8)
    rows, cols = len(block.rows) + 1, len(block.header)
    heights = [_row_height_cm(block.header, widths)] + [
        _row_height_cm(r, widths) for r in block.rows
    ]
    left = int((slide_width - Cm(30.8)) / 2)
    shape = slide.shapes.add_table(  # type: ignore[attr-defined]
        rows, cols, left, top, Cm(30.8), Cm(sum(heights))
    )
    table = shape.table
    for column, width in enumerate(widths):
        table.columns[column].width = Cm(width)
    for r, height in enumerate(heights):
        table.rows[r].height = Cm(height)
    for column, text in enumerate(block.header):
        table.cell(0, column).text = text
    for r, row in enumerate(block.rows, start=1):
        for column, text in enumerate(row):
            table.cell(r, column).text = text
    for r in range(rows):
        for column in range(cols):
            for paragraph in table.cell(r, column).text_frame.paragraphs:
                paragraph.font.size = Pt(10)


__all__ = ["Emu", "render_pptx"]
