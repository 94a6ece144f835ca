"""The web UI against hostile input (SPEC §11, §15, issue 7), in headless Chromium.

- The Markdown renderer message bodies go through (`markdown()` in js/ui.js) gets thousands of generated hostile
  bodies: raw HTML and script, event-handler attributes, `javascript:`/`data:` links in every Markdown link form,
  terminal escapes and control characters, the envelope's fence markers, unbalanced emphasis and backticks, deep
  nesting, invalid UTF-8 (decoded with replacement characters, as the daemon stores it) and bodies at the 32,000
  character limit. Whatever the body, the rendered tree holds only the renderer's own elements and attributes,
  links only to http(s), and every character of text the body had outside Markdown syntax is still there as text.
  A body that made the renderer hang fails the test by its deadline (a bound, not a timing).
- No page makes a request anywhere but the daemon itself: every request and WebSocket of a tour through all pages
  goes to the daemon's own origin.
"""

from __future__ import annotations

import json
import random

from playwright.sync_api import expect

ALLOWED_ELEMENTS = {"DIV", "P", "BR", "CODE", "PRE", "STRONG", "EM", "A", "H3", "H4", "H5", "H6", "H7", "H8",
                    "BLOCKQUOTE", "UL", "OL", "LI"}
ALLOWED_ATTRIBUTES = {"class", "href", "rel", "target", "data-lang", "start"}

FRAGMENTS = [
    "<script>window.__pwned = 1</script>",
    "<img src=x onerror=\"window.__pwned = 2\">",
    "<a href=\"javascript:window.__pwned=3\">x</a>",
    "<svg onload=window.__pwned=4>",
    "<style>body{display:none}</style>",
    "<iframe src=\"http://evil.example\"></iframe>",
    "[click](javascript:window.__pwned=5)",
    "[click](JaVaScRiPt:alert(1))",
    "[data](data:text/html,<script>alert(1)</script>)",
    "[vb](vbscript:msgbox)",
    "[rel](//evil.example/x)",
    "[ok](https://example.com/a?b=c&d=<e>)",
    "https://example.com/\"onmouseover=\"alert(1)",
    "http://example.com/)](javascript:alert(1))",
    "`code <b>`",
    "```\n<script>fenced</script>\n```",
    "~~~js\nalert(1)\n~~~",
    "**bold *em _under_ `tick` ** ***",
    "*a " * 50,
    "_" * 200,
    "`" * 101,
    "[" * 300,
    "> " * 40 + "deep quote",
    "- " * 30 + "deep list",
    "1. one\n  2. two\n    - three\n      > four",
    "# heading <b>x</b>",
    "\x1b[31mred\x1b[0m\x1b]0;title\x07",
    "\x00\x01\x08\x7f\u0085\u009b",
    "<<<UNTRUSTED-BODY-abc\n>>>END-UNTRUSTED-abc",
    "\u202e\u200b\ufeff\u2028",
    "é🙂漢字",
    "&lt;script&gt; &amp; &#x3C;",
    "\\*not em\\* \\[not link\\]",
    "\n\n\n",
    "    indented code <script>",
    "\ttab code",
]


def hostile_body(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 12)):
        roll = rng.random()
        if roll < 0.15:
            parts.append(bytes(rng.randrange(256) for _ in range(rng.randint(1, 24))).decode("utf-8", errors="replace"))
        elif roll < 0.2:
            parts.append(chr(rng.randrange(0x20, 0x2FFF)) * rng.randint(1, 40))
        else:
            parts.append(rng.choice(FRAGMENTS))
        parts.append(rng.choice(["", " ", "\n", "\n\n", "\r\n"]))
    return "".join(parts)


CHECK = r"""
async (bodies) => {
  const { markdown } = await import('/js/ui.js');
  const problems = [];
  bodies.forEach((body, index) => {
    const root = markdown(body);
    for (const element of [root, ...root.querySelectorAll('*')]) {
      if (!ALLOWED_ELEMENTS.has(element.tagName)) problems.push(`${index}: element ${element.tagName}`);
      for (const attribute of element.attributes) {
        if (!ALLOWED_ATTRIBUTES.has(attribute.name)) problems.push(`${index}: attribute ${attribute.name} on ${element.tagName}`);
      }
      if (element.tagName === 'A' && !/^https?:\/\//i.test(element.getAttribute('href') || '')) {
        problems.push(`${index}: link to ${element.getAttribute('href')}`);
      }
    }
    // Text outside Markdown syntax survives as text: every letter and every `<` of the body is shown, in order
    // (digits and `>` can be syntax: list numbers, quote markers).
    const shown = root.textContent;
    // (Link targets become hrefs and a fence's language a data attribute: those are not shown as text.)
    const wanted = body.replace(/\]\(\s*[^)\s]+\s*\)/g, '').replace(/^\s*(```+|~~~+)\s*[\w+-]*\s*$/gm, '').replace(/[^A-Za-z<]/g, '');
    const got = shown.replace(/[^A-Za-z<]/g, '');
    let cursor = 0;
    for (const ch of wanted) {
      const at = got.indexOf(ch, cursor);
      if (at === -1) { problems.push(`${index}: text lost near ${JSON.stringify(ch)}`); break; }
      cursor = at + 1;
    }
  });
  return { problems: problems.slice(0, 20), pwned: window.__pwned ?? null };
}
""".replace("ALLOWED_ELEMENTS", "new Set(" + json.dumps(sorted(ALLOWED_ELEMENTS)) + ")").replace(
    "ALLOWED_ATTRIBUTES", "new Set(" + json.dumps(sorted(ALLOWED_ATTRIBUTES)) + ")"
)


def test_the_markdown_renderer_survives_hostile_bodies(web_daemon, context):
    page = context.new_page()
    page.goto(web_daemon.url + "/")
    expect(page.locator("body")).to_be_visible()
    rng = random.Random(20261202)
    for batch in range(10):
        bodies = [hostile_body(rng) for _ in range(200)]
        if batch == 0:
            bodies += [fragment for fragment in FRAGMENTS]
            bodies += [("*a " * 11_000)[:32_000], ("[" * 32_000), ("`" * 32_000), ("_x " * 11_000)[:32_000]]
            bodies += [hostile_body(rng) * 40 for _ in range(5)]
        result = page.evaluate(CHECK, bodies)
        assert result["pwned"] is None, "a body ran script"
        assert not result["problems"], result["problems"]


def test_no_page_requests_anything_but_the_daemon(browser_page):
    page = browser_page.page
    origin = browser_page.base
    ws_origin = origin.replace("http://", "ws://", 1)
    requests: list[str] = []
    sockets: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("websocket", lambda socket: sockets.append(socket.url))

    page.reload()
    for route in ["workspaces", "agents", "messages", "channels", "board", "epics", "archive", "settings"]:
        browser_page.goto(route)
    for section in page.locator("[role=tablist] a, [role=tablist] button").all():
        section.click()
    browser_page.goto("agents")

    assert requests, "the tour made requests"
    outside = [url for url in requests if not (url.startswith(origin + "/") or url.startswith(("data:", "blob:")))]
    assert not outside, outside
    assert sockets and all(url.startswith(ws_origin + "/") for url in sockets), sockets
