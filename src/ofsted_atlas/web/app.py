"""The web app: server-rendered pages and a JSON API over the same Python API as the CLI.

Read-only by design: the database is opened read-only, no page writes anything. Report text is
always autoescaped; charts are Vega-Lite specs in `<script type="application/json">` blocks drawn
by a static script, so the Content-Security-Policy allows no inline script.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import math
import sqlite3
import threading
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi import Path as FastAPIPath
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from ofsted_atlas import config
from ofsted_atlas.analysis import Filters, neighbours, theme_association, trajectory
from ofsted_atlas.analysis.neighbours import profile_comparison
from ofsted_atlas.analysis.trajectory import UnknownAuthority
from ofsted_atlas.coding.codebook import load_codebook
from ofsted_atlas.parse.grades import GRADES
from ofsted_atlas.publish import charts
from ofsted_atlas.publish.briefings import FORMATS, build_briefing
from ofsted_atlas.store import SearchFilters, connect, search
from ofsted_atlas.store.search import HIGHLIGHT_END, HIGHLIGHT_START

from . import queries
from .review import ReviewSettings
from .review import install as install_review

HERE = Path(__file__).parent
PAGE_SIZE = 25
Grade = Literal["outstanding", "good", "requires_improvement", "adequate", "inadequate"]
Polarity = Literal["strength", "weakness", "neutral"]
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        # Vega compiles chart expressions at run time ('unsafe-eval') and sets element styles
        # ('unsafe-inline' styles); no inline script is allowed.
        "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline';"
        " img-src 'self' data:;"
        " object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}


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


def _drop_empty_parameters(request: Request) -> None:
    """HTML forms send 'Any' as an empty value: treat it as not given, not as invalid."""
    query = request.scope.get("query_string", b"")
    if b"=&" in query + b"&" or query.endswith(b"="):
        kept = [part for part in query.split(b"&") if part and not part.endswith(b"=")]
        request.scope["query_string"] = b"&".join(kept)


class PageCache:
    """Rendered GET responses, kept until the database file changes: the app is read-only, so a
    page is the same until the next ingest or coding run."""

    CACHED_PREFIXES = ("/authorities", "/reports/", "/themes", "/search", "/api/", "/briefings")
    MAX_ENTRIES = 2048
    MAX_BYTES = 4_000_000

    def __init__(self, db: Path) -> None:
        self.db = db
        self._entries: dict[
            tuple[str, tuple[float, float]], tuple[int, bytes, list[tuple[bytes, bytes]]]
        ] = {}
        self._lock = threading.Lock()

    def key(self, request: Request) -> tuple[str, tuple[float, float]] | None:
        path = request.url.path
        if request.method != "GET" or not (path == "/" or path.startswith(self.CACHED_PREFIXES)):
            return None
        if path.endswith("/original") or path.startswith("/briefings/download"):
            return None
        return (str(request.url.path) + "?" + str(request.url.query), self._signature())

    def _signature(self) -> tuple[float, float]:
        wal = self.db.with_name(self.db.name + "-wal")
        return (self.db.stat().st_mtime, wal.stat().st_mtime if wal.exists() else 0.0)

    def get(self, key: tuple[str, tuple[float, float]]) -> Response | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        status, body, headers = entry
        response = Response(body, status_code=status)
        response.raw_headers = list(headers)
        return response

    async def put(self, key: tuple[str, tuple[float, float]], response: Any) -> Response:
        body = b"".join([chunk async for chunk in response.body_iterator])
        fresh = Response(body, status_code=response.status_code)
        fresh.raw_headers = list(response.raw_headers)
        if len(body) <= self.MAX_BYTES:
            with self._lock:
                if len(self._entries) >= self.MAX_ENTRIES:
                    self._entries.clear()
                self._entries[key] = (response.status_code, body, list(response.raw_headers))
        return fresh


def app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory` with several workers (settings from the environment)."""
    return create_app(review=ReviewSettings.from_env())


def create_app(
    db: Path | str | None = None,
    reference: Path | None = None,
    review: ReviewSettings | None = None,
) -> FastAPI:
    database = Database(Path(db or config.default_db_path()))
    reference_dir = reference or config.reference_dir()
    lookup = config.lookup_path(reference_dir)
    app = FastAPI(
        title="Inspection Atlas",
        summary="Ofsted inspections of English councils' children's services, as data.",
        version="0.1.0",
    )
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(
        grade_label=_grade_label,
        area_label=_area_label,
        theme_names=_theme_names(),
        chart_json=queries.as_json,
    )
    templates.env.filters["highlight"] = _highlight

    cache = PageCache(database.path)
    if review is not None:  # `serve --review`: corrections of the coding (web/review.py)
        install_review(app, templates, cache, database.path, review)

    @app.middleware("http")
    async def cached_and_secured(request: Request, call_next: Any) -> Response:
        _drop_empty_parameters(request)
        key = cache.key(request)
        response = cache.get(key) if key else None
        if response is None:
            response = await call_next(request)
            if key and response.status_code == 200:
                response = await cache.put(key, response)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.url.path in ("/docs", "/redoc"):  # the API explorer loads its own scripts
            response.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
        return response

    def page(request: Request, template: str, code: int = 200, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, template, context, status_code=code)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": error.detail}, status_code=error.status_code)
        return page(
            request, "error.html", error.status_code, status=error.status_code, message=error.detail
        )

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in error.errors()
        )
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": f"bad request: {problems}"}, status_code=400)
        return page(request, "error.html", 400, status=400, message=f"Bad request: {problems}")

    # ---- pages -------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request) -> HTMLResponse:
        conn = database()
        latest = queries.latest_by_authority(conn)
        over_time = queries.grades_over_time(conn)
        mapped = {r["ons_code"]: r["overall"] for r in latest if r["ons_code"]}
        return page(
            request,
            "home.html",
            latest=latest,
            publications=queries.latest_publications(conn),
            map_spec=_map_spec(mapped),
            time_spec=_time_spec(over_time),
            unmapped=[r for r in latest if r["la_type"] == "County"],
        )

    @app.get("/authorities", response_class=HTMLResponse, include_in_schema=False)
    def authorities_page(
        request: Request,
        region: str | None = None,
        grade: Grade | None = None,
        framework: Annotated[str | None, Query(max_length=40)] = None,
        sort: Literal["authority", "date", "region", "framework", "grade"] = "authority",
        desc: bool = False,
    ) -> HTMLResponse:
        conn = database()
        latest = queries.latest_by_authority(conn)
        chosen = [
            r
            for r in latest
            if (not region or r["region"] == region)
            and (not grade or r["overall"] == grade)
            and (not framework or (r["framework"] or "").startswith(framework))
        ]
        key = {
            "authority": "authority",
            "date": "inspection_end",
            "region": "region",
            "framework": "framework",
            "grade": "overall",
        }[sort]
        chosen.sort(key=lambda r: r[key] or "", reverse=desc)
        return page(
            request,
            "authorities.html",
            rows=chosen,
            regions=queries.regions(conn),
            frameworks=queries.frameworks(conn),
            grades=GRADES,
            current={
                "region": region,
                "grade": grade,
                "framework": framework,
                "sort": sort,
                "desc": desc,
            },
        )

    @app.get("/authorities/{la_code}", response_class=HTMLResponse, include_in_schema=False)
    def authority_page(
        request: Request, la_code: Annotated[str, FastAPIPath(max_length=12)]
    ) -> HTMLResponse:
        conn = database()
        reports = queries.authority_reports(conn, la_code)
        if not reports:
            raise HTTPException(404, f"No authority with LA code {la_code!r} in the database")
        journey = trajectory(conn, la_code)
        near = neighbours(conn, la_code, lookup) if lookup else []
        profile = profile_comparison(
            conn, reports[-1]["id"], [n.report_id for n in near if n.report_id]
        )
        profile.sort(key=lambda p: -(float(str(p["authority"])) + float(str(p["national"]))))
        points = [
            {"date": r["inspection_end"], "judgement": _area_label(k), "grade": g}
            for r in reports
            for k, g in r["judgements"].items()
            if k
            in ("overall_effectiveness", "help_and_protection", "children_in_care", "leadership")
        ]
        return page(
            request,
            "authority.html",
            name=reports[-1]["authority"],
            la_code=la_code,
            reports=reports,
            neighbours=near,
            profile=profile[:16],
            recurring=journey.recurring[:12],
            timeline_spec=charts.grade_timeline(points, "Grades at each inspection"),
        )

    @app.get("/reports/{report_id}", response_class=HTMLResponse, include_in_schema=False)
    def report_page(
        request: Request,
        report_id: int,
        theme: str | None = None,
        polarity: Polarity | None = None,
    ) -> HTMLResponse:
        conn = database()
        found = queries.report(conn, report_id)
        if found is None:
            raise HTTPException(404, f"No report {report_id} in the database")
        if theme and theme not in _theme_names():
            raise HTTPException(400, f"Unknown theme {theme!r}")
        sections = queries.report_sections(conn, report_id, theme, polarity)
        return page(
            request,
            "report.html",
            report=found,
            sections=sections,
            current={"theme": theme, "polarity": polarity},
        )

    @app.get("/reports/{report_id}/original", include_in_schema=False)
    def original(report_id: int) -> FileResponse:
        row = (
            database()
            .execute(
                "SELECT source, kind FROM reports WHERE id = ? AND status = 'parsed'", (report_id,)
            )
            .fetchone()
        )
        if row is None or not Path(row["source"]).is_file():
            raise HTTPException(404, "The original file is not available")
        path = Path(row["source"])  # from the database, never from the request: no traversal
        media = "application/pdf" if row["kind"] == "pdf" else "text/plain; charset=utf-8"
        return FileResponse(path, media_type=media, filename=path.name)

    @app.get("/themes", response_class=HTMLResponse, include_in_schema=False)
    def themes_page(
        request: Request,
        since: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
        until: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
        framework: Annotated[str | None, Query(max_length=40)] = None,
        polarity: Polarity = "weakness",
    ) -> HTMLResponse:
        conn = database()
        filters = Filters(since=since, until=until, frameworks=(framework,) if framework else ())
        focus = "inadequate" if polarity != "strength" else "good_or_better"
        comparison = "good_or_better" if focus == "inadequate" else "inadequate"
        ranked = theme_association(
            conn, filters, polarity=polarity, focus=focus, comparison=comparison
        )
        return page(
            request,
            "themes.html",
            ranked=ranked,
            focus=focus,
            comparison=comparison,
            frameworks=queries.frameworks(conn),
            current={"since": since, "until": until, "framework": framework, "polarity": polarity},
        )

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        request: Request,
        q: Annotated[str, Query(max_length=200)] = "",
        authority: Annotated[str | None, Query(max_length=80)] = None,
        framework: Annotated[str | None, Query(max_length=40)] = None,
        grade: Grade | None = None,
        year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
        page_number: Annotated[int, Query(alias="page", ge=1, le=50)] = 1,
    ) -> HTMLResponse:
        conn = database()
        hits = []
        if q.strip():
            filters = SearchFilters(authority or None, framework or None, grade, year=year)
            hits = search(conn, q, filters, limit=PAGE_SIZE * page_number + 1)
        shown = hits[PAGE_SIZE * (page_number - 1) : PAGE_SIZE * page_number]
        return page(
            request,
            "search.html",
            q=q,
            hits=shown,
            page=page_number,
            more=len(hits) > PAGE_SIZE * page_number,
            grades=GRADES,
            frameworks=queries.frameworks(conn),
            current={"authority": authority, "framework": framework, "grade": grade, "year": year},
        )

    @app.get("/briefings", response_class=HTMLResponse, include_in_schema=False)
    def briefings_page(request: Request) -> HTMLResponse:
        conn = database()
        return page(
            request,
            "briefings.html",
            formats=FORMATS,
            grades=GRADES,
            authorities=queries.latest_by_authority(conn),
        )

    @app.get("/briefings/download", include_in_schema=False)
    def briefing_download(
        kind: Literal["mapping", "weaknesses", "authority", "workbook"],
        format: Literal["docx", "pptx", "html", "xlsx"],
        authority: Annotated[str | None, Query(max_length=12)] = None,
        grade: Grade = "inadequate",
    ) -> Response:
        if format not in FORMATS[kind]:
            raise HTTPException(400, f"The {kind} briefing comes as {', '.join(FORMATS[kind])}")
        options: dict[str, Any] = {}
        if kind == "authority":
            if not authority:
                raise HTTPException(400, "Choose an authority")
            options = {"authority_name": authority, "lookup": lookup}
        elif kind == "weaknesses":
            options = {"grade": grade}
        elif kind == "workbook":
            options = {"lookup": lookup}
        try:
            payload = build_briefing(database(), kind, format, **options)
        except (UnknownAuthority, ValueError) as error:
            raise HTTPException(
                404 if isinstance(error, UnknownAuthority) else 400, str(error)
            ) from error
        name = f"{kind}{'-' + authority if authority else ''}.{format}"
        headers = {"Content-Disposition": f'attachment; filename="{name}"'}
        return Response(payload, media_type=MEDIA[format], headers=headers)

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: Literal["site.css", "charts.js", "vega.js", "boundaries.geojson"]) -> Response:
        cache = {"Cache-Control": "public, max-age=86400"}
        if name == "vega.js":
            return Response(charts.javascript_bundle(), media_type="text/javascript", headers=cache)
        if name == "boundaries.geojson":
            path = reference_dir / "la_boundaries.geojson"
            if not path.is_file():
                raise HTTPException(404, "No boundary file in the reference folder")
            return Response(_map_geometry(path), media_type="application/geo+json", headers=cache)
        media = "text/css" if name.endswith(".css") else "text/javascript"
        return FileResponse(HERE / "static" / name, media_type=media, headers=cache)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/healthz", include_in_schema=False)
    def health() -> dict[str, str]:
        database().execute("SELECT 1").fetchone()
        return {"status": "ok"}

    _api(app, database, lookup)
    return app


# ---- JSON API ------------------------------------------------------------------------------


def _api(app: FastAPI, database: Database, lookup: Path | None) -> None:
    @app.get("/api/reports", tags=["reports"])
    def api_reports(
        region: str | None = None,
        grade: Grade | None = None,
        framework: Annotated[str | None, Query(max_length=40)] = None,
        year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
        authority: Annotated[str | None, Query(max_length=80)] = None,
        sort: Literal["authority", "date", "region", "framework", "grade"] = "authority",
        desc: bool = False,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
        format: Literal["json", "csv"] = "json",
    ) -> Any:
        """Parsed reports with their overall grade, filtered, sorted and paginated."""
        found, total = queries.reports_list(
            database(),
            region=region,
            grade=grade,
            framework=framework,
            year=year,
            authority=authority,
            sort=sort,
            descending=desc,
            limit=limit,
            offset=offset,
        )
        return _table_response(found, total, limit, offset, format, "reports.csv")

    @app.get("/api/reports/{report_id}", tags=["reports"])
    def api_report(report_id: int) -> dict[str, Any]:
        """One report: fields, judgements, recommendations, statistics, tone."""
        found = queries.report(database(), report_id)
        if found is None:
            raise HTTPException(404, f"No report {report_id}")
        found.pop("source", None)
        return found

    @app.get("/api/reports/{report_id}/codings", tags=["reports"])
    def api_codings(
        report_id: int,
        theme: str | None = None,
        polarity: Polarity | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 200,
        offset: Annotated[int, Query(ge=0)] = 0,
        format: Literal["json", "csv"] = "json",
    ) -> Any:
        """Every coded sentence of a report with its evidence, page and paragraph."""
        conn = database()
        if queries.report(conn, report_id) is None:
            raise HTTPException(404, f"No report {report_id}")
        clauses, params = "report_id = ?", [report_id]
        if theme:
            clauses += " AND theme = ?"
            params.append(theme)  # type: ignore[arg-type]
        if polarity:
            clauses += " AND polarity = ?"
            params.append(polarity)  # type: ignore[arg-type]
        total = conn.execute(
            f"SELECT COUNT(*) FROM coded_sentences WHERE {clauses}", params
        ).fetchone()[0]
        found = queries.rows(
            conn.execute(
                "SELECT theme, polarity, confidence, sentence, page, paragraph_number, section"
                f" FROM coded_sentences WHERE {clauses} ORDER BY sentence_id LIMIT ? OFFSET ?",
                [*params, limit, offset],
            )
        )
        return _table_response(found, total, limit, offset, format, "codings.csv")

    @app.get("/api/authorities", tags=["authorities"])
    def api_authorities(
        limit: Annotated[int, Query(ge=1, le=500)] = 200,
        offset: Annotated[int, Query(ge=0)] = 0,
        format: Literal["json", "csv"] = "json",
    ) -> Any:
        """Each authority's latest inspection and grades."""
        latest = queries.latest_by_authority(database())
        flat = [
            {
                **{k: v for k, v in r.items() if k != "judgements"},
                **{f"judgement_{k}": g for k, g in r["judgements"].items()},
            }
            for r in latest
        ]
        return _table_response(
            flat[offset : offset + limit], len(flat), limit, offset, format, "authorities.csv"
        )

    @app.get("/api/authorities/{la_code}", tags=["authorities"])
    def api_authority(la_code: Annotated[str, FastAPIPath(max_length=12)]) -> dict[str, Any]:
        """An authority's inspections, recurring recommendations and statistical neighbours."""
        conn = database()
        reports = queries.authority_reports(conn, la_code)
        if not reports:
            raise HTTPException(404, f"No authority with LA code {la_code!r}")
        journey = trajectory(conn, la_code)
        return {
            "authority": reports[-1]["authority"],
            "la_code": la_code,
            "inspections": reports,
            "recurring_recommendations": [r.__dict__ for r in journey.recurring],
            "neighbours": [
                n.__dict__ for n in (neighbours(conn, la_code, lookup) if lookup else [])
            ],
        }

    @app.get("/api/search", tags=["search"])
    def api_search(
        q: Annotated[str, Query(min_length=1, max_length=200)],
        authority: Annotated[str | None, Query(max_length=80)] = None,
        framework: Annotated[str | None, Query(max_length=40)] = None,
        grade: Grade | None = None,
        year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 20,
        offset: Annotated[int, Query(ge=0, le=1000)] = 0,
        format: Literal["json", "csv"] = "json",
    ) -> Any:
        """Full-text search of findings and recommendations, best first. Snippets mark matches
        with [[ and ]]."""
        hits = search(
            database(),
            q,
            SearchFilters(authority, framework, grade, year=year),
            limit=limit + offset,
        )
        found = [
            {
                **h.__dict__,
                "snippet": h.snippet.replace(HIGHLIGHT_START, "[[").replace(HIGHLIGHT_END, "]]"),
            }
            for h in hits[offset:]
        ]
        for hit in found:
            hit.pop("source", None)
        return _table_response(found, len(hits), limit, offset, format, "search.csv")

    @app.get("/api/themes", tags=["themes"])
    def api_themes(
        polarity: Polarity = "weakness",
        since: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
        until: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
        framework: Annotated[str | None, Query(max_length=40)] = None,
        format: Literal["json", "csv"] = "json",
    ) -> Any:
        """Theme x grade association: prevalence by grade group, odds ratio, q-value."""
        ranked = theme_association(
            database(),
            Filters(since=since, until=until, frameworks=(framework,) if framework else ()),
            polarity=polarity,
            evidence_per_theme=0,
        )
        found = [
            {
                "theme": a.theme,
                "name": a.name,
                "polarity": a.polarity,
                **{f"prevalence_{k}": round(v, 3) for k, v in a.prevalence.items()},
                "difference": round(a.difference, 3),
                "odds_ratio": round(a.odds_ratio, 2),
                "p_value": a.p_value,
                "q_value": a.q_value,
            }
            for a in ranked
        ]
        return _table_response(found, len(found), len(found) or 1, 0, format, "themes.csv")


def _table_response(
    found: list[dict[str, Any]], total: int, limit: int, offset: int, fmt: str, filename: str
) -> Any:
    if fmt == "csv":
        buffer = io.StringIO()
        if found:
            writer = csv.DictWriter(buffer, fieldnames=list(found[0]), extrasaction="ignore")
            writer.writeheader()
            writer.writerows({k: _cell(v) for k, v in row.items()} for row in found)
        return Response(
            buffer.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    return {"total": total, "limit": limit, "offset": offset, "items": found}


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list | tuple):
        return queries.as_json(value)
    if isinstance(value, float) and math.isnan(value):
        return ""
    return value


# ---- presentation helpers ------------------------------------------------------------------


def _grade_label(grade: str | None) -> str:
    from ofsted_atlas.publish.briefings.common import grade_label

    return grade_label(grade)


def _area_label(key: str) -> str:
    from ofsted_atlas.publish.briefings.common import area_label

    return area_label(key)


def _theme_names() -> dict[str, str]:
    return {theme.id: theme.name for theme in load_codebook().themes}


def _highlight(snippet: str) -> Any:
    from markupsafe import Markup, escape

    return Markup(
        str(escape(snippet)).replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_END, "</mark>")
    )


def _map_spec(grades_by_ons: dict[str, str | None]) -> dict[str, Any]:
    values = [
        {"code": code, "grade": grade or "not inspected"} for code, grade in grades_by_ons.items()
    ]
    domain = [*charts.GRADE_COLOURS, "not inspected"]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": 420,
        "height": 520,
        "title": "Latest overall effectiveness",
        "data": {"url": "/static/boundaries.geojson", "format": {"property": "features"}},
        "transform": [
            {
                "lookup": "properties.LAD23CD",
                "from": {"data": {"values": values}, "key": "code", "fields": ["grade"]},
                "default": "county area or not inspected",
            }
        ],
        "projection": {"type": "mercator"},
        "mark": {"type": "geoshape", "stroke": "white", "strokeWidth": 0.3},
        "encoding": {
            "color": {
                "field": "grade",
                "type": "nominal",
                "title": "Grade",
                "legend": {"orient": "bottom", "columns": 2},
                "scale": {
                    "domain": [*domain, "county area or not inspected"],
                    "range": [*charts.GRADE_COLOURS.values(), "#cccccc", "#e6e6e6"],
                },
            },
            "tooltip": [
                {"field": "properties.LAD23NM", "title": "Area"},
                {"field": "grade", "title": "Grade"},
            ],
        },
    }


@functools.lru_cache(maxsize=2)
def _map_geometry(path: Path) -> bytes:
    """The boundary file made ready for Vega's (d3) projection: rings wound clockwise, as d3
    expects (GeoJSON files wind them the other way, which d3 reads as 'the whole globe but this
    area'), coordinates rounded and only the code and name kept."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        for polygon in polygons:
            for index, ring in enumerate(polygon):
                rounded = [[round(x, 4), round(y, 4)] for x, y, *_ in ring]
                polygon[index] = rounded[::-1]
        properties = feature["properties"]
        feature["properties"] = {
            "LAD23CD": properties.get("LAD23CD"),
            "LAD23NM": properties.get("LAD23NM"),
        }
    return json.dumps(data, separators=(",", ":")).encode()


def _time_spec(rows: list[dict[str, Any]]) -> dict[str, Any]:
    spec = charts.grade_distribution(
        [{"year": r["year"], r["grade"]: r["reports"]} for r in rows],
        "year",
        "Overall grades by year of inspection",
    )
    spec["width"] = 380
    spec["encoding"]["color"]["legend"] = {"orient": "bottom", "columns": 3}
    spec["encoding"]["y"]["stack"] = True
    spec["encoding"]["y"]["title"] = "reports"
    return spec
