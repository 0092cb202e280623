import NIOConcurrencyHelpers

/// Jobs that arrive while a batch is being written wait together and are written as the next
/// batch: the shape of group commit, whatever the store. `write` gets the batch in arrival
/// order and returns one result per job; each caller is answered with its own once `write`
/// returns (for a store, once the transaction holding the batch has committed).
///
/// The batch runs in a task of its own, so a caller that goes away (its task cancelled)
/// cannot interrupt the others' batch; it still waits for its answer.
final class Batcher<Job: Sendable, Output: Sendable>: Sendable {
    typealias Write = @Sendable ([Job]) async -> [Result<Output, any Error>]

    private struct Waiting {
        var job: Job
        var continuation: CheckedContinuation<Output, any Error>
    }

    private struct State {
        var waiting: [Waiting] = []
        /// True while a task is writing; new jobs then wait for its next batch.
        var writing = false
    }

    private let write: Write
    /// At most this many jobs in one batch; the rest wait for the next.
    private let maxJobs: Int
    /// A pthread mutex (NIO's), not `Synchronization.Mutex`: ThreadSanitizer sees its
    /// hand-offs, whereas Mutex's contended path (a futex inside the uninstrumented standard
    /// library) showed it as a race between two pushes.
    private let state = NIOLockedValueBox(State())

    init(maxJobs: Int = 100, write: @escaping Write) {
        self.maxJobs = maxJobs
        self.write = write
    }

    /// Writes `job` in the next batch and returns its output once that batch is written.
    func submit(_ job: Job) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            let startsWriter = state.withLockedValue { state in
                state.waiting.append(Waiting(job: job, continuation: continuation))
                guard !state.writing else { return false }
                state.writing = true
                return true
            }
            if startsWriter { Task { await self.drain() } }
        }
    }

    /// Writes batches until no job waits.
    private func drain() async {
        while true {
            let batch = state.withLockedValue { state in
                let batch = Array(state.waiting.prefix(maxJobs))
                state.waiting.removeFirst(batch.count)
                if batch.isEmpty { state.writing = false }
                return batch
            }
            if batch.isEmpty { return }
            let results = await write(batch.map(\.job))
            for (waiting, result) in zip(batch, results) { waiting.continuation.resume(with: result) }
        }
    }
}
