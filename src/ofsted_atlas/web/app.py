"""The web app: server-rendered pages and a JSON API over the same Python API as the CLI.

Read-only by design: the database is opened read-only, no page writes anything. Report text is
always autoescaped; charts are Vega-Lite specs in `<script type="application/json">` blocks drawn
by a static script, so the Content-Security-Policy allows no inline script.

The routes live in routers: pages.py (HTML pages), api.py (JSON API), briefings.py (briefing
page and downloads), assets.py (static files, /healthz); this module assembles them with the
security headers, the page cache and the error pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from ofsted_atlas import config

from . import api, assets, briefings, pages, queries
from .cache import PageCache, _drop_empty_parameters
from .context import Context, Database
from .presentation import _area_label, _grade_label, _highlight, _theme_names

HERE = Path(__file__).parent
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


def app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory` with several workers (settings from the environment)."""
    return create_app()


def create_app(db: Path | str | None = None, reference: Path | None = None) -> FastAPI:
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

    ctx = Context(database, templates, reference_dir, lookup)
    cache = PageCache(database.path)

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

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": error.detail}, status_code=error.status_code)
        return ctx.page(
            request, "error.html", error.status_code, status=error.status_code, message=error.detail
        )

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in error.errors()
        )
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": f"bad request: {problems}"}, status_code=400)
        return ctx.page(request, "error.html", 400, status=400, message=f"Bad request: {problems}")

    for module in (pages, briefings, assets, api):
        app.include_router(module.router(ctx))
    return app
