#!/usr/bin/env bash
# The scale-out story, on this machine: a throwaway PostgreSQL, three gloss-server instances
# on it behind HAProxy, three analysts each syncing through a different instance (HAProxy
# fails over to the others), one instance killed with -9 in the middle of a sync and
# restarted, everyone converging, and the merged brief exported. All on loopback; everything
# it started is stopped at the end, whether it succeeds or fails. Output under ./out/cluster.
#
#   scripts/cluster-demo.sh            (GLOSS_BIN=DIR uses programs already built there)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

OUT="$PWD/out/cluster"
rm -rf "$OUT"; mkdir -p "$OUT"
PGDIR="$(mktemp -d /tmp/gloss-cluster-pg.XXXXXX)"   # the postgres user must be able to reach it
BIN="${GLOSS_BIN:-$(bash scripts/release.sh)}"
HAPROXY="$(bash scripts/haproxy.sh ensure)"
REPORT=Examples/reports/rare-earths-export-controls.txt

# Bold step titles on a terminal only: a log (`scripts/demo.sh > demo.log`) gets plain text.
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then BOLD=$'\033[1m' PLAIN=$'\033[0m'; else BOLD='' PLAIN=''; fi
step()  { printf '\n%s== %s%s\n' "$BOLD" "$*" "$PLAIN"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}" ${INSTANCE_PIDS[@]+"${INSTANCE_PIDS[@]}"}; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  bash scripts/postgres.sh stop "$PGDIR" >/dev/null 2>&1 || true
  rm -rf "$PGDIR"
}
trap cleanup EXIT

step "A throwaway PostgreSQL (Debian's binaries, run as the postgres user)"
PG="$(bash scripts/postgres.sh start "$PGDIR")"
echo "PostgreSQL at $PG"
server() { "$BIN/gloss-server" --postgres "$PG" "$@"; }

step "The team, in PostgreSQL: alice, bob and carol, members of intel"
server init
ALICE_TOKEN=$(server user add alice | tail -n 1)
BOB_TOKEN=$(server user add bob | tail -n 1)
CAROL_TOKEN=$(server user add carol | tail -n 1)
server workspace create intel
for who in alice bob carol; do server member add intel "$who" --role member; done

step "Three gloss-server instances on it"
declare -a PORTS INSTANCE_PIDS
start_instance() {   # start_instance N: instance N on PORTS[N]
  local n=$1
  # The program itself in the background, not the `server` function: $! must be its pid.
  "$BIN/gloss-server" --postgres "$PG" serve --host 127.0.0.1 --port "${PORTS[$n]}" --drain 1 >> "$OUT/instance$n.log" 2>&1 &
  INSTANCE_PIDS[n]=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:${PORTS[$n]}/health/ready" >/dev/null && return 0; sleep 0.1; done
  echo "instance $n did not become ready (log: $OUT/instance$n.log)" >&2; return 1
}
for n in 1 2 3; do PORTS[n]=$(free_port); start_instance "$n"; echo "instance $n: http://127.0.0.1:${PORTS[$n]} (ready)"; done

step "HAProxy in front: each analyst's own entry prefers one instance and fails over to the others"
declare -a ENTRY
{
  echo "global"
  echo "  maxconn 512"
  echo "defaults"
  echo "  mode http"
  echo "  timeout connect 2s"
  echo "  timeout client 60s"
  echo "  timeout server 60s"   # long polls last up to 30 s
  echo "  option redispatch"
  echo "  retries 2"
  for n in 1 2 3; do
    ENTRY[n]=$(free_port)
    echo "frontend analyst$n"
    echo "  bind 127.0.0.1:${ENTRY[$n]}"
    echo "  default_backend via$n"
    echo "backend via$n"
    echo "  option httpchk GET /health/ready"
    echo "  default-server inter 500ms fall 2 rise 2"
    for m in 1 2 3; do
      if [ "$m" -eq "$n" ]; then echo "  server i$m 127.0.0.1:${PORTS[$m]} check"
      else echo "  server i$m 127.0.0.1:${PORTS[$m]} check backup"; fi
    done
  done
} > "$OUT/haproxy.cfg"
"$HAPROXY" -f "$OUT/haproxy.cfg" -db > "$OUT/haproxy.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do curl -sf "http://127.0.0.1:${ENTRY[3]}/health/live" >/dev/null && break; sleep 0.1; done
for n in 1 2 3; do echo "entry $n: http://127.0.0.1:${ENTRY[$n]} → instance $n first"; done

alice() { "$BIN/gloss" --home "$OUT/alice" "$@"; }
bob()   { "$BIN/gloss" --home "$OUT/bob" "$@"; }
carol() { "$BIN/gloss" --home "$OUT/carol" "$@"; }
alice init --user alice && printf '%s\n' "$ALICE_TOKEN" | alice remote add "http://127.0.0.1:${ENTRY[1]}" --workspace intel
bob init --user bob && printf '%s\n' "$BOB_TOKEN" | bob remote add "http://127.0.0.1:${ENTRY[2]}" --workspace intel
carol init --user carol && printf '%s\n' "$CAROL_TOKEN" | carol remote add "http://127.0.0.1:${ENTRY[3]}" --workspace intel

step "Offline, each annotates the same report"
for who in alice bob carol; do "$who" import "$REPORT" > /dev/null; done
R=$(alice reports --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"][:8])')
alice annotate "$R" --quote "Most Likely" --comment "alice: base case holds" --likelihood likely --confidence moderate
carol annotate "$R" --quote "Most Dangerous" --comment "carol: watch for retaliation" --tag escalation
for i in $(seq 1 200); do bob annotate "$R" --quote "rare earth" --occurrence $(( i % 14 + 1 )) --comment "bob: batch note $i" > /dev/null; done
echo "alice 1 note, carol 1 note, bob 200 notes"

step "alice and carol sync through instances 1 and 3"
alice sync
carol sync

step "bob syncs through instance 2, which is killed (-9) in the middle; HAProxy sends him on"
bob sync > "$OUT/bob-sync.log" 2>&1 &
BOB_SYNC=$!
sleep 0.15
{ kill -9 "${INSTANCE_PIDS[2]}"; wait "${INSTANCE_PIDS[2]}"; } 2>/dev/null || true
echo "killed instance 2 (pid ${INSTANCE_PIDS[2]}); /health/ready there now: $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${PORTS[2]}/health/ready")"
if wait "$BOB_SYNC"; then echo "bob's sync finished through another instance:"; else echo "bob's sync was cut:"; fi
sed 's/^/  /' "$OUT/bob-sync.log"
bob sync
start_instance 2 && echo "instance 2 restarted on port ${PORTS[2]}"

step "Everyone syncs until caught up (each through their own entry)"
alice sync; carol sync; bob sync; alice sync

step "All three replicas hold the same annotations"
for who in alice bob carol; do "$BIN/gloss" --home "$OUT/$who" export --format json -o "$OUT/$who.json"; done
cmp "$OUT/alice.json" "$OUT/bob.json" && cmp "$OUT/bob.json" "$OUT/carol.json"
echo "identical: alice.json == bob.json == carol.json ($(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["annotations"]))' "$OUT/alice.json") annotations)"

step "Each instance's view of itself (GET /metrics, excerpts)"
for n in 1 2 3; do
  printf 'instance %s: ' "$n"
  curl -s "http://127.0.0.1:${PORTS[$n]}/metrics" | awk '/^gloss_push_seconds_count|^gloss_notify_lag_seconds_count|^gloss_listener_reconnects_total/ {printf "%s=%s ", $1, $2} END {print ""}'
done

step "The merged brief"
carol export --format markdown -o "$OUT/brief.md"
carol export --format html -o "$OUT/brief.html"
echo "Exports in $OUT: brief.md, brief.html; logs: instance1-3.log, haproxy.log"
