"""Issue 14, critical: the web login was skipped with a doubled slash.

``curl --path-as-is http://127.0.0.1:PORT//api/v1/workspaces`` answered 200 without a session, and ``POST
//api/v1/workspaces`` with a correct Origin created a workspace: the login middleware tested the raw path with a
prefix while the router dropped empty segments. These tests send the raw request lines a real attacker would, on a
real daemon, over TCP and over the owner socket, before setup, after setup and during a lockout.
"""

import json
import socket

from conftest import run

# Spellings that the router would resolve to a protected route, or that traverse.
NON_CANONICAL = [
    "//api/v1/workspaces",
    "///api/v1/status",
    "//metrics",
    "/api//v1/workspaces",
    "/api/v1/workspaces/",
    "/api/v1/./workspaces",
    "/api/v1/x/../workspaces",
    "/api/v1/%2e%2e/v1/workspaces",
    "/%2E/api/v1/status",
    "/api/%2f/v1/status",
    "/api/v1/status%00",
]


def raw_exchange(connect, request: bytes) -> tuple[int, bytes]:
    """Sends one raw request, returns (status, whole response) once the server answers and closes or 5 s pass."""
    sock = connect()
    try:
        sock.settimeout(5)
        sock.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data or len(data) < data.find(b"\r\n\r\n") + 4 + content_length(data):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
        return status, data
    finally:
        sock.close()


def content_length(data: bytes) -> int:
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").lower()
    for line in head.split("\r\n"):
        if line.startswith("content-length:"):
            return int(line.split(":", 1)[1])
    return 0


def tcp(daemon):
    return lambda: socket.create_connection(("127.0.0.1", daemon.port), timeout=5)


def unix(daemon):
    def connect():
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(daemon.socket)
        return sock

    return connect


def request(method: str, target: str, host: str, origin: str | None = None, body: bytes = b"", extra: str = "") -> bytes:
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host}", "Connection: close"]
    if origin:
        lines.append(f"Origin: {origin}")
    if body:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n" + extra + "\r\n").encode() + body


def assert_all_refused(daemon, phase: str) -> None:
    host = f"127.0.0.1:{daemon.port}"
    origin = f"http://{host}"
    body = json.dumps({"name": "evil"}).encode()
    for target in NON_CANONICAL:
        for method, payload in (("GET", b""), ("POST", body)):
            status, data = raw_exchange(tcp(daemon), request(method, target, host, origin, payload))
            assert status == 400, f"{phase}: TCP {method} {target} answered {status}: {data[:300]!r}"
            assert b'"invalid_request"' in data, data[:300]
            status, data = raw_exchange(unix(daemon), request(method, target, "localhost", None, payload))
            assert status == 400, f"{phase}: socket {method} {target} answered {status}: {data[:300]!r}"
    # Nothing was created by any of them.
    assert "evil" not in json.dumps(daemon.api_json("/api/v1/workspaces"))


def test_doubled_slashes_and_dot_segments_never_reach_a_route(daemon):
    assert_all_refused(daemon, "before setup")
    status, _ = raw_exchange(tcp(daemon), request("GET", "/api/v1/workspaces", f"127.0.0.1:{daemon.port}"))
    assert status == 401, "the canonical spelling needs the login"

    # After setup (a password exists), and during a lockout.
    token = daemon.info["setupURL"].split("token=", 1)[1]
    host = f"127.0.0.1:{daemon.port}"
    body = json.dumps({"token": token, "password": "correct horse battery"}).encode()
    status, _ = raw_exchange(tcp(daemon), request("POST", "/api/v1/auth/setup", host, f"http://{host}", body))
    assert status == 201
    assert_all_refused(daemon, "after setup")
    host = f"127.0.0.1:{daemon.port}"
    wrong = json.dumps({"password": "wrong wrong wrong"}).encode()
    statuses = [raw_exchange(tcp(daemon), request("POST", "/api/v1/auth/login", host, f"http://{host}", wrong))[0] for _ in range(6)]
    assert 429 in statuses, statuses
    assert_all_refused(daemon, "during a lockout")


def test_absolute_form_targets_and_two_host_headers_are_refused(daemon):
    host = f"127.0.0.1:{daemon.port}"
    status, data = raw_exchange(tcp(daemon), request("GET", "http://evil.example/api/v1/status", host))
    assert status == 400, data[:300]
    status, data = raw_exchange(tcp(daemon), request("GET", f"http://{host}/health", host))
    assert status == 400, data[:300]
    status, data = raw_exchange(tcp(daemon), request("GET", "/health", host, extra="Host: evil.example\r\n"))
    assert status == 400, data[:300]
    assert b"more than one Host" in data
    status, _ = raw_exchange(tcp(daemon), request("GET", "/health", host))
    assert status == 200


def test_the_cli_and_the_canonical_api_still_work(daemon):
    proc = run(["status", "--home", daemon.home, "--json"])
    assert proc.returncode == 0, proc.stderr
    status, _ = raw_exchange(unix(daemon), request("GET", "/api/v1/status", "localhost"))
    assert status == 200
