"""Static files (stylesheet, scripts, the Vega bundle, map boundaries), favicon and /healthz."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from ofsted_atlas.publish import charts

from .context import Context
from .presentation import _map_geometry

HERE = Path(__file__).parent
STATIC_MEDIA = {
    "site.css": "text/css; charset=utf-8",
    "charts.js": "text/javascript; charset=utf-8",
    "vega.js": "text/javascript; charset=utf-8",
    "boundaries.geojson": "application/geo+json",
}
StaticName = Literal["site.css", "charts.js", "vega.js", "boundaries.geojson"]


def static_bytes(ctx: Context, name: str) -> bytes | None:
    if name == "vega.js":
        return charts.javascript_bundle().encode()
    if name == "boundaries.geojson":
        path = ctx.reference_dir / "la_boundaries.geojson"
        return _map_geometry(path) if path.is_file() else None
    return (HERE / "static" / name).read_bytes()


def build_static(ctx: Context) -> dict[str, bytes]:
    """Every static file built once at start (the Vega bundle alone takes about 2 s), and its
    version (a content hash) recorded for versioned URLs."""
    built = {name: static_bytes(ctx, name) for name in STATIC_MEDIA}
    files = {name: data for name, data in built.items() if data is not None}
    ctx.static_versions.update(
        {name: hashlib.sha256(data).hexdigest()[:12] for name, data in files.items()}
    )
    return files


def router(ctx: Context) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    files = build_static(ctx)

    @router.get("/static/{name}", include_in_schema=False)
    async def static(
        name: StaticName, v: Annotated[str | None, Query(max_length=20)] = None
    ) -> Response:
        data = files.get(name)
        if data is None:
            raise HTTPException(404, "No boundary file in the reference folder")
        versioned = v is not None and v == ctx.static_versions.get(name)
        cache = "public, max-age=31536000, immutable" if versioned else "public, max-age=3600"
        return Response(data, media_type=STATIC_MEDIA[name], headers={"Cache-Control": cache})

    @router.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(status_code=204)

    @router.get("/healthz", include_in_schema=False)
    async def health() -> dict[str, str]:
        ctx.database().execute("SELECT 1").fetchone()
        return {"status": "ok"}

    return router
