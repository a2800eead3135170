"""The API explorer at /docs with Swagger UI served from this app (it works offline), and an
OpenAPI schema that declares what the API really answers: `{"error": "..."}` with 400, 404 or 503
(never FastAPI's 422), and CSV beside JSON where a route takes `format=csv`."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, FastAPI, HTTPException
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, Response
from swagger_ui_bundle import swagger_ui_path

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"error": {"type": "string", "description": "What was wrong, in words"}},
    "required": ["error"],
    "additionalProperties": False,
}
ERROR_STATUSES = {
    400: "Bad request: a parameter is invalid or unknown (the message says which)",
    404: "Not found",
    503: "Busy or too costly right now: try again (see Retry-After)",
}
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
}


def router() -> APIRouter:
    router = APIRouter(include_in_schema=False)
    files = {name: (swagger_ui_path / name).read_bytes() for name in ASSETS}

    @router.get("/docs")
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Inspection Atlas API",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/favicon.ico",
        )

    @router.get("/docs-assets/{name}")
    async def docs_asset(name: Literal["swagger-ui-bundle.js", "swagger-ui.css"]) -> Response:
        if name not in files:
            raise HTTPException(404, "No such file")
        return Response(
            files[name], media_type=ASSETS[name], headers={"Cache-Control": "public, max-age=86400"}
        )

    return router


def install_schema(app: FastAPI) -> None:
    """Replace the generated schema with one that documents the real error responses."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, summary=app.summary, routes=app.routes
            )
            schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
            for path, operations in schema.get("paths", {}).items():
                for operation in operations.values():
                    _document(path, operation)
            for unused in ("HTTPValidationError", "ValidationError"):
                schema["components"]["schemas"].pop(unused, None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _document(path: str, operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    responses.pop("422", None)
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    statuses = [400, 404] if "{" in path else [400]
    if path == "/api/search":
        statuses.append(503)
    for status in statuses:
        responses[str(status)] = {"description": ERROR_STATUSES[status], "content": error}
    names = {p["name"] for p in operation.get("parameters", [])}
    if "format" in names:
        ok = responses.setdefault("200", {"description": "OK"}).setdefault("content", {})
        ok["text/csv"] = {"schema": {"type": "string"}}
