#!/usr/bin/env bash
# Fuzzes the report parser and the sync message decoder with libFuzzer (+ AddressSanitizer),
# each for a bounded time, and prints how many inputs each ran.
#
#   scripts/fuzz.sh [SECONDS]        # default 30 s per target
#
# Each fuzz target (Fuzz/Reports, Fuzz/Sync) is a plain dynamic library in Package.swift that
# exports LLVMFuzzerTestOneInput; here it is rebuilt with `-sanitize=fuzzer,address` in its own
# scratch path and linked into a libFuzzer binary. Seeds come from Fuzz/corpus/<name>/ (read
# only); inputs libFuzzer finds go to .build-fuzz/corpus/<name>/. A crash, a leak-free ASan
# report or a hang over 10 s fails the script; the input is left in .build-fuzz/crashes/.
# Keep a crasher as a regression input under Tests/GlossCoreTests/Fixtures/fuzz-crashers/.
set -euo pipefail
seconds="${1:-30}"
cd "$(dirname "$0")/.."
scratch=.build-fuzz
export SWIFT_BACKTRACE=enable=no
mkdir -p "$scratch/crashes" "$scratch/bin"

targets=("reports:GlossFuzzReports" "sync:GlossFuzzSync")
for entry in "${targets[@]}"; do
    product="${entry#*:}"
    echo "== building $product (release, -sanitize=fuzzer,address)"
    swift build -c release --product "$product" -Xswiftc -sanitize=fuzzer,address --scratch-path "$scratch" 2>&1 \
        | grep -E "error|warning: |Compiling GlossFuzz|Build of product" || true
done
lib="$(swift build -c release --scratch-path "$scratch" --show-bin-path)"
printf '' > "$scratch/bin/driver.swift"   # libFuzzer supplies main(); the entry point is in the library

status=0
for entry in "${targets[@]}"; do
    name="${entry%%:*}" product="${entry#*:}"
    binary="$scratch/bin/fuzz-$name"
    # ld.gold warns about ASan's local symbols; keep the noise in a log, show it only on failure.
    if ! swiftc -parse-as-library -sanitize=fuzzer,address "$scratch/bin/driver.swift" -L "$lib" -l"$product" \
            -Xlinker -rpath -Xlinker "$lib" -o "$binary" > "$scratch/bin/link-$name.log" 2>&1; then
        cat "$scratch/bin/link-$name.log"; exit 1
    fi
    mkdir -p "$scratch/corpus/$name"
    echo "== fuzzing $name for ${seconds}s"
    log="$scratch/fuzz-$name.log"
    set +e
    ASAN_OPTIONS=detect_leaks=0 "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
        -artifact_prefix="$scratch/crashes/$name-" "$scratch/corpus/$name" "Fuzz/corpus/$name" > "$log" 2>&1
    rc=$?
    set -e
    runs="$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')"
    speed="$(grep -E '^stat::average_exec_per_sec' "$log" | awk '{print $2}')"
    cov="$(grep -E '#[0-9]+.*(DONE|pulse|NEW)' "$log" | tail -1 | grep -oE 'cov: [0-9]+' || true)"
    if [ "$rc" -ne 0 ]; then
        echo "FAIL $name: libFuzzer exited $rc after ${runs:-?} runs; see $log"
        grep -E "SUMMARY|Test unit written|Fatal error|Precondition failed" "$log" || tail -30 "$log"
        status=1
    else
        echo "ok   $name: ${runs} runs in ${seconds}s (${speed} runs/s, ${cov:-cov: ?}), 0 crashes"
    fi
done
exit "$status"
