import GlossCore

/// What a sync reads from and writes to a replica, each one named transaction: the façade
/// ``SyncSession`` works through, with the rules kept out of it (``SyncProtocol`` decides what
/// comes next, ``PushContents`` what a push carries, ``ApplyPolicy`` what a page may change).
///
/// ``Replica`` is the one implementation. It runs on a file for `gloss`, and on an in-memory
/// SQLite database for tests (``Replica/inMemory(user:workspace:now:newReplicaSalt:)``), so a
/// session's tests use the real transactions without a file.
public protocol SyncingReplica: Sendable {
    /// The replica's settings and cursors.
    func meta() throws -> Meta

    // MARK: Pushing

    /// How many of this user's own operations wait for the server.
    func unacknowledgedCount() throws -> Int
    /// The reports the server has not been sent, oldest import first.
    func unsentReports() throws -> [ReportID]
    func report(_ id: ReportID) throws -> Report
    func markUploaded(_ report: ReportID) throws
    /// The next batch to push after local sequence `seq`.
    func pendingBatch(after seq: Int64, limit: Int) throws -> SyncProtocol.Pending
    /// The server's answer to a push: acknowledged, refused for good, or to send again.
    func record(_ response: Sync.PushResponse) throws
    /// The signed runs a push of `operations` carries (this replica's own chains).
    func signedRuns(for operations: [GlossCore.Operation]) throws -> [ChainSegment]

    // MARK: Trust

    /// How many of the root's statements the replica holds; nil when it pinned no root (then
    /// it does not check signatures, and asks the server for none).
    func statementsHeld() throws -> Int?
    /// Takes in the root's statements the server sent, checked against the pinned root.
    func takeStatements(_ signing: BundleSigning) throws -> (taken: Int, refused: Int)

    // MARK: Pulling

    /// Applies one pulled page and advances the cursor, in one transaction.
    func applyPulled(_ page: Sync.PullResponse) throws -> ApplyResult
    /// The replicas of operations kept aside after a hole in their chain (at most `limit`).
    func replicasAfterHoles(limit: Int) throws -> [ReplicaID]
    /// Judges the operations kept aside again with the server's refusals and their runs.
    func recheckHeld(with refusals: Sync.ChainRefusals) throws -> ApplyResult
    /// Stores a page of the report feed and advances its cursor, in one transaction.
    func storeReceived(_ page: Sync.ReportPage) throws -> (new: Int, skipped: [Sync.Skipped])
    func recordSkipped(_ items: [Sync.Skipped]) throws
    /// The server's store is not the one the cursor came from: pull and push from the start.
    func startOverWithServer() throws

    // MARK: Around a sync

    func beginSync() throws -> Replica.SyncMarks
    func endSync(_ marks: Replica.SyncMarks) throws
    func noteSynced() throws
    /// A number that changes when another process commits to the replica (`sync --watch`
    /// pushes what other commands record as soon as they record it).
    func externalWrites() throws -> Int
    func indexPendingSearch() throws
    /// Those of `ids` that show a conflict now.
    func inConflict(_ ids: [AnnotationID]) throws -> [AnnotationID]
    /// What arrived in `span`, for this replica's user.
    func digest(_ span: Replica.DigestSpan) throws -> Digest
}

extension Replica: SyncingReplica {}
