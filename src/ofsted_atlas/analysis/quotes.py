"""Which of Ofsted's sentences a briefing may quote on its own.

A quote must be a whole finding a reader can use out of context: not too short or long, not
opening with a pronoun or a link word that points at the sentence before, not turning on a
contrast (its polarity would be mixed), evaluative in the quoted direction (the codebook's
polarity cues), not a bare fact or figure (the codebook's neutral cues), and used once per
briefing (`QuoteGuard`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ofsted_atlas.coding.codebook import load_codebook

MIN_LENGTH, MAX_LENGTH = 60, 330
# Openings that lean on the previous sentence: shown alone they leave the reader guessing.
DEPENDENT_OPENINGS = re.compile(
    r"^(?:this|that|these|those|it|its|they|their|them|he|she|his|her|such|both|each of these|"
    r"also|in addition|additionally|furthermore|moreover|as a result|consequently|therefore|"
    r"however|but|and|similarly|likewise|again|here|there they|of these|in these|this is|"
    r"for example|for instance|in one|in another|in a small number|in the|as a|ofsted|"
    r"nonetheless|nevertheless|instead|meanwhile|examples include|one example|another)\b",
    re.I,
)
# A contrast inside the sentence: one half praises, the other criticises.
CONTRAST = re.compile(
    r"\b(?:however|but|although|though|while|whilst|despite|except|yet|nevertheless)\b", re.I
)
# A heading or grade table run into the sentence by the page layout.
RUN_IN_HEADING = re.compile(
    r"(?i:\b(?:inadequate|good|outstanding|requires improvement(?: to be good)?)\s+summary\b|"
    r"judgement grade|key judgement)|\s[a-z]+ [A-Z][a-z]+ and I[A-Z]|[a-z0-9]\.[A-Z]|"
    r"\b[a-z]+ (?:Outstanding|Good|Inadequate|Requires improvement(?: to be good)?) [A-Z]"
)
# Weakness cues that also sit inside strength sentences: they do not make a sentence critical.
WEAK_CONTRARY = re.compile(
    r"\b(?:not|no|too|lack\w*|inconsisten\w*|insufficient\w*|weak\w*|poor\w*|delay\w*|drift\w*|"
    r"limited|variable|inadequate\w*|fail\w*|unclear|gaps?|shortfall\w*|concern\w*)\b|n't\b",
    re.I,
)


@lru_cache(maxsize=1)
def _cues() -> dict[str, tuple[re.Pattern[str], ...]]:
    return load_codebook().polarity_patterns


def is_quotable(text: str, polarity: str) -> bool:
    text = text.strip()
    if not MIN_LENGTH <= len(text) <= MAX_LENGTH or not text[:1].isupper():
        return False
    if text[-1] not in ".!" or text.count("(") != text.count(")") or "\u2022" in text:
        return False
    if DEPENDENT_OPENINGS.match(text) or CONTRAST.search(text):
        return False
    if RUN_IN_HEADING.search(text) or sum(ch.isdigit() for ch in text) > 4:
        return False
    cues = _cues()
    if any(p.search(text) for p in cues.get("neutral", ())):
        return False
    if polarity == "strength":
        return any(p.search(text) for p in cues.get("strength", ())) and not WEAK_CONTRARY.search(
            text
        )
    if polarity == "weakness":
        return bool(WEAK_CONTRARY.search(text))
    return True


class QuoteGuard:
    """Remembers what a briefing has quoted: no sentence (or its wording) twice."""

    def __init__(self) -> None:
        self._ids: set[int] = set()
        self._texts: set[str] = set()

    def take(self, sentence_id: int, text: str) -> bool:
        key = re.sub(r"\W+", " ", text.lower()).strip()
        if sentence_id in self._ids or key in self._texts:
            return False
        self._ids.add(sentence_id)
        self._texts.add(key)
        return True


@lru_cache(maxsize=1)
def _theme_cues() -> dict[str, tuple[re.Pattern[str], ...]]:
    return {theme.id: theme.patterns for theme in load_codebook().themes}


def on_theme(theme: str, text: str) -> bool:
    """The sentence names its theme in the codebook's words (a cue fires)."""
    return any(p.search(text) for p in _theme_cues().get(theme, ()))
