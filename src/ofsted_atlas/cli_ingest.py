"""What `ingest` prints: progress (a bar on a terminal, a plain line every few seconds when piped)
and the closing summary, which tells the truth on every run (files rejected before are listed as
rejected, unchanged; reports parsed with warnings are counted)."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .pipeline import IngestSummary, Outcome

PROGRESS_EVERY_SECONDS = 5.0
LIST_AT_MOST = 15  # reports parsed with warnings named in the summary (`check` lists them all)


class PipedProgress:
    """Progress for logs and CI: one plain line every `every` seconds, and one at the end."""

    def __init__(self, stream: TextIO, every: float = PROGRESS_EVERY_SECONDS) -> None:
        self.stream = stream
        self.every = every
        self.total: int | None = None
        self.counts: Counter[str] = Counter()
        self.started = time.monotonic()
        self.last = self.started

    def start(self, total: int) -> None:
        self.total = total
        self._line()

    def advance(self, outcome: Outcome) -> None:
        self.counts[outcome.status] += 1
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            self._line()

    def finish(self) -> None:
        self._line()

    def _line(self) -> None:
        done = sum(self.counts.values())
        parts = ", ".join(f"{n} {status}" for status, n in sorted(self.counts.items()))
        elapsed = time.monotonic() - self.started
        total = "?" if self.total is None else str(self.total)
        print(
            f"ingest: {done}/{total} files, {elapsed:.0f} s" + (f" ({parts})" if parts else ""),
            file=self.stream,
            flush=True,
        )


def print_summary(console: Console, summary: IngestSummary, db: Path) -> None:
    """The summary table, then every rejection (new, or unchanged since an earlier run) with its
    hint, every failure, and how many reports carry parser warnings."""
    table = Table(title="Ingest summary", show_header=False)
    ingested, warned = summary.count("ingested"), len(summary.with_warnings("ingested"))
    table.add_row(
        "[green]ingested[/]",
        str(ingested) + (f" ({warned} parsed with warnings)" if warned else ""),
    )
    unchanged = summary.of("unchanged")
    rejected_before = sum(1 for o in unchanged if o.rejected_before)
    warned_before = len(summary.with_warnings("unchanged"))
    notes = [f"{rejected_before} rejected before"] if rejected_before else []
    notes += [f"{warned_before} with warnings"] if warned_before else []
    table.add_row(
        "[dim]unchanged[/]", str(len(unchanged)) + (f" ({', '.join(notes)})" if notes else "")
    )
    new_rejections = summary.count("rejected")
    table.add_row(
        "[yellow]rejected[/]",
        str(new_rejections + rejected_before)
        + (f" ({rejected_before} unchanged)" if rejected_before else ""),
    )
    table.add_row("[red]failed[/]", str(summary.count("failed")))
    console.print(table)
    console.print(f"[dim]database: {escape(str(db))}[/]", soft_wrap=True)
    for outcome in summary.rejections():
        label = "rejected (unchanged)" if outcome.rejected_before else "rejected"
        detail = outcome.detail or outcome.source
        console.print(f"[yellow]{label}[/] {escape(detail)}", soft_wrap=True)
        if outcome.hint:
            console.print(f"         [dim]{escape(outcome.hint)}[/]", soft_wrap=True)
    for outcome in summary.of("failed"):
        console.print(
            f"[red]failed[/] {escape(outcome.source)}: {escape(outcome.detail)}", soft_wrap=True
        )
    warned_now = summary.with_warnings("ingested")
    for outcome in warned_now[:LIST_AT_MOST]:
        console.print(
            f"[yellow]parsed with {outcome.warnings} warning"
            f"{'s' if outcome.warnings != 1 else ''}[/] {escape(outcome.source)}",
            soft_wrap=True,
        )
    if len(warned_now) > LIST_AT_MOST:
        console.print(f"... and {len(warned_now) - LIST_AT_MOST} more parsed with warnings")
    open_warnings = warned + warned_before
    if open_warnings:
        console.print(
            f"{open_warnings} report(s) have open parser warnings: "
            "`ofsted-atlas check` lists them.",
            soft_wrap=True,
        )
