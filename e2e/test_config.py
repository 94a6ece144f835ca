"""Configuration (SPEC §5): daemon.toml, environment, flags, their precedence, and startup errors."""

import os

from conftest import assert_error, free_ports, port_of, run


def write_config(home, text):
    path = os.path.join(home, "daemon.toml")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


def assert_no_daemon(d):
    assert not os.path.exists(d.socket), "a refused start left daemon.sock behind"
    assert not os.path.exists(d.pid_file), "a refused start left daemon.pid behind"
    assert_error(d.cli("status", check=False), 3)


def test_unknown_key_is_a_startup_error(make_daemon):
    d = make_daemon(start=False)
    path = write_config(d.home, "[ui]\nbogus = 1\n")
    proc = run(["start", "--home", d.home, "--port", "0"])
    assert_error(proc, 1, "bogus", path)
    assert_no_daemon(d)


def test_unknown_key_json_envelope(make_daemon):
    d = make_daemon(start=False)
    path = write_config(d.home, "[retention]\nchat_days = 3\nnope = true\n")
    proc = run(["start", "--home", d.home, "--port", "0", "--json"])
    assert_error(proc, 1, "nope", path, json_mode=True, code="configuration_error")
    assert_no_daemon(d)


def test_bad_value_is_a_startup_error(make_daemon):
    d = make_daemon(start=False)
    path = write_config(d.home, '[ui]\nport = "x"\n')
    proc = run(["start", "--home", d.home])
    assert_error(proc, 1, "port", path)
    assert_no_daemon(d)


def test_bad_values_of_other_keys(make_daemon):
    d = make_daemon(start=False)
    for text, key in (
        ('[rbac]\nceiling = "loose"\n', "ceiling"),
        ("[ui]\nport = 70000\n", "port"),
        ('[runner]\nbuffer_bytes = "big"\n', "buffer_bytes"),
        ("[retention]\ntrash_days = -1\n", "trash_days"),
    ):
        path = write_config(d.home, text)
        proc = run(["start", "--home", d.home, "--port", "0"])
        assert_error(proc, 1, key, path)
        assert_no_daemon(d)


def test_unknown_section_is_a_startup_error(make_daemon):
    d = make_daemon(start=False)
    path = write_config(d.home, "[nope]\nx = 1\n")
    proc = run(["start", "--home", d.home, "--port", "0"])
    assert_error(proc, 1, "nope", path)
    assert_no_daemon(d)


def test_invalid_toml_is_a_startup_error(make_daemon):
    d = make_daemon(start=False)
    path = write_config(d.home, "[ui\nport = 1\n")
    proc = run(["start", "--home", d.home, "--port", "0"])
    assert_error(proc, 1, path)
    assert_no_daemon(d)


def test_port_zero_from_file_is_honoured(make_daemon):
    d = make_daemon(start=False)
    write_config(d.home, "[ui]\nport = 0\n")
    info = d.start(port=None)
    assert port_of(info["url"]) not in (0, 4017)


def test_port_from_file_is_honoured(make_daemon):
    d = make_daemon(start=False)
    (port,) = free_ports(1)
    write_config(d.home, f"[ui]\nport = {port}\nhost = \"127.0.0.1\"\n")
    info = d.start(port=None)
    assert port_of(info["url"]) == port


def test_environment_beats_file_and_flag_beats_environment(make_daemon):
    file_port, env_port, flag_port = free_ports(3)
    d = make_daemon(start=False)
    write_config(d.home, f"[ui]\nport = {file_port}\n")

    info = d.start(port=None, env={"WHATSAGENT_PORT": str(env_port)})
    assert port_of(info["url"]) == env_port
    d.stop()

    info = d.start(port=str(flag_port), env={"WHATSAGENT_PORT": str(env_port)})
    assert port_of(info["url"]) == flag_port
    assert d.cli("status", json=True)["url"] == info["url"]


def test_bad_environment_value_names_the_variable(make_daemon):
    d = make_daemon(start=False)
    proc = run(["start", "--home", d.home], env={"WHATSAGENT_PORT": "abc"})
    assert_error(proc, 1, "WHATSAGENT_PORT", "abc")
    assert_no_daemon(d)


def test_bad_environment_value_even_with_flag(make_daemon):
    """A bad variable is an error even when a flag would override it (nothing is silently ignored)."""
    d = make_daemon(start=False)
    proc = run(["start", "--home", d.home, "--port", "0"], env={"WHATSAGENT_PORT": "abc"})
    assert_error(proc, 1, "WHATSAGENT_PORT")
    assert_no_daemon(d)


def test_home_path_too_long_for_unix_sockets(make_dir):
    parent = make_dir()
    home = os.path.join(parent, "h" * (120 - len(parent) - 1))
    assert len(home) == 120
    proc = run(["start", "--home", home, "--port", "0"])
    message = assert_error(proc, 1, home)
    assert "too long" in message.lower(), message
    assert not os.path.exists(os.path.join(home, "daemon.sock"))
    assert not os.path.exists(os.path.join(home, "daemon.pid"))
    proc = run(["start", "--home", home, "--port", "0", "--json"])
    assert_error(proc, 1, json_mode=True, code="home_path_too_long")


def test_a_store_url_is_checked_and_postgresql_is_refused_until_it_is_served(make_daemon):
    """SPEC §17: `--store`, WHATSAGENT_STORE_URL and `[store] url` are read and checked; a password never rides in the
    URL (it would stay in the daemon's argv); a PostgreSQL store is refused with what to do instead, never ignored."""
    d = make_daemon(start=False)
    proc = run(["start", "--home", d.home, "--port", "0", "--store", "postgresql://wa:hunter2@db.internal/team"])
    assert_error(proc, 1, "PGPASSWORD", "--store")
    assert "hunter2" not in proc.stdout + proc.stderr
    assert_no_daemon(d)

    proc = run(["start", "--home", d.home, "--port", "0", "--store", "postgresql://wa@db.internal/team"])
    assert_error(proc, 1, "postgresql://wa@db.internal:5432/team", "remove --store")
    assert_no_daemon(d)

    path = write_config(d.home, '[store]\nurl = "postgresql://wa@/team?host=/run/postgresql"\npassword = "pw"\n')
    os.chmod(path, 0o644)
    proc = run(["start", "--home", d.home, "--port", "0"])
    assert_error(proc, 1, "chmod 600", path)
    assert_no_daemon(d)
