"""Our labelled sentences: references into the shared corpus (file, page, character span) plus
the coders' themes and polarities. The text itself is read from ../shared at run time.

The held-out sentences were each coded twice, independently, and the two readings' disagreements
adjudicated: `theme_labels.csv` holds the adjudicated gold, `theme_labels_heldout_readings.csv`
the two readings (for coder agreement). `theme_labels_second_reader.csv` is an earlier spot check:
a second reading of 180 sentences."""

from __future__ import annotations

import csv
import gzip
from dataclasses import dataclass
from pathlib import Path

from ofsted_atlas.errors import AtlasError
from ofsted_atlas.extract import Document, extract_document
from ofsted_atlas.parse import parse_document

from .context import Context, normal, sentence_contexts
from .model import Example

LABELS_DIR = Path(__file__).resolve().parents[3] / "labels"
PRIMARY = LABELS_DIR / "theme_labels.csv"
SECOND_READER = LABELS_DIR / "theme_labels_second_reader.csv"
HELDOUT_READINGS = LABELS_DIR / "theme_labels_heldout_readings.csv"


@dataclass(frozen=True)
class LabelledSentence:
    id: str
    file: str
    page: int
    start: int
    end: int
    heldout: bool
    themes: dict[str, str]


def parse_codings(text: str) -> dict[str, str]:
    """'theme:polarity;theme:polarity' -> {theme: polarity}."""
    pairs = (item.split(":", 1) for item in text.split(";") if item)
    return {theme: polarity for theme, polarity in pairs}


COLUMNS = ("id", "file", "page", "start", "end", "codings")


class LabelFileError(AtlasError):
    code = "label_file_error"
    hint = (
        "A labels file is a CSV with the columns id, file, page, start, end, codings (and "
        "optionally heldout); codings read 'theme:polarity;theme:polarity' (see labels/README.md)."
    )


def load_labels(path: Path = PRIMARY) -> list[LabelledSentence]:
    """Labels from a CSV (or a gzipped one: the teacher's readings), held-out flag optional."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in COLUMNS if column not in (reader.fieldnames or ())]
        if missing:
            raise LabelFileError(f"{path}: not a labels file (no column {', '.join(missing)})")
        return [
            LabelledSentence(
                id=row["id"],
                file=row["file"],
                page=int(row["page"]),
                start=int(row["start"]),
                end=int(row["end"]),
                heldout=row.get("heldout") == "1",
                themes=parse_codings(row["codings"]),
            )
            for row in reader
        ]


def load_second_reader(path: Path = SECOND_READER) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: parse_codings(row["codings"]) for row in csv.DictReader(handle)}


def load_heldout_readings(
    path: Path = HELDOUT_READINGS,
) -> dict[str, tuple[dict[str, str], dict[str, str]]]:
    """Held-out id -> (first reading, second reading), before adjudication."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["id"]: (parse_codings(row["first_reader"]), parse_codings(row["second_reader"]))
            for row in csv.DictReader(handle)
        }


def examples(
    labels: list[LabelledSentence], corpus: Path, with_context: bool = True
) -> list[Example]:
    """Read each labelled span's text from the corpus (one extraction per file), and, with
    `with_context`, its section heading and previous sentence as the parser and segmenter give
    them when the report is ingested (empty when the span does not match a parsed sentence)."""
    documents: dict[str, Document] = {}
    contexts: dict[str, dict[str, Context]] = {}
    out = []
    for label in labels:
        if label.file not in documents:
            path = corpus / label.file
            documents[label.file] = extract_document(path.read_bytes(), str(path), "")
            if with_context:
                contexts[label.file] = _contexts(documents[label.file])
        page = documents[label.file].pages[label.page - 1].text
        text = " ".join(page[label.start : label.end].split())
        context = contexts.get(label.file, {}).get(normal(text), Context())
        out.append(Example(text=text, themes=label.themes, context=context))
    return out


def _contexts(document: Document) -> dict[str, Context]:
    try:
        report = parse_document(document)
    except AtlasError:
        return {}
    headings = {section.ordinal: section.heading for section in report.sections}
    found: dict[str, Context] = {}
    pairs = [(headings.get(p.section, ""), p.text) for p in report.paragraphs]
    for text, context in sentence_contexts(pairs):
        found.setdefault(normal(text), context)
    return found
