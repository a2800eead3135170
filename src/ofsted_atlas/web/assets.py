"""Static files (stylesheet, scripts, the Vega bundle, map boundaries), favicon and /healthz."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, Response

from ofsted_atlas.publish import charts

from .context import Context
from .presentation import _map_geometry

HERE = Path(__file__).parent


def router(ctx: Context) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/static/{name}", include_in_schema=False)
    def static(name: Literal["site.css", "charts.js", "vega.js", "boundaries.geojson"]) -> Response:
        cache = {"Cache-Control": "public, max-age=86400"}
        if name == "vega.js":
            return Response(charts.javascript_bundle(), media_type="text/javascript", headers=cache)
        if name == "boundaries.geojson":
            path = ctx.reference_dir / "la_boundaries.geojson"
            if not path.is_file():
                raise HTTPException(404, "No boundary file in the reference folder")
            return Response(_map_geometry(path), media_type="application/geo+json", headers=cache)
        media = "text/css" if name.endswith(".css") else "text/javascript"
        return FileResponse(HERE / "static" / name, media_type=media, headers=cache)

    @router.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    @router.get("/healthz", include_in_schema=False)
    def health() -> dict[str, str]:
        ctx.database().execute("SELECT 1").fetchone()
        return {"status": "ok"}

    return router
