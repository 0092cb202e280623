import GlossCore
import Synchronization

/// At most `slots` requests of one kind per workspace in progress at once; the rest wait their
/// turn, first come first served, suspended (they hold no thread and cost no CPU).
///
/// So one team's flood queues behind itself instead of in front of everyone: with 30 clients
/// pushing to workspace A as fast as they can, each of A's group commits held thirty pushes,
/// and a push to workspace B waited for that whole transaction and for the CPU decoding A's
/// thirty bodies (B's push p99 went to 10× its figure alone). Bounded, A's transactions hold a
/// few pushes each and B's push waits for one of them at most. A push holds its slot from
/// before its body is read until it is answered.
final class WorkspaceAdmission: Sendable {
    let slots: Int
    private let state = Mutex<[WorkspaceName: Line]>([:])

    /// One workspace's requests in progress and those waiting, in order of arrival: a queue
    /// that takes from its head in constant time (10,000 long polls woken at once all line up
    /// here); a waiter that leaves is blanked where it stands.
    private struct Line {
        typealias Waiter = (id: UInt64, continuation: CheckedContinuation<Void, any Error>)
        var inProgress = 0
        private var queue: [Waiter?] = []
        private var head = 0
        private(set) var count = 0
        var nextID: UInt64 = 0

        var isEmpty: Bool { count == 0 }

        mutating func append(_ waiter: Waiter) {
            queue.append(waiter)
            count += 1
        }

        mutating func removeFirst() -> CheckedContinuation<Void, any Error>? {
            while head < queue.count {
                let waiter = queue[head]
                queue[head] = nil
                head += 1
                if let waiter {
                    count -= 1
                    compact()
                    return waiter.continuation
                }
            }
            return nil
        }

        mutating func remove(id: UInt64) -> CheckedContinuation<Void, any Error>? {
            guard let index = queue[head...].firstIndex(where: { $0?.id == id }), let waiter = queue[index] else { return nil }
            queue[index] = nil
            count -= 1
            return waiter.continuation
        }

        private mutating func compact() {
            if count == 0 {
                queue.removeAll(keepingCapacity: true)
                head = 0
            } else if head > 1024, head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
        }
    }

    /// Pushes in progress per workspace: enough for a group commit to share its fsync among a
    /// few, few enough that another workspace's push waits for a short transaction.
    static let pushSlots = 4

    init(slots: Int) {
        precondition(slots >= 1)
        self.slots = slots
    }

    /// `body`, once one of the workspace's slots is free; the slot is given back when it ends.
    /// A waiting request whose task is cancelled (its client went away) leaves the line.
    func admitted<T>(_ workspace: WorkspaceName, _ body: () async throws -> T) async throws -> T {
        try await enter(workspace)
        defer { leave(workspace) }
        return try await body()
    }

    private func enter(_ workspace: WorkspaceName) async throws {
        let id: UInt64? = state.withLock { lines in
            var line = lines[workspace, default: Line()]
            defer { lines[workspace] = line }
            if line.inProgress < slots, line.isEmpty {
                line.inProgress += 1
                return nil
            }
            line.nextID += 1
            return line.nextID
        }
        guard let id else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let cancelled = state.withLock { lines -> Bool in
                    if Task.isCancelled { return true }
                    lines[workspace, default: Line()].append((id, continuation))
                    return false
                }
                if cancelled { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let waiter = state.withLock { lines in lines[workspace]?.remove(id: id) }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Hands the slot to the first in line, or frees it.
    private func leave(_ workspace: WorkspaceName) {
        let next = state.withLock { lines -> CheckedContinuation<Void, any Error>? in
            guard var line = lines[workspace] else { return nil }
            defer { lines[workspace] = line.inProgress == 0 && line.isEmpty ? nil : line }
            if let next = line.removeFirst() { return next }
            line.inProgress -= 1
            return nil
        }
        next?.resume()
    }

    /// Requests in progress and waiting in `workspace`, for tests.
    func load(of workspace: WorkspaceName) -> (inProgress: Int, waiting: Int) {
        state.withLock { ($0[workspace]?.inProgress ?? 0, $0[workspace]?.count ?? 0) }
    }
}
