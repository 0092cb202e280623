/// What a server checks of the signed runs a push carries before keeping them, to pass on with
/// pull pages (docs/RELIABILITY.md, "Signed operations"). Pure: facts in, a problem or none out.
///
/// The server checks what it can know without the workspace's key ring: each run is the
/// pusher's own (its chain's author and workspace), its replica was started with the key that
/// signed it, its entries lead to its head and the signature checks. Whether the key is bound
/// to the pusher is every replica's check (``SignaturePolicy``), which does not trust the server.
public enum PushedRuns {
    public enum Problem: Equatable, Sendable, CustomStringConvertible {
        case empty
        case otherWorkspace(WorkspaceName)
        case otherAuthor(UserName)
        case notTheKeysReplica
        case doesNotCheck

        public var description: String {
            switch self {
            case .empty: "it has no entries"
            case let .otherWorkspace(workspace): "it is a chain of workspace '\(workspace)', not this one"
            case let .otherAuthor(author): "it is \(author)'s chain, and a push carries only its pusher's runs"
            case .notTheKeysReplica: "its replica was not started with the key that signed it"
            case .doesNotCheck: "its entries do not lead to its signed head, or the signature does not check"
            }
        }
    }

    /// The first problem with `run` pushed by `pusher` to `workspace`, or nil when it may be kept.
    /// Costs one SHA-256 per entry and one Ed25519 check.
    public static func problem(with run: ChainSegment, pusher: UserName, workspace: WorkspaceName) -> Problem? {
        let head = run.head.head
        guard !run.entries.isEmpty else { return .empty }
        guard head.chain.workspace == workspace else { return .otherWorkspace(head.chain.workspace) }
        guard head.chain.author == pusher else { return .otherAuthor(head.chain.author) }
        guard head.claimHolds else { return .notTheKeysReplica }
        guard run.links() != nil, run.head.isValid else { return .doesNotCheck }
        return nil
    }

    /// The replica claims a push proves: those it carries, and each run's. A run's head
    /// derives its replica id from its author's name, its key and its nonce, so a run that
    /// passed ``problem(with:pusher:workspace:)`` proves its replica the pusher's as a claim
    /// does, and a push leaves out the claims of the replicas its runs cover
    /// (``Sync/PushRequest/carry(_:)``).
    public static func claims(_ claims: [ReplicaClaim], provenBy runs: [ChainSegment]) -> [ReplicaClaim] {
        let carried = Set(claims.map(\.replica))
        return claims + runs.compactMap { run in carried.contains(run.chain.replica) ? nil : run.head.head.claim }
    }
}

extension Sync.PushRequest {
    /// The push with its signed runs, less the claims they prove (``PushedRuns/claims(_:provenBy:)``).
    public func carry(_ runs: [ChainSegment]) -> Sync.PushRequest {
        let covered = Set(runs.map(\.chain.replica))
        var request = self
        request.runs = runs
        request.claims.removeAll { covered.contains($0.replica) }
        return request
    }
}
