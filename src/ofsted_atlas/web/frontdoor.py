"""The outermost layer of the web app (plain ASGI, so it also covers error responses): security
headers on every response, HEAD answered as GET without the body, and trailing-slash redirects
that are relative (never built from the Host header)."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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
# The API explorer starts Swagger UI with one inline script; its files are served from here.
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline';"
    " img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


def secure(headers: MutableHeaders, path: str) -> None:
    for name, value in SECURITY_HEADERS.items():
        headers.setdefault(name, value)
    if path == "/docs":
        headers["Content-Security-Policy"] = DOCS_POLICY


class FrontDoor:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if len(path) > 1 and path.endswith("/"):
            await self._redirect(scope, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}

        async def guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                secure(MutableHeaders(scope=message), path)
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, guarded)

    @staticmethod
    async def _redirect(scope: Scope, send: Send) -> None:
        raw = scope.get("raw_path") or scope["path"].encode()
        # One leading slash: "//host/" must not become a protocol-relative "//host".
        location = b"/" + raw.split(b"?", 1)[0].strip(b"/")
        if scope.get("query_string"):
            location += b"?" + scope["query_string"]
        start: dict[str, Any] = {
            "type": "http.response.start",
            "status": 308,
            "headers": [(b"location", location), (b"content-length", b"0")],
        }
        secure(MutableHeaders(scope=start), scope["path"])
        await send(start)
        await send({"type": "http.response.body", "body": b""})
