"""The committed app-server protocol fixture (issue 16) is what the pinned Codex 0.147.0 generates, and holds every
method and notification the daemon relies on (docs/codex-app-server.md)."""

import json
import os
import subprocess
import tempfile

from realclients.conftest import CODEX

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "codex-app-server-0.147.0")


def methods(path: str) -> set[str]:
    with open(path, encoding="utf-8") as handle:
        schema = json.load(handle)
    return {variant["properties"]["method"]["enum"][0] for variant in schema["oneOf"]}


def test_the_fixture_is_what_the_pinned_codex_generates():
    out = tempfile.mkdtemp(prefix="wcs-")
    subprocess.run([CODEX, "app-server", "generate-json-schema", "--out", out], check=True, capture_output=True,
                   timeout=60)
    for folder, _, names in os.walk(FIXTURE):
        for name in names:
            committed = os.path.join(folder, name)
            generated = os.path.join(out, os.path.relpath(committed, FIXTURE))
            with open(committed, "rb") as mine, open(generated, "rb") as theirs:
                assert mine.read() == theirs.read(), f"{name} differs from what Codex 0.147.0 generates"


def test_the_methods_the_daemon_uses_are_in_the_protocol():
    assert {"initialize", "thread/loaded/list", "thread/read", "turn/start", "turn/steer"} <= methods(
        os.path.join(FIXTURE, "ClientRequest.json"))
    assert {"thread/started", "thread/status/changed", "thread/closed"} <= methods(
        os.path.join(FIXTURE, "ServerNotification.json"))
    # The requests the daemon leaves to the human in the TUI.
    assert {"item/commandExecution/requestApproval", "item/fileChange/requestApproval", "item/tool/requestUserInput",
            "mcpServer/elicitation/request"} <= methods(os.path.join(FIXTURE, "ServerRequest.json"))
    with open(os.path.join(FIXTURE, "v2", "TurnSteerParams.json"), encoding="utf-8") as handle:
        assert set(json.load(handle)["required"]) == {"threadId", "input", "expectedTurnId"}
