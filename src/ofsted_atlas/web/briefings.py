"""The briefings page and briefing downloads."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from ofsted_atlas.analysis.trajectory import UnknownAuthority
from ofsted_atlas.parse.grades import GRADES
from ofsted_atlas.publish.briefings import FORMATS

from . import queries
from .briefing_pool import PoolFull
from .context import Context, Grade

MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}


def router(ctx: Context) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/briefings", response_class=HTMLResponse, include_in_schema=False)
    def briefings_page(request: Request) -> HTMLResponse:
        conn = ctx.database()
        return ctx.page(
            request,
            "briefings.html",
            formats=FORMATS,
            grades=GRADES,
            authorities=queries.latest_by_authority(conn),
        )

    @router.get("/briefings/download", include_in_schema=False)
    async def briefing_download(
        kind: Literal["mapping", "weaknesses", "authority", "workbook"],
        format: Literal["docx", "pptx", "html", "xlsx"],
        authority: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9-]{1,12}$")] = None,
        grade: Grade = "inadequate",
    ) -> Response:
        if format not in FORMATS[kind]:
            raise HTTPException(400, f"The {kind} briefing comes as {', '.join(FORMATS[kind])}")
        options: dict[str, Any] = {}
        if kind == "authority":
            if not authority:
                raise HTTPException(400, "Choose an authority")
            options = {"authority_name": authority, "lookup": ctx.lookup}
        elif kind == "weaknesses":
            options = {"grade": grade}
        elif kind == "workbook":
            options = {"lookup": ctx.lookup}
        try:
            payload = await ctx.briefings.get(kind, format, options)
        except PoolFull as error:
            raise HTTPException(503, str(error), headers={"Retry-After": "30"}) from error
        except (UnknownAuthority, ValueError) as error:
            raise HTTPException(
                404 if isinstance(error, UnknownAuthority) else 400, str(error)
            ) from error
        name = f"{kind}{'-' + authority if authority else ''}.{format}"
        headers = {
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-cache",
        }
        return Response(payload, media_type=MEDIA[format], headers=headers)

    return router
