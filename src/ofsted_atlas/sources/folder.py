"""Find candidate report files under the paths a user names."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

# Folders are walked for these; a file named explicitly is always tried (its bytes decide).
SUPPORTED_SUFFIXES = frozenset({".pdf", ".txt", ".text", ".md", ".markdown", ".html", ".htm"})
_SKIPPED_DIRS = {".git", ".venv", "__pycache__", "node_modules"}


def discover_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Yield files in a stable order, each once, folders walked recursively."""
    seen: set[Path] = set()
    for path in paths:
        for candidate in _expand(path):
            resolved = candidate.resolve()
            if resolved not in seen:
                seen.add(resolved)
                yield candidate


def _expand(path: Path) -> Iterator[Path]:
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and not _in_skipped_dir(child, path) and _is_candidate(child):
                yield child
    elif path.is_file():
        yield path
    else:
        raise FileNotFoundError(f"{path}: no such file or folder")


def _is_candidate(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES and not path.name.startswith(".")


def _in_skipped_dir(path: Path, root: Path) -> bool:
    return any(part in _SKIPPED_DIRS for part in path.relative_to(root).parts[:-1])


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
