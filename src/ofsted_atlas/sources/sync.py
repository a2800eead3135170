"""`sync`: discover providers on the Ofsted site, list their publications, download what is new
(recorded in the `downloads` manifest), then ingest the new files.

Downloads land in `<data_dir>/reports/<urn>_<authority>/<label> - <date>.pdf`, the same layout as
the shared corpus. A download is written to a `.part` file and renamed only when complete, and
its manifest row is written after the rename, so an interrupted sync leaves no partial file and
the next run picks up where it stopped.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from ofsted_atlas.extract.sniff import sniff_kind
from ofsted_atlas.parse.authorities import normalise_name
from ofsted_atlas.pipeline import IngestOptions, IngestSummary, ingest
from ofsted_atlas.store import connect

from .http import FetchError, PoliteClient, Politeness
from .ofsted_site import (
    SITE,
    Provider,
    Publication,
    SiteLayout,
    SiteLayoutChanged,
    parse_provider_page,
    parse_search_page,
)

_MAX_SEARCH_PAGES = 50  # ~153 providers at 100 a page: far more than enough, guards loops


@dataclass(frozen=True)
class SyncOptions:
    types: tuple[str, ...] = ("inspections",)
    authorities: tuple[str, ...] = ()  # names or URNs; empty = all
    since: date | None = None
    base_url: str = SITE.base_url
    dry_run: bool = False
    data_dir: Path = Path("data")
    politeness: Politeness = field(default_factory=Politeness)
    ingest: IngestOptions = field(default_factory=IngestOptions)


@dataclass
class SyncSummary:
    providers: int = 0
    listed: list[Publication] = field(default_factory=list)
    downloaded: list[Path] = field(default_factory=list)
    unchanged: int = 0
    not_found: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    ingest: IngestSummary | None = None

    @property
    def ok(self) -> bool:
        return not self.failed and (self.ingest is None or self.ingest.ok)


Progress = Callable[[str], None]


def sync(
    db: Path | str,
    options: SyncOptions = SyncOptions(),
    client: PoliteClient | None = None,
    progress: Progress | None = None,
) -> SyncSummary:
    layout = SiteLayout(base_url=options.base_url.rstrip("/"))
    say = progress or (lambda message: None)
    own_client = client is None
    client = client or PoliteClient(options.politeness)
    summary = SyncSummary()
    conn = connect(db)
    try:
        _remove_partial_files(options.data_dir)
        providers = _select(discover_providers(client, layout, say), options.authorities)
        summary.providers = len(providers)
        summary.listed = list_publications(client, providers, layout, options, say)
        if options.dry_run:
            return summary
        for publication in summary.listed:
            _fetch(conn, client, publication, options, summary, say)
    finally:
        conn.close()
        if own_client:
            client.close()
    if summary.downloaded:
        summary.ingest = ingest(summary.downloaded, db, options.ingest)
    return summary


def discover_providers(client: PoliteClient, layout: SiteLayout, say: Progress) -> list[Provider]:
    url: str | None = layout.base_url + layout.search_path.format(start=0)
    providers: dict[str, Provider] = {}
    seen: set[str] = set()
    while url and url not in seen and len(seen) < _MAX_SEARCH_PAGES:
        seen.add(url)
        found, url = parse_search_page(client.get_text(url), url, layout)
        if not found and not providers:
            raise SiteLayoutChanged(
                "no provider links found on the search page: the Ofsted site layout may have "
                "changed"
            )
        providers.update((p.urn, p) for p in found)
        say(f"search page {len(seen)}: {len(providers)} providers so far")
    return list(providers.values())


def list_publications(
    client: PoliteClient,
    providers: list[Provider],
    layout: SiteLayout,
    options: SyncOptions,
    say: Progress,
) -> list[Publication]:
    listed: list[Publication] = []
    pages_with_links = 0
    for provider in providers:
        publications = parse_provider_page(
            client.get_text(provider.url), provider, provider.url, layout
        )
        pages_with_links += bool(publications)
        listed.extend(
            p
            for p in publications
            if p.kind in options.types
            and (options.since is None or p.published is None or p.published >= options.since)
        )
        say(f"{provider.name or provider.urn}: {len(publications)} publications")
    if providers and not pages_with_links:
        raise SiteLayoutChanged(
            "no publication links found on any provider page: the Ofsted site layout may have "
            "changed"
        )
    return listed


def _select(providers: list[Provider], wanted: tuple[str, ...]) -> list[Provider]:
    if not wanted:
        return providers
    names = {normalise_name(w) for w in wanted}
    return [p for p in providers if p.urn in wanted or normalise_name(p.name) in names]


def _fetch(
    conn: sqlite3.Connection,
    client: PoliteClient,
    publication: Publication,
    options: SyncOptions,
    summary: SyncSummary,
    say: Progress,
) -> None:
    known = conn.execute(
        "SELECT status, path, sha256 FROM downloads WHERE url = ?", (publication.url,)
    ).fetchone()
    if known and (known["status"] == "not_found" or Path(known["path"] or "").exists()):
        summary.unchanged += 1
        return
    target = target_path(options.data_dir, publication)
    try:
        download = client.download(publication.url, target)
    except FetchError as error:
        summary.failed.append((publication.url, str(error)))
        say(f"failed: {error}")
        return
    if sniff_kind(target.read_bytes()[:8192], target) != "pdf":
        target.unlink(missing_ok=True)  # Ofsted's 'report not found' page, never kept as a report
        _record(conn, publication, "not_found", None, None)
        summary.not_found.append(publication.url)
        say(f"not found: {publication.label}")
        return
    _record(conn, publication, "downloaded", target, download)
    summary.downloaded.append(target)
    say(f"downloaded: {target.name}")


def _record(
    conn: sqlite3.Connection,
    publication: Publication,
    status: str,
    path: Path | None,
    download: object,
) -> None:
    fields = {
        "sha256": getattr(download, "sha256", None),
        "size": getattr(download, "size", None),
        "etag": getattr(download, "etag", None),
        "last_modified": getattr(download, "last_modified", None),
    }
    with conn:
        conn.execute(
            "INSERT OR REPLACE INTO downloads (url, urn, authority, kind, label, published, path,"
            " status, sha256, size, etag, last_modified, fetched_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                publication.url,
                publication.urn,
                publication.authority,
                publication.kind,
                publication.label,
                publication.published.isoformat() if publication.published else None,
                str(path) if path else None,
                status,
                fields["sha256"],
                fields["size"],
                fields["etag"],
                fields["last_modified"],
                datetime.now(UTC).isoformat(timespec="seconds"),
            ),
        )


_UNSAFE = re.compile(r"[^\w ,&'()\-.]+")


def target_path(data_dir: Path, publication: Publication) -> Path:
    """<data_dir>/reports/<urn>_<authority>/<label without ', pdf'>.pdf, safe on every OS."""
    folder = f"{publication.urn}_{_safe(publication.authority.lower()) or 'unknown'}"
    stem = _safe(re.sub(r",\s*pdf\b", "", publication.label.lower())) or publication.kind
    name = f"{stem[:120]}.pdf"
    path = data_dir / "reports" / folder / name
    tail = publication.url.rstrip("/").rsplit("/", 1)[-1]
    return path.with_name(f"{stem[:100]} ({_safe(tail)[:20]}).pdf") if _taken(path) else path


def _taken(path: Path) -> bool:
    return path.exists()


def _safe(text: str) -> str:
    return " ".join(_UNSAFE.sub(" ", text).split()).strip(" .")


def _remove_partial_files(data_dir: Path) -> None:
    for partial in (data_dir / "reports").glob("*/*.part"):
        partial.unlink(missing_ok=True)
