"""How uvicorn serves the app. With several workers uvicorn binds the socket in the parent and
hands it to each worker; connections accepted on such a socket lose TCP_NODELAY, so a kept-alive
client waits for Nagle's algorithm and the delayed ACK (about 40 ms) on every response. This
protocol sets TCP_NODELAY on every connection it is given, whoever bound the socket."""

from __future__ import annotations

import asyncio
import contextlib
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol

PROTOCOL = "ofsted_atlas.web.server:NoDelayH11Protocol"  # an import string: workers re-import it


class NoDelayH11Protocol(H11Protocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            with contextlib.suppress(OSError):  # the peer may already have gone
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
