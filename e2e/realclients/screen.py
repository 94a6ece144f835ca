"""A terminal program under test, rendered: its output bytes go through pyte into a screen the test reads prompts
from (the rendered text, not the raw bytes, so a spinner or cursor motion cannot hide or fake a prompt).

``Terminal.spawn(argv)`` runs a program in a new PTY of our own; ``Terminal.attach(whatsagent, address)`` reads a
managed agent's runner buffer through `whatsagent agent attach` (its stdin typed into the agent's terminal)."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import termios
import threading
import time

import pyte

COLUMNS, LINES = 160, 50
KEYS = {"up": b"\x1b[A", "down": b"\x1b[B", "enter": b"\r", "escape": b"\x1b"}


class Terminal:
    def __init__(self, process: subprocess.Popen, read_fd: int, write, answers: bool = False) -> None:
        self.process = process
        self.read_fd = read_fd
        self.write = write
        self.screen = pyte.Screen(COLUMNS, LINES)
        self.answers = answers
        self.answered = 0  # terminal queries answered so far
        if answers:
            # Answer the terminal queries (device attributes) as a terminal does. Claude sends them once its first
            # prompt is drawn and reads an escape sequence typed before the answer as part of a reply: an arrow key
            # would be a lone Escape ("No, exit"). Keys typed after the answer are read as keys.
            self.screen.write_process_input = self._answer
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.condition = threading.Condition()
        self.closed = False
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    @classmethod
    def spawn(cls, argv: list[str], env: dict[str, str], cwd: str) -> "Terminal":
        primary, secondary = pty.openpty()
        os.set_blocking(primary, True)
        fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        process = subprocess.Popen(argv, stdin=secondary, stdout=secondary, stderr=secondary, env=env, cwd=cwd,
                                   start_new_session=True, close_fds=True)
        os.close(secondary)
        return cls(process, primary, lambda data: os.write(primary, data), answers=True)

    @classmethod
    def attach(cls, argv: list[str], env: dict[str, str]) -> "Terminal":
        process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   env=env, start_new_session=True)

        def write(data: bytes) -> None:
            process.stdin.write(data)
            process.stdin.flush()

        return cls(process, process.stdout.fileno(), write)

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self.read_fd], [], [], 1.0)
                if not ready:
                    if self.process.poll() is not None:
                        break
                    continue
                data = os.read(self.read_fd, 65536)
            except OSError:
                break
            if not data:
                break
            with self.condition:
                self.raw += data
                self.stream.feed(data)
                self.condition.notify_all()
        with self.condition:
            self.closed = True
            self.condition.notify_all()

    def text(self) -> str:
        with self.condition:
            return self.text_locked()

    def wait_for(self, fragment: str, timeout: float = 30.0) -> str:
        """Waits until ``fragment`` is on the rendered screen; returns the screen."""
        deadline = time.monotonic() + timeout
        with self.condition:
            while True:
                screen = "\n".join(line.rstrip() for line in self.screen.display)
                if fragment in screen:
                    return screen
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.closed:
                    raise AssertionError(f"{fragment!r} never appeared on the screen; it shows:\n{screen}")
                self.condition.wait(remaining)

    def press(self, *keys: str) -> None:
        for key in keys:
            self.write(KEYS[key])

    def _answer(self, text: str) -> None:
        self.write(text.encode())
        self.answered += 1  # called on the reader thread, which holds the condition
        self.condition.notify_all()

    def _until(self, done, key: str, timeout: float) -> None:
        """Presses ``key`` once and waits until ``done(screen)`` holds. Never twice: a busy TUI reads keys late, and a
        second Enter would answer the next prompt. An escape sequence waits for the terminal queries' answer first."""
        deadline = time.monotonic() + timeout
        with self.condition:
            if self.answers and KEYS[key].startswith(b"\x1b"):
                while not self.answered and not self.closed and time.monotonic() < deadline:
                    self.condition.wait(deadline - time.monotonic())
            self.press(key)
            while not done(self.text_locked()):
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.closed:
                    raise AssertionError(f"pressing {key} had no effect; the screen shows:\n{self.text_locked()}")
                self.condition.wait(remaining)

    def choose(self, option: str, key: str, default: str, timeout: float = 20.0) -> None:
        """Moves the menu cursor with ``key`` onto ``option`` (`❯ option` on the screen). Claude 2.1.337 redraws its
        first prompt once, about 0.1 s after asking the terminal its queries, with the cursor back on ``default``: a
        move made before that redraw is undone, so when the cursor comes back to ``default`` within 2 s the key is
        pressed again (the redraw happens once)."""
        self._until(lambda screen: f"❯ {option}" in screen, key, timeout)
        with self.condition:
            deadline = time.monotonic() + 2.0
            while f"❯ {default}" not in self.text_locked():
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.closed:
                    return
                self.condition.wait(remaining)
        self._until(lambda screen: f"❯ {option}" in screen, key, timeout)

    def confirm(self, prompt: str, timeout: float = 20.0) -> None:
        """Presses Enter once and waits until ``prompt`` has left the screen."""
        self._until(lambda screen: prompt not in screen, "enter", timeout)

    def text_locked(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.reader.join(timeout=5)
        if self.process.stdout is None:  # our own PTY
            try:
                os.close(self.read_fd)
            except OSError:
                pass
        else:  # `agent attach`'s pipes
            self.process.stdin.close()
            self.process.stdout.close()
