#!/usr/bin/env bash
# The benchmark, against the binaries as they ship (scripts/release.sh): throughput, latency
# and memory against raw SQLite, and start-up against a C program, measured in the same run
# (docs/BENCHMARKS.md). Arguments go to gloss-bench:
#
#   scripts/bench.sh                 # full size, about 2 minutes once built
#   scripts/bench.sh --quick         # tiny sizes (CI): only shows the bench still works
#   scripts/bench.sh --only annotate,apply
set -euo pipefail
cd "$(dirname "$0")/.."
# GLOSS_BENCH_BIN=DIR uses the programs already built there (CI: the debug build the tests made).
bin="${GLOSS_BENCH_BIN:-$(bash scripts/release.sh --product gloss-bench)}"
# The page rows drive a real Chromium with selenium (the venv the page's tests use).
bash scripts/brief-tools.sh
# The scale-out rows need PostgreSQL: a throwaway one (left running for the next run; each run
# makes a new database on it) unless GLOSS_POSTGRES_URL names one.
if [ -z "${GLOSS_POSTGRES_URL:-}" ]; then
  GLOSS_POSTGRES_URL="$(bash scripts/postgres.sh start /tmp/gloss-bench-postgres)"
fi
exec "$bin/gloss-bench" --postgres "$GLOSS_POSTGRES_URL" "$@"
