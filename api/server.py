"""Serving details: the uvicorn HTTP protocol ``kg serve`` uses (``api.server:NoDelayHTTPProtocol``).

With ``--workers > 1`` uvicorn binds the listening socket itself with ``proto=0``; asyncio then
skips ``TCP_NODELAY`` on accepted connections (it only sets it when ``proto == IPPROTO_TCP``), so
Nagle's algorithm holds back the body that follows the headers until the client's delayed ACK,
about 40 ms on Linux loopback. This protocol sets ``TCP_NODELAY`` on every connection. It parses
with httptools (C) when installed, else with h11.
"""

from __future__ import annotations

import asyncio
import socket
from typing import TYPE_CHECKING, Any, cast

PROTOCOL_PATH = "api.server:NoDelayHTTPProtocol"


def _nodelay(transport: asyncio.BaseTransport) -> None:
    sock = cast("socket.socket | None", transport.get_extra_info("socket"))
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass


if TYPE_CHECKING:
    from uvicorn.protocols.http.h11_impl import H11Protocol as _Base
else:
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _Base
    except ImportError:
        from uvicorn.protocols.http.h11_impl import H11Protocol as _Base


class NoDelayHTTPProtocol(_Base):
    def connection_made(self, transport: Any) -> None:
        _nodelay(transport)
        super().connection_made(transport)
