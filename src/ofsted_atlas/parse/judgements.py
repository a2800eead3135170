"""Graded judgements: each framework row's label followed closely by a grade."""

from __future__ import annotations

import re

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
) -> tuple[Judgement, ...]:
    found: list[Judgement] = []
    for row in spec.judgements:
        text = _scope_text(row, opening, findings, whole)
        hit = _find_row(row, text)
        if hit is not None:
            label, grade, offset = hit
            page = page_of(text, offset)
            found.append(Judgement(key=row.key, grade=grade, label=label, page=page))
    return tuple(found)


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
        pattern = re.compile(rf"(?P<label>{label}){_GAP}(?P<grade>{GRADE_PATTERN})\b", re.I)
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
