"""Every message to a visitor leaves at once: TCP_NODELAY on the server's websocket connections.

Streamlit's server writes each visitor's messages through asyncio, which switches Nagle's
algorithm off (TCP_NODELAY) only on sockets whose protocol field says IPPROTO_TCP. Streamlit
1.67 binds its listening socket as `socket.socket(family)`, protocol 0, so no connection it
accepts gets TCP_NODELAY: whenever a run ends in small messages (a script_finished of a few
bytes, a chart sent as a reference to one the browser holds), they wait in the kernel for the
browser's delayed acknowledgement of the bytes before them, 40 ms on Linux and up to 200 ms
on Windows. Measured with benchmarks/class_pages.py: a one-slider fragment rerun came back
in 44 ms with Nagle and in 6 ms without.

`send_without_delay()` makes asyncio set TCP_NODELAY on every TCP stream socket, whatever its
protocol field says. `streamlit_app.py` calls it on every run (it is idempotent); the
connections a server process accepted before its first run keep Nagle until they reconnect.
"""

from __future__ import annotations

import asyncio.base_events
import socket


def _set_nodelay(sock: socket.socket) -> None:
    """asyncio's own rule (a TCP stream socket gets TCP_NODELAY) without its protocol-field test."""
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def send_without_delay() -> None:
    """From now on, every connection the server accepts sends small messages at once."""
    asyncio.base_events._set_nodelay = _set_nodelay
