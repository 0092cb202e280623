#!/usr/bin/env bash
# The convergence simulator's long mode: many seeded runs of five replicas and the real server
# code under random schedules (see docs/RELIABILITY.md).
#
#   scripts/simulate.sh                          # 10,000 seeds of 60 steps
#   scripts/simulate.sh --duration 1800          # as many seeds as fit in 30 minutes
#   scripts/simulate.sh --seeds 500 --steps 120 --from 42
#   scripts/simulate.sh --replay 8486964450964406207
#
# A failing seed is printed with its replay command; add it to
# Tests/GlossServerTests/Fixtures/convergence-seeds.txt to keep it as a regression case.
set -euo pipefail
cd "$(dirname "$0")/.."
export GLOSS_SIM_SEEDS=10000 GLOSS_SIM_STEPS=60
while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) GLOSS_SIM_SEEDS="$2"; shift 2 ;;
    --steps) GLOSS_SIM_STEPS="$2"; shift 2 ;;
    --duration) export GLOSS_SIM_DURATION="$2"; shift 2 ;;
    --from) export GLOSS_SIM_FROM="$2"; shift 2 ;;
    --replay) export GLOSS_SEED="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "simulate.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
source scripts/setup.sh
log=$(mktemp)
swift build --build-tests > "$log" 2>&1 || { cat "$log" >&2; exit 1; }
set +e
swift test --skip-build --filter ConvergenceSimulationTests > "$log" 2>&1
rc=$?
set -e
grep -E "convergence simulator|seed |    |Test run" "$log" || true
exit $rc
