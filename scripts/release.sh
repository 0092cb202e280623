#!/usr/bin/env bash
# The release build: gloss, gloss-server and gloss-bench with the Swift runtime and Foundation
# linked in statically (`--static-swift-stdlib`), so a command does not spend its start-up
# loading some twenty shared libraries (docs/BENCHMARKS.md, start-up). Built apart from
# `swift build`'s own folders, in .build-release; prints the folder holding the programs as
# they ship: stripped, each with its debug information beside it (`gloss.debug`, linked by
# `.gnu_debuglink`, the Debian way), which gdb, lldb and a crash report's symbolication find
# there or in /usr/lib/debug.
#
#   scripts/release.sh                       # gloss, gloss-server and gloss-bench
#   scripts/release.sh --product gloss       # one of them
# (The fuzz targets are shared libraries, which a static Swift runtime cannot go into;
# scripts/fuzz.sh builds them.)
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=.build-release
products=("$@")
[ ${#products[@]} -eq 0 ] && products=(--product gloss-bench)   # gloss-bench depends on gloss and gloss-server
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
echo "release build (${products[*]}) in $scratch; the first one takes ten minutes or more, later ones seconds…" >&2
if ! swift build -c release --static-swift-stdlib --scratch-path "$scratch" "${products[@]}" > "$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
bin="$(swift build -c release --static-swift-stdlib --scratch-path "$scratch" --show-bin-path)"
# The programs as they ship: the symbols and DWARF (two thirds of `gloss`) go to PROGRAM.debug.
dist="$scratch/dist"
mkdir -p "$dist"
for program in gloss gloss-server gloss-bench gloss-bench-one-row; do
  [ -x "$bin/$program" ] || continue
  # Only what the build changed (the script is run again by each caller: the demo, CI, the bench).
  [ "$dist/$program" -nt "$bin/$program" ] && [ -f "$dist/$program.debug" ] && continue
  rm -f "$dist/$program" "$dist/$program.debug"
  objcopy --only-keep-debug "$bin/$program" "$dist/$program.debug"
  chmod 0644 "$dist/$program.debug"
  objcopy --strip-all "$bin/$program" "$dist/$program.tmp"
  (cd "$dist" && objcopy --add-gnu-debuglink="$program.debug" "$program.tmp")
  mv "$dist/$program.tmp" "$dist/$program"
done
cd "$dist" && pwd
