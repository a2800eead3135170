"""Sentences out of PDF paragraphs, with character spans into the paragraph's stored text.

Survives what reports print: bullets run into paragraphs, paragraph references "(Paragraphs 56,
57)", abbreviations ("e.g.", "i.e.", "No."), initials, decimals, and contents lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CANDIDATE = re.compile(
    r"[.!?][)\"'\u2019\u201d\]]*\s+|\s*[\u25fc\u2022\u25aa\u25a0\u25cf]\s*|"
    r"\s*[\ue000-\uf8ff]\s*"
)
_ABBREVIATIONS = frozenset(
    [
        "e.g",
        "i.e",
        "etc",
        "no",
        "nos",
        "para",
        "paras",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "cf",
        "vs",
        "approx",
        "inc",
        "fig",
        "ref",
        "ch",
        "sect",
    ]
)
_CONTENTS_LINE = re.compile(r"(?:\.{3,}|\s\d{1,3})$")
_MIN_WORDS = 3


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        if match.group(0).strip()[:1] in ".!?" and not _ends_sentence(text, match):
            continue
        end = match.start() + (1 if match.group(0).strip()[:1] in ".!?" else 0)
        if _balanced(text[start:end]):
            spans.append((start, end))
            start = match.end()
    spans.append((start, len(text)))
    return [Sentence(s, e, text[s:e].strip()) for s, e in _trimmed(text, spans) if _keep(text[s:e])]


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    before = text[: match.start()]
    word = before.rsplit(" ", 1)[-1].lower().lstrip("(")
    if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
        return False  # "e.g." or an initial: "J. Smith"
    following = text[match.end() : match.end() + 1]
    return bool(following) and (
        following.isupper() or following.isdigit() or following in "\"'(\u2018\u201c"
    )


def _balanced(chunk: str) -> bool:
    return chunk.count("(") <= chunk.count(")")


def _trimmed(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for start, end in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end))
    return out


def _keep(chunk: str) -> bool:
    chunk = chunk.strip()
    return (
        len(chunk.split()) >= _MIN_WORDS
        and any(ch.islower() for ch in chunk)
        and not _CONTENTS_LINE.search(chunk)
    )
