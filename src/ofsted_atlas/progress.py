"""Progress a reader can see: a Rich bar in a terminal, and a plain line every few seconds when the
output is piped or logged (a bar drawn into a log file is noise, and nothing at all looks hung)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

PLAIN_EVERY_SECONDS = 5.0


@dataclass
class Tracker:
    """Callbacks for a long job: `stage(text)` says what it is doing before the counting starts,
    `start(total)` sets the number of items, `advance(n)` counts finished ones."""

    stage: Callable[[str], None]
    start: Callable[[int], None]
    advance: Callable[[int], None]


@dataclass
class _PlainLines:
    console: Console
    label: str
    unit: str
    every: float
    clock: Callable[[], float] = time.monotonic
    total: int | None = None
    done: int = 0
    began: float = field(default=0.0)
    last: float = field(default=0.0)

    def __post_init__(self) -> None:
        self.began = self.last = self.clock()

    def stage(self, text: str) -> None:
        self.console.print(f"{self.label}: {text}", highlight=False, soft_wrap=True)

    def start(self, total: int) -> None:
        self.total = total
        self.console.print(
            f"{self.label}: {total:,} {_counted(self.unit, total)} to do",
            highlight=False,
            soft_wrap=True,
        )

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = self.clock()
        if now - self.last >= self.every or (self.total is not None and self.done >= self.total):
            self.last = now
            self.console.print(self.line(now), highlight=False, soft_wrap=True)

    def line(self, now: float) -> str:
        elapsed = now - self.began
        text = f"{self.label}: {self.done:,}"
        if self.total:
            text += f" of {self.total:,} {self.unit} ({100 * self.done / self.total:.0f}%)"
        else:
            text += f" {self.unit}"
        text += f", {elapsed:.0f} s so far"
        if self.total and 0 < self.done < self.total:
            left = elapsed / self.done * (self.total - self.done)
            text += f", about {left:.0f} s left"
        return text


def _counted(unit: str, count: int) -> str:
    """The unit as given (plural) for many, singular for one: 1 report, 2 reports."""
    return unit[:-1] if count == 1 and unit.endswith("s") else unit


@contextmanager
def track(
    console: Console, label: str, unit: str, every: float = PLAIN_EVERY_SECONDS
) -> Iterator[Tracker]:
    """A progress display on `console`: a bar when it is a terminal, plain lines otherwise."""
    if not console.is_terminal:
        plain = _PlainLines(console, label, unit, every)
        yield Tracker(plain.stage, plain.start, plain.advance)
        return
    with Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(unit),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        TextColumn("[dim]{task.description}"),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("starting", total=None)

        def stage(text: str) -> None:
            bar.update(task, description=text)

        def start(total: int) -> None:
            bar.update(task, total=total, description="")

        def advance(count: int = 1) -> None:
            bar.update(task, advance=count)

        yield Tracker(stage, start, advance)
