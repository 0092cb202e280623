#!/usr/bin/env python3
"""gloss-bench's page rows (Bench/gloss-bench/PageBench.swift), in headless Chromium.

    python page_bench.py 'JSON-ARGS'     # {"url", "report", "notes", "runs", "replica", "passages"}

Prints one JSON line: {"ok": true, "openMs": [...], "staticMs": [...], "noteMs": [...], "postMs": [...]}.

- openMs: from navigation to the first paint after every highlight and margin note of the
  report is in the page (two animation frames after the last of them appears).
- staticMs: the same text and as many note boxes as a static HTML file, no script: the floor.
- noteMs: from the click on Save reaching the page (a real click, after a real mouse
  selection; the page's clock) until the note is in the replica's SQLite file, read by
  another connection every millisecond (the same machine's clock).
- postMs: the same note POSTed straight to the page's API, until it is in the file: the floor.

The browser is the one the page's tests drive (Tests/GlossEndToEndTests/Browser/reader.py).
"""

import html
import json
import os
import sqlite3
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "GlossEndToEndTests", "Browser"))
from reader import Browser  # noqa: E402

# Resolves when `notes` cards and their highlights are in the page and painted.
READY_JS = """
const [notes, done] = [arguments[0], arguments[arguments.length - 1]];
const check = () => {
  if (document.querySelectorAll('[data-note-id]').length >= notes &&
      document.querySelectorAll('mark[data-annotation-id], mark[data-annotation-ids]').length > 0) {
    requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now())));
  } else {
    setTimeout(check, 1);
  }
};
check();
"""


def count(replica):
    with sqlite3.connect(f"file:{replica}?mode=ro", uri=True, timeout=5) as db:
        return db.execute("SELECT count(*) FROM annotations").fetchone()[0]


def until_in_replica(replica, before, started):
    """Milliseconds from `started` until the replica holds more than `before` annotations."""
    deadline = started + 10
    while time.perf_counter() < deadline:
        if count(replica) > before:
            return (time.perf_counter() - started) * 1000
        time.sleep(0.001)
    raise RuntimeError("the note never reached the replica")


def main(args):
    b = Browser("bench")
    b.driver.set_script_timeout(60)
    url, report, notes, runs, replica = args["url"], args["report"], args["notes"], args["runs"], args["replica"]
    try:
        b.open(url)
        data = b.js("return fetch('/api/reports/' + arguments[0]).then(r => r.json())", report)
        open_ms, static_ms, note_ms, post_ms = [], [], [], []
        for run in range(runs):
            b.driver.get(f"{b.base}/?run={run}#/report/{report}")
            open_ms.append(b.driver.execute_async_script(READY_JS, notes))

        # The floor: the same blocks and note boxes, static.
        text = data["report"]["text"]
        points = [ord(c) for c in text]
        blocks = "".join(f"<p>{html.escape(''.join(map(chr, points[x['start']:x['end']])))}</p>" for x in data["blocks"])
        cards = "".join(f'<div data-note-id="{a["id"]}"><b>{html.escape(a["author"])}</b> {html.escape(a.get("body", ""))}</div>'
                        for a in data["annotations"])
        folder = tempfile.mkdtemp(prefix="gloss-page-bench-")
        page = os.path.join(folder, "static.html")
        with open(page, "w", encoding="utf-8") as f:
            f.write(f"<!doctype html><meta charset=utf-8><title>floor</title><mark data-annotation-id=x>x</mark>{blocks}{cards}")
        for run in range(runs):
            b.driver.get(f"file://{page}?run={run}")
            static_ms.append(b.driver.execute_async_script(READY_JS, notes))

        # A note made in the page: a real drag over the passage, the toolbar's Comment, a click on Save.
        b.driver.get(f"{b.base}/?notes#/report/{report}")
        b.driver.execute_async_script(READY_JS, notes)
        for run in range(runs):
            for attempt in range(5):
                # A drag made while the live update the last note caused redraws the report
                # is lost with the old text: drag again (not timed).
                try:
                    b.drag_select(args["passages"][run % len(args["passages"])])
                    b.toolbar()
                    break
                except Exception:
                    if attempt == 4:
                        raise
                    time.sleep(0.5)
            b.one("#tb-comment").click()
            b.wait("the comment form", lambda: b.visible("#tb-text"))
            b.one("#tb-text").send_keys(f"bench note {run}")
            save = b.one("#tb-save")
            # When the click reaches the page (the browser's clock: WebDriver's own round trip
            # is not the page's time). Instrumentation only: it reads, and changes nothing.
            b.js("document.addEventListener('click', () => { window.clickedAt = performance.timeOrigin + performance.now(); },"
                 " {capture: true, once: true})")
            before = count(replica)
            save.click()
            until_in_replica(replica, before, time.perf_counter())
            seen = time.time() * 1000
            note_ms.append(seen - b.js("return window.clickedAt"))
            b.wait("the page settled", lambda: not b.visible("#tb-text"))

        # The floor: the same note posted to the API with the page's cookie and origin.
        cookies = "; ".join(f"{c['name']}={c['value']}" for c in b.driver.get_cookies())
        passage = args["passages"][0]
        start = text.index(passage)  # Python counts code points, as the API does
        body = json.dumps({"report": report, "start": start, "end": start + len(passage), "comment": "posted"}).encode()
        for run in range(runs):
            request = urllib.request.Request(f"{b.base}/api/annotations", data=body, method="POST", headers={
                "Cookie": cookies, "Origin": b.base, "Content-Type": "application/json"})
            before = count(replica)
            started = time.perf_counter()
            urllib.request.urlopen(request, timeout=10).read()
            post_ms.append(until_in_replica(replica, before, started))
        print(json.dumps({"ok": True, "openMs": open_ms, "staticMs": static_ms, "noteMs": note_ms, "postMs": post_ms}))
    finally:
        b.close()


if __name__ == "__main__":
    try:
        main(json.loads(sys.argv[1]))
    except Exception as error:  # one line for the bench, whatever went wrong
        print(json.dumps({"ok": False, "error": f"{type(error).__name__}: {error}"}))
        sys.exit(1)
