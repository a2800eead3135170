"""The teacher's readings are stored and read back like our labels (no torch needed here)."""

from __future__ import annotations

from pathlib import Path

from ofsted_atlas.coding import teacher
from ofsted_atlas.coding.codebook import THEME_IDS
from ofsted_atlas.coding.features import polarity_features, text_features
from ofsted_atlas.coding.labels import examples, load_labels
from ofsted_atlas.coding.model import Example, ThemeModel, train
from ofsted_atlas.extract import Document, Page


def _document() -> Document:
    pages = (
        Page(1, "Inspection of Anyshire\n\nAssessments   are thorough and\ntimely.  Plans drift."),
        Page(2, "Care leavers\nare  well supported by\npersonal advisers."),
    )
    return Document(source="x.pdf", sha256="", kind="pdf", pages=pages)


def test_locate_finds_a_flattened_sentence_on_its_page_or_the_next() -> None:
    document = _document()
    page, start, end = teacher.locate(document, 1, "Assessments are thorough and timely.") or (
        0,
        0,
        0,
    )
    assert page == 1
    assert " ".join(document.pages[0].text[start:end].split()) == (
        "Assessments are thorough and timely."
    )
    found = teacher.locate(document, 1, "Care leavers are well supported by personal advisers.")
    assert found is not None and found[0] == 2
    assert teacher.locate(document, 1, "A sentence that is not there.") is None


def test_readings_round_trip_through_the_gzipped_label_file(tmp_path: Path) -> None:
    document = _document()
    text = "Care leavers are well supported by personal advisers."
    span = teacher.locate(document, 2, text)
    assert span is not None
    refs = [
        teacher.SpanRef("a.pdf", *span, text),
        teacher.SpanRef("a.pdf", 1, 0, 5, "ignored"),
    ]
    path = tmp_path / "readings.csv.gz"
    teacher.write_teacher_labels(path, refs, [{"care_leavers": "strength"}, {}])
    labels = load_labels(path)
    assert len(labels) == 1  # a sentence with no theme read teaches polarity nothing: left out
    assert labels[0].themes == {"care_leavers": "strength"} and not labels[0].heldout
    assert (labels[0].page, labels[0].start, labels[0].end) == span


def test_sentences_sharing_wording_with_heldout_ones_are_excluded() -> None:
    held = [Example("Managers do not routinely record their decisions on children's files.", {})]
    shingles = teacher._shingles_of(held)
    near = teacher._normal("In Anyshire managers do not routinely record their decisions on files")
    far = teacher._normal("Care leavers are well supported by personal advisers in Anyshire today.")
    assert teacher._shingles(near) & shingles
    assert not teacher._shingles(far) & shingles


def test_polarity_learns_from_readings_too() -> None:
    """The readings teach polarity that the hand-coded sentences cannot: "vague plans that
    drift" shares no cue with them. Regression: this test passed when the readings were
    dropped, because it only counted them and asked about a sentence with a "not" in it."""
    labelled = [
        Example("Assessments are thorough and timely.", {"assessment_quality": "strength"}),
        Example(
            "Assessments are not timely and lack analysis.", {"assessment_quality": "weakness"}
        ),
    ] * 6
    readings = [
        Example("Plans are precise and reviewed often.", {"planning_quality": "strength"}),
        Example("Plans are vague and drift for months.", {"planning_quality": "weakness"}),
    ] * 20
    texts = ["Plans are precise and reviewed often.", "Plans are vague and drift for months."]

    def weakness_probability(model: ThemeModel) -> list[float]:
        base = text_features(model.codebook, model.vectorizers, texts)
        pairs = [(i, THEME_IDS.index("planning_quality")) for i in range(len(texts))]
        probabilities = model.polarity_model.predict_proba(
            polarity_features(model.codebook, model.vectorizers, model.settings, base, texts, pairs)
        )
        column = list(model.polarity_model.classes_).index("weakness")
        return [float(p) for p in probabilities[:, column]]

    taught = train(labelled, polarity_readings=readings)
    assert taught.meta["polarity_readings"] == len(readings)
    precise, vague = weakness_probability(taught)
    assert precise < 0.2 and vague > 0.8
    # The control: without the readings the same model cannot tell these two apart.
    untaught_precise, untaught_vague = weakness_probability(train(labelled))
    assert untaught_vague < 0.8 and abs(untaught_vague - untaught_precise) < 0.5


def test_examples_read_spans_from_a_corpus_folder(tmp_path: Path) -> None:
    # A text report stands in for a PDF: one page, so the span is into its whole text.
    report = tmp_path / "r" / "report.txt"
    report.parent.mkdir()
    report.write_text("Plans drift.  Care leavers are well\nsupported.\n", encoding="utf-8")
    path = tmp_path / "readings.csv.gz"
    text = "Care leavers are well supported."
    document = Document("r/report.txt", "", "text", (Page(1, report.read_text("utf-8")),))
    span = teacher.locate(document, 1, text)
    assert span is not None
    teacher.write_teacher_labels(
        path, [teacher.SpanRef("r/report.txt", *span, text)], [{"care_leavers": "strength"}]
    )
    assert [e.text for e in examples(load_labels(path), tmp_path)] == [text]
