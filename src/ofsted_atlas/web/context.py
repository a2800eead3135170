"""What every router of the web app shares: the read-only database, the templates, the reference
folder, and the parameter types the pages and the API accept."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ofsted_atlas.store import connect

PAGE_SIZE = 25
Grade = Literal["outstanding", "good", "requires_improvement", "adequate", "inadequate"]
Polarity = Literal["strength", "weakness", "neutral"]


class Database:
    """One read-only connection per thread (SQLite connections are not shared across threads)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        connect(path, read_only=True).close()  # fail at start-up, with the path, if missing

    def __call__(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path, read_only=True)
            self._local.conn = conn
        return conn


@dataclass
class Context:
    database: Database
    templates: Jinja2Templates
    reference_dir: Path
    lookup: Path | None

    def page(
        self, request: Request, template: str, code: int = 200, **context: Any
    ) -> HTMLResponse:
        return self.templates.TemplateResponse(request, template, context, status_code=code)
