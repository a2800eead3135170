"""Show labelled sentences in their context, for reading them blind (codings are never printed).

For each label id: the report and page, the section heading the coded corpus database files the
sentence under (when a database is given and the sentence is found in it), the nearest heading-like
lines above the sentence in the page text (judgement areas, sub-headings), the previous sentences,
and the sentence itself. The text is read from ../shared at run time; never commit what this prints.

    python scripts/label_context.py s0003 t0101            # these ids
    python scripts/label_context.py --heldout --batch 0     # held-out ids 0-49, in file order
    python scripts/label_context.py --heldout --ids-only    # list the held-out ids
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import sys
from pathlib import Path

from ofsted_atlas.coding.labels import PRIMARY, LabelledSentence, load_labels
from ofsted_atlas.coding.segment import split_sentences
from ofsted_atlas.extract import Document, extract_document

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "reports"
_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
_SENTENCE_END = re.compile(r"[.;:,]\s*$")


def _clean(text: str) -> str:
    return " ".join(text.split())


def _lines_without_page_numbers(text: str) -> list[str]:
    return [line for line in text.split("\n") if not _PAGE_NUMBER.match(line)]


def _heading_like(lines: list[str], index: int, width: float) -> bool:
    """A line clearly shorter than the page's full lines, after a finished sentence, not ending
    in punctuation: a heading (wrapped paragraph lines run to the full width)."""
    line = lines[index].strip()
    if not line or len(line) > 0.75 * width or _SENTENCE_END.search(line):
        return False
    if not line[0].isupper() or len(line.split()) < 1:
        return False
    previous = lines[index - 1].strip() if index > 0 else ""
    return not previous or bool(re.search(r"[.:!?]\s*$", previous)) or len(previous) < 0.75 * width


def _full_width(pages: list[str]) -> float:
    lengths = sorted(len(line.strip()) for text in pages for line in text.split("\n"))
    long = [n for n in lengths if n > 40]
    return float(long[len(long) // 2]) if long else 80.0


def headings_above(document: Document, label: LabelledSentence, wanted: int = 2) -> list[str]:
    """The nearest heading-like lines above the sentence, nearest last (searching earlier pages)."""
    found: list[str] = []
    width = _full_width([page.text for page in document.pages[max(0, label.page - 3) : label.page]])
    page_index = label.page - 1
    text = document.pages[page_index].text[: label.start]
    while page_index >= 0 and len(found) < wanted:
        lines = _lines_without_page_numbers(text)
        for index in range(len(lines) - 1, -1, -1):
            if _heading_like(lines, index, width):
                heading = lines[index].strip()
                if heading not in found:
                    found.append(heading)
                if len(found) >= wanted:
                    break
        page_index -= 1
        if page_index >= 0 and page_index >= label.page - 8:
            text = document.pages[page_index].text
        else:
            break
    return list(reversed(found))


def previous_sentences(document: Document, label: LabelledSentence, count: int) -> list[str]:
    """The sentences before this one, from this page and the page before."""
    before = document.pages[label.page - 1].text[: label.start]
    if label.page >= 2:
        before = document.pages[label.page - 2].text + "\n" + before
    text = "\n".join(_lines_without_page_numbers(before))
    sentences = [_clean(s.text) for s in split_sentences(_clean(text))]
    return [s for s in sentences if s][-count:]


def database_section(db: sqlite3.Connection | None, label: LabelledSentence, sentence: str) -> str:
    if db is None:
        return ""
    probe = sentence[:60]
    row = db.execute(
        "SELECT s.heading, s.area FROM paragraphs p JOIN reports r ON r.id = p.report_id "
        "JOIN sections s ON s.report_id = p.report_id AND s.ordinal = p.section_ordinal "
        "WHERE r.source LIKE ? AND p.page BETWEEN ? AND ? AND instr(p.text, ?) > 0 LIMIT 1",
        ("%" + label.file, label.page - 1, label.page, probe),
    ).fetchone()
    if row is None:
        return ""
    heading, area = str(row[0]), row[1]
    return heading + (f" [{area}]" if area else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ids", nargs="*")
    parser.add_argument("--heldout", action="store_true", help="the held-out sentences")
    parser.add_argument("--batch", type=int, help="50 held-out sentences: batch N (0-based)")
    parser.add_argument("--size", type=int, default=50)
    parser.add_argument("--ids-only", action="store_true")
    parser.add_argument("--previous", type=int, default=2)
    parser.add_argument("--db", type=Path, help="a copy of the coded corpus database")
    parser.add_argument(
        "--labels",
        type=Path,
        default=PRIMARY,
        help="the file of sentence references to read the ids from (default: our labels); "
        "any CSV with the columns id, file, page, start, end, codings",
    )
    args = parser.parse_args(argv)

    labels = load_labels(args.labels)
    if args.heldout:
        chosen = [label for label in labels if label.heldout]
        if args.batch is not None:
            chosen = chosen[args.batch * args.size : (args.batch + 1) * args.size]
    else:
        by_id = {label.id: label for label in labels}
        chosen = [by_id[i] for i in args.ids]
    if args.ids_only:
        print("\n".join(label.id for label in chosen))
        return 0

    db = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True) if args.db else None
    documents: dict[str, Document] = {}
    for label in chosen:
        if label.file not in documents:
            path = CORPUS / label.file
            documents[label.file] = extract_document(path.read_bytes(), str(path), "")
        document = documents[label.file]
        sentence = _clean(document.pages[label.page - 1].text[label.start : label.end])
        print(f"=== {label.id}  {label.file.split('/')[0]}  p.{label.page}")
        section = database_section(db, label, sentence)
        if section:
            print(f"  section: {section}")
        for heading in headings_above(document, label):
            print(f"  heading: {heading}")
        for previous in previous_sentences(document, label, args.previous):
            print(f"  before:  {previous}")
        print(f"  >> {sentence}")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
