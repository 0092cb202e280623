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
# One suppression, for a report with no race behind it (docs/RELIABILITY.md, "ThreadSanitizer").
# PostgresNIO hands each statement's row sequence from the event loop to the awaiting task
# through EventLoopFuture.get(), a continuation the event loop resumes. When the resume comes
# before the task has reached its await, the Swift runtime (6.3.1, Task.cpp,
# swift_continuation_awaitImpl) goes on with the task without telling ThreadSanitizer
# (_swift_tsan_acquire; the resume did _swift_tsan_release), and the first plain read of what
# the event loop made is swift-nio's NIOThrowingAsyncSequenceProducer.makeAsyncIterator reading
# the producer's `let _storage`, written in its init in PSQLRowStream.asyncSequence. Every
# PostgresNIO statement goes through get(). scripts/tsan-continuation.swift shows the runtime's
# part alone. Only that frame matches: its mangled name, less the `$s7` in front (a `$` ends a
# pattern).
mkdir -p "$scratch"
suppressions="$scratch/tsan-suppressions.txt"
echo 'race:NIOCore32NIOThrowingAsyncSequenceProducerV04makeC8IteratorAC0cG0Vyxq_q0_q1__GyF' > "$suppressions"
# print_suppressions: the log ends with how often it matched.
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
