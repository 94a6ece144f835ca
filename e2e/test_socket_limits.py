"""Issue 14 (low): the owner socket's refusals name the user's mistake, not an internal error.

A JSON body over the socket's cap answered 500 naming an NIO error; ``backup`` to a path that cannot be written
answered 503 (a storage failure of the daemon's own home). Both are the caller's input: 413 and 400.
"""

import json

from conftest import unix_request


def test_an_oversized_json_body_on_the_socket_is_413(daemon):
    body = json.dumps({"name": "x" * (3 * 1024 * 1024)}).encode()
    status, _, raw = unix_request(daemon.socket, "POST", "/api/v1/workspaces", body, {"Content-Type": "application/json"})
    assert status == 413, raw[:300]
    error = json.loads(raw)["error"]
    assert error["code"] == "body_too_large"
    assert "NIO" not in error["message"]


def test_backup_to_a_path_that_cannot_be_written_is_400(daemon):
    for path in ["/proc/whatsagent.tar", "/sys/whatsagent.tar"]:
        status, _, raw = unix_request(
            daemon.socket, "POST", "/api/v1/backup", json.dumps({"path": path}).encode(), {"Content-Type": "application/json"}
        )
        assert status == 400, f"{path}: {status} {raw[:300]!r}"
        error = json.loads(raw)["error"]
        assert error["code"] == "invalid_argument"
        assert path in error["message"] and "whatsagent backup" in error["message"]
    proc = daemon.cli("backup", "/proc/whatsagent.tar", check=False)
    assert proc.returncode != 0
    assert "/proc/whatsagent.tar" in proc.stderr
