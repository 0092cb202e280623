#!/usr/bin/env bash
# Builds Gloss and runs the whole test suite (unit, property, route and end-to-end tests),
# the PostgreSQL store's included: unless GLOSS_POSTGRES_URL names a server, it starts a
# throwaway one (scripts/postgres.sh, in /tmp/gloss-test-postgres) and leaves it running for
# the next run; `scripts/postgres.sh stop /tmp/gloss-test-postgres` stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
# The checkers the export tests run on real files: cmark-gfm, chromium, pyld and jsonschema.
bash scripts/brief-tools.sh
if [ -z "${GLOSS_POSTGRES_URL:-}" ]; then
  GLOSS_POSTGRES_URL="$(bash scripts/postgres.sh start /tmp/gloss-test-postgres)"
  export GLOSS_POSTGRES_URL
fi
swift build --build-tests
if [ $# -gt 0 ]; then exec swift test --skip-build "$@"; fi
# The suites run in parallel; the PostgreSQL cluster suite (three server processes, kill -9,
# cut connections) then runs on its own, because under the whole suite's load its history
# check has twice run past its five-minute bound (docs/RELIABILITY.md). So do the reader
# page's suite (a real Chromium per scenario) and the admin commands' suite, whose graceful-stop
# tests time a server's stop against a long poll: with some four hundred tests on two cores
# the test process itself was starved for tens of seconds. Nothing is skipped.
swift test --skip-build --skip PostgresClusterTests --skip ReaderPageTests --skip AdminCommandTests
swift test --skip-build --filter PostgresClusterTests
swift test --skip-build --filter "ReaderPageTests|AdminCommandTests"
