"""A runner started by another WhatsAgent version (SPEC §15, issue 7): after an upgrade the daemon finds a live runner
that speaks another protocol version. It must not hang or crash on it, nor leave it running unmanaged: the session
ends with a reason that says what happened and what to do (launch again), the old runner is told to stop, and the
agent can be launched again at once.

The old runner is played by a small Python server on the runner's socket that answers every `hello` with the
frozen `refused` frame (`version_mismatch`, protocol version 0) — exactly what a runner of another version sends.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap

from conftest import wait_for_exit
from test_managed_agents import launch, session_of  # the `managed` fixture comes from conftest

OLD_RUNNER = textwrap.dedent(
    """
    import json, os, signal, socket, struct, sys
    path = sys.argv[1]
    if os.path.exists(path):
        os.unlink(path)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(4)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("listening", flush=True)
    while True:
        connection, _ = server.accept()
        connection.recv(65536)  # the hello frame
        payload = json.dumps({"code": "version_mismatch", "message": "protocol 0 only", "version": 0}).encode()
        connection.sendall(struct.pack(">IB", len(payload) + 1, 0x42) + payload)
        connection.close()
    """
)


def test_a_runner_of_another_protocol_version_is_stopped_and_the_session_says_launch_again(managed):
    daemon = managed
    daemon.cli("agent", "add", "api:cat", "--runtime", "custom", "--command", "/bin/cat")
    session = launch(daemon, "api:cat")["session"]
    run_directory = os.path.join(daemon.home, "workspaces", daemon.cli("workspace", "list", json=True)["workspaces"][0]["id"], "run")
    metadata_path = next(
        os.path.join(run_directory, name) for name in os.listdir(run_directory) if name.endswith(".runner.json")
    )
    with open(metadata_path, encoding="utf-8") as handle:
        metadata = json.load(handle)

    # The daemon goes down; the runner is replaced by one of "another version" on the same socket.
    daemon.cli("stop")
    os.kill(metadata["runnerPID"], signal.SIGKILL)
    assert wait_for_exit(metadata["runnerPID"])
    socket_path = metadata["socketPath"]
    old = subprocess.Popen([sys.executable, "-c", OLD_RUNNER, socket_path], stdout=subprocess.PIPE, text=True)
    try:
        assert old.stdout and old.stdout.readline().strip() == "listening"
        metadata["runnerPID"] = old.pid
        with open(metadata_path, "w", encoding="utf-8") as handle:
            json.dump(metadata, handle)

        daemon.start()
        ended = session_of(daemon, "api:cat")
        assert ended["id"] == session["id"] and ended.get("endedAt"), ended
        reason = ended["endReason"]
        assert "another WhatsAgent version" in reason and "agent launch api:cat" in reason, reason
        assert wait_for_exit(old.pid, timeout=15), "the old runner was told to stop"
        left = [name for name in os.listdir(run_directory) if name.startswith(metadata["sessionID"][:8] + ".")]
        assert all(name.endswith(".log") for name in left), f"its files are gone but a non-empty log: {left}"

        relaunched = launch(daemon, "api:cat")
        assert relaunched["alreadyRunning"] is False and relaunched["session"]["id"] != session["id"]
    finally:
        if old.poll() is None:
            old.kill()
        old.wait(timeout=10)
