"""The HTML pages: home map, authorities, an authority, a report (and its original file), themes,
search."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi import Path as FastAPIPath
from fastapi.responses import FileResponse, HTMLResponse

from ofsted_atlas.analysis import Filters, neighbours, theme_association, trajectory
from ofsted_atlas.analysis.neighbours import profile_comparison
from ofsted_atlas.parse.grades import GRADES
from ofsted_atlas.store import SearchFilters
from ofsted_atlas.store.search import search_by_report
from ofsted_atlas.store.search import search_page as search_passages

from . import queries, views
from .context import (
    MAX_QUERY,
    MAX_TEXT,
    PAGE_SIZE,
    Context,
    Grade,
    Polarity,
    known_filters,
    known_theme,
    row_id,
    search_turn,
)
from .coverage import coverage


def router(ctx: Context) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request) -> HTMLResponse:
        conn = ctx.database()
        latest = queries.latest_by_authority(conn)
        return ctx.page(
            request,
            "home.html",
            latest=latest,
            publications=queries.latest_publications(conn),
            map_spec=views.map_spec({r["la_code"]: r for r in latest if r["la_code"]}),
            time_spec=views.time_spec(queries.grades_over_time(conn)),
            former=queries.former_authorities(latest, ctx.reference_dir),
        )

    @router.get("/authorities", response_class=HTMLResponse, include_in_schema=False)
    def authorities_page(
        request: Request,
        region: Annotated[str | None, Query(max_length=MAX_TEXT)] = None,
        grade: Grade | None = None,
        framework: Annotated[str | None, Query(max_length=40)] = None,
        sort: Literal["authority", "date", "region", "framework", "grade"] = "authority",
        desc: bool = False,
    ) -> HTMLResponse:
        conn = ctx.database()
        known_filters(conn, region=region, framework=framework)
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
        return ctx.page(
            request,
            "authorities.html",
            rows=chosen,
            missing=[
                a
                for a in coverage(conn, ctx.reference_dir).missing
                if not (grade or framework) and (not region or a.region == region)
            ],
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

    @router.get("/authorities/{la_code}", response_class=HTMLResponse, include_in_schema=False)
    def authority_page(
        request: Request, la_code: Annotated[str, FastAPIPath(max_length=12)]
    ) -> HTMLResponse:
        conn = ctx.database()
        reports = queries.authority_reports(conn, la_code)
        if not reports:
            raise HTTPException(404, f"No authority with LA code {la_code!r} in the database")
        journey = trajectory(conn, la_code)
        near = neighbours(conn, la_code, ctx.lookup) if ctx.lookup else []
        profile = profile_comparison(
            conn, reports[-1]["id"], [n.report_id for n in near if n.report_id]
        )
        compare_to = "neighbours" if any(n.report_id for n in near) else "national"
        inspections = [r for r in reports if r["publication_type"] == "inspection"]
        return ctx.page(
            request,
            "authority.html",
            name=reports[-1]["authority"],
            la_code=la_code,
            reports=reports,
            neighbours=near,
            profile=views.profile_rows(profile, compare_to)[:16],
            compare_to=compare_to,
            recurring=views.recurring_rows(journey.recurring[:12], reports),
            timeline_spec=views.grade_history_spec(inspections or reports),
        )

    @router.get("/reports/{report_id}", response_class=HTMLResponse, include_in_schema=False)
    def report_page(
        request: Request,
        report_id: str,
        theme: Annotated[str | None, Query(max_length=40)] = None,
        polarity: Polarity | None = None,
    ) -> HTMLResponse:
        conn = ctx.database()
        number = row_id(report_id, "report")
        found = queries.report(conn, number)
        if found is None:
            raise HTTPException(404, f"No report {number} in the database")
        known_theme(theme)
        sections = queries.report_sections(conn, number, theme, polarity)
        return ctx.page(
            request,
            "report.html",
            report=found,
            sections=sections,
            current={"theme": theme, "polarity": polarity},
        )

    @router.get("/reports/{report_id}/original", include_in_schema=False)
    def original(report_id: str) -> FileResponse:
        row = (
            ctx.database()
            .execute(
                "SELECT source, kind FROM reports WHERE id = ? AND status = 'parsed'",
                (row_id(report_id, "report"),),
            )
            .fetchone()
        )
        if row is None or not Path(row["source"]).is_file():
            raise HTTPException(404, "The original file is not available")
        path = Path(row["source"])  # from the database, never from the request: no traversal
        media = "application/pdf" if row["kind"] == "pdf" else "text/plain; charset=utf-8"
        return FileResponse(path, media_type=media, filename=path.name)

    @router.get("/themes", response_class=HTMLResponse, include_in_schema=False)
    def themes_page(
        request: Request,
        since: date | None = None,
        until: date | None = None,
        framework: Annotated[str | None, Query(max_length=40)] = None,
        polarity: Polarity = "weakness",
    ) -> HTMLResponse:
        conn = ctx.database()
        known_filters(conn, framework=framework)
        filters = Filters(
            since=since.isoformat() if since else None,
            until=until.isoformat() if until else None,
            frameworks=(framework,) if framework else (),
        )
        focus = "inadequate" if polarity != "strength" else "good_or_better"
        comparison = "good_or_better" if focus == "inadequate" else "inadequate"
        ranked = theme_association(
            conn, filters, polarity=polarity, focus=focus, comparison=comparison
        )
        return ctx.page(
            request,
            "themes.html",
            ranked=ranked,
            focus=focus,
            comparison=comparison,
            frameworks=queries.frameworks(conn),
            current={"since": since, "until": until, "framework": framework, "polarity": polarity},
        )

    @router.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        request: Request,
        q: Annotated[str, Query(max_length=MAX_QUERY)] = "",
        authority: Annotated[str | None, Query(max_length=MAX_TEXT)] = None,
        framework: Annotated[str | None, Query(max_length=40)] = None,
        grade: Grade | None = None,
        year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
        page_number: Annotated[int, Query(alias="page", ge=1, le=50)] = 1,
        group: Literal["passage", "report"] = "passage",
    ) -> HTMLResponse:
        conn = ctx.database()
        known_filters(conn, framework=framework)
        filters = SearchFilters(authority or None, framework or None, grade, year=year)
        start = PAGE_SIZE * (page_number - 1)
        found, grouped = None, None
        if q.strip():
            with search_turn() as budget:
                if group == "report":
                    grouped = search_by_report(conn, q, filters, PAGE_SIZE, start, budget=budget)
                else:
                    found = search_passages(conn, q, filters, PAGE_SIZE, start, budget=budget)
        shown_total = grouped.total_reports if grouped else found.total if found else 0
        return ctx.page(
            request,
            "search.html",
            q=q,
            hits=found.hits if found else [],
            groups=grouped.groups if grouped else [],
            total=found.total if found else grouped.total if grouped else 0,
            total_reports=grouped.total_reports if grouped else None,
            group=group,
            page=page_number,
            page_size=PAGE_SIZE,
            more=shown_total > PAGE_SIZE * page_number,
            grades=GRADES,
            frameworks=queries.frameworks(conn),
            current={"authority": authority, "framework": framework, "grade": grade, "year": year},
            page_query=lambda number: urlencode(
                {
                    k: v
                    for k, v in {
                        "q": q,
                        "authority": authority,
                        "framework": framework,
                        "grade": grade,
                        "year": year,
                        "group": group,
                        "page": number,
                    }.items()
                    if v
                }
            ),
        )

    return router
