"""What the model reads around a sentence, and within it.

Around it (codebook v2 reads a sentence in its section and paragraph): the heading of the section
it sits in, and the sentence before it in the same section. Within it: the clause that names each
theme, so that "While case records are not always up to date, most plans are effective" can be a
weakness for case recording and a strength for plans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .codebook import Theme
from .segment import split_sentences

_CLAUSE_BREAK = re.compile(
    r"[;:]\s+|,?\s+\b(?:however|but|although|though|while|whereas|despite|yet|except)\b\s*",
    re.I,
)

# "While X, Y" / "Although X, Y": the concession runs to the first comma.
_LEADING_CONCESSION = re.compile(
    r"^\s*(?:while|although|though|even though|whereas|despite)\b([^,]+),\s*(.+)$", re.I | re.S
)


@dataclass(frozen=True)
class Context:
    heading: str = ""
    previous: str = ""


def normal(text: str) -> str:
    """Lower-case words only: how a labelled span is matched to a parsed sentence."""
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def sentence_contexts(paragraphs: list[tuple[str, str]]) -> list[tuple[str, Context]]:
    """(sentence text, its context) for each sentence of (section heading, paragraph text) pairs
    given in reading order: the previous sentence is taken within the same section only."""
    out: list[tuple[str, Context]] = []
    previous, section = "", None
    for heading, text in paragraphs:
        if heading != section:
            previous, section = "", heading
        for sentence in split_sentences(text):
            flat = " ".join(sentence.text.split())
            out.append((flat, Context(heading or "", previous)))
            previous = flat
    return out


def theme_clause(theme: Theme, text: str) -> str:
    """The clauses of `text` in which the theme's cues occur (the whole sentence when none do, or
    when the sentence has a single clause)."""
    leading = _LEADING_CONCESSION.match(text)
    rest = leading.group(2) if leading else text
    clauses = [leading.group(1)] if leading else []
    clauses += [c for c in _CLAUSE_BREAK.split(rest) if c and c.strip()]
    if len(clauses) < 2:
        return text
    named = [c for c in clauses if any(p.search(c) for p in theme.patterns)]
    return " ".join(named) if named and len(named) < len(clauses) else text
