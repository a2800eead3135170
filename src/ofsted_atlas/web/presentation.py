"""Presentation helpers for the pages: labels and highlighted snippets (the map and chart specs
are in views.py, the words for stored ids in labels.py)."""

from __future__ import annotations

from typing import Any

from ofsted_atlas.coding.codebook import load_codebook
from ofsted_atlas.store.search import HIGHLIGHT_END, HIGHLIGHT_START


def _grade_label(grade: str | None) -> str:
    from ofsted_atlas.publish.briefings.common import grade_label

    return grade_label(grade)


def _area_label(key: str) -> str:
    from ofsted_atlas.publish.briefings.common import area_label

    return area_label(key)


def _theme_names() -> dict[str, str]:
    return {theme.id: theme.name for theme in load_codebook().themes}


def _highlight(snippet: str) -> Any:
    from markupsafe import Markup, escape

    return Markup(
        str(escape(snippet)).replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_END, "</mark>")
    )
