"""A fake terminal UI that shows a prompt, for the typed-nudge tests (docs/security.md, "Typed nudges").

Launched by the daemon as a custom agent (inside a runner's PTY) with ``MODE RECORD MARKER``: it puts its terminal in
raw mode (every byte arrives as typed, nothing is echoed), draws a prompt — ``yn``: a ``[y/N]`` question, ``menu``:
Codex's MCP tool approval with the cursor on ``1. Allow`` — and holds the agent events stream (what makes the session
online, so mail is pushed to it). It appends every byte it receives to RECORD. Once MARKER exists it clears the screen
and shows an idle input line instead. It prints nothing else, so its output stays quiet.
"""

import os
import select
import socket
import sys
import threading
import tty

PROMPTS = {
    "yn": "Overwrite config.toml with the new defaults? [y/N] ",
    "menu": (
        "\x1b[1mAllow the whatsagent MCP server to run tool \"send_message\"?\x1b[0m\r\n\r\n"
        "\x1b[36m› 1. Allow\x1b[39m\r\n  2. Allow for this session\r\n  3. Cancel\r\n\r\n"
        "\x1b[2mPress enter to confirm or esc to cancel\x1b[0m\x1b[3;5H"
    ),
}


def hold_events() -> None:
    """Keeps GET /api/v1/agent/events open on the daemon's socket for as long as the process lives."""
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.connect(os.environ["WHATSAGENT_SOCKET"])
    token = os.environ["WHATSAGENT_SESSION_TOKEN"]
    connection.sendall(
        f"GET /api/v1/agent/events HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\n\r\n".encode()
    )
    while connection.recv(65536):
        pass


def main() -> None:
    mode, record, marker = sys.argv[1:4]
    tty.setraw(0)
    os.write(1, PROMPTS[mode].encode())
    threading.Thread(target=hold_events, daemon=True).start()
    prompt_shown = True
    while True:
        ready, _, _ = select.select([0], [], [], 0.05)
        if ready:
            data = os.read(0, 4096)
            if not data:
                return
            with open(record, "ab") as handle:
                handle.write(data)
        if prompt_shown and os.path.exists(marker):
            prompt_shown = False
            os.write(1, b"\x1b[2J\x1b[Hready> ")


if __name__ == "__main__":
    main()
