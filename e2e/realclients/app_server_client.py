"""A small client of Codex's app-server for the tests (issue 16): WebSocket on the Unix socket
(`codex app-server --listen unix://PATH`), one JSON-RPC message per text frame. The tests use it as an observer — a
third client beside the TUI and the daemon — to watch the broadcast thread status; it never answers a server request."""

from __future__ import annotations

import base64
import json
import os
import queue
import socket
import struct
import threading
import time


class AppServerObserver:
    def __init__(self, path: str):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(path)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise AssertionError("the app-server closed the connection during the upgrade")
            head += chunk
        assert head.startswith(b"HTTP/1.1 101"), head
        self.responses: queue.Queue = queue.Queue()
        self.notifications: list[tuple[float, str, dict]] = []  # (monotonic time, method, params)
        self.condition = threading.Condition()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()
        self.call("initialize", {"clientInfo": {"name": "whatsagent-test", "version": "1"}})
        self._send({"method": "initialized"})

    def _exactly(self, count: int) -> bytes:
        data = b""
        while len(data) < count:
            chunk = self.sock.recv(count - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data

    def _read(self) -> None:
        try:
            while True:
                head = self._exactly(2)
                opcode, length = head[0] & 0x0F, head[1] & 0x7F
                if length == 126:
                    length = struct.unpack(">H", self._exactly(2))[0]
                elif length == 127:
                    length = struct.unpack(">Q", self._exactly(8))[0]
                payload = self._exactly(length)
                if opcode != 1:
                    continue
                message = json.loads(payload)
                if "method" in message and "id" not in message:
                    with self.condition:
                        self.notifications.append((time.monotonic(), message["method"], message.get("params") or {}))
                        self.condition.notify_all()
                elif "method" not in message:
                    self.responses.put(message)
        except (EOFError, OSError):
            pass

    def _send(self, message: dict) -> None:
        data = json.dumps(message).encode()
        mask = os.urandom(4)
        if len(data) < 126:
            head = bytes([0x81, 0x80 | len(data)])
        elif len(data) < 65536:
            head = bytes([0x81, 0x80 | 126]) + struct.pack(">H", len(data))
        else:
            head = bytes([0x81, 0x80 | 127]) + struct.pack(">Q", len(data))
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def call(self, method: str, params: dict | None = None, timeout: float = 20.0) -> dict:
        self.next_id += 1
        self._send({"id": self.next_id, "method": method, "params": params or {}})
        deadline = time.monotonic() + timeout
        while True:
            message = self.responses.get(timeout=max(0.0, deadline - time.monotonic()))
            if message.get("id") == self.next_id:
                return message

    def statuses(self) -> list[tuple[float, str, list]]:
        """Every thread status broadcast so far: (time, type, activeFlags)."""
        with self.condition:
            return [(at, params["status"]["type"], params["status"].get("activeFlags", []))
                    for at, method, params in self.notifications if method == "thread/status/changed"]

    def wait_for_status(self, kind: str, flag: str | None = None, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        with self.condition:
            while True:
                for _, method, params in self.notifications:
                    status = params.get("status") or {}
                    if method == "thread/status/changed" and status.get("type") == kind and (
                            flag is None or flag in status.get("activeFlags", [])):
                        return
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"the thread never became {kind} {flag or ''}: {self.notifications}")
                self.condition.wait(remaining)

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass
