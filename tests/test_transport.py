"""ui/transport.py: the server's connections send small messages at once (TCP_NODELAY)."""

from __future__ import annotations

import asyncio.base_events
import socket

from apphelpers import app_session

from ui import transport


def accepted_pair() -> tuple[socket.socket, socket.socket, socket.socket]:
    """A listening socket bound the way Streamlit 1.67 binds it (protocol 0), a client, and the
    connection the listener accepted."""
    listener = socket.socket(family=socket.AF_INET)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    client = socket.create_connection(listener.getsockname())
    accepted, _ = listener.accept()
    return listener, client, accepted


def test_a_connection_accepted_like_streamlits_gets_tcp_nodelay() -> None:
    listener, client, accepted = accepted_pair()
    try:
        assert accepted.proto == 0          # what makes asyncio's own rule skip it
        transport._set_nodelay(accepted)
        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        for sock in (listener, client, accepted):
            sock.close()


def test_other_sockets_are_left_alone() -> None:
    datagram = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        transport._set_nodelay(datagram)    # no TCP option on a UDP socket, and no error
    finally:
        datagram.close()


def test_the_app_installs_it_for_the_connections_asyncio_makes(monkeypatch) -> None:
    monkeypatch.setattr(asyncio.base_events, "_set_nodelay", asyncio.base_events._set_nodelay)
    at = app_session()
    at.run()
    assert not at.exception
    assert asyncio.base_events._set_nodelay is transport._set_nodelay
