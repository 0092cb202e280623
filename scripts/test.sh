#!/usr/bin/env bash
# Builds Gloss and runs the whole test suite (unit, property, route and end-to-end tests).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build --build-tests
swift test --skip-build "$@"
