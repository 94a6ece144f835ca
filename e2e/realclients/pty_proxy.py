"""A timestamping terminal relay (issue 15): ``pty_proxy.py LOG COMMAND ARGS…`` runs COMMAND in a terminal of its
own and relays bytes both ways between it and its own terminal (the managed agent's PTY), appending each chunk typed
into the agent's PTY to LOG as ``{"mono": CLOCK_MONOTONIC, "wall": epoch seconds, "data": …}``, stamped as soon as
it was read. It lets the bench time the daemon's typed nudge without a change to the product; the relay adds one
pipe hop (well under a millisecond) on the way to the CLI."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import sys
import termios
import time
import tty


def main() -> int:
    log_path, command = sys.argv[1], sys.argv[2:]
    pid, master = pty.fork()
    if pid == 0:
        os.execvp(command[0], command)
    try:
        size = fcntl.ioctl(0, termios.TIOCGWINSZ, b"\0" * 8)
        fcntl.ioctl(master, termios.TIOCSWINSZ, size)
        tty.setraw(0)
    except OSError:
        pass
    log = open(log_path, "a", encoding="utf-8", buffering=1)
    while True:
        ready, _, _ = select.select([0, master], [], [])
        if 0 in ready:
            data = os.read(0, 65536)
            if not data:
                break
            os.write(master, data)
            log.write(json.dumps({"mono": time.monotonic(), "wall": time.time(),
                                  "data": data.decode("utf-8", "replace")}) + "\n")
        if master in ready:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            os.write(1, data)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
