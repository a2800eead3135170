"""The children's social care National Framework tag that, from 2025, ends each "What needs to
improve?" item: read into a structured `FrameworkTag` and stripped from the item's text. The
printed forms are data in `frameworks.NATIONAL_FRAMEWORK_TAG`."""

from __future__ import annotations

import re

from . import printed
from .model import FrameworkTag

_TAG = re.compile(printed.NATIONAL_FRAMEWORK_TAG, re.I)
_TAG_WORDS = ("outcome", "enabler", "principle")
_TAG_REACH = 160  # a tag is the last words of an item


def national_framework_tag(text: str) -> tuple[str, FrameworkTag | None]:
    """The item without its closing National Framework tag, and the tag (kind and number)."""
    tail = text[-_TAG_REACH:]
    lowered = tail.lower()
    if not any(word in lowered for word in _TAG_WORDS):
        return text, None
    match = _TAG.search(tail)
    if match is None:
        return text, None
    name = match.group("name")
    if name and name.lower() == "national framework":  # "Enabler three: National Framework."
        name = None
        names_framework = True
    else:
        names_framework = bool(match.group("nf1") or match.group("nf2"))
    if match.group("open") is None and not names_framework:
        return text, None
    kind = match.group("kind").lower()
    number = _tag_number(kind, match.group("number"), name)
    if number is None and not names_framework:
        return text, None
    stripped = text[: len(text) - len(tail) + match.start()].rstrip()
    if match.group("stop") and not stripped.endswith((".", "?", "!")):
        stripped += "."
    return stripped, FrameworkTag(kind=kind, number=number) if number is not None else None


def _tag_number(kind: str, number: str | None, name: str | None) -> int | None:
    if number:
        return int(number) if number.isdigit() else printed.NUMBER_WORDS[number.lower()]
    if name:
        return printed.NATIONAL_FRAMEWORK_NAMES.get((kind, " ".join(name.lower().split())))
    return None
