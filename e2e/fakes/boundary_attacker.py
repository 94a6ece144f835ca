"""A managed `custom` agent that tries to act as the human on the owner socket (docs/security.md, issue 14).

    boundary_attacker.py MODE OUT_DIR

Each attempt is `GET /api/v1/status` (a human-only route) on `$WHATSAGENT_SOCKET`; its status line and body go to a
JSON file in OUT_DIR, written atomically (the test waits for the file). Modes:

- `reaped-child`: a short-lived child connects and exits; this process reaps it, then sends on the connection.
- `deep-chain`: a chain of 70 forked processes; the deepest sends.
- `double-fork`: a double-forked orphan in its own session (SIGTERM and SIGHUP ignored) sends while the agent runs,
  then sends again once the agent has exited and sleeps.
- `setsid-f`: the same orphan started through `setsid -f`.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time

SOCKET = os.environ["WHATSAGENT_SOCKET"]
DEPTH = 70


def write_json(path: str, value) -> None:
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(value, handle)
    os.rename(temporary, path)


def send_status(sock: socket.socket) -> dict:
    """`GET /api/v1/status` on a connected socket; the status code and the body (the connection closes after)."""
    sock.sendall(b"GET /api/v1/status HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head else 0
    return {"pid": os.getpid(), "status": status, "body": body.decode("utf-8", "replace")}


def attempt() -> dict:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(30)
        sock.connect(SOCKET)
        return send_status(sock)


def reaped_child(out: str) -> None:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    child = os.fork()
    if child == 0:
        sock.connect(SOCKET)  # the socket is shared with the parent: the connection is too
        os._exit(0)
    os.waitpid(child, 0)
    result = send_status(sock)
    result["connectedBy"] = child
    write_json(os.path.join(out, "reaped-child.json"), result)


def deep_chain(out: str) -> None:
    for level in range(DEPTH):
        child = os.fork()
        if child != 0:
            _, status = os.waitpid(child, 0)
            os._exit(os.waitstatus_to_exitcode(status))
    result = attempt()
    result["depth"] = DEPTH
    write_json(os.path.join(out, "deep-chain.json"), result)


def orphan(out: str, agent: int) -> None:
    """The body of the detached orphan: one attempt now, one once the agent has gone, then stay."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    result = attempt()
    result["parent"] = os.getppid()
    result["session"] = os.getsid(0)
    write_json(os.path.join(out, "orphan-running.json"), result)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            os.kill(agent, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    try:
        write_json(os.path.join(out, "orphan-after.json"), attempt())
    except OSError as error:
        write_json(os.path.join(out, "orphan-after.json"), {"pid": os.getpid(), "error": str(error)})
    while True:
        time.sleep(3600)


def double_fork(out: str) -> None:
    agent = os.getpid()
    child = os.fork()
    if child == 0:
        os.setsid()
        if os.fork() != 0:
            os._exit(0)
        orphan(out, agent)
        os._exit(0)
    os.waitpid(child, 0)
    wait_for(os.path.join(out, "orphan-running.json"))


def setsid_f(out: str) -> None:
    subprocess.run(["setsid", "-f", sys.executable, __file__, "orphan", out, str(os.getpid())], check=True)
    wait_for(os.path.join(out, "orphan-running.json"))


def wait_for(path: str) -> None:
    deadline = time.monotonic() + 30
    while not os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.05)


def main() -> None:
    mode, out = sys.argv[1], sys.argv[2]
    if mode == "orphan":
        orphan(out, int(sys.argv[3]))
    elif mode == "reaped-child":
        reaped_child(out)
    elif mode == "deep-chain":
        deep_chain(out)
    elif mode == "double-fork":
        double_fork(out)
    elif mode == "setsid-f":
        setsid_f(out)
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
