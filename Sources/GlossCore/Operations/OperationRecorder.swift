/// Turns an analyst's changes into operations: each gets the next id under this process's
/// replica, a hybrid-clock stamp and the author and workspace it is made in. Pure: the replica
/// persists what it records (and the clock), and the simulators record with it too.
public struct OperationRecorder: Sendable {
    public var replica: ReplicaID
    public var author: UserName
    public var workspace: WorkspaceName
    public var clock: HybridClock
    /// The wall clock, ms, the stamps are taken at.
    public var now: Int64
    /// The next counter under `replica`.
    public var next: UInt64
    /// What was recorded, in order.
    public private(set) var operations: [Operation] = []

    public init(replica: ReplicaID, author: UserName, workspace: WorkspaceName, clock: HybridClock, now: Int64, next: UInt64 = 1) {
        self.replica = replica
        self.author = author
        self.workspace = workspace
        self.clock = clock
        self.now = now
        self.next = next
    }

    /// Orders the next changes after `seen`: the latest stamp of the note they change (its
    /// ``Annotation/updated``), or of the links they compete with. A received stamp moves the
    /// clock only a little past the wall clock (``HybridClock/observe(_:now:bound:)``), so a
    /// change to something stamped further ahead is ordered after it here, where it is made:
    /// a status set, a link made or a tag removed after seeing another still wins over it.
    public mutating func follow(_ seen: HLC) {
        clock.observe(seen)
    }

    /// Records `change`; a create starts a new annotation named after its own operation id.
    @discardableResult
    public mutating func record(_ change: Change, on annotation: AnnotationID? = nil, isPrivate: Bool) -> Operation {
        let id = OperationID(replica: replica, counter: next)
        next += 1
        let op = Operation(id: id, hlc: clock.tick(now: now), author: author, workspace: workspace,
                           annotation: annotation ?? AnnotationID(createdBy: id), isPrivate: isPrivate, change: change)
        operations.append(op)
        return op
    }
}
