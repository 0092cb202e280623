#!/usr/bin/env python3
"""The reader page (`gloss open`) driven as an analyst drives it, in headless Chromium.

    python reader.py SCENARIO 'JSON-ARGS'

Each scenario opens the page(s) at the address `gloss open --json` printed (its secret buys
the session cookie), does what a person does, and prints ONE JSON line: {"ok": true, ...} with
what it saw and measured. On failure it prints {"ok": false, "error": "..."} and exits 1; a
screenshot and the page's HTML go to args["debugDir"] (or a temporary folder) and the message
says where.

Real input only: text is selected by mouse drags (press, move, release at coordinates measured
from the rendered characters with Range.getBoundingClientRect) or by the keyboard (Shift+arrows
in #report-body); buttons are clicked, text is typed. JavaScript is used to MEASURE and to READ
(where a character is, what has focus, what the page shows), never to select, click or type.

Run by Tests/GlossEndToEndTests/ReaderPageTests.swift (and scripts/reader-screenshot.sh) with the
venv python of scripts/brief-tools.sh (selenium), /usr/bin/chromium and /usr/bin/chromedriver.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, StaleElementReferenceException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

CHROMIUM = os.environ.get("GLOSS_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("GLOSS_CHROMEDRIVER", "/usr/bin/chromedriver")
EVIDENCE = []  # screenshots and HTML kept on failure


class Failure(Exception):
    """What the analyst would have seen go wrong, in words."""


# ---- measuring (read-only JavaScript) ----------------------------------------------------

# Where a passage of the report body is drawn: the rectangles of its first and last grapheme
# (viewport coordinates). The passage is looked for in the rendered text of the body's
# [data-cp] elements (the report text, not the notes in the margin), block by block.
LOCATE_JS = r"""
const [passage, occurrence] = arguments;
const root = document.getElementById("report-body");
if (!root) return {error: "no #report-body"};
const blocks = Array.from(root.querySelectorAll("[data-block]"));
let seen = 0;
for (const block of blocks) {
  const nodes = [];
  let text = "";
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.parentElement.closest("[data-cp]")) continue;
    nodes.push({node: n, at: text.length});
    text += n.data;
  }
  let from = 0, index = -1;
  while ((index = text.indexOf(passage, from)) >= 0) {
    seen++;
    if (seen === occurrence) break;
    from = index + 1;
  }
  if (index < 0) continue;
  const point = (i, edge) => {
    // The text node holding UTF-16 offset i (an end belongs to the node it ends).
    for (let k = 0; k < nodes.length; k++) {
      const {node, at} = nodes[k];
      const last = k === nodes.length - 1;
      if (i < at + node.data.length || (edge === "end" && i === at + node.data.length) || last) {
        return {node, offset: i - at};
      }
    }
  };
  const seg = new Intl.Segmenter(undefined, {granularity: "grapheme"});
  const graphemes = Array.from(seg.segment(passage), (s) => s.segment);
  const rectOf = (a, b, which) => {
    const p = point(a, "start"), q = point(b, "end");
    const r = document.createRange();
    r.setStart(p.node, p.offset);
    r.setEnd(q.node, q.offset);
    const rects = Array.from(r.getClientRects()).filter((x) => x.width > 0);
    const x = which === "first" ? rects[0] : rects[rects.length - 1];
    return x ? {left: x.left, right: x.right, top: x.top, bottom: x.bottom} : null;
  };
  const first = rectOf(index, index + graphemes[0].length, "first");
  const lastLen = graphemes[graphemes.length - 1].length;
  const last = rectOf(index + passage.length - lastLen, index + passage.length, "last");
  return {first, last, block: block.dataset.block, graphemes: graphemes.length,
          viewport: {width: window.innerWidth, height: window.innerHeight}};
}
return {error: "passage not found in the report body: " + passage};
"""

BLOCK_TOP_JS = """
const el = document.querySelector('#report-body [data-block="' + arguments[0] + '"]');
return el ? el.getBoundingClientRect().top : null;
"""

ACTIVE_JS = """
const el = document.activeElement;
if (!el) return null;
const card = el.closest && el.closest("[data-note-id]");
return {id: el.id || null, tag: el.tagName.toLowerCase(), note: el.dataset ? (el.dataset.noteId || null) : null,
        inNote: card ? card.dataset.noteId : null, cls: el.className || "",
        reportLink: el.matches("a.report-link")};
"""

SELECTION_JS = "return document.getSelection().toString();"


class Browser:
    """One headless Chromium with a throwaway profile: one analyst's browser."""

    def __init__(self, name, width=1280, height=900, debug_dir=None):
        self.name = name
        self.profile = tempfile.mkdtemp(prefix=f"gloss-reader-{name}-")
        self.debug_dir = debug_dir
        options = Options()
        options.binary_location = CHROMIUM
        for argument in [
            "--headless=new", "--no-sandbox", "--disable-gpu", f"--user-data-dir={self.profile}",
            # No network at all but loopback: every other name resolves to nothing.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            f"--window-size={width},{height}", "--force-device-scale-factor=1",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-features=Translate,MediaRouter,OptimizationHints", "--lang=en-US",
            "--hide-scrollbars",
        ]:
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        # An alert is left open for us to find, not dismissed behind our back.
        options.set_capability("unhandledPromptBehavior", "ignore")
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.set_window_size(width, height)
        self.console = []
        self.base = None

    # -- lifecycle

    def close(self):
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    def keep_evidence(self, label):
        """A screenshot and the page's HTML, for a failure's message."""
        folder = self.debug_dir or tempfile.mkdtemp(prefix="gloss-reader-failure-")
        os.makedirs(folder, exist_ok=True)
        stem = os.path.join(folder, f"{label}-{self.name}")
        try:
            self.driver.save_screenshot(stem + ".png")
            with open(stem + ".html", "w", encoding="utf-8") as f:
                f.write(self.driver.page_source)
            with open(stem + ".console.json", "w", encoding="utf-8") as f:
                json.dump(self.logs(), f, indent=1)
        except Exception:  # noqa: BLE001 - evidence is best effort
            pass
        EVIDENCE.append(stem)
        return stem

    def logs(self):
        """Every console message so far (the driver hands each out once)."""
        try:
            self.console += self.driver.get_log("browser")
        except Exception:  # noqa: BLE001
            pass
        return self.console

    # -- reading the page

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def one(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def wait(self, what, condition, timeout=10.0, step=0.02):
        """Polls `condition` until it is truthy; returns its value, or fails naming `what`."""
        deadline = time.monotonic() + timeout
        last_error = None
        while True:
            try:
                value = condition()
                if value:
                    return value
            except Exception as error:  # noqa: BLE001 - the page is being rebuilt
                last_error = error
            if time.monotonic() > deadline:
                status = self.status()
                extra = f" (last error: {last_error})" if last_error else ""
                raise Failure(f"[{self.name}] waited {timeout:.0f} s for {what}; status line: {status!r}{extra}")
            time.sleep(step)

    def visible(self, css):
        found = self.all(css)
        return found[0] if found and found[0].is_displayed() else None

    def status(self):
        try:
            el = self.one("#status")
            return ("error: " if "error" in (el.get_attribute("class") or "") else "") + el.text
        except Exception:  # noqa: BLE001
            return ""

    def active(self):
        return self.js(ACTIVE_JS)

    def expect_no_error(self, when):
        el = self.all("#status.error")
        if el and el[0].text.strip():
            raise Failure(f"[{self.name}] {when}: the status line shows an error: {el[0].text!r}")

    # -- going places

    def open(self, url):
        """The address `gloss open` printed: the secret is exchanged for the cookie (303 to /)."""
        self.base = url.split("/?")[0]
        self.driver.get(url)
        self.wait("the reports list", lambda: self.all("#reports li[data-report-id]") or self.all(".reports .empty"))
        self.wait("the signed-in name", lambda: self.one("#me").text.strip())
        if "secret=" in self.driver.current_url:
            raise Failure(f"[{self.name}] the secret stayed in the address bar: {self.driver.current_url}")

    def open_report_by_click(self, report):
        """Clicks the report's title in the list."""
        link = self.wait(f"report {report[:8]} in the list",
                         lambda: self.visible(f'#reports li[data-report-id^="{report}"] a.report-link'))
        link.click()
        self.wait_report()

    def wait_report(self):
        self.wait("the report body", lambda: self.all("#report-body [data-block] [data-cp]"))
        # Live updates: the event stream is open (the dot is not marked offline).
        self.wait("the live-update stream", lambda: "offline" not in (self.one("#live").get_attribute("class") or ""))

    # -- real input

    def scroll_into_reach(self, block):
        """Wheel-scrolls until the block's top is in the upper part of the window."""
        for _ in range(40):
            top = self.js(BLOCK_TOP_JS, block)
            height = self.js("return window.innerHeight")
            if top is None:
                raise Failure(f"no block {block}")
            if 60 <= top <= height * 0.45:
                return
            delta = int(top - height * 0.25)
            ActionChains(self.driver).scroll_by_amount(0, delta).perform()
            time.sleep(0.05)
            if self.js(BLOCK_TOP_JS, block) == top:
                return  # the page cannot scroll further

    def drag_select(self, passage, occurrence=1):
        """Selects `passage` of the report body with the mouse: press before its first
        character, move across, release after its last. Returns what the page then selected
        (Selection.toString) and the measurement."""
        where = self.js(LOCATE_JS, passage, occurrence)
        if where.get("error"):
            raise Failure(f"[{self.name}] {where['error']}")
        self.scroll_into_reach(where["block"])
        # Rows off screen are laid out as they come near (content-visibility), and a live update
        # may redraw the report: drag only once two measurements in a row agree.
        where = self.js(LOCATE_JS, passage, occurrence)
        for _ in range(50):
            time.sleep(0.05)
            again = self.js(LOCATE_JS, passage, occurrence)
            if again == where:
                break
            where = again
        first, last = where["first"], where["last"]
        if not first or not last:
            raise Failure(f"[{self.name}] the passage has no drawn rectangle: {where}")
        # Inside the first grapheme's left half, the last one's right half: the caret lands
        # before the first and after the last.
        x1 = first["left"] + min(2.0, (first["right"] - first["left"]) / 4)
        y1 = (first["top"] + first["bottom"]) / 2
        x2 = last["right"] - min(2.0, (last["right"] - last["left"]) / 4)
        y2 = (last["top"] + last["bottom"]) / 2
        builder = ActionBuilder(self.driver, duration=20)
        pointer = builder.pointer_action
        pointer.move_to_location(round(x1), round(y1))
        pointer.pointer_down()
        steps = 6
        for i in range(1, steps):
            pointer.move_to_location(round(x1 + (x2 - x1) * i / steps), round(y1 + (y2 - y1) * i / steps))
        pointer.move_to_location(round(x2), round(y2))
        pointer.pointer_up()
        builder.perform()
        return self.js(SELECTION_JS), where

    def keys(self, *keys):
        """Keys typed at whatever has focus (no element is clicked or focused for it)."""
        ActionChains(self.driver).send_keys(*keys).perform()

    def chord(self, modifiers, key, times=1):
        chain = ActionChains(self.driver)
        for _ in range(times):
            for m in modifiers:
                chain.key_down(m)
            chain.send_keys(key)
            for m in reversed(modifiers):
                chain.key_up(m)
        chain.perform()

    def ctrl_enter(self):
        self.chord([Keys.CONTROL], Keys.ENTER)

    def type_into(self, css, text):
        """Clicks a field and types into it."""
        el = self.one(css)
        el.click()
        el.send_keys(text)

    # -- what the page does with a selection

    def toolbar(self):
        return self.wait("the selection toolbar", lambda: self.visible("#toolbar"), timeout=3)

    def note_ids(self):
        return set(self.js("return Array.from(document.querySelectorAll('[data-note-id]'), e => e.dataset.noteId)"))

    def comment_on_selection(self, comment, tags=(), confidence=None, likelihood=None):
        """The toolbar's Comment: text, tags, a judgment, Save. Returns the new note's id."""
        before = self.note_ids()
        self.toolbar()
        quote = self.one("#tb-quote").text
        self.one("#tb-comment").click()
        self.wait("the comment form", lambda: self.visible("#tb-text"))
        self.one("#tb-text").send_keys(comment)  # the form put focus there
        if tags:
            self.type_into("#tb-tags", ", ".join(tags))
        if confidence:
            Select(self.one("#tb-confidence")).select_by_value(confidence)
        if likelihood:
            Select(self.one("#tb-likelihood")).select_by_value(likelihood)
        self.one("#tb-save").click()
        note = self.wait_new_note(before, "the saved note")
        return note, quote

    def wait_new_note(self, before, what):
        def fresh():
            self.expect_no_error(what)
            now = self.note_ids() - before
            return sorted(now)[0] if len(now) == 1 else None
        note = self.wait(what, fresh)
        self.wait("the toolbar to close", lambda: not self.visible("#toolbar"))
        return note

    def card(self, note):
        return self.one(f'[data-note-id="{note}"]')

    def click(self, css, what):
        """Clicks what `css` finds, found afresh: the page rebuilds its view whenever the
        replica changes (a teammate's sync), so an element found a moment ago may be gone."""
        def attempt():
            try:
                el = self.visible(css)
                if el:
                    el.click()
                    return True
            except StaleElementReferenceException:
                return False
        self.wait(what, attempt)

    def focused_field(self, note, name):
        return self.wait(f"the {name} field focused", lambda: self.js(
            "const a = document.activeElement; return a && a.dataset.field === arguments[1] &&"
            " a.closest('[data-note-id]').dataset.noteId === arguments[0];", note, name))

    def reply_by_click(self, note, text):
        before = self.note_ids()
        self.click(f'[data-note-id="{note}"] > .actions [data-action="reply"]', f"note {note}'s Reply button")
        self.focused_field(note, "reply")
        self.keys(text)  # typed where focus is (a rebuild of the view puts focus and draft back)
        self.click(f'[data-note-id="{note}"] form[data-editor="reply"] button[data-action="save"]', "the reply's Save button")
        return self.wait_new_note(before, "the saved reply")


# ---- scenarios ----------------------------------------------------------------------------

def scenario_select(args, debug):
    """alice selects a passage with the mouse and comments on it with tags and a judgment."""
    b = Browser("alice", debug_dir=debug)
    try:
        b.open(args["url"])
        b.open_report_by_click(args["report"])
        selected, where = b.drag_select(args["passage"], args.get("occurrence", 1))
        if selected != args["passage"]:
            raise Failure(f"the drag selected {selected!r}, not {args['passage']!r} (measured {where})")
        note, quote = b.comment_on_selection(args["comment"], args.get("tags", []), args.get("confidence"), args.get("likelihood"))
        b.wait("the passage highlighted", lambda: b.all(f'mark[data-annotation-id="{note}"]'))
        focused = b.active()
        marked = b.js("return Array.from(document.querySelectorAll('mark[data-annotation-ids]'))"
                      ".filter(m => m.dataset.annotationIds.split(' ').includes(arguments[0])).map(m => m.textContent).join('')", note)
        card = b.card(note)
        return {"note": note, "selected": selected, "toolbarQuote": quote, "focused": focused and focused.get("note"),
                "highlighted": marked, "cardText": card.text, "graphemes": where["graphemes"],
                "console": errors_in(b.logs())}
    except Exception:
        b.keep_evidence("select")
        raise
    finally:
        b.close()


def scenario_team(args, debug):
    """alice annotates in her page; bob's page shows it live; bob replies; alice sees it."""
    alice = Browser("alice", debug_dir=debug)
    bob = Browser("bob", debug_dir=debug)
    try:
        alice.open(args["alice"])
        bob.open(args["bob"])
        alice.open_report_by_click(args["report"])
        bob.open_report_by_click(args["report"])
        bob_before = bob.note_ids()
        alice.drag_select(args["passage"])
        note, _ = alice.comment_on_selection(args["comment"], args.get("tags", []))
        saved = time.monotonic()  # the page has the note: alice's replica has it
        bob.wait(f"alice's note {note} in bob's page", lambda: bob.all(f'[data-note-id="{note}"]'), timeout=15, step=0.01)
        live = time.monotonic() - saved
        print(f"alice's note showed in bob's page {live:.3f} s after it showed in hers", file=sys.stderr)
        if args.get("within") and live > args["within"]:
            raise Failure(f"bob's page showed alice's note after {live:.2f} s, not within {args['within']} s")
        shown = bob.card(note).text
        if args["comment"] not in shown:
            raise Failure(f"bob's page shows the note without its comment: {shown!r}")
        if not bob.all(f'mark[data-annotation-id="{note}"]'):
            raise Failure("bob's page shows the note but not its highlight")
        if bob_before & {note}:
            raise Failure("the note was in bob's page before alice wrote it")
        reply = bob.reply_by_click(note, args["reply"])
        replied = time.monotonic()
        alice.wait(f"bob's reply {reply} in alice's page",
                   lambda: alice.all(f'[data-note-id="{note}"] .thread [data-note-id="{reply}"]'), timeout=15, step=0.01)
        back = time.monotonic() - replied
        reply_text = alice.card(reply).text
        return {"note": note, "reply": reply, "liveSeconds": round(live, 3), "replySeconds": round(back, 3),
                "replyText": reply_text,
                "console": errors_in(alice.logs()) + errors_in(bob.logs())}
    except Exception:
        alice.keep_evidence("team")
        bob.keep_evidence("team")
        raise
    finally:
        alice.close()
        bob.close()


def scenario_conflict(args, debug):
    """alice sees both versions of her note and keeps one (or merges them)."""
    b = Browser("alice", debug_dir=debug)
    try:
        b.open(args["url"])
        b.open_report_by_click(args["report"])
        note = args["note"]
        card = b.wait("the conflicted note", lambda: b.visible(f'.note.conflict[data-note-id="{note}"]'))
        versions = b.all(f'[data-note-id="{note}"] .version[data-version]')
        texts = [v.find_element(By.CSS_SELECTOR, ".body").text for v in versions]
        badge = card.find_element(By.CSS_SELECTOR, ".badge.conflict").text
        if args.get("merge") is not None:
            b.click(f'[data-note-id="{note}"] [data-action="merge"]', "Merge…")
            b.focused_field(note, "edit")
            prefilled = b.js("return document.activeElement.value")
            # Select all and type the merged text over the two versions.
            b.chord([Keys.CONTROL], "a")
            b.keys(args["merge"])
            b.ctrl_enter()
            kept = args["merge"]
        else:
            prefilled = None
            index = texts.index(args["keep"])
            b.click(f'[data-note-id="{note}"] button[data-action="keep"][data-version="{index}"]', "Keep this version")
            kept = args["keep"]
        b.wait("the conflict settled", lambda: not b.all(f'.note.conflict[data-note-id="{note}"]'))
        b.expect_no_error("settling the conflict")
        body = b.wait("the note's one body", lambda: b.visible(f'[data-note-id="{note}"] > .body'))
        return {"versions": texts, "badge": badge, "kept": kept, "shown": body.text, "prefilled": prefilled,
                "status": b.status(), "console": errors_in(b.logs())}
    except Exception:
        b.keep_evidence("conflict")
        raise
    finally:
        b.close()


def scenario_hostile(args, debug):
    """bob's notes full of markup, links, images and control characters, read by alice."""
    b = Browser("alice", debug_dir=debug)
    try:
        b.open(args["url"])
        b.open_report_by_click(args["report"])
        for note in args["notes"]:
            b.wait(f"note {note}", lambda note=note: b.all(f'[data-note-id="{note}"]'))
        time.sleep(0.5)  # anything the notes could make the browser fetch or run has had its chance
        alerts = 0
        try:
            alert = b.driver.switch_to.alert
            alerts = 1
            text = alert.text
            alert.dismiss()
            raise Failure(f"an alert fired: {text!r}")
        except NoAlertPresentException:
            pass
        inside = b.js("""
            const notes = Array.from(document.querySelectorAll('[data-note-id]'));
            const count = (css) => notes.reduce((n, el) => n + el.querySelectorAll(css).length, 0);
            return {script: count('script'), img: count('img'), iframe: count('iframe, object, embed'),
                    link: count('a[href^="javascript"]') + count('a:not([href^="#"])'),
                    onerror: count('[onerror]'), allScripts: document.querySelectorAll('script').length,
                    images: document.images.length};
        """)
        text = b.js("return Array.from(document.querySelectorAll('[data-note-id]'), e => e.innerText).join('\\n')")
        missing = [t for t in args["expect"] if t not in text]
        if missing:
            raise Failure(f"not shown literally in the notes: {missing!r}\n--- shown:\n{text}")
        absent = [t for t in args.get("absent", []) if t in text]
        if absent:
            raise Failure(f"shown raw (should be made visible): {absent!r}")
        # The list of reports and the review, judgments views render them too.
        for route in ["#/judgments", "#/", f"#/report/{args['report']}"]:
            b.driver.get(b.base + "/" + route)
            time.sleep(0.3)
        b.wait_report()
        time.sleep(0.3)
        logs = b.logs()
        return {"alerts": alerts, "elements": inside, "console": logs, "errors": errors_in(logs), "text": text}
    except Exception:
        b.keep_evidence("hostile")
        raise
    finally:
        b.close()


def scenario_review(args, debug):
    """In the review view: accept one carried note's proposal, place another anew by selection."""
    b = Browser("alice", debug_dir=debug)
    try:
        b.open(args["url"])
        b.one('[data-nav="review"]').click()
        accept, retarget = args["accept"], args["retarget"]
        card = b.wait("the note to accept in the review", lambda: b.visible(f'li[data-review-report] [data-note-id="{accept}"]'))
        carried = {n: b.js("const c = document.querySelector('[data-note-id=\"' + arguments[0] + '\"] .carried');"
                           "return c ? c.dataset.reanchor : null;", n) for n in (accept, retarget)}
        proposal = card.find_element(By.CSS_SELECTOR, ".quote-proposal").text
        b.click(f'li[data-review-report] [data-note-id="{accept}"] > .actions [data-action="accept"]', "Accept proposal")
        b.wait("the accepted note to leave the review",
               lambda: not b.all(f'li[data-review-report] [data-note-id="{accept}"]'))
        b.expect_no_error("accepting the proposal")
        accepted_status = b.status()
        b.click(f'li[data-review-report] [data-note-id="{retarget}"] > .actions [data-action="retarget"]', "Place anew…")
        b.wait("the retarget banner", lambda: b.visible("#retarget-banner"))
        b.wait_report()
        selected, _ = b.drag_select(args["passage"], args.get("occurrence", 1))
        if selected != args["passage"]:
            raise Failure(f"the drag selected {selected!r}, not {args['passage']!r}")
        b.toolbar()
        b.click("#tb-place", "Place here in the toolbar")
        b.wait("the banner to go", lambda: not b.all("#retarget-banner"))
        b.expect_no_error("placing the note")
        b.wait("the placed note's highlight", lambda: b.all(f'mark[data-annotation-id="{retarget}"]'))
        highlighted = b.js("return Array.from(document.querySelectorAll('mark[data-annotation-ids]'))"
                           ".filter(m => m.dataset.annotationIds.split(' ').includes(arguments[0])).map(m => m.textContent).join('')", retarget)
        b.one('[data-nav="review"]').click()
        b.wait("the review view", lambda: b.visible(".review h1"))
        left = [n for n in (accept, retarget) if b.all(f'li[data-review-report] [data-note-id="{n}"]')]
        return {"carried": carried, "proposal": proposal, "acceptedStatus": accepted_status,
                "highlighted": highlighted, "leftInReview": left, "console": errors_in(b.logs())}
    except Exception:
        b.keep_evidence("review")
        raise
    finally:
        b.close()


def scenario_keyboard(args, debug):
    """No mouse at all: Tab to the report and into its text, Shift+arrows, c, type, Ctrl+Enter;
    then r on the focused note, type, Ctrl+Enter."""
    b = Browser("alice", debug_dir=debug)
    try:
        b.driver.get(args["url"])  # typed into the address bar
        b.wait("the reports list", lambda: b.all("#reports li[data-report-id]"))
        tabs = 0
        while not (b.active() or {}).get("reportLink"):
            b.keys(Keys.TAB)
            tabs += 1
            if tabs > 40:
                raise Failure("Tab never reached the report's link")
        b.keys(Keys.ENTER)
        b.wait_report()
        while (b.active() or {}).get("id") != "report-body":
            b.keys(Keys.TAB)
            tabs += 1
            if tabs > 80:
                raise Failure(f"Tab never reached the report text; focus is on {b.active()}")
        names = {"Left": Keys.ARROW_LEFT, "Right": Keys.ARROW_RIGHT, "Up": Keys.ARROW_UP, "Down": Keys.ARROW_DOWN,
                 "Home": Keys.HOME, "End": Keys.END}
        mods = {"Shift": Keys.SHIFT, "Ctrl": Keys.CONTROL}
        for stroke, times in args["keys"]:
            *held, key = stroke.split("+")
            b.chord([mods[m] for m in held], names[key], times)
        selected = b.js(SELECTION_JS)
        b.toolbar()
        quote = b.one("#tb-quote").text
        before = b.note_ids()
        b.keys("c")
        b.wait("the comment field focused", lambda: (b.active() or {}).get("id") == "tb-text")
        b.keys(args["comment"])
        b.ctrl_enter()
        note = b.wait_new_note(before, "the saved note")
        b.wait("the new note focused", lambda: (b.active() or {}).get("note") == note)
        before = b.note_ids()
        b.keys("r")
        b.wait("the reply field focused", lambda: (b.active() or {}).get("inNote") == note and b.active()["tag"] == "textarea")
        b.keys(args["reply"])
        b.ctrl_enter()
        reply = b.wait_new_note(before, "the saved reply")
        return {"tabs": tabs, "selected": selected, "toolbarQuote": quote, "note": note, "reply": reply,
                "focusedAfterReply": (b.active() or {}).get("note"), "console": errors_in(b.logs())}
    except Exception:
        b.keep_evidence("keyboard")
        raise
    finally:
        b.close()


def scenario_typing(args, debug):
    """alice types a reply while a change made elsewhere (another gloss command) arrives and
    the page rebuilds around her, on a machine slow enough that the rebuild's read takes a
    while (the page's fetches held back 600 ms): what she typed is what she sees and saves."""
    b = Browser("alice", debug_dir=debug)
    try:
        b.driver.get(args["url"] + f"#/report/{args['report']}?note={args['note']}")
        b.wait_report()
        b.wait("the note focused", lambda: (b.active() or {}).get("note") == args["note"])
        before = b.note_ids()
        b.keys("r")
        b.wait("the reply field focused", lambda: (b.active() or {}).get("inNote") == args["note"] and b.active()["tag"] == "textarea")
        b.keys(args["first"])
        # From now on every read of the page's API answers late, as on a busy machine.
        b.js("""const slow = window.fetch.bind(window);
                window.fetch = (...a) => new Promise((ok) => setTimeout(ok, 600)).then(() => slow(...a));""")
        done = subprocess.run(args["elsewhere"], stdin=subprocess.DEVNULL, capture_output=True, timeout=30)
        if done.returncode != 0:
            raise Failure(f"the change made elsewhere failed: {done.stderr.decode(errors='replace')}")
        time.sleep(0.3)  # the news has arrived; the rebuild is waiting on its read
        b.keys(args["during"])
        b.wait("the rebuild after the news", lambda: b.js("return document.querySelectorAll('#view .tag').length") > args["tagsBefore"], timeout=15)
        b.keys(args["after"])
        typed = b.js("return document.activeElement && document.activeElement.value")
        b.ctrl_enter()
        reply = b.wait_new_note(before, "the saved reply")
        return {"typed": typed, "reply": reply, "console": errors_in(b.logs())}
    except Exception:
        b.keep_evidence("typing")
        raise
    finally:
        b.close()


def scenario_screenshot(args, debug):
    """The reading view at desktop width (1280x900) and at phone width (390x844)."""
    out = {}
    for key, width, height in [("desktop", 1280, 900), ("phone", 390, 844)]:
        path = args.get(key)
        if not path:
            continue
        b = Browser(key, width=width, height=height, debug_dir=debug)
        try:
            # The viewport itself at that size (a window's size includes what a browser draws
            # around the page, and a desktop window cannot be made as narrow as a phone).
            b.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                     {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": key == "phone"})
            b.open(args["url"])
            b.open_report_by_click(args["report"])
            if args.get("focus"):
                # The judged note's highlight, clicked: its note shows as selected.
                mark = b.wait("the judged passage", lambda: b.visible(f'mark[data-annotation-id="{args["focus"]}"]'))
                ActionChains(b.driver).scroll_to_element(mark).perform()
                mark.click()
            if args.get(key + "ScrollTo"):
                b.scroll_into_reach(args[key + "ScrollTo"])  # by the mouse wheel
            time.sleep(0.3)
            viewport = b.js("return [window.innerWidth, window.innerHeight]")
            b.driver.save_screenshot(path)
            out[key] = {"path": path, "viewport": viewport}
            errs = errors_in(b.logs())
            if errs:
                raise Failure(f"console errors: {errs}")
        except Exception:
            b.keep_evidence("screenshot")
            raise
        finally:
            b.close()
    return out


def errors_in(logs):
    return [entry for entry in logs if entry.get("level") in ("SEVERE", "ERROR")]


SCENARIOS = {
    "select": scenario_select,
    "team": scenario_team,
    "conflict": scenario_conflict,
    "hostile": scenario_hostile,
    "review": scenario_review,
    "keyboard": scenario_keyboard,
    "typing": scenario_typing,
    "screenshot": scenario_screenshot,
}


def main(argv):
    if len(argv) != 3 or argv[1] not in SCENARIOS:
        print(json.dumps({"ok": False, "error": f"usage: reader.py {{{'|'.join(SCENARIOS)}}} JSON-ARGS"}))
        return 64
    started = time.monotonic()
    try:
        args = json.loads(argv[2])
        result = SCENARIOS[argv[1]](args, args.get("debugDir"))
        result["ok"] = True
        result["seconds"] = round(time.monotonic() - started, 2)
        print(json.dumps(result, ensure_ascii=False))
        return 0
    except Failure as failure:
        message = str(failure)
    except Exception as error:  # noqa: BLE001 - a selenium or page failure, reported whole
        message = f"{type(error).__name__}: {error}\n{traceback.format_exc()}"
    if EVIDENCE:
        message += "\n(screenshot and page kept: " + ", ".join(s + ".png/.html" for s in EVIDENCE) + ")"
    print(f"reader.py {argv[1]}: {message}", file=sys.stderr)
    print(json.dumps({"ok": False, "error": message, "seconds": round(time.monotonic() - started, 2)}, ensure_ascii=False))
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
