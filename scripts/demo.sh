#!/usr/bin/env bash
# The main job, end to end: a team server on its embedded SQLite store, three analysts who
# annotate the shipped sample report offline, sync, and export the merged, annotated brief;
# it ends by printing the command that opens the merged result in the reader page.
# Everything happens under ./out/demo (made anew on every run); the server stops at the end,
# also when a step fails.
#
#   GLOSS_BIN=DIR        use the gloss and gloss-server in DIR instead of building a release
#   GLOSS_DEMO_OUT=DIR   work in DIR instead of ./out/demo (the end-to-end test's scratch folder)
set -euo pipefail
cd "$(dirname "$0")/.."

OUT="${GLOSS_DEMO_OUT:-$PWD/out/demo}"
rm -rf "$OUT"; mkdir -p "$OUT"
if [ -n "${GLOSS_BIN:-}" ]; then
    BIN="$GLOSS_BIN"
else
    source scripts/setup.sh
    BIN="$(bash scripts/release.sh)"   # gloss, gloss-server (and the bench), static Swift runtime
fi
REPORT=Examples/reports/rare-earths-export-controls.txt

# Bold step titles on a terminal only: a log (`scripts/demo.sh > demo.log`) gets plain text.
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then BOLD=$'\033[1m' PLAIN=$'\033[0m'; else BOLD='' PLAIN=''; fi
step()   { printf '\n%s== %s%s\n' "$BOLD" "$*" "$PLAIN"; }
server() { "$BIN/gloss-server" --db "$OUT/server.sqlite" "$@"; }
alice()  { "$BIN/gloss" --home "$OUT/alice" "$@"; }
bob()    { "$BIN/gloss" --home "$OUT/bob" "$@"; }
carol()  { "$BIN/gloss" --home "$OUT/carol" "$@"; }
id_of()  { python3 -c 'import json,sys; print(json.load(sys.stdin)["id"][:8])'; }

step "The team server: a new team's database, users, a workspace, roles (alice and bob members, carol a reader)"
server init
ALICE_TOKEN=$(server user add alice | tail -n 1)
BOB_TOKEN=$(server user add bob | tail -n 1)
CAROL_TOKEN=$(server user add carol | tail -n 1)
# The workspace's root of trust: its key id goes to the members out of band (here, a variable);
# each replica pins it at `remote add --root`, and then checks every note's signature against it.
server workspace create intel
ROOT=$(server workspace root intel)
server member add intel alice --role member
server member add intel bob --role member
server member add intel carol --role reader
server member list intel
# The program itself in the background (not the `server` function, whose subshell $! would
# name): the trap then stops the server, not a shell around it.
"$BIN/gloss-server" --db "$OUT/server.sqlite" serve --host 127.0.0.1 --port 0 > "$OUT/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null; wait $SERVER_PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q "listening on" "$OUT/server.log" && break; sleep 0.1; done
URL=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$OUT/server.log" | head -n 1)
echo "gloss-server listening on $URL (log: $OUT/server.log)"

step "Three analysts set up their own replicas"
# The token on standard input or in GLOSS_TOKEN, never on a command line (shell history).
# --root pins the workspace's root and binds each device's key to its analyst through the server.
alice init --user alice && printf '%s\n' "$ALICE_TOKEN" | alice remote add "$URL" --workspace intel --root "$ROOT"
bob init --user bob && GLOSS_TOKEN="$BOB_TOKEN" bob remote add "$URL" --workspace intel --root "$ROOT"
carol init --user carol && printf '%s\n' "$CAROL_TOKEN" | carol remote add "$URL" --workspace intel --root "$ROOT"

step "Offline: alice and bob import the same report (same content, same id) and annotate it"
alice import "$REPORT"
bob import "$REPORT"
R=$(alice reports --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"][:8])')
N1=$(alice annotate "$R" --quote "rare earth processing technologies" --occurrence 2 \
      --comment "Scope: extraction *and* separation know-how." --tag supply-chain --confidence high --json | id_of)
N2=$(alice annotate "$R" --quote "Most Dangerous" --comment "Escalation path if retaliation follows" \
      --likelihood unlikely --confidence moderate --json | id_of)
alice annotate "$R" --quote "Strategic Lens" --comment "My own reminder: ask the desk about magnets" --private
bob annotate "$R" --quote "Most Likely" --comment "Base case; watch licence approval times" --tag escalation \
      --likelihood likely --confidence moderate
alice annotate "$R" --quote "with China leveraging its dominance" --comment "Who is leveraging: the state, or the firms?"
alice annotate "$R" --quote "is widely viewed as a response to ongoing geopolitical tensions" --comment "Motive as seen abroad"
alice annotate "$R" --quote "Most Likely: A managed escalation" --comment "Agree with bob's base case" --likelihood likely

step "They sync: each gets the other's work; alice's private note stays hers"
alice sync
bob sync
bob list

step "Offline again, concurrently: bob replies, tags and resolves; alice edits and re-tags"
bob reply "$N1" --comment "Does this cover magnet recycling?"
bob tag "$N2" escalation
bob resolve "$N2"
alice edit "$N1" --comment "Scope: extraction and separation know-how, and the equipment."
alice tag "$N1" china

step "carol, a reader, pulls everything; her own note is refused at once (her replica knows she is a reader)"
carol sync
carol annotate "$R" --quote "Big Picture" --comment "carol's note" || true
carol sync || true

step "A disagreement: bob judges the passage alice judged, the other way"
bob annotate "$R" --quote "Most Dangerous" --comment "Retaliation is already under way" --likelihood likely --confidence high

step "A revised report arrives: bob links it to the first; every note follows with an outcome"
NEW=$(bob import Examples/reports/rare-earths-export-controls-revised.txt --revises "$R" --json \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["imported"][0]["id"][:8])')
bob sync
echo "-- alice syncs: the digest says what concerns her"
alice sync
echo "-- the revised report as alice reads it (~ changed, ? needs review, ✗ gone)"
alice show "$NEW" --width 100 | grep -E "^  [¹²³⁴⁵⁶⁷⁸⁹⁰]+ " || true
echo "-- what needs a person"
alice review

step "The team's judgments side by side: analysts disagree"
carol sync
carol judgments "$R"

step "Everyone syncs until caught up"
bob sync
alice sync
bob sync
carol sync

step "All three replicas hold the same annotations"
for who in alice bob carol; do "$BIN/gloss" --home "$OUT/$who" export --format json -o "$OUT/$who.json"; done
cmp "$OUT/alice.json" "$OUT/bob.json" && cmp "$OUT/bob.json" "$OUT/carol.json" \
  && echo "identical: alice.json == bob.json == carol.json"

step "The merged, annotated brief (as carol reads it)"
carol show "$R" --width 100
carol export --format markdown -o "$OUT/brief.md"
carol export --format html -o "$OUT/brief.html"
carol export --format w3c -o "$OUT/annotations.jsonld"
carol export --format csv -o "$OUT/annotations.csv"
echo
echo "Exports in $OUT: brief.md, brief.html, annotations.jsonld, annotations.csv"

step "A tampered server is caught: its copy of alice's next note is altered behind its back"
N3=$(alice annotate "$R" --quote "Most Dangerous" --comment "Stockpiles last about six months" --json | id_of)
alice sync
python3 - "$OUT/server.sqlite" "$N3" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE operations SET payload = replace(payload, 'six months', 'six years') WHERE annotation LIKE ?", (sys.argv[2] + "%",))
db.commit()
PY
bob sync          # bob checks it against alice's signature: kept aside and named, never merged
bob sync --refused

step "Read the merged result in the page (gloss open: a local page over carol's replica; Ctrl-C stops it)"
echo "$BIN/gloss --home $OUT/carol open"
