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
from ofsted_atlas.publish import charts
from ofsted_atlas.store import SearchFilters, search

from . import queries
from .context import (
    MAX_QUERY,
    MAX_TEXT,
    PAGE_SIZE,
    SEARCH_BUDGET,
    Context,
    Grade,
    Polarity,
    known_filters,
    known_theme,
    row_id,
)
from .presentation import _area_label, _map_spec, _time_spec


def router(ctx: Context) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request) -> HTMLResponse:
        conn = ctx.database()
        latest = queries.latest_by_authority(conn)
        over_time = queries.grades_over_time(conn)
        mapped = {r["ons_code"]: r["overall"] for r in latest if r["ons_code"]}
        return ctx.page(
            request,
            "home.html",
            latest=latest,
            publications=queries.latest_publications(conn),
            map_spec=_map_spec(mapped),
            time_spec=_time_spec(over_time),
            unmapped=[r for r in latest if r["la_type"] == "County"],
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
        profile.sort(key=lambda p: -(float(str(p["authority"])) + float(str(p["national"]))))
        points = [
            {"date": r["inspection_end"], "judgement": _area_label(k), "grade": g}
            for r in reports
            for k, g in r["judgements"].items()
            if k
            in ("overall_effectiveness", "help_and_protection", "children_in_care", "leadership")
        ]
        return ctx.page(
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
    ) -> HTMLResponse:
        conn = ctx.database()
        known_filters(conn, framework=framework)
        hits = []
        if q.strip():
            filters = SearchFilters(authority or None, framework or None, grade, year=year)
            hits = search(conn, q, filters, limit=PAGE_SIZE * page_number + 1, budget=SEARCH_BUDGET)
        shown = hits[PAGE_SIZE * (page_number - 1) : PAGE_SIZE * page_number]
        return ctx.page(
            request,
            "search.html",
            q=q,
            hits=shown,
            page=page_number,
            more=len(hits) > PAGE_SIZE * page_number,
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
                        "page": number,
                    }.items()
                    if v
                }
            ),
        )

    return router
