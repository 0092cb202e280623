import GlossCore
/// Wakes long-polling pulls when a push to their workspace commits.
///
/// Each workspace has a generation that every committed push bumps. A pull reads the generation
/// *before* it queries, and waits only if it is unchanged, so a push that lands between the
/// query and the wait is never missed. Waiting suspends a task; it never blocks a thread.
actor PushNotifier {
    private enum Waiter {
        case pending
        case parked(CheckedContinuation<Void, Never>)
    }

    private var generations: [WorkspaceName: UInt64] = [:]
    private var waiters: [Int: (workspace: WorkspaceName, state: Waiter)] = [:]
    private var nextWaiter = 0

    /// Bumped by ``wakeAll()``: part of every workspace's generation.
    private var allWakes: UInt64 = 0

    func generation(of workspace: WorkspaceName) -> UInt64 { generations[workspace, default: 0] &+ allWakes }

    /// Called after a push to `workspace` committed something.
    func pushed(to workspace: WorkspaceName) {
        generations[workspace, default: 0] &+= 1
        for (id, waiter) in waiters where waiter.workspace == workspace {
            release(id)
        }
    }

    /// Returns when `workspace` moves past `generation`, after `timeout`, or when the task is cancelled.
    func wait(for workspace: WorkspaceName, after generation: UInt64, timeout: Duration) async {
        guard generation == self.generation(of: workspace), timeout > .zero else { return }
        let id = nextWaiter
        nextWaiter += 1
        waiters[id] = (workspace, .pending)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.park(id) }
            group.addTask {
                // Cancellation (the client went away, or a push woke the waiter) only ends the wait early.
                do { try await Task.sleep(for: timeout) } catch {}
                await self.release(id)
            }
            await group.next()
            group.cancelAll()
            release(id)
        }
    }

    /// Wakes every waiting pull, whatever its workspace, to re-read (after the PostgreSQL
    /// listener reconnects, when pushes may have gone unheard).
    func wakeAll() {
        allWakes &+= 1
        for id in Array(waiters.keys) { release(id) }
    }

    var waiting: Int { waiters.count }

    private func park(_ id: Int) async {
        guard case .pending = waiters[id]?.state else { return }
        await withCheckedContinuation { continuation in
            waiters[id]?.state = .parked(continuation)
        }
    }

    private func release(_ id: Int) {
        guard let waiter = waiters.removeValue(forKey: id) else { return }
        if case let .parked(continuation) = waiter.state { continuation.resume() }
    }
}
