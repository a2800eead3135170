"""Static files (stylesheet, scripts, the Vega bundle, map boundaries), favicon and /healthz."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ofsted_atlas.publish import charts

from . import geography
from .context import Context

HERE = Path(__file__).parent
STATIC_MEDIA = {
    "site.css": "text/css; charset=utf-8",
    "charts.js": "text/javascript; charset=utf-8",
    "vega.js": "text/javascript; charset=utf-8",
    "england.geojson": "application/geo+json",
}
StaticName = Literal["site.css", "charts.js", "vega.js", "england.geojson"]
# Built on first use rather than at start (geography.warm starts it in the background): the
# county shapes take about a second of shapely work, and only the home map asks for them.
LAZY = "england.geojson"


def static_bytes(ctx: Context, name: str) -> bytes | None:
    if name == "vega.js":
        return charts.javascript_bundle().encode()
    if name == LAZY:
        if not geography.available(ctx.reference_dir):
            return None
        return geography.england_geojson(ctx.reference_dir)
    return (HERE / "static" / name).read_bytes()


def build_static(ctx: Context) -> dict[str, bytes]:
    """Every static file but the map built once at start (the Vega bundle alone takes about
    2 s), and its version (a content hash) recorded for versioned URLs."""
    built = {name: static_bytes(ctx, name) for name in STATIC_MEDIA if name != LAZY}
    files = {name: data for name, data in built.items() if data is not None}
    ctx.static_versions.update(
        {name: hashlib.sha256(data).hexdigest()[:12] for name, data in files.items()}
    )
    return files


def router(ctx: Context) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    files = build_static(ctx)

    zipped = {name: gzip.compress(data, compresslevel=9, mtime=0) for name, data in files.items()}

    @router.get("/static/{name}", include_in_schema=False)
    async def static(
        request: Request, name: StaticName, v: Annotated[str | None, Query(max_length=20)] = None
    ) -> Response:
        if name == LAZY:  # off the event loop: the first build takes about a second
            data = await run_in_threadpool(static_bytes, ctx, name)
        else:
            data = files.get(name)
        if data is None:
            raise HTTPException(404, "No boundary file in the reference folder")
        versioned = v is not None and v == ctx.static_versions.get(name)
        headers = {
            "Cache-Control": "public, max-age=31536000, immutable"
            if versioned
            else "public, max-age=3600",
            "Vary": "Accept-Encoding",
        }
        if "gzip" in request.headers.get("accept-encoding", ""):  # compressed once
            packed = zipped.get(name)
            if packed is None:  # the map, built on first use: compressed then, off the loop
                packed = await run_in_threadpool(gzip.compress, data, 9, mtime=0)
                zipped[name] = packed
            headers["Content-Encoding"] = "gzip"
            data = packed
        return Response(data, media_type=STATIC_MEDIA[name], headers=headers)

    @router.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(status_code=204)

    @router.get("/healthz", include_in_schema=False)
    async def health() -> dict[str, str]:
        ctx.database().execute("SELECT 1").fetchone()
        return {"status": "ok"}

    return router
