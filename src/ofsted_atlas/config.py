"""Settings declared once, with their defaults and where they come from (flag > env > default)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: str
    help: str


SETTINGS = {
    setting.name: setting
    for setting in (
        Setting(
            "db",
            "OFSTED_ATLAS_DB",
            "data/ofsted-atlas.sqlite",
            "SQLite database file (created on first use).",
        ),
        Setting(
            "reference",
            "OFSTED_ATLAS_REFERENCE",
            "../shared/reference",
            "Folder holding la_lookup.csv (authority codes, regions, statistical neighbours).",
        ),
        Setting(
            "max_size_mb",
            "OFSTED_ATLAS_MAX_SIZE_MB",
            "100",
            "Inputs larger than this many megabytes are rejected unread.",
        ),
    )
}


def setting(name: str) -> str:
    spec = SETTINGS[name]
    return os.environ.get(spec.env, spec.default)


def default_db_path() -> Path:
    return Path(setting("db"))


def reference_dir() -> Path:
    return Path(setting("reference"))


def lookup_path(reference: Path | None = None) -> Path | None:
    """la_lookup.csv when present; parsing still works without it (authorities stay unmatched)."""
    candidate = (reference or reference_dir()) / "la_lookup.csv"
    return candidate if candidate.exists() else None


def max_size_bytes() -> int:
    return int(float(setting("max_size_mb")) * 1024 * 1024)
