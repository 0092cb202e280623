#!/usr/bin/env bash
# Makes docs/brief.png: a small team's brief (two analysts who disagree, a thread, a highlight)
# exported as HTML from the example reports and shot by headless Chromium at 1200×1600.
#
#   scripts/brief-screenshot.sh [OUT.png]      # GLOSS_BIN: the gloss to run (default .build/debug/gloss)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/brief-tools.sh
out="${1:-docs/brief.png}"
gloss="${GLOSS_BIN:-.build/debug/gloss}"
[ -x "$gloss" ] || swift build --product gloss >/dev/null
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
a() { "$gloss" --home "$work/alice" "$@"; }
b() { "$gloss" --home "$work/bob" "$@"; }
id() { python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
a init --user alice --workspace intel >/dev/null
b init --user bob --workspace intel >/dev/null
rare="$(a import Examples/reports/rare-earths-export-controls.txt --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["imported"][0]["id"][:10])')"
note="$(a annotate "$rare" --quote "Most Dangerous" --comment "Escalation is the base case: licences were cut twice this year." \
    --confidence high --likelihood likely --tag supply-chain --json | id)"
lever="$(a annotate "$rare" --quote "rare earth processing technologies" --occurrence 2 \
    --comment "The lever moved from ores to know-how." --tag supply-chain --json | id)"
a annotate "$rare" --quote "chokepoint" --occurrence 1 --motivation highlighting >/dev/null
a ops export -o "$work/a.gloss" >/dev/null && b ops apply "$work/a.gloss" >/dev/null
b annotate "$rare" --quote "Most Dangerous" --comment "Beijing has held back before (2010)." --confidence low --likelihood unlikely >/dev/null
b reply "$note" --comment "Which indicators would tell us first?" >/dev/null
b reply "$lever" --comment "Agreed; watch the licence lists." >/dev/null
b ops export -o "$work/b.gloss" >/dev/null && a ops apply "$work/b.gloss" >/dev/null
a export --format html --title "Rare earths: week 48" -o "$work/brief.html" >/dev/null
chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-extensions --disable-background-networking \
    --disable-component-update --disable-sync --host-resolver-rules="MAP * ~NOTFOUND" --user-data-dir="$work/profile" \
    --hide-scrollbars --window-size=1200,1600 --screenshot="$out" "file://$work/brief.html" 2>/dev/null
echo "wrote $out"
