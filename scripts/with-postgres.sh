#!/bin/sh
# Runs a command beside a throwaway PostgreSQL cluster (issue 22): `scripts/with-postgres.sh swift test …`.
#
# The cluster lives in a new temporary folder, owned by `postgres` when we run as root (initdb refuses root), listens
# on a Unix socket in that folder only (no TCP port), trusts local connections, and is stopped and removed when the
# command ends, whether it passed, failed or was interrupted. The command sees:
#   WHATSAGENT_TEST_POSTGRES       the socket folder (a superuser `whatsagent` connects through it)
#   WHATSAGENT_TEST_POSTGRES_BIN   the server's bin folder (initdb, pg_ctl: a test that stops and starts a server
#                                  makes a cluster of its own with them, never stopping this shared one)
# fsync is off: the tests kill daemons, never the machine.
set -eu
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "with-postgres: no PostgreSQL server under /usr/lib/postgresql (install Debian's postgresql; make setup does)" >&2
    exit 1
fi
dir=$(mktemp -d /tmp/wa-pg-XXXXXX)
as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
stop() {
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap stop EXIT
as_owner "$bin/initdb" -A trust -U whatsagent -E UTF8 --no-sync -D "$dir/data" >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
}
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -s \
    -o "-c listen_addresses='' -c unix_socket_directories=$dir -c fsync=off -c max_connections=300" start || {
    cat "$dir/server.log" >&2
    exit 1
}
# In the foreground: a command started in the background by a non-interactive shell runs with SIGINT and SIGQUIT
# ignored, and every process it starts would inherit that. A signal to this shell alone (`timeout`) is acted on once
# the command ends; a signal to the process group (Ctrl-C, CI stopping a job) ends the command too, then the cluster.
trap 'exit 130' INT TERM
status=0
WHATSAGENT_TEST_POSTGRES=$dir WHATSAGENT_TEST_POSTGRES_BIN=$bin "$@" || status=$?
exit "$status"
