"""The JSON API (`/api/...`, documented at /docs): everything the pages show, paginated, each table
also as CSV."""

from __future__ import annotations

import csv
import io
import math
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi import Path as FastAPIPath
from fastapi.responses import Response

from ofsted_atlas.analysis import Filters, neighbours, theme_association, trajectory
from ofsted_atlas.store import SearchFilters, search
from ofsted_atlas.store.search import HIGHLIGHT_END, HIGHLIGHT_START

from . import queries
from .context import (
    MAX_OFFSET,
    MAX_QUERY,
    MAX_TEXT,
    SEARCH_BUDGET,
    Context,
    Grade,
    Polarity,
    known_filters,
    known_theme,
    row_id,
)

# Digits only (checked by `row_id`, which answers 404 for anything else, as for an unknown id).
ReportId = Annotated[
    str, FastAPIPath(description="A report id", json_schema_extra={"pattern": "^[0-9]{1,19}$"})
]


def router(ctx: Context) -> APIRouter:
    router = APIRouter()

    @router.get("/api/reports", tags=["reports"])
    def api_reports(
        region: Annotated[str | None, Query(max_length=MAX_TEXT)] = None,
        grade: Grade | None = None,
        framework: Annotated[str | None, Query(max_length=40)] = None,
        year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
        authority: Annotated[str | None, Query(max_length=MAX_TEXT)] = None,
        sort: Literal["authority", "date", "region", "framework", "grade"] = "authority",
        desc: bool = False,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
        format: Literal["json", "csv"] = "json",
    ) -> Any:
        """Parsed reports with their overall grade, filtered, sorted and paginated."""
        conn = ctx.database()
        known_filters(conn, region=region, framework=framework)
        found, total = queries.reports_list(
            conn,
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

    @router.get("/api/reports/{report_id}", tags=["reports"])
    def api_report(report_id: ReportId) -> dict[str, Any]:
        """One report: fields, judgements, recommendations, statistics, tone."""
        found = queries.report(ctx.database(), row_id(report_id, "report"))
        if found is None:
            raise HTTPException(404, f"No report {report_id}")
        found.pop("source", None)
        return found

    @router.get("/api/reports/{report_id}/codings", tags=["reports"])
    def api_codings(
        report_id: ReportId,
        theme: Annotated[str | None, Query(max_length=40)] = None,
        polarity: Polarity | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 200,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
        format: Literal["json", "csv"] = "json",
    ) -> Any:
        """Every coded sentence of a report with its evidence, page and paragraph."""
        conn = ctx.database()
        number = row_id(report_id, "report")
        if queries.report(conn, number) is None:
            raise HTTPException(404, f"No report {number}")
        known_theme(theme)
        clauses, params = "report_id = ?", [number]
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

    @router.get("/api/authorities", tags=["authorities"])
    def api_authorities(
        limit: Annotated[int, Query(ge=1, le=500)] = 200,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
        format: Literal["json", "csv"] = "json",
    ) -> Any:
        """Each authority's latest inspection and grades."""
        latest = queries.latest_by_authority(ctx.database())
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

    @router.get("/api/authorities/{la_code}", tags=["authorities"])
    def api_authority(la_code: Annotated[str, FastAPIPath(max_length=12)]) -> dict[str, Any]:
        """An authority's inspections, recurring recommendations and statistical neighbours."""
        conn = ctx.database()
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
                n.__dict__ for n in (neighbours(conn, la_code, ctx.lookup) if ctx.lookup else [])
            ],
        }

    @router.get("/api/search", tags=["search"])
    def api_search(
        q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY)],
        authority: Annotated[str | None, Query(max_length=MAX_TEXT)] = None,
        framework: Annotated[str | None, Query(max_length=40)] = None,
        grade: Grade | None = None,
        year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 20,
        offset: Annotated[int, Query(ge=0, le=1000)] = 0,
        format: Literal["json", "csv"] = "json",
    ) -> Any:
        """Full-text search of findings and recommendations, best first. Snippets mark matches
        with [[ and ]]."""
        conn = ctx.database()
        known_filters(conn, framework=framework)
        hits = search(
            conn,
            q,
            SearchFilters(authority, framework, grade, year=year),
            limit=limit + offset,
            budget=SEARCH_BUDGET,
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

    @router.get("/api/themes", tags=["themes"])
    def api_themes(
        polarity: Polarity = "weakness",
        since: date | None = None,
        until: date | None = None,
        framework: Annotated[str | None, Query(max_length=40)] = None,
        format: Literal["json", "csv"] = "json",
    ) -> Any:
        """Theme x grade association: prevalence by grade group, odds ratio, q-value."""
        conn = ctx.database()
        known_filters(conn, framework=framework)
        ranked = theme_association(
            conn,
            Filters(
                since=since.isoformat() if since else None,
                until=until.isoformat() if until else None,
                frameworks=(framework,) if framework else (),
            ),
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

    return router


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
