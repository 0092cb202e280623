#!/usr/bin/env bash
# The main job, end to end: analysts annotate the shipped sample report offline, exchange
# their operations by file, and export the merged, annotated brief.
# Everything happens under ./out/demo (removed and made anew on every run).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

swift build -c release --product gloss >&2
BIN="$(swift build -c release --show-bin-path)"
OUT="$PWD/out/demo"
rm -rf "$OUT"; mkdir -p "$OUT"
REPORT=Examples/reports/rare-earths-export-controls.txt

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
alice() { "$BIN/gloss" --home "$OUT/alice" "$@"; }
bob()   { "$BIN/gloss" --home "$OUT/bob" "$@"; }
id_of() { python3 -c 'import json,sys; print(json.load(sys.stdin)["id"][:8])'; }

step "Two analysts, two machines, no network"
alice init --user alice
bob init --user bob

step "Both import the same situation report (same content, same id)"
alice import "$REPORT"
bob import "$REPORT"
R=$(alice reports --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"][:8])')

step "alice annotates offline"
N1=$(alice annotate "$R" --quote "rare earth processing technologies" --occurrence 2 \
      --comment "Scope: extraction *and* separation know-how." --tag supply-chain --confidence high --json | id_of)
N2=$(alice annotate "$R" --quote "Most Dangerous" --comment "Escalation path if retaliation follows" \
      --likelihood unlikely --confidence moderate --json | id_of)
alice list

step "alice hands her work to bob on removable media"
alice ops export -o "$OUT/alice-to-bob.gloss"
bob ops apply "$OUT/alice-to-bob.gloss"

step "Concurrent offline work: bob replies, tags and resolves; alice edits and tags"
bob reply "$N1" --comment "Does this cover magnet recycling?"
bob tag "$N2" escalation
bob resolve "$N2"
alice edit "$N1" --comment "Scope: extraction and separation know-how, and the equipment."
alice tag "$N1" china

step "They exchange again, in both directions"
bob ops export -o "$OUT/bob-to-alice.gloss"
alice ops export -o "$OUT/alice-to-bob-2.gloss"
alice ops apply "$OUT/bob-to-alice.gloss"
bob ops apply "$OUT/alice-to-bob-2.gloss"

step "Both replicas now hold the same annotations"
alice export --format json -o "$OUT/alice.json"
bob export --format json -o "$OUT/bob.json"
cmp "$OUT/alice.json" "$OUT/bob.json" && echo "identical: alice.json == bob.json"

step "The merged, annotated brief"
bob show "$R" --width 100
alice export --format markdown -o "$OUT/brief.md"
alice export --format html -o "$OUT/brief.html"
alice export --format w3c -o "$OUT/annotations.jsonld"
alice export --format csv -o "$OUT/annotations.csv"
echo
echo "Exports in $OUT: brief.md, brief.html, annotations.jsonld, annotations.csv"
