"""Briefing -> Word (.docx) and PowerPoint (.pptx): the documents councils circulate.
See render_docx.py and render_pptx.py."""

from __future__ import annotations

from .render_docx import render_docx
from .render_pptx import render_pptx

__all__ = ["render_docx", "render_pptx"]
