// Does ThreadSanitizer see the hand-off when another thread resumes a continuation before the
// awaiting task has reached its await? (scripts/tsan.sh's suppressions rest on "no".)
//
//   swiftc -swift-version 6 -sanitize=thread -g scripts/tsan-continuation.swift -o /tmp/tsan-continuation
//   /tmp/tsan-continuation late      # the task awaits first: no report
//   /tmp/tsan-continuation early     # the resume comes first: "data race" on the box
//
// A plain thread stands in for a NIO event loop: it makes a box, writes it and resumes the
// continuation with it, as EventLoopFuture.get() does with a statement's row sequence. With
// `late` the thread sleeps before that, so the task has suspended and the resume enqueues it,
// which ThreadSanitizer is told of. With `early` the task sleeps inside the continuation's
// closure, so the resume comes first and the runtime goes on with the task in
// swift_continuation_awaitImpl without _swift_tsan_acquire. Two reports follow, the two that
// scripts/tsan.sh suppresses in swift-nio's frames: the task's read of the box races with the
// thread's write, and the task's next continuation (the same task-allocator memory) races with
// the thread's read of the last one in resume(returning:). Once a toolchain makes no report
// with `early`, the suppressions can go.
import Foundation

final class Box: @unchecked Sendable { var value = 0 }

/// Continuations waiting for the resuming thread, under an NSCondition (a pthread mutex that
/// ThreadSanitizer sees). The box is made after the thread has let go of the lock, so only the
/// continuation orders its write before the task's read.
final class Mailbox: @unchecked Sendable {
    let condition = NSCondition()
    var waiting: [UnsafeContinuation<Box, Never>] = []

    func post(_ continuation: UnsafeContinuation<Box, Never>) {
        condition.lock()
        waiting.append(continuation)
        condition.signal()
        condition.unlock()
    }

    func take() -> UnsafeContinuation<Box, Never> {
        condition.lock()
        defer { condition.unlock() }
        while waiting.isEmpty { condition.wait() }
        return waiting.removeFirst()
    }
}

let early = CommandLine.arguments.dropFirst().first == "early"
let mailbox = Mailbox()
let resumer = Thread {
    while true {
        let continuation = mailbox.take()
        if !early { usleep(20_000) }
        let box = Box()
        box.value = 1
        continuation.resume(returning: box)
    }
}
resumer.start()

let finished = DispatchSemaphore(value: 0)
Task.detached {
    var sum = 0
    for _ in 0..<20 {
        let box: Box = await withUnsafeContinuation { continuation in
            mailbox.post(continuation)
            if early { usleep(20_000) }
        }
        sum += box.value
    }
    print("resumed 20 times, sum \(sum)")
    finished.signal()
}
finished.wait()
