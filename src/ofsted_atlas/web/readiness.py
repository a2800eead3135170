"""The readiness page, /authorities/{code}/readiness: the last inspection's recommendations, what
inspectors criticise in similar councils, and the next inspection's likely window.

With `serve --allow-uploads` (off by default) a council can upload its documents there for a
one-off analysis. Uploads are limited in size and number, their type is sniffed from the bytes,
they are read and analysed in memory (the body is never spooled to disk), nothing is stored or
logged, and a POST is accepted only from this site's own page: its Origin (or Referer) must be
this host, a browser's Sec-Fetch-Site must say same-origin, and it must carry the SameSite=Strict
cookie the page sets (browsers never send that cookie with a cross-site request).
"""

from __future__ import annotations

import os
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, Request
from fastapi import Path as FastAPIPath
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from ofsted_atlas.analysis.council_documents import ACCEPTED_LABEL, read_council_document
from ofsted_atlas.analysis.readiness import Readiness
from ofsted_atlas.analysis.trajectory import UnknownAuthority
from ofsted_atlas.errors import AtlasError
from ofsted_atlas.publish.briefings.readiness import passage_where, to_json
from ofsted_atlas.publish.readiness_labels import (
    STATUS_LABELS,
    VISIT_LABELS,
    backtest_words,
    basis_words,
    framework_label,
    long_date,
    peers_words,
    theme_name,
)
from ofsted_atlas.readiness_run import analyse, render

from .context import Context

ALLOW_UPLOADS_ENV = "OFSTED_ATLAS_ALLOW_UPLOADS"
MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # the whole request
MAX_FILES = 5
COOKIE = "atlas_same_site"
DOWNLOADS = {
    "docx": (
        "readiness.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": ("tracker.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": ("readiness.json", "application/json"),
}
LaCode = Annotated[str, FastAPIPath(max_length=12, pattern=r"^[A-Za-z0-9]+$")]


def uploads_allowed() -> bool:
    return os.environ.get(ALLOW_UPLOADS_ENV, "") == "1"


def router(ctx: Context) -> APIRouter:
    routes = APIRouter()
    templates = ctx.templates

    def show(request: Request, result: Readiness, documents: bool, code: int = 200) -> HTMLResponse:
        response = templates.TemplateResponse(
            request,
            "readiness.html",
            {"view": page_view(result, documents), "uploads": uploads_allowed()},
            status_code=code,
        )
        response.headers["Cache-Control"] = "no-store"
        # The form's POST then carries this site's Origin (the site-wide policy sends none).
        response.headers["Referrer-Policy"] = "same-origin"
        if uploads_allowed():
            response.set_cookie(COOKIE, "1", httponly=True, samesite="strict", path="/")
        return response

    def build(la_code: str, documents: list[Any]) -> Readiness:
        try:
            return analyse(ctx.database(), la_code, documents, lookup=ctx.lookup)
        except UnknownAuthority as error:
            raise HTTPException(
                404, f"No inspection of an authority with code {la_code}"
            ) from error
        except ValueError as error:
            raise HTTPException(404, str(error)) from error

    @routes.get(
        "/authorities/{la_code}/readiness", response_class=HTMLResponse, include_in_schema=False
    )
    def readiness_page(request: Request, la_code: LaCode) -> HTMLResponse:
        return show(request, build(la_code, []), documents=False)

    @routes.get("/api/authorities/{la_code}/readiness", tags=["authorities"])
    def readiness_api(la_code: LaCode) -> dict[str, Any]:
        """The readiness JSON contract for the authority's latest inspection, without documents
        (every status `not_mentioned`): its recommendations, inspectors' focus in similar
        councils, and the next inspection's window. Documents are analysed by the CLI
        (`ofsted-atlas readiness`) or, when uploads are allowed, on the readiness page."""
        return to_json(build(la_code, []))

    @routes.post(
        "/authorities/{la_code}/readiness", response_class=HTMLResponse, include_in_schema=False
    )
    async def readiness_upload(request: Request, la_code: LaCode) -> Response:
        if not uploads_allowed():
            raise HTTPException(
                403, "Uploads are off on this server (start it with --allow-uploads)"
            )
        _same_site_only(request)
        fields, files = _form(await _body(request), request.headers.get("content-type", ""))
        if not files:
            raise HTTPException(400, f"Choose at least one document ({ACCEPTED_LABEL})")
        try:
            documents = await run_in_threadpool(
                lambda: [
                    read_council_document(data, name, max_bytes=MAX_UPLOAD_BYTES)
                    for name, data in files
                ]
            )
        except AtlasError as error:
            raise HTTPException(415, str(error)) from None
        except Exception:  # a reader's unexpected failure: refuse the file, log nothing of it
            raise HTTPException(415, "A document could not be read") from None
        result = await run_in_threadpool(build, la_code, documents)
        wanted = fields.get("format", "page")
        if wanted in DOWNLOADS:
            name, media = DOWNLOADS[wanted]
            payload = await run_in_threadpool(render, result, wanted)
            return Response(
                payload,
                media_type=media,
                headers={
                    "Content-Disposition": f'attachment; filename="{la_code}-{name}"',
                    "Cache-Control": "no-store",
                },
            )
        return show(request, result, documents=True)

    return routes


def _same_site_only(request: Request) -> None:
    """Refuse cross-site requests. A browser's Sec-Fetch-Site must say same-origin; the Origin
    (or Referer), when given, must be this host, and without either the request must come from a
    browser that said same-origin; and the SameSite=Strict cookie the page sets must be present."""
    refused = HTTPException(403, "Uploads are accepted only from this site's own page")
    host = request.headers.get("host", "")
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site != "same-origin":
        raise refused
    origin = request.headers.get("origin", "")
    source = origin if origin and origin != "null" else request.headers.get("referer", "")
    if source and urlsplit(source).netloc != host:
        raise refused
    if not source and fetch_site != "same-origin":
        raise refused
    if request.cookies.get(COOKIE) != "1":
        raise HTTPException(403, "Open the readiness page first, then upload from it")


async def _body(request: Request) -> bytes:
    """The request body, in memory, refused as soon as it passes the limit."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_UPLOAD_BYTES:
        raise HTTPException(413, f"Uploads are limited to {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_UPLOAD_BYTES:
            raise HTTPException(
                413, f"Uploads are limited to {MAX_UPLOAD_BYTES // (1024 * 1024)} MB"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _form(body: bytes, content_type: str) -> tuple[dict[str, str], list[tuple[str, bytes]]]:
    """multipart/form-data -> (text fields, [(file name, bytes)]), parsed in memory by the
    standard library's MIME parser."""
    if not content_type.lower().startswith("multipart/form-data"):
        raise HTTPException(400, "Send the documents from the upload form (multipart/form-data)")
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise HTTPException(400, "The upload could not be read")
    fields: dict[str, str] = {}
    files: list[tuple[str, bytes]] = []
    for part in message.iter_parts():
        name = _param(part, "name")
        decoded = part.get_payload(decode=True)
        payload = decoded if isinstance(decoded, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            if payload:
                files.append((Path(filename).name[:120] or "document", payload))
        elif name:
            fields[name] = payload.decode("utf-8", "replace")[:40]
    if len(files) > MAX_FILES:
        raise HTTPException(400, f"Upload at most {MAX_FILES} documents at a time")
    return fields, files


def _param(part: Message, key: str) -> str | None:
    value = part.get_param(key, header="content-disposition")
    return value if isinstance(value, str) else None


def page_view(result: Readiness, documents: bool) -> dict[str, Any]:
    """Everything the template shows, in reader's words."""
    window = result.window
    return {
        "authority": result.authority,
        "la_code": result.la_code,
        "report_id": result.inspection.report_id,
        "inspection": f"{framework_label(result.inspection.framework)} ending "
        f"{long_date(result.inspection.inspection_end)}",
        "documents": [d.name for d in result.documents],
        "given": documents,
        "recommendations": [
            {
                "number": item.number,
                "text": item.text,
                "status": STATUS_LABELS[item.status] if documents else "No documents given",
                "status_key": item.status if documents else "none",
                "recurring": item.recurring,
                "evidence": [(p.text, passage_where(p)) for p in item.evidence],
            }
            for item in result.recommendations
        ],
        "peers": peers_words(result.peers),
        "themes": [
            {
                "name": theme_name(focus.theme),
                "share": f"{round(100 * focus.criticised_share)}%",
                "covered": ("Yes" if focus.covered else "No") if documents else "—",
                "findings": [
                    {
                        "text": e.sentence,
                        "where": f"{e.authority}, {long_date(e.inspection_end)}, page {e.page}",
                        "report_id": e.report_id,
                    }
                    for e in focus.findings
                ],
            }
            for focus in result.themes
        ],
        "window": {
            "earliest": long_date(window.earliest),
            "likely": long_date(window.likely),
            "latest": long_date(window.latest),
            "basis": basis_words(window),
            "tested": backtest_words(result.backtest) if result.backtest else "",
            "visits": [
                f"{VISIT_LABELS.get(v.kind, 'Visit')}, {long_date(v.date)}" for v in window.visits
            ],
        }
        if window
        else None,
    }
