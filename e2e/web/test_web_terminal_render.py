"""The web terminal draws every character and never trips the CSP (issue 18, "Terminal"): ``snake_case_name`` is
rendered at device scale 1 and the pixels of each underscore's cell are read back from a screenshot (the underscore
used to fall below the row and be clipped), and opening the terminal logs no CSP violation (xterm.js used to inject
``<style>`` elements, which the self-only CSP blocks)."""

from __future__ import annotations

import struct
import zlib

from playwright.sync_api import expect

from web.conftest import add_agent_in_ui

CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def decode_png(data: bytes) -> tuple[int, int, list[bytes], int]:
    """Width, height, rows of raw pixel bytes and bytes per pixel of an 8-bit RGB/RGBA non-interlaced PNG
    (what Chromium's screenshots are)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and color in (2, 6) and interlace == 0, header
    bpp = 4 if color == 6 else 3
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows, bpp


def bright_pixels(png: bytes, x0: int, x1: int) -> int:
    """How many pixels in columns [x0, x1) of the clip are drawn in the (light) foreground colour."""
    width, height, rows, bpp = decode_png(png)
    count = 0
    for row in rows:
        for x in range(max(0, x0), min(width, x1)):
            if sum(row[x * bpp:x * bpp + 3]) > 3 * 110:
                count += 1
    return count


def test_underscores_are_drawn_at_scale_1_and_the_terminal_trips_no_csp(browser_page):
    web, page = browser_page, browser_page.page
    assert page.evaluate("window.devicePixelRatio") == 1
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    web.goto("agents")
    page.evaluate(CSP_RECORDER)  # the document stays the same across hash routes
    add_agent_in_ui(page, "app", "snake", runtime="custom", command="bash",
                    args=["--norc", "--noprofile", "-c", "printf 'snake_case_name\\n'; exec sleep 1000"])
    row = page.locator('.agent-row[data-agent="app:snake"]')
    row.get_by_test_id("launch").click()
    expect(row.get_by_test_id("stop")).to_be_visible()
    page.goto(f"{web.base}/#/terminal/app%3Asnake")
    expect(page.get_by_test_id("terminal-status")).to_have_text("live")
    line = page.locator(".xterm-rows > div", has_text="snake_case_name").first
    expect(line).to_be_visible()
    page.evaluate("document.fonts.ready")

    # The row box and one cell's width; the text starts at column 0.
    box = line.bounding_box()
    cols = page.evaluate("() => window.__waTerminalCols()")
    cell = box["width"] / cols
    png = page.screenshot(clip={"x": box["x"], "y": box["y"], "width": box["width"], "height": box["height"]}, animations="disabled")
    for index, char in enumerate("snake_case_name"):
        drawn = bright_pixels(png, round(index * cell) + 1, round((index + 1) * cell) - 1)
        assert drawn >= 2, f"column {index} ({char!r}) has {drawn} foreground pixels: the glyph is clipped"
    # The underscore sits in the lower part of its cell, inside the row (not cut off at the row's bottom edge).
    width, height, rows, bpp = decode_png(png)
    x0, x1 = round(5 * cell) + 1, round(6 * cell) - 1
    lit_rows = [y for y, r in enumerate(rows) if any(sum(r[x * bpp:x * bpp + 3]) > 330 for x in range(x0, x1))]
    assert lit_rows and lit_rows[0] >= height // 2, (lit_rows, height)

    violations = page.evaluate("window.__cspViolations")
    refused = [text for text in console if "Content Security Policy" in text]
    assert violations == [] and refused == [], (violations, refused)
