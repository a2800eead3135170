"""The `ofsted-atlas` command: a thin layer over the Python API (see `ofsted_atlas/__init__.py`)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import config
from .errors import AtlasError
from .parse.grades import GRADES
from .pipeline import IngestOptions, IngestSummary, Outcome, ingest
from .publish.exports import BINARY_FORMATS, write_export
from .store import SearchFilters, connect, search
from .store.search import HIGHLIGHT_END, HIGHLIGHT_START

app = typer.Typer(
    help="Inspection Atlas: ingest, search and export Ofsted inspections of English councils' "
    "children's services.\n\nStart with `ofsted-atlas ingest FOLDER`, then `search` or `export`.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
console = Console(stderr=True)

DbOption = Annotated[
    Path,
    typer.Option(
        "--db",
        envvar=config.SETTINGS["db"].env,
        help=config.SETTINGS["db"].help,
        show_default=True,
    ),
]
DEFAULT_DB = Path(config.SETTINGS["db"].default)


class ExportFormat(StrEnum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    parquet = "parquet"


class ExportKind(StrEnum):
    reports = "reports"
    judgements = "judgements"


@app.command("ingest")
def ingest_command(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Report files (PDF, .txt, .md, .html) or folders (walked recursively)."
        ),
    ],
    db: DbOption = DEFAULT_DB,
    workers: Annotated[int, typer.Option(help="Parallel workers; 0 = one per CPU core.")] = 0,
    max_size_mb: Annotated[float, typer.Option(help=config.SETTINGS["max_size_mb"].help)] = float(
        config.SETTINGS["max_size_mb"].default
    ),
    reference: Annotated[
        Path,
        typer.Option(
            envvar=config.SETTINGS["reference"].env, help=config.SETTINGS["reference"].help
        ),
    ] = Path(config.SETTINGS["reference"].default),
    force: Annotated[bool, typer.Option(help="Re-parse files even when unchanged.")] = False,
) -> None:
    """Ingest reports: unchanged files are skipped, changed ones replaced, bad ones rejected.

    Exit status is 0 when the batch completed (rejections are normal outcomes, listed in the
    summary) and 1 when a file failed unexpectedly or the database could not be written.
    """
    options = IngestOptions(
        workers=workers,
        max_size_bytes=int(max_size_mb * 1024 * 1024),
        reference=reference,
        force=force,
    )
    if config.lookup_path(reference) is None:
        console.print(
            f"[yellow]note:[/] no la_lookup.csv in {reference}: authorities will not be matched "
            "to LA codes and regions (set --reference)."
        )
    with Progress(
        TextColumn("[bold]ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("", total=None)

        def started(total: int) -> None:
            bar.update(task, total=total)

        def advanced(outcome: Outcome) -> None:
            bar.update(task, advance=1, description=escape(Path(outcome.source).name[:50]))

        try:
            summary = ingest(paths, db, options, on_start=started, progress=advanced)
        except (AtlasError, FileNotFoundError) as error:
            _fail(error)
    _print_summary(summary, db)
    raise typer.Exit(0 if summary.ok else 1)


def _print_summary(summary: IngestSummary, db: Path) -> None:
    table = Table(title=f"Ingest summary ({db})", show_header=False)
    for status, style in (
        ("ingested", "green"),
        ("unchanged", "dim"),
        ("rejected", "yellow"),
        ("failed", "red"),
    ):
        table.add_row(f"[{style}]{status}[/]", str(summary.count(status)))
    console.print(table)
    for outcome in summary.of("rejected"):
        console.print(f"[yellow]rejected[/] {escape(outcome.detail)}")
        if outcome.hint:
            console.print(f"         [dim]{escape(outcome.hint)}[/]")
    for outcome in summary.of("failed"):
        console.print(f"[red]failed[/] {escape(outcome.source)}: {escape(outcome.detail)}")


@app.command("search")
def search_command(
    query: Annotated[
        str, typer.Argument(help='Words or an FTS5 query, e.g. "management oversight".')
    ],
    db: DbOption = DEFAULT_DB,
    authority: Annotated[str | None, typer.Option(help="Authority name, LA code or URN.")] = None,
    framework: Annotated[
        str | None, typer.Option(help="Framework id (sif, ilacs_standard, ...) or prefix (ilacs).")
    ] = None,
    grade: Annotated[
        str | None, typer.Option(help=f"Only reports with this grade ({', '.join(GRADES)}).")
    ] = None,
    area: Annotated[
        str, typer.Option(help="Judgement area the --grade applies to.")
    ] = "overall_effectiveness",
    year: Annotated[int | None, typer.Option(help="Year the inspection ended.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500, help="How many results.")] = 20,
) -> None:
    """Full-text search of findings and recommendations, best matches first."""
    if grade is not None and grade not in GRADES:
        _fail(ValueError(f"--grade must be one of {', '.join(GRADES)}"))
    try:
        conn = connect(db, read_only=True)
    except AtlasError as error:
        _fail(error)
    hits = search(conn, query, SearchFilters(authority, framework, grade, area, year), limit)
    out = Console()
    if not hits:
        out.print("no matches")
    for hit in hits:
        where = f"p.{hit.page}" + (f" ¶{hit.paragraph_number}" if hit.paragraph_number else "")
        out.print(
            f"[bold]{escape(hit.local_authority)}[/] · {hit.framework} · "
            f"{hit.inspection_end or ''} · {where} · [dim]{escape(hit.section or '')}[/]"
        )
        out.print("  " + _highlight(hit.snippet))
        out.print(f"  [dim]{escape(hit.source)}[/]")


def _highlight(snippet: str) -> str:
    return escape(snippet).replace(HIGHLIGHT_START, "[bold yellow]").replace(HIGHLIGHT_END, "[/]")


@app.command("export")
def export_command(
    what: Annotated[ExportKind, typer.Argument(help="reports (one row each) or judgements.")],
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="Output format.")] = (
        ExportFormat.json
    ),
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Export the database: JSON (the public contract), CSV, Excel or Parquet."""
    try:
        conn = connect(db, read_only=True)
    except AtlasError as error:
        _fail(error)
    if output is None and fmt.value in BINARY_FORMATS and sys.stdout.isatty():
        _fail(ValueError(f"{fmt.value} is binary: give --output FILE"))
    payload = write_export(conn, what.value, fmt.value, output)
    if output is None:
        sys.stdout.buffer.write(payload)
    else:
        console.print(f"wrote {output} ({len(payload):,} bytes)")


def _fail(error: BaseException) -> None:
    console.print(f"[red]error:[/] {escape(str(error))}")
    hint = getattr(error, "hint", "")
    if hint:
        console.print(f"[dim]{escape(hint)}[/]")
    raise typer.Exit(2)


def main() -> None:
    app()
