import Synchronization
import Testing
@testable import gloss_server

/// One workspace's flood queues behind itself (``WorkspaceAdmission``): at most its slots run,
/// in order of arrival, and another workspace's request goes straight in.
@Suite struct WorkspaceAdmissionTests {
    /// A gate the admitted bodies wait at until the test opens it.
    final class Gate: Sendable {
        let running = Mutex<[Int]>([])
        let finished = Mutex<[Int]>([])
        let open = Mutex<Set<Int>>([])
        func run(_ n: Int) async throws {
            running.withLock { $0.append(n) }
            while !open.withLock({ $0.contains(n) }) { try await Task.sleep(for: .milliseconds(2)) }
            finished.withLock { $0.append(n) }
        }
        func waitUntil(_ condition: @escaping @Sendable () -> Bool) async throws {
            for _ in 0..<5_000 where !condition() { try await Task.sleep(for: .milliseconds(2)) }
            #expect(condition())
        }
    }

    @Test func aFloodRunsTwoAtATimeInOrderOfArrivalAndAnotherWorkspaceGoesStraightIn() async throws {
        let admission = WorkspaceAdmission(slots: 2), gate = Gate()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<6 {
                group.addTask { try await admission.admitted("a") { try await gate.run(n) } }
                // Arrivals one after another, so their order is known.
                try await gate.waitUntil { admission.load(of: "a").inProgress + admission.load(of: "a").waiting == n + 1 }
            }
            #expect(gate.running.withLock { $0 } == [0, 1], "two at a time")
            #expect(admission.load(of: "a") == (inProgress: 2, waiting: 4))
            // Workspace b is not behind a's line.
            group.addTask { try await admission.admitted("b") { try await gate.run(100) } }
            try await gate.waitUntil { gate.running.withLock { $0.contains(100) } }
            gate.open.withLock { _ = $0.insert(100) }
            // Opening a's in turn lets the next in line in, in order of arrival.
            for n in 0..<6 {
                gate.open.withLock { _ = $0.insert(n) }
                try await gate.waitUntil { gate.finished.withLock { $0.contains(n) } }
            }
            try await group.waitForAll()
        }
        #expect(gate.running.withLock { $0.filter { $0 < 100 } } == Array(0..<6))
        #expect(admission.load(of: "a") == (inProgress: 0, waiting: 0) && admission.load(of: "b") == (inProgress: 0, waiting: 0))
    }

    @Test func aWaitingRequestWhoseClientLeftLeavesTheLineAndAFailingOneGivesItsSlotBack() async throws {
        let admission = WorkspaceAdmission(slots: 1), gate = Gate()
        let first = Task { try await admission.admitted("a") { try await gate.run(0) } }
        try await gate.waitUntil { gate.running.withLock { $0 == [0] } }
        let leaving = Task { try await admission.admitted("a") { try await gate.run(1) } }
        try await gate.waitUntil { admission.load(of: "a").waiting == 1 }
        leaving.cancel()
        await #expect(throws: CancellationError.self) { try await leaving.value }
        #expect(admission.load(of: "a") == (inProgress: 1, waiting: 0))
        gate.open.withLock { _ = $0.insert(0) }
        try await first.value
        struct Failed: Error {}
        await #expect(throws: Failed.self) { try await admission.admitted("a") { throw Failed() } }
        #expect(admission.load(of: "a") == (inProgress: 0, waiting: 0), "nothing held")
        #expect(gate.running.withLock { $0 } == [0])
    }

    @Test func thousandsWaitingRunInOrderOfArrivalPastThoseWhoLeft() async throws {
        let admission = WorkspaceAdmission(slots: 1), gate = Gate()
        let first = Task { try await admission.admitted("a") { try await gate.run(-1) } }
        try await gate.waitUntil { gate.running.withLock { $0 == [-1] } }
        var waiting: [Task<Void, any Error>] = []
        for n in 0..<3_000 {
            waiting.append(Task { try await admission.admitted("a") { gate.finished.withLock { $0.append(n) } } })
            try await gate.waitUntil { admission.load(of: "a").waiting == n + 1 }
        }
        for n in stride(from: 0, to: 3_000, by: 3) { waiting[n].cancel() }
        try await gate.waitUntil { admission.load(of: "a").waiting == 2_000 }
        gate.open.withLock { _ = $0.insert(-1) }
        try await first.value
        for (n, task) in waiting.enumerated() where n % 3 != 0 { try await task.value }
        #expect(gate.finished.withLock { $0 } == [-1] + (0..<3_000).filter { $0 % 3 != 0 })
        #expect(admission.load(of: "a") == (inProgress: 0, waiting: 0))
    }
}
