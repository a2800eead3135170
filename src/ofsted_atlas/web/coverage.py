"""How much of England the database covers and how recent it is, for the line every listing and
export carries: "N of 153 authorities · newest report DATE · last synced DATE"."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from .geography import Authority, current_authorities
from .labels import human_date

SYNC_COMMAND = "ofsted-atlas sync"


@dataclass(frozen=True)
class Coverage:
    held: int  # current authorities with at least one inspection report
    total: int | None  # current authorities in England (None without the reference lookup)
    newest: str | None  # ISO date of the newest report (published, else inspection end)
    last_synced: str | None  # ISO timestamp of the last download by `sync`, if any
    last_ingested: str | None
    missing: list[Authority] = field(default_factory=list)

    @property
    def line(self) -> str:
        """The one-line summary shown on every page and in every export."""
        held = (
            f"{self.held} of {self.total} authorities" if self.total else f"{self.held} authorities"
        )
        newest = f"newest report {human_date(self.newest)}" if self.newest else "no reports yet"
        synced = (
            f"last synced {human_date(self.last_synced)}"
            if self.last_synced
            else f"never synced (ingested from a folder {human_date(self.last_ingested)})"
            if self.last_ingested
            else "never synced"
        )
        return f"{held} · {newest} · {synced}"

    def as_dict(self) -> dict[str, object]:
        return {
            "summary": self.line,
            "authorities_with_reports": self.held,
            "authorities_in_england": self.total,
            "newest_report": self.newest,
            "last_synced": self.last_synced,
            "last_ingested": self.last_ingested,
            "authorities_without_reports": [a.name for a in self.missing],
            "how_to_update": SYNC_COMMAND,
        }


def coverage(conn: sqlite3.Connection, reference: Path | None) -> Coverage:
    held_codes = {
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT la_code FROM reports WHERE status = 'parsed'"
            " AND publication_type = 'inspection' AND la_code IS NOT NULL"
        )
    }
    newest, ingested = conn.execute(
        "SELECT MAX(COALESCE(published, inspection_end)), MAX(ingested_at) FROM reports"
        " WHERE status = 'parsed'"
    ).fetchone()
    synced = _last_synced(conn)
    authorities = (
        current_authorities(reference)
        if reference is not None and (reference / "la_lookup.csv").is_file()
        else []
    )
    if not authorities:
        return Coverage(len(held_codes), None, newest, synced, ingested)
    return Coverage(
        held=sum(1 for a in authorities if a.la_code in held_codes),
        total=len(authorities),
        newest=newest,
        last_synced=synced,
        last_ingested=ingested,
        missing=sorted(
            (a for a in authorities if a.la_code not in held_codes), key=lambda a: a.name
        ),
    )


def _last_synced(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT MAX(fetched_at) FROM downloads").fetchone()
    except sqlite3.OperationalError:  # a database made before the downloads table existed
        return None
    return str(row[0]) if row and row[0] else None
