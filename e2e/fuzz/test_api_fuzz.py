"""Fuzzes the REST API with schemathesis against the daemon's own `/api/v1/openapi.json` (SPEC §15, issue 7).

A real daemon on a fresh home and port 0, logged in through the web setup flow, seeded with a workspace, a repo, two
agents, a task and an epic so generated requests reach the services instead of stopping at 404. Every operation of
the document is exercised over TCP (cookie, CSRF token, Origin and Host as the browser sends them) in schemathesis's
coverage, fuzzing and stateful phases, checked for no 5xx and for responses that match the documented schemas.

Bounded for `make test` (`WA_FUZZ_EXAMPLES`, default 12 examples per operation); `make fuzz` runs it longer.
Left out, because a fuzzer calling them would end the run rather than test it: stopping the daemon, logging out,
changing the password, ending login sessions, trashing/purging the seeded workspace and writing a backup file to a
generated path. Those routes have their own tests (test_web_auth.py, test_workspaces.py, test_backup.py).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
import textwrap

from conftest import Daemon

EXAMPLES = int(os.environ.get("WA_FUZZ_EXAMPLES", "12"))
RUN_TIMEOUT = int(os.environ.get("WA_FUZZ_TIMEOUT", "900"))
EXCLUDED = r"daemon/stop|auth/(logout|password|sessions|setup|recover|login|reset-password)|/purge$|/trash$|/backup$"


def set_up_login(daemon: Daemon, setup_url: str) -> tuple[str, str]:
    """Runs first-run setup with the one-time token; returns (session cookie, CSRF token)."""
    token = setup_url.split("token=", 1)[1]
    connection = http.client.HTTPConnection("127.0.0.1", daemon.port, timeout=30)
    origin = f"http://127.0.0.1:{daemon.port}"
    body = json.dumps({"token": token, "password": "correct horse battery"}).encode()
    headers = {"Host": f"127.0.0.1:{daemon.port}", "Origin": origin, "Content-Type": "application/json"}
    connection.request("POST", "/api/v1/auth/setup", body=body, headers=headers)
    response = connection.getresponse()
    payload = json.loads(response.read())
    assert response.status == 201, payload
    cookie = re.match(r"wa_session=([^;]+);", response.getheader("set-cookie") or "")
    assert cookie, response.getheaders()
    return cookie.group(1), payload["csrfToken"]


def health(daemon: Daemon) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", daemon.port, timeout=10)
    connection.request("GET", "/health", headers={"Host": f"127.0.0.1:{daemon.port}"})
    return connection.getresponse().status


def test_rest_api_survives_schemathesis(make_daemon, make_dir, tmp_path):
    daemon = make_daemon(start=False)
    info = daemon.start()
    cookie, csrf = set_up_login(daemon, info["setupURL"])
    repo = make_dir()
    daemon.cli("workspace", "add", "fz", "--rate-limit", "off")
    daemon.cli("repo", "add", repo, "--name", "app")
    daemon.cli("agent", "add", "app:main", "--main")
    daemon.cli("agent", "add", "app:eng", "--runtime", "custom", "--command", "true")
    daemon.cli("task", "create", "First task", "--assignee", "app:eng")
    daemon.cli("epic", "create", "First epic", "--assignee", "app:main")

    config = tmp_path / "schemathesis.toml"
    config.write_text(
        textwrap.dedent(
            """
            [parameters]
            "workspace" = "fz"
            "agent" = "app:eng"
            "repo" = "app"
            "task" = "WA-001"
            "epic" = "EP-001"
            "role" = "engineer"
            "runtime" = "custom"
            "channel" = "shared"
            """
        )
    )
    schemathesis = os.path.join(os.path.dirname(sys.executable), "schemathesis")
    origin = f"http://127.0.0.1:{daemon.port}"
    argv = [
        schemathesis,
        "--config-file",
        str(config),
        "run",
        f"{origin}/api/v1/openapi.json",
        "-H",
        f"Cookie: wa_session={cookie}",
        "-H",
        f"X-CSRF-Token: {csrf}",
        "-H",
        f"Origin: {origin}",
        "-H",
        f"Host: 127.0.0.1:{daemon.port}",
        "--exclude-path-regex",
        EXCLUDED,
        "--max-examples",
        str(EXAMPLES),
        "--checks",
        "not_a_server_error,response_schema_conformance",
        "--workers",
        "1",
    ]
    if not os.environ.get("WA_FUZZ_RANDOM"):
        argv.append("--generation-deterministic")
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=RUN_TIMEOUT, stdin=subprocess.DEVNULL, cwd=tmp_path)
    report = tmp_path / "schemathesis.txt"
    report.write_text(proc.stdout + proc.stderr)
    assert proc.returncode == 0, f"schemathesis found failures (report: {report}):\n{proc.stdout[-6000:]}\n{proc.stderr[-2000:]}"
    assert re.search(r"\d+ generated, \d+ passed", proc.stdout), proc.stdout[-3000:]

    # The daemon is still there and still answers on both sides.
    assert health(daemon) == 200
    status = daemon.cli("status", json=True)
    assert status["pid"] == daemon.pid
