"""Briefings, each one call: `build_briefing(conn, kind, fmt, ...)` -> file bytes.

| kind       | seed | formats              |
|------------|------|----------------------|
| mapping    | 004  | docx, html           |
| weaknesses | 000  | pptx, html           |
| authority  | 001  | pptx, docx (html)    |
| workbook   | -    | xlsx                 |
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ofsted_atlas.analysis import Filters

from ..document import Briefing
from ..render_html import render_html
from ..render_office import render_docx, render_pptx
from . import authority, mapping, weaknesses, workbook

FORMATS = {
    "mapping": ("docx", "html"),
    "weaknesses": ("pptx", "html"),
    "authority": ("pptx", "docx", "html"),
    "workbook": ("xlsx",),
}
RENDERERS = {"docx": render_docx, "pptx": render_pptx, "html": render_html}


def build_content(
    conn: sqlite3.Connection,
    kind: str,
    *,
    filters: Filters | None = None,
    grade: str = "inadequate",
    authority_name: str | None = None,
    lookup: Path | None = None,
    report_id: int | None = None,
    as_at: str | None = None,
) -> Briefing:
    filters = filters or Filters()
    if kind == "mapping":
        return mapping.build(conn, filters, lookup)
    if kind == "weaknesses":
        return weaknesses.build(conn, grade, filters, lookup)
    if kind == "authority":
        if not authority_name:
            raise ValueError("the authority briefing needs an authority name, LA code or URN")
        return authority.build(conn, authority_name, lookup, report_id=report_id, as_at=as_at)
    raise ValueError(f"unknown briefing {kind!r}: choose from {', '.join(FORMATS)}")


def build_briefing(
    conn: sqlite3.Connection,
    kind: str,
    fmt: str,
    *,
    template: Path | None = None,
    **options: object,
) -> bytes:
    """The briefing as file bytes; `template` is a council's own .docx or .pptx to build on."""
    if kind not in FORMATS:
        raise ValueError(f"unknown briefing {kind!r}: choose from {', '.join(FORMATS)}")
    if fmt not in FORMATS[kind]:
        raise ValueError(f"the {kind} briefing comes as {', '.join(FORMATS[kind])}, not {fmt}")
    if kind == "workbook":
        return workbook.build(
            conn,
            options.get("lookup"),  # type: ignore[arg-type]
            options.get("filters"),  # type: ignore[arg-type]
        )
    content = build_content(conn, kind, **options)  # type: ignore[arg-type]
    if template is not None:
        suffix = template.suffix.lower().lstrip(".")
        expected = {"docx": ("docx", "dotx"), "pptx": ("pptx", "potx")}.get(fmt, ())
        if suffix not in expected:
            raise ValueError(f"a {fmt} briefing needs a .{fmt} template, not {template.name}")
        if fmt == "docx":
            return render_docx(content, template)
        return render_pptx(content, template)
    return RENDERERS[fmt](content)
