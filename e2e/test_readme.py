"""The README runs as written (issue 17): its shell blocks marked ```` ```sh test ````, in order, in a temporary home.

Each block's lines run one at a time under bash, with ``whatsagent`` on PATH (the binary under test), ``HOME`` a
temporary folder holding ``src/shop-api`` (a fresh git repository, as the quick start expects),
``WHATSAGENT_DAEMON_HOME`` a fresh home and the daemon started first on port 0 (what ``make run`` does). Every
command must exit 0.
"""

import os
import re
import shutil
import subprocess
import tempfile


from conftest import BIN, CLI_TIMEOUT, Daemon, child_env

README = os.path.join(os.path.dirname(__file__), "..", "README.md")
FENCE = re.compile(r"^```sh test\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def readme_commands() -> list[str]:
    with open(README, encoding="utf-8") as handle:
        text = handle.read()
    commands = []
    for block in FENCE.findall(text):
        for line in block.splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                commands.append(line)
    return commands


def test_the_readme_marks_its_quick_start_blocks():
    commands = readme_commands()
    # The quick start, the launch section, connect, messages, channels and the board are all marked.
    for expected in ("workspace add shop", "agent launch", "agent connect", "msg send", "channel post", "board import"):
        assert any(expected in command for command in commands), expected


def test_the_readme_runs_as_written():
    scratch = tempfile.mkdtemp(prefix="wa-readme-")
    daemon = Daemon(os.path.join(scratch, "h"))
    os.makedirs(daemon.home, mode=0o700)
    try:
        home = os.path.join(scratch, "user")
        repo = os.path.join(home, "src", "shop-api")
        os.makedirs(repo)
        subprocess.run(["git", "init", "-q", repo], check=True, capture_output=True)
        work = os.path.join(scratch, "work")
        os.makedirs(work)
        bindir = os.path.join(scratch, "bin")
        os.makedirs(bindir)
        os.symlink(os.path.abspath(BIN), os.path.join(bindir, "whatsagent"))
        env = child_env(
            {
                "HOME": home,
                "PATH": bindir + os.pathsep + os.environ.get("PATH", ""),
                "WHATSAGENT_DAEMON_HOME": daemon.home,
                "WHATSAGENT_PORT": "0",
            }
        )
        daemon.start()  # `make run`
        for command in readme_commands():
            proc = subprocess.run(
                ["bash", "-o", "pipefail", "-c", command],
                capture_output=True,
                text=True,
                stdin=subprocess.DEVNULL,
                timeout=CLI_TIMEOUT,
                env=env,
                cwd=work,
            )
            assert proc.returncode == 0, f"README command failed (exit {proc.returncode}): {command}\n{proc.stdout}\n{proc.stderr}"
        assert os.path.exists(os.path.join(work, "board.md")) and os.path.exists(os.path.join(work, "board.json"))
    finally:
        run_stop = subprocess.run(
            [BIN, "stop", "--all", "--home", daemon.home], capture_output=True, text=True, env=child_env(), timeout=CLI_TIMEOUT
        )
        assert run_stop.returncode in (0, 3), run_stop.stderr
        daemon.teardown()
        shutil.rmtree(scratch, ignore_errors=True)
