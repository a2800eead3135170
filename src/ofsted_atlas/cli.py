"""The `ofsted-atlas` command: a thin layer over the Python API (see `ofsted_atlas/__init__.py`)."""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import config
from .cli_ingest import PipedProgress, print_summary
from .errors import AtlasError
from .parse.frameworks import FRAMEWORK_NAMES
from .parse.grades import GRADES
from .pipeline import IngestOptions, IngestSummary, Outcome, ingest
from .publish.exports import BINARY_FORMATS, write_export
from .sources.http import Politeness
from .sources.ofsted_site import PUBLICATION_TYPES, SITE
from .sources.sync import SyncOptions, SyncSummary, sync
from .store import SearchFilters, connect, search
from .store.checks import open_checks
from .store.search import HIGHLIGHT_END, HIGHLIGHT_START

if TYPE_CHECKING:
    from .coding import CodingSummary

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
ReferenceOption = Annotated[
    Path,
    typer.Option(envvar=config.SETTINGS["reference"].env, help=config.SETTINGS["reference"].help),
]
DEFAULT_REFERENCE = Path(config.SETTINGS["reference"].default)


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
    reference: ReferenceOption = DEFAULT_REFERENCE,
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
            "to LA codes and regions (set --reference).",
            soft_wrap=True,
        )
    try:
        summary = _ingest_with_progress(paths, db, options)
    except (AtlasError, FileNotFoundError) as error:
        _fail(error)
    print_summary(console, summary, db)
    raise typer.Exit(0 if summary.ok else 1)


def _ingest_with_progress(paths: list[Path], db: Path, options: IngestOptions) -> IngestSummary:
    """A progress bar on a terminal; when output is piped, a plain line every few seconds."""
    if not console.is_terminal:
        piped = PipedProgress(sys.stderr)
        summary = ingest(paths, db, options, on_start=piped.start, progress=piped.advance)
        piped.finish()
        return summary
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

        return ingest(paths, db, options, on_start=started, progress=advanced)


@app.command("check")
def check_command(
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the reports and their warnings as JSON.")
    ] = False,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help="Exit with status 1 when any warning is open (for scripts and CI)."
        ),
    ] = False,
) -> None:
    """List every report with open parser warnings: values its framework implies that the parser
    could not find or confirm (a missing judgement, an empty or implausible list, a missing lead
    inspector ...). Each gives the page to check against the original. Exit status 0, or with
    --strict 1 when any warning is open."""
    try:
        conn = connect(db, read_only=True)
    except AtlasError as error:
        _fail(error)
    reports = open_checks(conn)
    status = 1 if strict and reports else 0
    if as_json:
        sys.stdout.write(json.dumps(reports, indent=2, ensure_ascii=False) + "\n")
        raise typer.Exit(status)
    for report in reports:
        name = Path(report["source"]).name
        framework = FRAMEWORK_NAMES.get(report["framework"] or "", "")
        console.print(
            f"[bold]{escape(report['local_authority'] or '?')}[/], {framework},"
            f" inspection ended {report['inspection_end'] or '?'} [dim]{escape(name)}[/]",
            soft_wrap=True,
        )
        for check in report["checks"]:
            page = f" (p. {check['page']})" if check["page"] else ""
            console.print(f"  {escape(check['message'])}{page}", soft_wrap=True)
    total = sum(len(report["checks"]) for report in reports)
    console.print(f"{len(reports)} report(s) with {total} open warning(s).")
    raise typer.Exit(status)


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


@app.command("sync")
def sync_command(
    types: Annotated[
        str,
        typer.Option(help="Comma-separated: inspections, focused-visits, monitoring-visits."),
    ] = "inspections",
    authority: Annotated[
        list[str] | None,
        typer.Option("--authority", help="Only this authority (name or URN); repeatable."),
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Only publications on or after this date (YYYY-MM-DD).")
    ] = None,
    base_url: Annotated[str, typer.Option(help="The Ofsted reports site.")] = SITE.base_url,
    dry_run: Annotated[
        bool, typer.Option(help="List what would be downloaded; download nothing.")
    ] = False,
    data_dir: Annotated[
        Path, typer.Option(help="Downloads go to DATA_DIR/reports/<urn>_<authority>/.")
    ] = Path("data"),
    delay: Annotated[float, typer.Option(help="Seconds between requests (be polite).")] = 1.0,
    retries: Annotated[int, typer.Option(min=0, max=10, help="Retries per request.")] = 5,
    db: DbOption = DEFAULT_DB,
    reference: ReferenceOption = DEFAULT_REFERENCE,
) -> None:
    """Download new inspection reports (and, on request, visit letters) from the Ofsted website,
    then ingest them. Only what is new is downloaded; an interrupted sync resumes."""
    wanted = tuple(t.strip() for t in types.split(",") if t.strip())
    unknown = set(wanted) - set(PUBLICATION_TYPES)
    if unknown:
        _fail(
            ValueError(
                f"--types: unknown {', '.join(sorted(unknown))}; choose from "
                f"{', '.join(PUBLICATION_TYPES)}"
            )
        )
    try:
        since_date = date.fromisoformat(since) if since else None
    except ValueError:
        _fail(ValueError(f"--since {since!r}: give a date as YYYY-MM-DD"))
    options = SyncOptions(
        types=wanted,
        authorities=tuple(authority or ()),
        since=since_date,
        base_url=base_url,
        dry_run=dry_run,
        data_dir=data_dir,
        politeness=Politeness(delay_seconds=delay, retries=retries),
        ingest=IngestOptions(reference=reference),
    )
    try:
        with console.status("syncing with the Ofsted site") as status:
            summary = sync(db, options, progress=lambda message: status.update(escape(message)))
    except (AtlasError, OSError) as error:
        _fail(error)
    _print_sync_summary(summary, dry_run)
    if summary.ingest is not None:
        print_summary(console, summary.ingest, db)
    raise typer.Exit(0 if summary.ok else 1)


def _print_sync_summary(summary: SyncSummary, dry_run: bool) -> None:
    table = Table(title="Sync summary", show_header=False)
    table.add_row("providers", str(summary.providers))
    table.add_row("publications listed", str(len(summary.listed)))
    if dry_run:
        for publication in summary.listed:
            console.print(f"would fetch {publication.urn} {escape(publication.label)}")
    else:
        table.add_row("[green]downloaded[/]", str(len(summary.downloaded)))
        table.add_row("[dim]unchanged[/]", str(summary.unchanged))
        table.add_row("[yellow]report not found[/]", str(len(summary.not_found)))
        table.add_row("[red]failed[/]", str(len(summary.failed)))
    console.print(table)
    for url, reason in summary.failed:
        console.print(f"[red]failed[/] {escape(url)}: {escape(reason)}")


@app.command("code")
def code_command(
    db: DbOption = DEFAULT_DB,
    force: Annotated[bool, typer.Option(help="Recode every report, not just new ones.")] = False,
    workers: Annotated[int, typer.Option(help="Worker processes; 0 = one per core.")] = 0,
) -> None:
    """Code every sentence of every ingested report into the codebook's themes, with polarity
    and the evidence. Incremental: only reports new or changed since the last run are coded."""
    import time

    from .coding import code_reports  # scikit-learn loads only for coding commands
    from .progress import track

    started = time.perf_counter()
    with track(console, "coding", "reports") as progress:
        try:
            conn = connect(db)
            progress.stage("loading the theme model")
            summary = code_reports(
                conn,
                force=force,
                workers=workers,
                on_start=progress.start,
                progress=lambda _: progress.advance(1),
                stage=progress.stage,
            )
        except AtlasError as error:
            _fail(error)
    console.print(
        coding_summary(summary, time.perf_counter() - started), highlight=False, soft_wrap=True
    )


def coding_summary(summary: CodingSummary, seconds: float) -> str:
    """What `code` did, in words: counts, time, and which model (by its training, not its hash)."""
    done = (
        f"Coded {summary.reports:,} report{'s' if summary.reports != 1 else ''} "
        f"({summary.sentences:,} sentences, {summary.codings:,} themes found) in {seconds:.0f} s"
        if summary.reports
        else "Nothing to code"
    )
    kept = (
        f"; {summary.skipped:,} report{'s were' if summary.skipped != 1 else ' was'} already "
        "coded by this model and left as they were"
        if summary.skipped
        else ""
    )
    return f"{done}{kept}.\nModel: {summary.model}."


@app.command("code-text")
def code_text_command(
    min_confidence: Annotated[
        float, typer.Option(help="Leave out codings below this confidence.")
    ] = 0.0,
) -> None:
    """Read JSON lines {"id", "text"} on stdin; write JSON lines {"id", "themes": [{"theme",
    "polarity", "confidence"}]} on stdout. A bad line gets {"id", "error"} and the rest go on."""
    from .coding import load_model

    try:
        model = load_model()
    except AtlasError as error:
        _fail(error)
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        record_id, text, problem = _read_code_text_line(line, number)
        if problem:
            _emit({"id": record_id, "error": problem})
            continue
        codings = model.code([text])[0]
        _emit(
            {
                "id": record_id,
                "themes": [
                    {"theme": c.theme, "polarity": c.polarity, "confidence": c.confidence}
                    for c in codings
                    if c.confidence >= min_confidence
                ],
            }
        )


def _read_code_text_line(line: str, number: int) -> tuple[object, str, str]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return None, "", f"line {number}: not JSON ({error.msg})"
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        identifier = record.get("id") if isinstance(record, dict) else None
        return identifier, "", f"line {number}: needs a string field 'text'"
    return record.get("id"), record["text"], ""


def _emit(record: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    sys.stdout.flush()


@app.command("eval-coding")
def eval_coding_command(
    corpus: Annotated[Path, typer.Option(help="The corpus the labels refer to.")] = Path(
        "../shared/corpus/reports"
    ),
    db: Annotated[
        Path | None, typer.Option("--db", help="A coded database, for the tone correlation.")
    ] = None,
    against: Annotated[
        Path | None,
        typer.Option(
            help="Score the model against this labelled file instead (our labels format: id, "
            "file, page, start, end, codings), e.g. your own coders' work."
        ),
    ] = None,
) -> None:
    """Score the theme model on the held-out labels (precision, recall, F1 per theme; micro and
    macro F1; polarity accuracy; Cohen's kappa), coder agreement, and the report tone's Spearman
    correlation with the overall grade. With --against, score it on any labelled file."""
    from .coding import load_model
    from .coding.evaluate import against as score_against
    from .coding.evaluate import report as evaluation_report

    if not corpus.is_dir():
        _fail(FileNotFoundError(f"{corpus}: the labelled corpus is needed (set --corpus)"))
    if against is not None:
        try:
            _, printed = score_against(load_model(), against, corpus)
        except AtlasError as error:
            _fail(error)
        except (OSError, ValueError, IndexError) as error:
            _fail(ValueError(f"{against}: cannot score against this file ({error})"))
        Console().print(printed, highlight=False, soft_wrap=True)
        return
    conn = connect(db, read_only=True) if db else None
    Console().print(evaluation_report(corpus, conn), highlight=False, soft_wrap=True)


class BriefingKind(StrEnum):
    mapping = "mapping"
    weaknesses = "weaknesses"
    authority = "authority"
    workbook = "workbook"


@app.command("brief")
def brief_command(
    kind: Annotated[
        BriefingKind,
        typer.Argument(
            help="mapping (themes and grades across reports), weaknesses (of a grade), authority "
            "(a council's scrutiny briefing), workbook (Excel of all inspections)."
        ),
    ],
    name: Annotated[
        str | None, typer.Argument(help="For 'authority': its name, LA code or URN.")
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="mapping: docx|html; weaknesses: pptx|html; authority: "
            "pptx|docx|html; workbook: xlsx. Default: the first.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Where to write (default data/briefings/<kind>.<format>)."
        ),
    ] = None,
    grade: Annotated[str, typer.Option(help="weaknesses: the grade to profile.")] = "inadequate",
    since: Annotated[
        str | None, typer.Option(help="Inspections ending on/after (YYYY-MM-DD).")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Inspections ending on/before (YYYY-MM-DD).")
    ] = None,
    framework: Annotated[
        list[str] | None,
        typer.Option(help="Only these frameworks (id or prefix, e.g. sif, ilacs); repeatable."),
    ] = None,
    region: Annotated[
        list[str] | None, typer.Option(help="Only these regions; repeatable.")
    ] = None,
    report: Annotated[
        int | None,
        typer.Option("--report", help="authority: brief on this inspection (its report id)."),
    ] = None,
    as_at: Annotated[
        str | None,
        typer.Option(
            "--as-at",
            help="The database as it stood on this date (YYYY-MM-DD): reports published by then.",
        ),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(help="A council's own .docx or .pptx whose styles and masters to use."),
    ] = None,
    db: DbOption = DEFAULT_DB,
    reference: ReferenceOption = DEFAULT_REFERENCE,
) -> None:
    """Write a briefing built from the coded database: every claim cites its report and page.
    Run `ingest` and `code` first."""
    from .analysis import Filters
    from .publish.briefings import FORMATS, build_briefing

    chosen = fmt or FORMATS[kind.value][0]
    if grade not in GRADES:
        _fail(ValueError(f"--grade must be one of {', '.join(GRADES)}"))
    filters = Filters(
        since=since,
        until=until,
        frameworks=tuple(framework or ()),
        regions=tuple(region or ()),
        as_at=as_at,
    )
    try:
        if as_at is not None:
            date.fromisoformat(as_at)
        if template is not None and not template.is_file():
            raise ValueError(f"{template}: no such template file")
        conn = connect(db, read_only=True)
        if not conn.execute("SELECT COUNT(*) FROM coding_runs").fetchone()[0]:
            _fail(ValueError(f"{db}: nothing is coded yet: run `ofsted-atlas code` first"))
        lookup = config.lookup_path(reference)
        options: dict[str, object] = {"lookup": lookup, "filters": filters}
        if kind == BriefingKind.weaknesses:
            options["grade"] = grade
        if kind == BriefingKind.authority:
            options = {
                "authority_name": name,
                "lookup": lookup,
                "report_id": report,
                "as_at": as_at,
            }
        with console.status(f"building the {kind.value} briefing"):
            payload = build_briefing(conn, kind.value, chosen, template=template, **options)
    except (AtlasError, ValueError) as error:
        _fail(error)
    slug = f"-{_slug(name)}" if name else ""
    target = output or Path("data/briefings") / f"{kind.value}{slug}.{chosen}"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(payload)
    console.print(f"wrote {target} ({len(payload):,} bytes)")


def _slug(text: str) -> str:
    return "-".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())


class ReadinessFormat(StrEnum):
    html = "html"
    docx = "docx"
    json = "json"
    xlsx = "xlsx"


@app.command("readiness")
def readiness_command(
    authority: Annotated[str, typer.Argument(help="The council: its name, LA code or URN.")],
    documents: Annotated[
        list[Path] | None,
        typer.Argument(help="Its self-evaluation, improvement plan...: .docx, .pdf, .txt, .md."),
    ] = None,
    fmt: Annotated[
        ReadinessFormat,
        typer.Option(
            "--format", "-f", help="Briefing (html, docx), json, or the tracker to edit (xlsx)."
        ),
    ] = ReadinessFormat.html,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (json: default stdout).")
    ] = None,
    report: Annotated[
        int | None,
        typer.Option("--report", help="Track this inspection report (id) instead of the latest."),
    ] = None,
    tracker: Annotated[
        Path | None, typer.Option(help="The council's edited tracker (.xlsx) to read back.")
    ] = None,
    keep: Annotated[
        bool,
        typer.Option(
            help="Also store the documents' text in data/readiness/ (otherwise nothing is stored)."
        ),
    ] = False,
    db: DbOption = DEFAULT_DB,
    reference: ReferenceOption = DEFAULT_REFERENCE,
) -> None:
    """Read a council's own documents against its last inspection: a recommendation tracker,
    coverage of what inspectors criticise in similar councils, and the likely window of the next
    inspection. The documents are read in memory and not stored unless --keep is given."""
    from .readiness_run import run_readiness

    try:
        payload = run_readiness(
            authority,
            list(documents or []),
            fmt=fmt.value,
            db=db,
            lookup=config.lookup_path(reference),
            report_id=report,
            tracker=tracker,
            keep=keep,
        )
    except (AtlasError, ValueError, OSError) as error:
        _fail(error)
    if output is None and fmt == ReadinessFormat.json:
        sys.stdout.write(payload.decode("utf-8") + "\n")
        return
    target = output or Path("data/briefings") / f"readiness-{_slug(authority)}.{fmt.value}"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(payload)
    console.print(f"wrote {target} ({len(payload):,} bytes)")


@app.command("serve")
def serve_command(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=16, help="Server processes.")] = 1,
    reference: ReferenceOption = DEFAULT_REFERENCE,
    review: Annotated[
        bool,
        typer.Option(
            help="Review mode: signed-in users may correct the coding from report pages (the "
            "only writes the server ever makes; off by default)."
        ),
    ] = False,
    review_token: Annotated[
        str | None,
        typer.Option(
            envvar="OFSTED_ATLAS_REVIEW_TOKEN",
            help="The secret reviewers sign in with (review mode only; at least 12 characters).",
            show_default=False,
        ),
    ] = None,
    allow_uploads: Annotated[
        bool,
        typer.Option(
            help="Let visitors upload documents for a one-off readiness analysis "
            "(processed in memory, nothing stored or logged)."
        ),
    ] = False,
) -> None:
    """Serve the web app (read-only) over the database: map, authorities, reports with coded
    sentences, themes, search, briefings, and a JSON API documented at /docs. With --review,
    reviewers who sign in with the review token can correct the coding."""
    import os

    import uvicorn

    from .web.review import MIN_TOKEN_LENGTH, MODE_ENV, TOKEN_ENV

    if review and len(review_token or "") < MIN_TOKEN_LENGTH:
        _fail(
            ValueError(
                f"--review needs a review token of at least {MIN_TOKEN_LENGTH} characters: "
                f"--review-token or {TOKEN_ENV}"
            )
        )
    from ofsted_atlas.web.server import PROTOCOL

    try:
        connect(db, read_only=not review).close()  # review mode adds its table if missing
    except AtlasError as error:
        _fail(error)
    os.environ[config.SETTINGS["db"].env] = str(db)
    os.environ[config.SETTINGS["reference"].env] = str(reference)
    os.environ[MODE_ENV] = "1" if review else "0"
    if review:
        os.environ[TOKEN_ENV] = review_token or ""
        console.print("Review mode: reviewers sign in at /review with the review token.")
    os.environ["OFSTED_ATLAS_ALLOW_UPLOADS"] = "1" if allow_uploads else ""
    console.print(f"Inspection Atlas is running at http://{host}:{port}/  (Ctrl+C to stop)")
    uvicorn.run(
        "ofsted_atlas.web.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        http=PROTOCOL,  # TCP_NODELAY on every connection, also with several workers
        # A worker builds the static files as it starts (the Vega bundle holds the interpreter
        # for seconds): uvicorn's 5 s health check would kill it again and again.
        timeout_worker_healthcheck=120,
        log_level="warning",
    )


labels_app = typer.Typer(help="Labelled sentences: reviewers' corrections as training labels.")
app.add_typer(labels_app, name="labels")


@labels_app.command("export")
def labels_export_command(
    db: DbOption = DEFAULT_DB,
    corpus: Annotated[
        Path, typer.Option(help="Files inside this folder are named relative to it.")
    ] = Path("../shared/corpus/reports"),
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
) -> None:
    """Write the corrections made in review mode (`serve --review`) in our labels format (id,
    file, page, start, end, codings): one row per reviewed sentence, the model's codings with the
    corrections applied. `make train-coding CORRECTIONS=FILE` trains on them too."""
    from .coding.review import export_labels

    try:
        conn = connect(db)
    except AtlasError as error:
        _fail(error)
    text, summary = export_labels(conn, corpus)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
    console.print(
        f"{summary.written:,} reviewed sentence{'s' if summary.written != 1 else ''} written"
        + (f" to {output}" if output else "")
        + (
            f"; {summary.unplaced:,} left out (their original file or page was not found)"
            if summary.unplaced
            else ""
        ),
        highlight=False,
        soft_wrap=True,
    )


def _fail(error: BaseException) -> NoReturn:
    console.print(f"[red]error:[/] {escape(str(error))}")
    hint = getattr(error, "hint", "")
    if hint:
        console.print(f"[dim]{escape(hint)}[/]")
    raise typer.Exit(2)


def main() -> None:
    app()
