"""A local stand-in for the Ofsted reports site, served on loopback for sync tests.

Pages are written here in the live site's structure (provider anchors ending in the URN,
`ul.pagination li.next a`, `a.publication-link` with a `span.nonvisual` label). Each route holds a
list of responses served in turn (the last one repeats), so a test can script "429, then the PDF"
or "drop the connection mid-body, then the PDF".
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()
    drop_after: int | None = None  # send this many body bytes of a longer declared body, then cut


@dataclass
class Site:
    routes: dict[str, list[Reply]] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)
    served_ok: Counter[str] = field(default_factory=Counter)
    base_url: str = ""

    def route(self, path: str, *replies: Reply) -> None:
        self.routes[path] = list(replies)

    def next_reply(self, path: str) -> Reply:
        self.hits[path] += 1
        replies = self.routes.get(path)
        if not replies:
            return Reply(404, b"<html><title>Not found</title></html>")
        return replies.pop(0) if len(replies) > 1 else replies[0]


def html_page(title: str, body: str) -> bytes:
    return (
        f"<!DOCTYPE html><html lang='en'><head><title>{title}</title></head>"
        f"<body><main>{body}</main></body></html>"
    ).encode()


def search_page(providers: list[tuple[str, str]], next_href: str | None) -> Reply:
    items = "".join(
        f"<li class='search-result'><h3><a href='/provider/16/{urn}'>{name}</a></h3></li>"
        for urn, name in providers
    )
    pagination = "<ul class='pagination'><li class='previous'><a href='#'>Previous</a></li>"
    if next_href:
        pagination += f"<li class='next'><a href='{next_href}'>Next</a></li>"
    pagination += "</ul>"
    return Reply(body=html_page("Search", f"<ul class='results'>{items}</ul>{pagination}"))


def provider_page(name: str, publications: list[tuple[str, str]]) -> Reply:
    links = "".join(
        f"<li><a class='publication-link' href='{href}'>{label.split(',')[0].title()}"
        f"<span class='nonvisual'>{label}</span></a></li>"
        for label, href in publications
    )
    return Reply(body=html_page(name, f"<h1>{name}</h1><ul>{links}</ul>"))


def pdf_reply(data: bytes) -> Reply:
    return Reply(body=data, content_type="application/pdf")


class _Handler(BaseHTTPRequestHandler):
    site: Site

    def do_GET(self) -> None:
        reply = self.site.next_reply(self.path)
        declared = len(reply.body)
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(declared))
        for name, value in reply.headers:
            self.send_header(name, value)
        self.end_headers()
        if reply.drop_after is not None:
            self.wfile.write(reply.body[: reply.drop_after])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
            return
        self.wfile.write(reply.body)
        if reply.status == 200:
            self.site.served_ok[self.path] += 1

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(site: Site) -> Iterator[Site]:
    handler = type("Handler", (_Handler,), {"site": site})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    site.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
