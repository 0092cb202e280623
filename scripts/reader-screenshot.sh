#!/usr/bin/env bash
# Makes docs/reader.png (1280×900) and docs/reader-phone.png (390×844): the reader page of
# `gloss open` over a replica with a few notes (tags, a judgment, a teammate's note and reply),
# shot in headless Chromium by Tests/GlossEndToEndTests/Browser/reader.py (scenario screenshot).
#
#   scripts/reader-screenshot.sh [OUT-DIR]     # default docs
#
# GLOSS_BIN: the folder holding the built gloss (default .build/debug; a path to gloss itself
# works too). It builds nothing: run `swift build` first. It needs the venv of
# scripts/brief-tools.sh (selenium; GLOSS_BRIEF_PYTHON overrides), chromium and chromedriver.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-docs}"
bin="${GLOSS_BIN:-.build/debug}"
if [ -d "$bin" ]; then gloss="$bin/gloss"; else gloss="$bin"; fi
python="${GLOSS_BRIEF_PYTHON:-.build/brief-tools/venv/bin/python}"
[ -x "$gloss" ] || { echo "error: no gloss at $gloss: run swift build, or set GLOSS_BIN" >&2; exit 1; }
[ -x "$python" ] || { echo "error: no $python: run scripts/brief-tools.sh" >&2; exit 1; }
mkdir -p "$out"
out="$(cd "$out" && pwd)"

work="$(mktemp -d)"
open_pid=""
cleanup() {
    if [ -n "$open_pid" ]; then kill -INT "$open_pid" 2>/dev/null || true; wait "$open_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

a() { "$gloss" --home "$work/alice" "$@"; }
b() { "$gloss" --home "$work/bob" "$@"; }
id() { python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
a init --user alice --workspace intel >/dev/null
b init --user bob --workspace intel >/dev/null
report="$(a import Examples/reports/rare-earths-export-controls.txt --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["imported"][0]["id"])')"
short="${report:0:10}"
lever="$(a annotate "$short" --quote "shift leverage from raw materials to technical know-how" \
    --comment "The lever moved from ores to know-how: licences, not tonnage." --tag supply-chain --tag know-how --json | id)"
judged="$(a annotate "$short" --quote "constraining global supply chain diversification efforts" \
    --comment "Diversification slows, it does not stop." --confidence moderate --likelihood likely --json | id)"
a annotate "$short" --quote "national security sectors worldwide" --motivation highlighting >/dev/null
a ops export -o "$work/a.gloss" >/dev/null && b ops apply "$work/a.gloss" >/dev/null
b annotate "$short" --quote "technology chokepoint" \
    --comment "A chokepoint on know-how is harder to route around than one on ore." --tag supply-chain >/dev/null
b reply "$judged" --comment "Which indicators would tell us first? Licence refusals?" >/dev/null
b ops export -o "$work/b.gloss" >/dev/null && a ops apply "$work/b.gloss" >/dev/null

"$gloss" --home "$work/alice" --json open --no-browser >"$work/open.log" 2>&1 &
open_pid=$!
for _ in $(seq 200); do grep -q '"url"' "$work/open.log" 2>/dev/null && break; sleep 0.1; done
url="$(python3 -c 'import json,sys; print(next(json.loads(l)["url"] for l in open(sys.argv[1]) if "\"url\"" in l))' "$work/open.log")"

args="$(python3 -c 'import json,sys; print(json.dumps({"url": sys.argv[1], "report": sys.argv[2],
    "desktop": sys.argv[3] + "/reader.png", "phone": sys.argv[3] + "/reader-phone.png", "phoneScrollTo": "1", "debugDir": sys.argv[4]}))' \
    "$url" "$report" "$out" "$work/evidence")"
"$python" Tests/GlossEndToEndTests/Browser/reader.py screenshot "$args"
echo "wrote $out/reader.png $out/reader-phone.png"
