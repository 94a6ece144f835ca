"""Secrets at rest and on process command lines (docs/security.md, issue 7): the defences of the threat model that
had no test of their own.

- Agent session tokens are stored as hashes: after connects, launches, tool calls and a restart, no database, WAL,
  log or metadata file of the home holds a token — only the agent's own generated MCP config does (it must, to hand
  the token to `whatsagent mcp`), mode 0600 in 0700 folders.
- The web password, the recovery code, the login cookie and the setup token appear in no file of the home.
- Neither a session token nor a runner secret ever appears on a command line (`/proc/*/cmdline`), where other
  local users could read it.
- A disconnected session's token is dead at once.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import stat

from conftest import Daemon, unix_request
from test_managed_agents import launch  # the `managed` fixture comes from conftest


def files_under(root: str) -> list[str]:
    return [os.path.join(folder, name) for folder, _, names in os.walk(root) for name in names]


def holders(root: str, secret: str) -> list[str]:
    """Files under ``root`` whose bytes contain ``secret`` (sockets and other non-regular files skipped)."""
    needle = secret.encode()
    found = []
    for path in files_under(root):
        if not stat.S_ISREG(os.lstat(path).st_mode):
            continue
        with open(path, "rb") as handle:
            if needle in handle.read():
                found.append(os.path.relpath(path, root))
    return found


def command_lines() -> list[bytes]:
    lines = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/cmdline", "rb") as handle:
                    lines.append(handle.read())
            except OSError:
                continue
    return lines


def tool(daemon: Daemon, token: str, name: str, arguments: dict) -> tuple[int, dict]:
    status, _, body = unix_request(
        daemon.socket,
        "POST",
        f"/api/v1/agent/tools/{name}",
        body=json.dumps(arguments).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    return status, json.loads(body)


def test_tokens_and_runner_secrets_are_hashed_at_rest_and_never_on_a_command_line(managed):
    daemon = managed
    daemon.cli("workspace", "set", "team", "--topology", "p2p")
    daemon.cli("agent", "add", "api:ext")
    daemon.cli("agent", "add", "api:peer")
    daemon.cli("agent", "add", "api:cat", "--runtime", "custom", "--command", "/bin/cat")
    external = daemon.cli("agent", "connect", "api:ext", json=True)
    token = external["token"]
    peer = daemon.cli("agent", "connect", "api:peer", json=True)["token"]
    assert tool(daemon, token, "send_message", {"to": "api:peer", "body": "hello"})[1]["isError"] is False
    launched = launch(daemon, "api:cat")["session"]

    workspace = daemon.cli("workspace", "list", json=True)["workspaces"][0]["id"]
    run = os.path.join(daemon.home, "workspaces", workspace, "run")
    secrets = [os.path.join(run, name) for name in os.listdir(run) if name.endswith(".secret")]
    assert len(secrets) == 1
    with open(secrets[0], encoding="utf-8") as handle:
        runner_secret = handle.read().strip()
    assert len(runner_secret) >= 32
    managed_config = next(
        os.path.join(run, name) for name in os.listdir(run) if name.startswith(launched["id"][:8]) and name.endswith(".json") and "runner" not in name
    )
    with open(managed_config, encoding="utf-8") as handle:
        managed_token = json.load(handle)["mcpServers"]["whatsagent"]["env"]["WHATSAGENT_SESSION_TOKEN"]

    # A restart checkpoints the databases; nothing changes about where the secrets are.
    daemon.cli("stop")
    daemon.start()

    for secret in (token, peer, managed_token):
        places = holders(daemon.home, secret)
        assert all(place.startswith(os.path.join("workspaces", workspace, "run") + os.sep) and place.endswith(".json") for place in places), places
        assert not any(place.endswith((".sqlite", ".sqlite-wal", ".log")) for place in places), places
        for place in places:
            mode = stat.S_IMODE(os.stat(os.path.join(daemon.home, place)).st_mode)
            assert mode == 0o600, (place, oct(mode))
    assert holders(daemon.home, runner_secret) == [os.path.relpath(secrets[0], daemon.home)], "the secret file only"
    assert stat.S_IMODE(os.stat(secrets[0]).st_mode) == 0o600
    for folder in (daemon.home, os.path.join(daemon.home, "workspaces", workspace), run):
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700, folder

    for line in command_lines():
        for secret in (token, peer, managed_token, runner_secret):
            assert secret.encode() not in line, f"a secret on a command line: {line[:200]!r}"

    daemon.cli("agent", "disconnect", "api:ext")
    status, body = tool(daemon, token, "whoami", {})
    assert status == 401 and body["error"]["code"] == "invalid_session_token", body


def test_web_secrets_are_in_no_file_of_the_home(make_daemon):
    daemon = make_daemon(start=False)
    info = daemon.start()
    setup_token = info["setupURL"].split("token=", 1)[1]
    port = daemon.port
    headers = {"Host": f"127.0.0.1:{port}", "Origin": f"http://127.0.0.1:{port}", "Content-Type": "application/json"}
    password = "a long and unusual passphrase"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("POST", "/api/v1/auth/setup", body=json.dumps({"token": setup_token, "password": password}), headers=headers)
    response = connection.getresponse()
    body = json.loads(response.read())
    assert response.status == 201, body
    cookie = re.match(r"wa_session=([^;]+);", response.getheader("set-cookie")).group(1)
    recovery = body["recoveryCode"]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("POST", "/api/v1/auth/login", body=json.dumps({"password": password}), headers=headers)
    second = re.match(r"wa_session=([^;]+);", connection.getresponse().getheader("set-cookie")).group(1)

    daemon.cli("stop")  # checkpoint: what the WAL held is in the database files now, and the log is flushed
    for secret in (setup_token, password, recovery, recovery.replace("-", ""), cookie, second, body["csrfToken"]):
        assert holders(daemon.home, secret) == [], secret[:6]
