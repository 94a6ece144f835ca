"""The web UI's static files and event stream against a real daemon (no browser): the page shell from the build
tree, the event stream WebSocket (`GET /api/v1/events`) carrying a change made through the API, and `whatsagent stop`
ending an open stream with 1001 instead of waiting on it.
"""

import json
import socket
import struct
import time

from test_web_auth import Browser


class EventSocket:
    """A bare RFC 6455 client: the upgrade with the browser's headers, then server text and close frames."""

    def __init__(self, browser: Browser, path: str):
        self.sock = socket.create_connection(("127.0.0.1", browser.port), timeout=15)
        head = (
            f"GET {path} HTTP/1.1\r\nHost: {browser.host}\r\nOrigin: {browser.origin}\r\n"
            f"Cookie: wa_session={browser.cookie}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(head.encode())
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.sock.recv(4096)
            assert chunk, "the daemon closed the connection during the upgrade"
            data += chunk
        answer, self.buffer = data.split(b"\r\n\r\n", 1)
        self.status = int(answer.split(b" ")[1])

    def _read(self, count: int) -> bytes:
        while len(self.buffer) < count:
            chunk = self.sock.recv(65536)
            assert chunk, "the stream ended without a close frame"
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def frame(self):
        """('text', object) or ('close', code)."""
        first, second = self._read(2)
        length = second & 0x7F
        if length == 126:
            length = struct.unpack(">H", self._read(2))[0]
        elif length == 127:
            length = struct.unpack(">Q", self._read(8))[0]
        payload = self._read(length)
        opcode = first & 0x0F
        if opcode == 0x8:
            return "close", struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else None
        return "text", json.loads(payload)

    def event(self, kind: str):
        while True:
            what, value = self.frame()
            assert what == "text", f"closed ({value}) before a {kind} event"
            if value["type"] == kind:
                return value


def logged_in(daemon) -> Browser:
    info = daemon.info
    browser = Browser(info["url"])
    token = info["setupURL"].split("token=")[1]
    status, headers, body = browser.request("POST", "/api/v1/auth/setup", {"token": token, "password": "correct horse"})
    assert status == 201, body
    browser.adopt(headers, body)
    return browser


def test_the_page_shell_and_its_assets_are_served_from_the_build_tree(daemon):
    browser = logged_in(daemon)

    status, headers, body = browser.request("GET", "/")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["cache-control"] == "no-cache"
    assert "default-src 'self'" in headers["content-security-policy"]
    assert b"/js/app.js" in body
    status, headers, _ = browser.request("GET", "/js/app.js")
    assert (status, headers["content-type"]) == (200, "text/javascript; charset=utf-8")
    status, _, body = browser.request("GET", "/js/%2e%2e/%2e%2e/WhatsAgentServer.swift")
    assert status == 400 and b"WhatsAgentServer" not in body  # a '..' segment is refused before routing (issue 14)
    status, _, assets = browser.request("GET", "/api/v1/web/assets")
    assert status == 200 and isinstance(assets["xterm"], bool)


def test_the_event_stream_carries_changes_and_stop_ends_it_with_1001(daemon):
    browser = logged_in(daemon)
    refused = EventSocket(browser, "/api/v1/events?csrf=wrong")
    assert refused.status == 400, "a wrong CSRF token never upgrades"

    stream = EventSocket(browser, f"/api/v1/events?csrf={browser.csrf}")
    assert stream.status == 101
    assert stream.event("hello")["version"]
    status, _, created = browser.request("POST", "/api/v1/workspaces", {"name": "alpha"})
    assert status == 201, created
    assert stream.event("workspaces")["workspaceId"] == created["id"]

    started = time.monotonic()
    daemon.stop()
    assert time.monotonic() - started < 10, "an open event stream held up the daemon's shutdown"
    what, code = stream.frame()
    while what == "text":
        what, code = stream.frame()
    assert (what, code) == ("close", 1001)
