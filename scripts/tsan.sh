#!/usr/bin/env bash
# Runs the server's tests under ThreadSanitizer (its own scratch path, so the normal build is
# untouched). Any data race TSan reports fails the run.
#
#   scripts/tsan.sh [FILTER]      # default GlossServerTests
set -euo pipefail
filter="${1:-GlossServerTests}"
cd "$(dirname "$0")/.."
scratch=.build-tsan
export SWIFT_BACKTRACE=enable=no
# halt_on_error: the first race fails the test process instead of scrolling by.
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1 second_deadlock_stack=1}"
# Two suppressions, for reports with no race behind them (docs/RELIABILITY.md, "ThreadSanitizer").
# PostgresNIO hands each statement's rows from the event loop to the awaiting task through
# swift-nio's EventLoopFuture.get(), a continuation the event loop resumes; every PostgresNIO
# statement goes through it. When the resume comes before the task has reached its await, the
# Swift runtime (6.3.1, Task.cpp, swift_continuation_awaitImpl) goes on with the task without
# _swift_tsan_acquire (the resume did _swift_tsan_release), so ThreadSanitizer sees no order
# between the event loop's side of the hand-off and the task's. Two reports came of it:
#  - the task's first plain read of what the event loop made: NIOThrowingAsyncSequenceProducer
#    .makeAsyncIterator reading the producer's `let _storage`, written in its init in
#    PSQLRowStream.asyncSequence;
#  - the task reusing its continuation's context (task-allocator memory) after get()'s callback
#    read it on the event loop in UnsafeContinuation.resume(returning:).
# scripts/tsan-continuation.swift makes both with a plain thread in place of the event loop.
# The patterns are those two swift-nio frames' mangled names (get()'s body and closures), less
# the `$s7` in front (a `$` ends a pattern); no frame of ours.
mkdir -p "$scratch"
suppressions="$scratch/tsan-suppressions.txt"
cat > "$suppressions" <<'END'
race:NIOCore32NIOThrowingAsyncSequenceProducerV04makeC8IteratorAC0cG0Vyxq_q0_q1__GyF
race:NIOCore15EventLoopFutureC3getxyYaKF
END
# print_suppressions: the log ends with how often each matched.
export TSAN_OPTIONS="$TSAN_OPTIONS suppressions=$PWD/$suppressions print_suppressions=1"
start=$(date +%s)
swift build --build-tests --sanitize=thread --scratch-path "$scratch" 2>&1 | grep -E "error|warning: " || true
echo "tsan build took $(( $(date +%s) - start )) s"
start=$(date +%s)
log="$scratch/tsan-test.log"
set +e
# The 100,000-operation tests measure volume, not concurrency; they run in the normal suite.
# Bounded: a test that never ends (a lost wake-up, a statement PostgreSQL never answers) fails
# the step with its name instead of holding CI until its own limit.
timeout --kill-after=30 "${TSAN_LIMIT:-1200}" \
    swift test --skip-build --sanitize=thread --scratch-path "$scratch" --filter "$filter" \
    --skip "${TSAN_SKIP:-HundredThousand|hundredThousand}" > "$log" 2>&1
rc=$?
set -e
echo "tsan tests took $(( $(date +%s) - start )) s"
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    echo "ThreadSanitizer's run did not end within ${TSAN_LIMIT:-1200} s; started and never finished:"
    comm -23 <(grep -oE '◇ Test [A-Za-z_]+' "$log" | sed 's/◇ Test //' | sort -u) \
             <(grep -oE '(✔|✘) Test [A-Za-z_]+' "$log" | sed -E 's/(✔|✘) Test //' | sort -u) | sed 's/^/  /'
fi
grep -E "Test run with|passed after|failed after|WARNING: ThreadSanitizer" "$log" | tail -5
if grep -q "WARNING: ThreadSanitizer" "$log"; then
    echo "ThreadSanitizer reported races; see $log"; rc=1
fi
exit "$rc"
