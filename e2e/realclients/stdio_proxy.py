"""A timestamping stdio proxy for an MCP server (issue 15): ``stdio_proxy.py LOG COMMAND ARGS…`` runs COMMAND and
relays its stdin and stdout line by line, appending each JSON-RPC line to LOG as
``{"dir": "in"|"out", "mono": CLOCK_MONOTONIC, "wall": epoch seconds, "line": …}`` — "in" from the client to the
server, "out" from the server to the client, timed right after it was written on. Stderr passes through untouched.

The monotonic clock is the machine's, the same one the fake models stamp requests with, so a test or the bench can
split a push's latency at the moment the notification reached the client's stdin."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time


def main() -> int:
    log_path, command = sys.argv[1], sys.argv[2:]
    child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
    log = open(log_path, "a", encoding="utf-8", buffering=1)
    lock = threading.Lock()

    def record(direction: str, line: bytes) -> None:
        entry = {"dir": direction, "mono": time.monotonic(), "wall": time.time(),
                 "line": line.decode("utf-8", "replace").rstrip("\n")}
        with lock:
            log.write(json.dumps(entry) + "\n")

    def upstream() -> None:
        source = sys.stdin.buffer
        while line := source.readline():
            child.stdin.write(line)
            record("in", line)
        child.stdin.close()

    threading.Thread(target=upstream, daemon=True).start()
    out = sys.stdout.buffer
    while line := child.stdout.readline():
        out.write(line)
        out.flush()
        record("out", line)
    return child.wait()


if __name__ == "__main__":
    sys.exit(main())
