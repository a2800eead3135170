"""Graded judgements: each framework row's label followed closely by a grade."""

from __future__ import annotations

import re

from . import frameworks as fw
from .frameworks import FrameworkSpec, JudgementRow
from .grades import GRADE_PATTERN, normalise_grade
from .model import Judgement

# Between a label and its grade: punctuation, a row number, "is"/"are", a "Grade 3" tag.
_GAP = r"[\s:.\-–]{0,4}(?:(?:is|are)\s+(?:judged\s+(?:to\s+be\s+)?)?)?"


def find_judgements(
    spec: FrameworkSpec,
    opening: str,
    findings: str | None,
    whole: str,
    page_of: PageLocator,
) -> tuple[tuple[Judgement, ...], tuple[str, ...]]:
    """The graded judgements, and the keys of rows printed "Not judged"."""
    found: list[Judgement] = []
    not_judged: list[str] = []
    if spec.judgement_table:
        keys = {row.key for row in spec.judgements}
        for key, label, grade, offset in read_table(opening[: fw.TABLE_REACH], keys):
            if grade == _NOT_JUDGED:
                not_judged.append(key)
                continue
            page = page_of(opening, offset)
            found.append(Judgement(key=key, grade=grade, label=label, page=page))
    have = {judgement.key for judgement in found} | set(not_judged)
    for row in spec.judgements:
        if row.key in have:
            continue
        text = _scope_text(row, opening, findings, whole)
        hit = _find_row(row, text)
        if hit is not None:
            label, grade, offset = hit
            page = page_of(text, offset)
            found.append(Judgement(key=row.key, grade=grade, label=label, page=page))
    order = {row.key: index for index, row in enumerate(spec.judgements)}
    return tuple(sorted(found, key=lambda judgement: order[judgement.key])), tuple(not_judged)


_NOT_JUDGED = "not_judged"  # a table row printed "Not judged" (no such service to grade)
# A footnote marker may cling to a grade ("Good1").
_GRADE_WORD = re.compile(rf"\b(?:{GRADE_PATTERN}|{fw.TABLE_NOT_JUDGED})(?=\d{{0,2}}\b)", re.I)
_LABEL_START = re.compile(fw.TABLE_LABEL_START, re.I)
_ROW_NUMBER = re.compile(fw.TABLE_ROW_NUMBER)
_NOT_A_ROW = re.compile(fw.TABLE_NOT_A_ROW, re.I)
_NEXT_ROW = re.compile(fw.TABLE_NEXT_ROW)  # case matters: a capital "The"
_FOOTNOTE = re.compile(r"(?<=[a-z)])\d{1,2}\b|[\u00b9\u00b2\u00b3\u2070-\u2079*†‡]")
_KEY_TERMS = tuple((k.key, re.compile(k.terms)) for k in fw.JUDGEMENT_KEYS)


def read_table(text: str, keys: set[str]) -> list[tuple[str, str, str, int]]:
    """Judgement-table rows (key, label, grade, offset): the text before each grade word, from
    the last sentence, colon, table header or row number, read as a row's label when it is short,
    is no sentence, and names one of `keys` by its key terms. Rows count only in runs of two or
    more, as a table prints them: a lone label-and-grade is prose ("children in care are good")."""
    runs: list[list[tuple[str, str, str, int]]] = [[]]
    previous = 0
    for match in _GRADE_WORD.finditer(text):
        row = _row(text[previous : match.start()], previous, keys)
        previous = match.end()
        if row is None or any(row[0] == seen[0] for seen in runs[-1]):
            runs.append([])
            if row is None:
                continue
        key, label, offset = row
        runs[-1].append((key, label, _grade(match.group(0)), offset))
    found: dict[str, tuple[str, str, str, int]] = {}
    for run in runs:
        if len(run) >= 2:
            for row_found in run:
                found.setdefault(row_found[0], row_found)
    return list(found.values())


def _grade(printed: str) -> str:
    return _NOT_JUDGED if printed.lower().startswith("not") else normalise_grade(printed)


def _row(segment: str, offset: int, keys: set[str]) -> tuple[str, str, int] | None:
    """The row label ending a segment of text before a grade word, with its key and offset."""
    starts = list(_LABEL_START.finditer(segment[-200:]))
    cut = len(segment) - len(segment[-200:]) + (starts[-1].end() if starts else 0)
    rows = list(_NEXT_ROW.finditer(segment, cut + 1))
    cut = rows[-1].end() if rows else cut
    label = _ROW_NUMBER.sub("", segment[cut:].strip(" -–|"))
    if (
        not label
        or not label[0].isupper()  # a table row starts with a capital; prose runs on
        or len(label.split()) > fw.TABLE_LABEL_MAX_WORDS
        or _NOT_A_ROW.search(label)
    ):
        return None
    key = key_of(label, keys)
    if key is None:
        return None
    return key, label.strip(), offset + cut + (len(segment[cut:]) - len(segment[cut:].lstrip()))


def key_of(label: str, keys: set[str]) -> str | None:
    """The canonical judgement a printed label names, by its key terms (first match wins)."""
    normal = " ".join(_FOOTNOTE.sub("", label.lower()).replace("-", " ").split())
    for key, terms in _KEY_TERMS:
        if terms.search(normal):
            return key if key in keys else None
    return None


class PageLocator:
    """Maps an offset in one of the flattened texts back to the page it came from."""

    def __init__(self, pages: list[tuple[int, str]]) -> None:
        self._pages = pages

    def __call__(self, text: str, offset: int) -> int | None:
        snippet = text[max(0, offset) : offset + 60]
        for number, page_text in self._pages:
            if snippet and snippet in page_text:
                return number
        return None


def _scope_text(row: JudgementRow, opening: str, findings: str | None, whole: str) -> str:
    if row.scope == "findings":
        return findings if findings is not None else whole
    if row.scope == "anywhere":
        return whole
    return opening


def _find_row(row: JudgementRow, text: str) -> tuple[str, str, int] | None:
    best: tuple[str, str, int] | None = None
    for label in row.labels:
        pattern = re.compile(
            rf"(?P<label>{label}){_GAP}(?P<grade>{GRADE_PATTERN})(?=\d{{0,2}}\b)", re.I
        )
        for match in pattern.finditer(text):
            if _is_descriptor(text, match.start()):
                continue
            candidate = (match.group("label"), normalise_grade(match.group("grade")), match.start())
            if best is None or candidate[2] < best[2]:
                best = candidate
            break
    return best


def _is_descriptor(text: str, start: int) -> bool:
    """Skip grade-descriptor prose such as 'An LSCB that is good ...' or 'to be judged good'."""
    before = text[max(0, start - 12) : start].lower()
    return before.endswith(("an ", "that ", "if the ", "where the "))
