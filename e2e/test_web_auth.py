"""The web login and HTTP hardening on the TCP listener (SPEC §11), over plain HTTP (no browser yet).

First-run setup with the link ``whatsagent start`` prints, login/logout, the lockout, CSRF, Origin and Host checks,
the body cap, the security headers, the agent protocol's absence on TCP, and ``auth reset-password`` on the socket.
"""

import http.client
import json
import os
import re
from urllib.parse import urlsplit

from conftest import assert_error, run


class Browser:
    """Talks to the daemon's TCP side like a browser on its page: Host and Origin set, cookie and CSRF token kept."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        self.port = parts.port
        self.host = f"127.0.0.1:{parts.port}"
        self.origin: str | None = f"http://127.0.0.1:{parts.port}"
        self.cookie: str | None = None
        self.csrf: str | None = None

    def request(self, method: str, path: str, body=None, headers: dict | None = None, csrf: bool = True):
        """Returns (status, headers dict with lower-case names, parsed JSON or raw bytes)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            sent = {"Host": self.host}
            if self.origin:
                sent["Origin"] = self.origin
            if self.cookie:
                sent["Cookie"] = f"wa_session={self.cookie}"
            if csrf and self.csrf:
                sent["X-CSRF-Token"] = self.csrf
            data = None
            if body is not None:
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                sent["Content-Type"] = "application/json"
            sent.update(headers or {})
            connection.request(method, path, body=data, headers=sent)
            response = connection.getresponse()
            raw = response.read()
            received = {name.lower(): value for name, value in response.getheaders()}
            try:
                parsed = json.loads(raw) if raw else None
            except ValueError:
                parsed = raw
            return response.status, received, parsed
        finally:
            connection.close()

    def adopt(self, headers: dict, body: dict) -> None:
        match = re.match(r"wa_session=([^;]+);", headers["set-cookie"])
        assert match, headers["set-cookie"]
        self.cookie = match.group(1)
        self.csrf = body["csrfToken"]

    def login(self, password: str):
        status, headers, body = self.request("POST", "/api/v1/auth/login", {"password": password})
        if status == 200:
            self.adopt(headers, body)
        return status, headers, body


def error_code(body) -> str:
    return body["error"]["code"]


def start_with_setup(daemon) -> tuple[Browser, str]:
    """Starts the daemon; returns a browser and the setup token from the link ``start --json`` printed."""
    info = daemon.start()
    link = info["setupURL"]
    assert link.startswith(info["url"] + "/setup?token="), link
    return Browser(info["url"]), link.split("token=", 1)[1]


def set_up(browser: Browser, token: str, password: str = "correct horse") -> str:
    status, headers, body = browser.request("POST", "/api/v1/auth/setup", {"token": token, "password": password})
    assert status == 201, body
    browser.adopt(headers, body)
    return body["recoveryCode"]


def test_setup_link_wrong_token_right_token_and_recovery_code(make_daemon):
    daemon = make_daemon(start=False)
    browser, token = start_with_setup(daemon)

    status, _, body = browser.request("GET", "/api/v1/auth/session")
    assert status == 200 and body == {"authenticated": False, "setupRequired": True}
    status, _, body = browser.request("POST", "/api/v1/auth/setup", {"token": "guessed", "password": "correct horse"})
    assert status == 401 and error_code(body) == "invalid_credentials"

    code = set_up(browser, token)

    assert re.fullmatch(r"([A-Z2-7]{4}-){7}[A-Z2-7]{4}", code)
    status, _, body = browser.request("GET", "/api/v1/auth/session")
    assert body["authenticated"] and body["csrfToken"] == browser.csrf
    # The token is single-use, and secrets never reach the log or the pid file.
    status, _, body = browser.request("POST", "/api/v1/auth/setup", {"token": token, "password": "another pass"})
    assert status == 409
    for path in ("logs/daemon.log", "daemon.pid"):
        with open(os.path.join(daemon.home, path), encoding="utf-8") as handle:
            text = handle.read()
        assert token not in text and code not in text and "correct horse" not in text, path
    # After a restart with a password set there is no setup link.
    daemon.stop()
    assert "setupURL" not in daemon.start()


def test_start_in_text_mode_prints_the_setup_link(make_daemon):
    daemon = make_daemon(start=False)
    proc = run(["start", "--home", daemon.home, "--port", "0"])
    assert proc.returncode == 0, proc.stderr
    status = daemon.cli("status", json=True)
    daemon.remember({"url": status["url"], "pid": status["pid"]})
    lines = proc.stdout.splitlines()
    assert lines[0] == status["url"]
    assert re.fullmatch(re.escape(status["url"]) + r"/setup\?token=[A-Za-z0-9_-]{43}", lines[-1]), proc.stdout


def test_login_logout_and_unauthenticated_calls(make_daemon):
    daemon = make_daemon(start=False)
    browser, token = start_with_setup(daemon)
    set_up(browser, token)

    visitor = Browser(daemon.url)
    status, headers, body = visitor.request("GET", "/api/v1/workspaces")
    assert status == 401 and error_code(body) == "authentication_required"
    assert headers["content-type"].startswith("application/json")
    assert visitor.request("GET", "/metrics")[0] == 401
    assert visitor.request("GET", "/health")[0] == 200

    status, headers, body = visitor.login("correct horse")
    assert status == 200, body
    cookie = headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie and "Secure" not in cookie
    assert visitor.request("GET", "/api/v1/workspaces")[0] == 200
    status, _, metrics = visitor.request("GET", "/metrics")
    assert status == 200 and b"whatsagent_http_requests_total" in metrics
    status, _, body = visitor.request("POST", "/api/v1/workspaces", {"name": "alpha"})
    assert status == 201, body

    status, headers, _ = visitor.request("POST", "/api/v1/auth/logout")
    assert status == 204 and "Max-Age=0" in headers["set-cookie"]
    assert visitor.request("GET", "/api/v1/workspaces")[0] == 401


def test_lockout_after_five_failures(make_daemon):
    daemon = make_daemon(start=False)
    browser, token = start_with_setup(daemon)
    set_up(browser, token)

    statuses = [Browser(daemon.url).login("wrong password")[0] for _ in range(4)]
    status, headers, body = Browser(daemon.url).login("wrong password")
    locked = Browser(daemon.url).login("correct horse")

    assert statuses == [401] * 4
    assert status == 429 and error_code(body) == "account_locked"
    assert locked[0] == 429 and "locked for another" in locked[2]["error"]["message"]
    assert int(locked[1]["retry-after"]) > 14 * 60


def test_csrf_origin_host_body_cap_and_headers(make_daemon):
    daemon = make_daemon(start=False)
    browser, token = start_with_setup(daemon)
    set_up(browser, token)

    status, _, body = browser.request("POST", "/api/v1/workspaces", {"name": "alpha"}, csrf=False)
    assert status == 403 and error_code(body) == "csrf_token_invalid"

    status, _, body = browser.request("POST", "/api/v1/workspaces", {"name": "alpha"}, headers={"Origin": "http://evil.example"})
    assert status == 403 and error_code(body) == "origin_not_allowed"

    status, _, body = browser.request("GET", "/api/v1/workspaces", headers={"Host": f"rebound.example:{browser.port}"})
    assert status == 403 and error_code(body) == "host_not_allowed"

    status, _, body = browser.request("POST", "/api/v1/workspaces", b'{"name":"' + b"x" * (300 * 1024) + b'"}')
    assert status == 413 and error_code(body) == "body_too_large"

    for path in ("/health", "/api/v1/workspaces", "/no-such-page"):
        _, headers, _ = browser.request("GET", path)
        assert headers["content-security-policy"].startswith("default-src 'self'"), path
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-frame-options"] == "DENY"


def test_allow_hosts_from_the_environment(make_daemon):
    daemon = make_daemon(start=False)
    info = daemon.start(env={"WHATSAGENT_HOST_ALLOW": "agents.example.com"})
    browser = Browser(info["url"])
    browser.host = "agents.example.com"
    browser.origin = "http://agents.example.com"
    status, _, body = browser.request("GET", "/api/v1/auth/session")
    assert status == 200 and body["setupRequired"]


def test_agent_routes_are_not_served_over_tcp(make_daemon):
    daemon = make_daemon(start=False)
    browser, token = start_with_setup(daemon)
    set_up(browser, token)
    bearer = {"Authorization": "Bearer wa1_0123456789abcdef_" + "x" * 43}

    assert browser.request("GET", "/api/v1/agent/tools", headers=bearer)[0] == 404
    assert browser.request("POST", "/api/v1/agent/tools/send_message", {}, headers=bearer)[0] == 404
    assert browser.request("GET", "/api/v1/agent/events", headers=bearer)[0] == 404


def test_reset_password_over_the_socket(make_daemon):
    daemon = make_daemon(start=False)
    browser, token = start_with_setup(daemon)
    set_up(browser, token)

    refused = daemon.cli("auth", "reset-password", check=False, env={"WHATSAGENT_SESSION_TOKEN": "wa1_x_y"})
    assert_error(refused, 1, "WHATSAGENT_SESSION_TOKEN")
    assert browser.request("GET", "/api/v1/workspaces")[0] == 200

    result = daemon.cli("auth", "reset-password", json=True)

    assert result["setupURL"].startswith(daemon.url + "/setup?token=")
    assert browser.request("GET", "/api/v1/workspaces")[0] == 401  # every browser was signed out
    fresh = Browser(daemon.url)
    status, _, body = fresh.request("GET", "/api/v1/auth/session")
    assert body["setupRequired"]
    set_up(fresh, result["setupURL"].split("token=", 1)[1], password="new password")
    assert fresh.request("GET", "/api/v1/workspaces")[0] == 200
    # The socket route does not exist on TCP.
    assert fresh.request("POST", "/api/v1/auth/reset-password")[0] == 404
    text = daemon.cli("auth", "reset-password").stdout
    assert re.search(r"/setup\?token=[A-Za-z0-9_-]{43}$", text.strip()), text
