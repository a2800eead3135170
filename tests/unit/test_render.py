"""Renderers on a hand-built briefing: structure, hyperlinks, and escaping of report text."""

from __future__ import annotations

import io

from docx import Document
from pptx import Presentation

from ofsted_atlas.publish import charts
from ofsted_atlas.publish.document import (
    Briefing,
    Bullets,
    Chart,
    Citation,
    Quote,
    Section,
    Table,
    Text,
)
from ofsted_atlas.publish.render_html import render_html
from ofsted_atlas.publish.render_office import render_docx, render_pptx

CITE = Citation("Exampleshire 2022, p. 4, para 12", "file:///reports/x.pdf#page=4")


def briefing() -> Briefing:
    hostile = "<script>alert('x')</script> & plans"
    return Briefing(
        "test",
        "A briefing",
        "Subtitle",
        [
            Section(
                "Summary",
                [
                    Text("Most councils are good.", (CITE,)),
                    Bullets((Text(hostile, (CITE,)), Text("Second point"))),
                ],
            ),
            Section(
                "Evidence",
                [
                    Quote("Plans are not specific.", CITE),
                    Table(("Authority", "Grade"), (("A", "Good"), ("B", "Inadequate")), "Grades"),
                ],
            ),
            Section(
                "Chart",
                [
                    Chart(
                        charts.grade_distribution(
                            [{"framework": "sif", "good": 3, "inadequate": 1}],
                            "framework",
                            "Grades",
                        ),
                        "Grades by framework",
                    )
                ],
            ),
        ],
    )


def test_html_escapes_report_text_and_links_citations() -> None:
    html = render_html(briefing()).decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert 'href="file:///reports/x.pdf#page=4"' in html
    assert "<caption>Grades</caption>" in html and 'id="chart-0"' in html


def test_docx_has_headings_tables_links_and_chart() -> None:
    document = Document(io.BytesIO(render_docx(briefing())))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["Summary", "Evidence", "Chart"]
    assert document.tables[0].rows[2].cells[1].text == "Inadequate"
    assert len(document.inline_shapes) == 1
    rels = [r.target_ref for r in document.part.rels.values() if "hyperlink" in r.reltype]
    assert "file:///reports/x.pdf#page=4" in rels


def test_pptx_slides() -> None:
    deck = Presentation(io.BytesIO(render_pptx(briefing())))
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles[0] == "A briefing" and titles.count("Evidence") == 2  # quote slide + table slide
    assert any(shape.has_table for slide in deck.slides for shape in slide.shapes)


def rich_briefing() -> Briefing:
    """Front matter, placeholders, bullet levels, notes, a long table and a landscape annex."""
    rows = tuple((f"Authority {i}", "Requires improvement to be good", "x" * 60) for i in range(60))
    return Briefing(
        "mapping",
        "A council paper",
        "Subtitle",
        [
            Section(
                "Findings",
                [
                    Bullets(
                        (
                            Text("A finding", (CITE,), quote=True),
                            Text("A supporting quote", (CITE,), level=1, quote=True),
                        )
                    ),
                    Text("The council's own view", placeholder=True),
                    Chart(
                        charts.grade_distribution(
                            [{"year": "2019", "good": 3, "inadequate": 1}], "year", "Grades"
                        ),
                        "Grades by year",
                        alt="One bar: 2019, three good and one inadequate report.",
                    ),
                ],
                notes="Criticised in 43 of 46 inadequate reports.",
            ),
            Section(
                "Annex", [Table(("Authority", "Grade", "Notes"), rows, "Annex")], landscape=True
            ),
        ],
        date="2019-07-25",
        front_matter=[("From", Text("Name and role", placeholder=True))],
    )


def _xml(payload: bytes, prefix: str) -> str:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        return "".join(
            archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith(prefix)
        )


def test_docx_is_a4_numbered_described_and_keeps_table_rows_whole() -> None:
    payload = render_docx(rich_briefing())
    document = Document(io.BytesIO(payload))
    first, annex = document.sections[0], document.sections[-1]
    assert (round(first.page_width.cm, 1), round(first.page_height.cm, 1)) == (21.0, 29.7)
    assert (round(annex.page_width.cm, 1), round(annex.page_height.cm, 1)) == (29.7, 21.0)
    footer = "".join(p._p.xml for p in first.footer.paragraphs)
    assert "PAGE" in footer and "NUMPAGES" in footer
    props = document.core_properties
    assert props.title == "A council paper" and props.author == "Inspection Atlas"
    assert props.created.year == 2019 and props.last_modified_by == "Inspection Atlas"
    body = _xml(payload, "word/document.xml")
    assert body.count("<w:tblHeader/>") == 1 and body.count("<w:cantSplit/>") == 61
    assert 'descr="One bar: 2019, three good and one inadequate report."' in body
    text = "\n".join(p.text for p in document.paragraphs)
    assert (
        "[To complete: Name and role]" in text and "[To complete: The council's own view]" in text
    )
    assert "Criticised in 43 of 46" in text  # notes become a footnote paragraph
    styles = [p.style.name for p in document.paragraphs if p.text.startswith("A supporting")]
    assert styles == ["List Bullet 2"]


def test_docx_builds_on_a_councils_template(tmp_path) -> None:  # type: ignore[no-untyped-def]
    template = Document()
    template.styles.add_style("Council Body", 1)
    template.add_paragraph("Example text the council left in its template.")
    template.sections[0].header.paragraphs[0].text = "Exampleshire County Council"
    path = tmp_path / "council.docx"
    template.save(str(path))
    document = Document(io.BytesIO(render_docx(rich_briefing(), path)))
    assert "Council Body" in [s.name for s in document.styles]
    assert document.sections[0].header.paragraphs[0].text == "Exampleshire County Council"
    assert all("Example text" not in p.text for p in document.paragraphs)


def test_pptx_is_wide_centred_with_notes_alt_text_and_nothing_off_the_slide() -> None:
    deck = Presentation(io.BytesIO(render_pptx(rich_briefing())))
    width, height = deck.slide_width, deck.slide_height
    assert round(width / height, 2) == round(16 / 9, 2)
    assert deck.core_properties.author == "Inspection Atlas"
    for slide in deck.slides:
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, shape.name
            assert shape.left + shape.width <= width and shape.top + shape.height <= height
            if shape.shape_type == 13:  # a picture
                assert shape._element.nvPicPr.cNvPr.get("descr")
            if shape.is_placeholder and shape.has_text_frame:
                left_gap, right_gap = shape.left, width - shape.left - shape.width
                assert abs(left_gap - right_gap) < 10000, shape.name  # centred
    findings = next(s for s in deck.slides if s.shapes.title.text == "Findings")
    assert findings.notes_slide.notes_text_frame.text.startswith("Criticised in 43")
    body = next(s for s in findings.placeholders if s.placeholder_format.idx != 0)
    levels = [p.level for p in body.text_frame.paragraphs]
    assert levels[:2] == [0, 1]  # real bullet levels, in the layout's own placeholder
    annex = [s for s in deck.slides if s.shapes.title.text == "Annex"]
    assert len(annex) >= 3  # 60 long rows paginate, each page with its header row
    assert all(
        next(sh for sh in s.shapes if sh.has_table).table.cell(0, 0).text == "Authority"
        for s in annex
    )


def test_pptx_builds_on_a_councils_template(tmp_path) -> None:  # type: ignore[no-untyped-def]
    template = Presentation()
    template.slide_layouts[1].name = "Council content"
    template.slides.add_slide(template.slide_layouts[0]).shapes.title.text = "Example slide"
    path = tmp_path / "council.pptx"
    template.save(str(path))
    deck = Presentation(io.BytesIO(render_pptx(rich_briefing(), path)))
    assert all(s.shapes.title.text != "Example slide" for s in deck.slides)
    assert any(s.slide_layout.name == "Council content" for s in deck.slides)


def test_html_prints_on_a4_with_alt_text_placeholders_and_nested_bullets() -> None:
    html = render_html(rich_briefing()).decode()
    assert "size:A4" in html and "counter(page)" in html
    assert 'aria-label="One bar: 2019, three good and one inadequate report."' in html
    assert '<span class="placeholder">[To complete: Name and role]</span>' in html
    assert "<li>A finding" in html and "<ul><li>A supporting quote" in html
    assert '<meta name="author" content="Inspection Atlas">' in html
