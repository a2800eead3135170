"""Briefings on the whole coded corpus: they agree with the parsed data and with the seeds, and
the Word, PowerPoint and Excel files open and render in LibreOffice."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from pptx import Presentation

import ofsted_atlas
from ofsted_atlas.analysis import Filters, theme_association
from ofsted_atlas.parse.authorities import normalise_name
from ofsted_atlas.publish.briefings import build_briefing, build_content
from ofsted_atlas.publish.document import Table
from tests.conftest import REFERENCE
from tests.corpus.test_corpus import _annex_rows
from tests.labels import parsed_count

pytestmark = pytest.mark.corpus
LOOKUP = REFERENCE / "la_lookup.csv"
SEED_000_WEAKNESSES = (
    "management_oversight",
    "workforce_capacity",
    "performance_data",
    "drift_delay",
    "exploitation_missing",
)


def test_weaknesses_rediscover_seed_000(coded_corpus: Path) -> None:
    conn = ofsted_atlas.open_db(coded_corpus)
    ranked = theme_association(conn, polarity="weakness")
    rank = {a.theme: i for i, a in enumerate(ranked, start=1)}
    # All five separate inadequate from other councils; where each ranks among the 28 shifts with
    # the theme model (drift and oversight lead; exploitation is criticised at every grade).
    assert all(a.significant for a in ranked if a.theme in SEED_000_WEAKNESSES)
    assert sum(rank[t] <= 12 for t in SEED_000_WEAKNESSES) >= 3, rank
    assert all(rank[t] <= 20 for t in SEED_000_WEAKNESSES), rank
    assert all(a.evidence and a.evidence[0].page for a in ranked[:12])


def test_mapping_statistics_agree_with_parsed_judgements(coded_corpus: Path) -> None:
    conn = ofsted_atlas.open_db(coded_corpus)
    briefing = build_content(conn, "mapping")
    tables = {b.caption: b for s in briefing.sections for b in s.blocks if isinstance(b, Table)}
    by_framework = tables["Overall effectiveness by framework"]
    expected: Counter[str] = Counter(
        r["framework"]
        for r in ofsted_atlas.export_reports(conn)
        if r["status"] == "parsed" and "overall_effectiveness" in r["judgements"]
    )
    assert {row[0]: int(row[1]) for row in by_framework.rows} == dict(expected)
    annex = tables["Every inspection in scope, with its judgements"]
    assert len(annex.rows) == sum(
        1 for r in ofsted_atlas.export_reports(conn) if r["status"] == "parsed"
    )


def test_mapping_annex_agrees_with_seed_004(coded_corpus: Path) -> None:
    conn = ofsted_atlas.open_db(coded_corpus)
    briefing = build_content(
        conn,
        "mapping",
        filters=Filters(since="2013-01-01", until="2014-12-31", frameworks=("sif",)),
    )
    annex = next(
        b
        for s in briefing.sections
        for b in s.blocks
        if isinstance(b, Table) and b.caption.startswith("Every inspection")
    )
    header = list(annex.header)
    ours = {normalise_name(row[0]): row for row in annex.rows}
    compared = 0
    for name, overall, lscb in _annex_rows():
        row = ours.get(normalise_name(name))
        if row is None:
            continue
        compared += 1
        assert row[header.index("Overall effectiveness")].lower() == overall.lower(), name
        assert row[header.index("LSCB")].lower() == lscb.lower(), name
    assert compared >= 10


def test_authority_briefing_content(coded_corpus: Path) -> None:
    conn = ofsted_atlas.open_db(coded_corpus)
    briefing = build_content(conn, "authority", authority_name="Norfolk", lookup=LOOKUP)
    titles = [s.title for s in briefing.sections]
    assert titles == [
        "Judgements",
        "Summary of findings",
        "What needs to improve",
        "Progress since the last inspection",
        "Inspection history",
        "Statistical neighbours",
    ]
    judgements = briefing.sections[0].blocks[0]
    assert (
        isinstance(judgements, Table)
        and ("Overall effectiveness", "Good", "Requires improvement") in judgements.rows
    )
    assert all(
        c.link.startswith("file://") and "#page=" in c.link for c in briefing.all_citations()
    )


@pytest.mark.parametrize(
    ("kind", "fmt", "options"),
    [
        ("mapping", "docx", {}),
        ("weaknesses", "pptx", {}),
        ("authority", "pptx", {"authority_name": "Barnsley", "lookup": LOOKUP}),
        ("authority", "docx", {"authority_name": "80533", "lookup": LOOKUP}),
        ("workbook", "xlsx", {"lookup": LOOKUP}),
    ],
)
def test_office_files_open_and_render(
    coded_corpus: Path, tmp_path: Path, kind: str, fmt: str, options: dict[str, object]
) -> None:
    conn = ofsted_atlas.open_db(coded_corpus)
    payload = build_briefing(conn, kind, fmt, **options)
    path = tmp_path / f"{kind}.{fmt}"
    path.write_bytes(payload)
    if fmt == "docx":
        document = Document(io.BytesIO(payload))
        assert document.paragraphs[0].text and len(document.tables) >= 2
        assert len(document.inline_shapes) >= 1  # charts embedded as images
    elif fmt == "pptx":
        deck = Presentation(io.BytesIO(payload))
        assert len(deck.slides) >= 6
        assert any(shape.shape_type == 13 for slide in deck.slides for shape in slide.shapes)
    else:
        workbook = load_workbook(io.BytesIO(payload))
        assert workbook.sheetnames == ["Inspections", "Judgements", "Neighbours"]
        rows = workbook["Inspections"].max_row - 1  # less the header: every parsed report
        assert rows == parsed_count(), f"workbook has {rows} inspections, labels {parsed_count()}"
    _renders_in_libreoffice(path, tmp_path)


def _renders_in_libreoffice(path: Path, folder: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: .ci/run installs it")
    out = folder / "pdf"
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{folder}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = out / f"{path.stem}.pdf"
    pages = ofsted_atlas.extract_document(pdf.read_bytes(), str(pdf), "").pages
    assert len(pages) >= 1 and sum(len(p.text) for p in pages) > 500
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "2", str(pdf), str(folder / "page")],
            check=True,
            timeout=120,
        )
        from PIL import Image

        for image_path in folder.glob("page-*.png"):
            pixels = Image.open(image_path).convert("L").getextrema()
            assert pixels[0] < 200, f"{image_path.name} is blank"


def test_html_briefing_is_self_contained_and_escaped(coded_corpus: Path) -> None:
    conn = ofsted_atlas.open_db(coded_corpus)
    html = build_briefing(conn, "weaknesses", "html").decode()
    assert "vegaEmbed(" in html and "<script src=" not in html  # works offline
    assert re.search(r"<blockquote>“[^<]{20,}", html)
