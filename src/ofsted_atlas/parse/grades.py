"""Grade words as printed -> the codebook's grade ids."""

from __future__ import annotations

import re

# Longest phrasings first so "requires improvement to be good" never matches as "good".
GRADE_PATTERN = (
    r"(?:requires?|requiring)\s+improvement(?:\s+to\s+be\s+good)?"
    r"|outstanding|inadequate|adequate|good"
)
_GRADE_RE = re.compile(GRADE_PATTERN, re.I)

GRADES = ("outstanding", "good", "requires_improvement", "adequate", "inadequate")


def normalise_grade(printed: str) -> str:
    text = " ".join(printed.lower().split())
    if "improvement" in text:
        return "requires_improvement"
    if text in GRADES:
        return text
    raise ValueError(f"not a grade: {printed!r}")


def find_grade(text: str) -> str | None:
    match = _GRADE_RE.search(text)
    return normalise_grade(match.group(0)) if match else None
