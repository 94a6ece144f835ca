#!/bin/sh
# Fetches the web terminal's xterm.js bundle into the web folder (`make web-assets`, part of build/run/test).
#
# The files come from the nicegui wheel on PyPI (nicegui ships xterm.js with its fit and web-links add-ons as one ES
# module): pip downloads the pinned wheel without dependencies into a temporary folder, the two files are extracted and
# their sha256 checked. Nothing is fetched when both files are already present with the expected digests.
# Usage: scripts/web-assets.sh PYTHON DEST   (PYTHON: a python with pip; DEST: Sources/WhatsAgentServer/Web/vendor/xterm)
set -eu

PYTHON=$1
DEST=$2
WHEEL_SPEC="nicegui==3.18.0"
JS_SHA=bcb6ed5ea46551ea2181ba6a5d648280862272b051ac2c55b8d90c676c6e28a8
CSS_SHA=ba8e6985669488981ccf40c0cefe3aba80722cb6c92de7ad628b0bd717faf2b6

verified() { # FILE SHA
    [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]
}

if verified "$DEST/xterm.js" "$JS_SHA" && verified "$DEST/xterm.css" "$CSS_SHA"; then
    exit 0
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
echo "web-assets: downloading $WHEEL_SPEC (for xterm.js) from PyPI"
if ! "$PYTHON" -m pip download -q --disable-pip-version-check --no-deps --only-binary=:all: -d "$TMP" "$WHEEL_SPEC"; then
    echo "web-assets: WARNING: could not download $WHEEL_SPEC; the web terminal page will say its assets are missing." >&2
    echo "web-assets: retry with \`make web-assets\` when PyPI is reachable, or copy xterm.js/xterm.css into $DEST." >&2
    exit 0
fi
WHEEL=$(ls "$TMP"/nicegui-*.whl)
"$PYTHON" -c 'import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel:
    for name in ("nicegui/elements/xterm/dist/index.js", "nicegui/elements/xterm/dist/xterm.css"):
        wheel.extract(name, sys.argv[2])' "$WHEEL" "$TMP/x"
verified "$TMP/x/nicegui/elements/xterm/dist/index.js" "$JS_SHA" || {
    echo "web-assets: ERROR: index.js in $WHEEL_SPEC does not have the pinned sha256 $JS_SHA; refusing it." >&2
    exit 1
}
verified "$TMP/x/nicegui/elements/xterm/dist/xterm.css" "$CSS_SHA" || {
    echo "web-assets: ERROR: xterm.css in $WHEEL_SPEC does not have the pinned sha256 $CSS_SHA; refusing it." >&2
    exit 1
}
mkdir -p "$DEST"
cp "$TMP/x/nicegui/elements/xterm/dist/index.js" "$DEST/xterm.js.tmp" && mv "$DEST/xterm.js.tmp" "$DEST/xterm.js"
cp "$TMP/x/nicegui/elements/xterm/dist/xterm.css" "$DEST/xterm.css.tmp" && mv "$DEST/xterm.css.tmp" "$DEST/xterm.css"
echo "web-assets: installed xterm.js and xterm.css into $DEST (sha256 verified)"
