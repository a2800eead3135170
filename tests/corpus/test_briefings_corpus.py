"""Briefings on the whole coded corpus: they agree with the parsed data and with the seeds, say
nothing in machine words, and the Word, PowerPoint and Excel files open, stay on their pages and
render in LibreOffice."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from pptx import Presentation

import ofsted_atlas
from ofsted_atlas.analysis import Filters, theme_association
from ofsted_atlas.analysis.labels import MONTHS
from ofsted_atlas.analysis.recurring import evaluate
from ofsted_atlas.parse.authorities import normalise_name
from ofsted_atlas.publish.briefings import build_briefing, build_content
from ofsted_atlas.publish.document import Briefing, Bullets, Chart, Table
from ofsted_atlas.publish.render_html import render_html
from ofsted_atlas.publish.render_office import render_docx, render_pptx
from tests.conftest import CORPUS, REFERENCE, ROOT
from tests.corpus.seed_themes import surfaced
from tests.corpus.test_corpus import _annex_rows
from tests.labels import parsed_count

pytestmark = pytest.mark.corpus
LOOKUP = REFERENCE / "la_lookup.csv"
SEED_PERIOD = Filters(since="2013-11-01", until="2014-10-31", frameworks=("sif",))
SEED_000_WEAKNESSES = (
    "Management oversight and supervision",
    "Workforce stability and caseloads",
    "Performance management and data",
    "Drift and delay",
    "Exploitation and missing children",
)
SEED_001_SECTIONS = (
    "Judgements",
    "High level summary",
    "Some important improvements have been made",
    "What needs to improve",
    "Other areas of focus",
    "Our own self-assessment concluded",
    "And identified the following priorities",
    "What next?",
    "What next: governance",
)
# A machine id: a snake_case word, or a framework id on its own.
MACHINE_ID = re.compile(r"\b[a-z]+_[a-z_]+\b|\b(?:sif|ilacs|lac_2012|cp_2012)\b")
LONG_DATE = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})\b")


@pytest.fixture(scope="module")
def conn(coded_corpus: Path):  # type: ignore[no-untyped-def]
    return ofsted_atlas.open_db(coded_corpus)


@pytest.fixture(scope="module")
def briefings(conn) -> dict[str, Briefing]:  # type: ignore[no-untyped-def]
    """Each briefing's content, built once."""
    return {
        "mapping-seed": build_content(conn, "mapping", filters=SEED_PERIOD, lookup=LOOKUP),
        "mapping-sif": build_content(
            conn, "mapping", filters=Filters(frameworks=("sif",)), lookup=LOOKUP
        ),
        "weaknesses": build_content(conn, "weaknesses", lookup=LOOKUP),
        "kirklees-2019": build_content(
            conn, "authority", authority_name="Kirklees", as_at="2019-07-25", lookup=LOOKUP
        ),
        "barnsley": build_content(conn, "authority", authority_name="Barnsley", lookup=LOOKUP),
    }


def test_weaknesses_rediscover_seed_000(conn) -> None:  # type: ignore[no-untyped-def]
    ranked = theme_association(conn, polarity="weakness")
    assert all(a.significant for a in ranked if a.name in SEED_000_WEAKNESSES)


def test_default_weaknesses_deck_has_seed_000s_five_as_findings(
    briefings: dict[str, Briefing],
) -> None:
    sections = {s.title: s for s in briefings["weaknesses"].sections}
    for name in SEED_000_WEAKNESSES:
        findings = [b for b in sections[name].blocks if isinstance(b, Bullets)]
        top = [i for b in findings for i in b.items if i.level == 0]
        assert top and all(i.citations and i.text.startswith("“") for i in top), name
        assert re.search(r"in \d+ of \d+ inadequate reports", sections[name].notes), name


@pytest.mark.parametrize("which", ["mapping-seed", "mapping-sif"])
def test_mapping_surfaces_seed_004s_themes(briefings: dict[str, Briefing], which: str) -> None:
    found = surfaced(briefings[which])
    assert sum(bool(v) for v in found.values()) >= 14, {k: v[:60] for k, v in found.items()}


def test_mapping_states_coverage_and_says_ties_and_small_groups_plainly(
    briefings: dict[str, Briefing],
) -> None:
    text = briefings["mapping-seed"].visible_text()
    assert re.search(r"This briefing holds \d+ inspection reports", text)
    assert re.search(r"covering \d+ local authorities", text)
    assert "odds ratio" not in text and "q =" not in text
    assert not re.search(r"\d\.?\d*e-\d", text)  # no scientific notation
    assert re.search(r"Only \d+ inadequate reports .*too few to compare", text)


def test_mapping_annex_agrees_with_seed_004(conn) -> None:  # type: ignore[no-untyped-def]
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
        assert row[header.index("Overall effectiveness")].lower().startswith(overall.lower())
        assert row[header.index("Safeguarding board")].lower().startswith(lscb.lower())
    assert compared >= 10


def test_authority_as_at_gives_seed_001s_sections_and_nothing_later(
    briefings: dict[str, Briefing],
) -> None:
    briefing = briefings["kirklees-2019"]
    titles = [s.title for s in briefing.sections]
    assert [t for t in titles if t in SEED_001_SECTIONS] == list(SEED_001_SECTIONS)
    assert "21 June 2019" in briefing.subtitle
    judgements = briefing.sections[0].blocks[0]
    assert isinstance(judgements, Table)
    assert ("Overall effectiveness", "Requires improvement to be good", "Inadequate") in (
        judgements.rows
    )
    as_at = date(2019, 7, 25)
    for day, month, year in LONG_DATE.findall(briefing.visible_text()):
        assert date(int(year), MONTHS.index(month) + 1, int(day)) <= as_at
    assert not re.search(r"\b20(?:2\d)\b", briefing.visible_text())
    improve = next(s for s in briefing.sections if s.title == "What needs to improve")
    items = [i for b in improve.blocks if isinstance(b, Bullets) for i in b.items]
    assert items[0].text.startswith("The quality of recording, assessments")  # verbatim
    placeholders = [
        b for s in briefing.sections for b in s.blocks if getattr(b, "placeholder", False)
    ]
    assert len(placeholders) >= 4


def test_recurring_recommendations_are_precise_on_labelled_pairs(conn) -> None:  # type: ignore[no-untyped-def]
    scores = evaluate(conn, ROOT / "labels" / "recurring_recommendations.csv", CORPUS)
    print(f"recurring: {scores} precision {scores.precision:.3f} recall {scores.recall:.3f}")
    assert scores.labelled >= 100
    assert scores.precision >= 0.9 and scores.recall >= 0.4


def _visible_html(html: bytes, folder: Path, charts: bool) -> str:
    """The text a reader sees once Chromium has run the page (charts drawn)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Chromium is not installed: .ci/run installs it")
    page = folder / "page.html"
    page.write_bytes(html)
    dom = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--virtual-time-budget=8000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    ).stdout
    dom = re.sub(r"<(script|style)\b.*?</\1>", " ", dom, flags=re.S)
    assert ("<svg" in dom) is charts  # the charts were drawn (as SVG: their words are seen)
    return re.sub(r"<[^>]+>", " ", dom)


def _office_text(payload: bytes) -> Iterator[str]:
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        for name in archive.namelist():
            if name.endswith(".xml") and re.match(r"(word|ppt|xl)/", name):
                xml = archive.read(name).decode("utf-8")
                for a, b in re.findall(r"<(?:w|a):t[^>]*>([^<]*)<|<t[^>]*>([^<]*)<", xml):
                    yield a or b


def test_no_machine_id_in_any_briefing(  # type: ignore[no-untyped-def]
    conn, briefings: dict[str, Briefing], tmp_path: Path
) -> None:
    for name, briefing in briefings.items():
        has_charts = any(isinstance(b, Chart) for s in briefing.sections for b in s.blocks)
        seen = _visible_html(render_html(briefing), tmp_path, has_charts)
        assert not MACHINE_ID.findall(seen), (name, MACHINE_ID.findall(seen)[:5])
        for payload in (render_docx(briefing), render_pptx(briefing)):
            words = " ".join(_office_text(payload))
            assert not MACHINE_ID.findall(words), (name, MACHINE_ID.findall(words)[:5])
    workbook = build_briefing(conn, "workbook", "xlsx", lookup=LOOKUP)
    words = " ".join(w for w in _office_text(workbook) if not w.endswith(".pdf"))
    assert not MACHINE_ID.findall(words), MACHINE_ID.findall(words)[:5]


@pytest.mark.parametrize("which", ["mapping-seed", "weaknesses", "kirklees-2019", "barnsley"])
def test_office_files_stay_on_their_pages_and_render(
    briefings: dict[str, Briefing], tmp_path: Path, which: str
) -> None:
    briefing = briefings[which]
    for fmt, render in (("docx", render_docx), ("pptx", render_pptx)):
        payload = render(briefing)
        if fmt == "docx":
            document = Document(io.BytesIO(payload))
            for section in document.sections:
                sizes = sorted([round(section.page_width.cm, 1), round(section.page_height.cm, 1)])
                assert sizes == [21.0, 29.7]  # A4, portrait or landscape
            for shape in document.inline_shapes:
                assert shape._inline.docPr.get("descr")
                assert shape.width <= document.sections[0].page_width
            assert document.core_properties.author == "Inspection Atlas"
        else:
            deck = Presentation(io.BytesIO(payload))
            for slide in deck.slides:
                for shape in slide.shapes:
                    assert shape.left >= 0 and shape.top >= 0
                    assert shape.left + shape.width <= deck.slide_width, shape.name
                    assert shape.top + shape.height <= deck.slide_height, shape.name
                    if shape.shape_type == 13:
                        assert shape._element.nvPicPr.cNvPr.get("descr")
        if which in ("mapping-seed", "kirklees-2019"):
            path = tmp_path / f"{which}.{fmt}"
            path.write_bytes(payload)
            _renders_in_libreoffice(path, tmp_path)


def test_workbook_has_labels_dates_names_print_setup_and_an_about_sheet(  # type: ignore[no-untyped-def]
    conn, tmp_path: Path
) -> None:
    payload = build_briefing(
        conn, "workbook", "xlsx", lookup=LOOKUP, filters=Filters(frameworks=("sif",))
    )
    workbook = load_workbook(io.BytesIO(payload))
    assert workbook.sheetnames == ["About", "Inspections", "Judgements", "Neighbours"]
    about = [row[1] for row in workbook["About"].iter_rows(min_row=5, values_only=True)]
    for sheet in workbook.sheetnames[1:]:
        header = [c.value for c in workbook[sheet][1]]
        assert set(header) <= set(about), set(header) - set(about)
        setup = workbook[sheet].page_setup
        assert setup.orientation == "landscape" and workbook[sheet].print_title_rows
    inspections = workbook["Inspections"]
    header = [c.value for c in inspections[1]]
    frameworks = {r[header.index("Framework")] for r in inspections.iter_rows(2, values_only=True)}
    assert frameworks == {"Single inspection framework"}  # the filter honoured
    ended = inspections.cell(2, header.index("Inspection ended") + 1)
    assert isinstance(ended.value, date) and "yyyy" in ended.number_format
    neighbours = workbook["Neighbours"]
    nheader = [c.value for c in neighbours[1]]
    names = [r[nheader.index("Neighbour 1")] for r in neighbours.iter_rows(2, values_only=True)]
    assert sum(bool(n) and not str(n).isdigit() for n in names) > 100
    everything = load_workbook(io.BytesIO(build_briefing(conn, "workbook", "xlsx")))
    rows = everything["Inspections"].max_row - 1  # less the header: every parsed report
    assert rows == parsed_count(), f"workbook has {rows} inspections, labels {parsed_count()}"
    path = tmp_path / "workbook.xlsx"
    path.write_bytes(payload)
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


def test_html_briefing_is_self_contained_and_escaped(conn) -> None:  # type: ignore[no-untyped-def]
    html = build_briefing(conn, "weaknesses", "html").decode()
    assert "vegaEmbed(" in html and "<script src=" not in html  # works offline
    assert re.search(r"<li>“[^<]{20,}", html)
