"""Starting, finding, refusing a second, and stopping the daemon (SPEC §2, §3, §4, §13)."""

import json
import os
import re
import signal
import stat
import urllib.error
import urllib.request

from conftest import assert_error, port_of, process_alive, run, wait_for_exit

RFC3339_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def http_get(url: str):
    """GET over TCP; returns (status, headers, body) for 2xx and errors alike."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_version_flag_prints_the_version():
    proc = run(["--version"])
    assert proc.returncode == 0, proc.stderr
    assert re.fullmatch(r"\d+\.\d+\.\d+(?:[-+][\w.]+)?\n", proc.stdout), proc.stdout


def test_start_in_text_mode_prints_the_url_then_the_setup_link(make_daemon):
    d = make_daemon(start=False)
    proc = run(["start", "--home", d.home, "--port", "0"])
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    # No web password yet: the one-time setup link follows the URL (test_web_auth.py covers it).
    assert len(lines) == 3, proc.stdout
    assert lines[2].startswith(lines[0] + "/setup?token="), proc.stdout
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", lines[0]), lines[0]
    assert port_of(lines[0]) != 0
    status = d.cli("status", json=True)
    d.remember({"url": status["url"], "pid": status["pid"]})
    assert status["url"] == lines[0]


def test_start_json_prints_daemon_info(make_daemon):
    d = make_daemon(start=False)
    proc = run(["start", "--home", d.home, "--port", "0", "--json"])
    assert proc.returncode == 0, proc.stderr
    info = json.loads(proc.stdout)
    d.remember(info)
    assert set(info) == {"url", "pid", "socket", "home", "version", "setupURL"}
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", info["url"])
    assert port_of(info["url"]) != 0
    assert info["home"] == d.home
    assert info["socket"] == os.path.join(d.home, "daemon.sock")
    assert process_alive(info["pid"])
    assert info["version"] == run(["--version"]).stdout.strip()


def test_health_over_tcp(daemon):
    status, headers, body = http_get(daemon.url + "/health")
    assert status == 200
    assert headers.get_content_type() == "application/json"
    health = json.loads(body)
    assert health["ok"] is True
    assert health["version"] == daemon.info["version"]
    assert RFC3339_MS.match(health["startedAt"]), health
    assert set(health) == {"ok", "version", "startedAt"}


def test_management_api_on_tcp_needs_the_login(daemon):
    # The web login guards the API on TCP (test_web_auth.py logs in); without it every call is 401.
    for path in ("/api/v1/status", "/api/v1/workspaces", "/api/v1/openapi.json", "/api/v1/backup"):
        status, _, _ = http_get(daemon.url + path)
        assert status == 401, f"GET {path} over TCP returned {status}"
    assert http_get(daemon.url + "/nope")[0] == 404
    # Writing over TCP is refused too: the daemon must not be stoppable from the network side (no Origin, no login).
    request = urllib.request.Request(
        daemon.url + "/api/v1/daemon/stop", data=b'{"stopRunners":false}', method="POST",
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            code = response.status
    except urllib.error.HTTPError as error:
        code = error.code
    assert code == 403
    assert process_alive(daemon.pid)
    assert daemon.cli("status").returncode == 0


def test_status_matches_the_started_daemon(daemon):
    status = daemon.cli("status", json=True)
    assert status["pid"] == daemon.pid
    assert status["url"] == daemon.url
    assert status["home"] == daemon.home
    assert status["socket"] == daemon.socket
    assert status["version"] == daemon.info["version"]
    assert status["workspaces"] == 0
    assert status["sessions"] == 0
    assert RFC3339_MS.match(status["startedAt"]), status
    text = daemon.cli("status").stdout
    assert str(daemon.pid) in text and daemon.url in text and daemon.home in text


def test_socket_and_home_permissions(daemon):
    socket_mode = os.stat(daemon.socket).st_mode
    assert stat.S_ISSOCK(socket_mode)
    assert stat.S_IMODE(socket_mode) == 0o600, oct(stat.S_IMODE(socket_mode))
    home_mode = os.stat(daemon.home).st_mode
    assert stat.S_IMODE(home_mode) == 0o700, oct(stat.S_IMODE(home_mode))


def test_home_created_with_mode_0700(make_dir, make_daemon):
    # make_dir first, so its teardown (deleting the parent) runs after the daemon's.
    parent = make_dir()
    home = os.path.join(parent, "h")
    d = make_daemon(start=False, home=home)
    d.start()
    assert stat.S_IMODE(os.stat(home).st_mode) == 0o700, oct(stat.S_IMODE(os.stat(home).st_mode))


def test_pid_file_exists_while_running(daemon):
    assert os.path.isfile(daemon.pid_file)
    with open(daemon.pid_file, encoding="utf-8") as handle:
        content = handle.read()
    assert str(daemon.pid) in content


def test_second_start_for_same_home_is_refused(daemon):
    proc = run(["start", "--home", daemon.home, "--port", "0"])
    assert_error(proc, 4, str(daemon.pid))
    assert "already running" in proc.stderr
    # The first daemon is untouched.
    assert process_alive(daemon.pid)
    assert daemon.cli("status", json=True)["pid"] == daemon.pid


def test_second_start_json_error_envelope(daemon):
    proc = run(["start", "--home", daemon.home, "--port", "0", "--json"])
    assert_error(proc, 4, str(daemon.pid), json_mode=True, code="daemon_already_running")


def test_stop_removes_socket_and_pid_file(daemon):
    pid = daemon.pid
    proc = daemon.cli("stop")
    assert str(pid) in proc.stdout
    assert not os.path.exists(daemon.socket)
    assert not os.path.exists(daemon.pid_file)
    assert wait_for_exit(pid), "the daemon process is still running after stop"
    status = daemon.cli("status", check=False)
    assert_error(status, 3, "not running")
    again = daemon.cli("stop", check=False)
    assert_error(again, 3, "not running")


def test_stop_json_prints_daemon_info(daemon):
    info = daemon.cli("stop", json=True)
    assert info["pid"] == daemon.pid
    assert info["url"] == daemon.url
    assert wait_for_exit(daemon.pid)


def test_status_json_when_not_running(make_daemon):
    d = make_daemon(start=False)
    proc = d.cli("status", json=True, check=False)
    assert_error(proc, 3, json_mode=True, code="daemon_not_running")


def test_sigterm_shuts_down_gracefully(daemon):
    pid = daemon.pid
    os.kill(pid, signal.SIGTERM)
    assert wait_for_exit(pid), "daemon did not exit on SIGTERM"
    assert not os.path.exists(daemon.socket)
    assert not os.path.exists(daemon.pid_file)
    assert_error(daemon.cli("status", check=False), 3)


def test_restart_after_stop_gets_a_new_daemon(daemon):
    old_pid = daemon.pid
    daemon.cli("stop")
    info = daemon.start()
    assert info["pid"] != old_pid
    assert daemon.cli("status", json=True)["pid"] == info["pid"]


def test_port_in_use_is_refused_and_leaves_nothing_behind(make_daemon):
    a = make_daemon()
    b = make_daemon(start=False)
    proc = run(["start", "--home", b.home, "--port", str(a.port)])
    message = assert_error(proc, 1, str(a.port))
    assert "in use" in message.lower(), message
    assert not os.path.exists(b.socket)
    assert not os.path.exists(b.pid_file)
    assert_error(b.cli("status", check=False), 3)
    # A is unaffected.
    assert a.cli("status", json=True)["pid"] == a.pid
