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
