import GlossCore

/// Generates realistic operation histories without a database: several replicas make random
/// changes to what they currently see and exchange random subsets of operations, so edits
/// carry real `seen` lists and removals real `observed` dots, concurrency included.
public struct OperationSimulator {
    public struct Peer {
        public var recorder: OperationRecorder
        public var known: [OperationID: Operation] = [:]
        public var states: [AnnotationID: AnnotationState] = [:]

        public mutating func learn(_ op: Operation) {
            guard known[op.id] == nil else { return }
            known[op.id] = op
            states[op.annotation, default: AnnotationState(id: op.annotation)].merge(op)
            recorder.clock.observe(op.hlc)
        }
    }

    public static let report = ReportID(sha256Of: "simulated report")
    public static let tags = ["supply-chain", "rare-earths", "china", "eu", "urgent"]
    public var peers: [Peer]
    public var rng: SeededRandom
    public var wall: Int64 = 1_764_000_000_000

    /// Peers: (user, replica id); two peers may share a user (one analyst, two machines).
    public init(seed: UInt64, users: [UserName]) {
        rng = SeededRandom(seed: seed)
        var generator = rng
        peers = users.map { user in
            Peer(recorder: OperationRecorder(replica: ReplicaID.random(using: &generator), author: user, workspace: "intel",
                                             clock: HybridClock(), now: 0))
        }
        rng = generator
    }

    public var allOperations: [Operation] {
        var all: [OperationID: Operation] = [:]
        for peer in peers { all.merge(peer.known) { a, _ in a } }
        return all.values.sorted { $0.id < $1.id }
    }

    public mutating func run(steps: Int) {
        for _ in 0..<steps {
            // Clocks drift: sometimes a peer's wall clock lags, so HLC ties and logical counters occur.
            wall += Int64(rng.next() % 3)
            let p = Int(rng.next() % UInt64(peers.count))
            if rng.next() % 4 == 0 {
                let q = Int(rng.next() % UInt64(peers.count))
                for op in peers[q].known.values where rng.next() % 3 != 0 { peers[p].learn(op) }
            } else {
                act(p)
            }
        }
    }

    private mutating func act(_ p: Int) {
        var peer = peers[p]
        peer.recorder.now = wall - Int64(rng.next() % 5)
        let user = peer.recorder.author
        let visible = peer.states.values.compactMap(\.annotation).filter { !$0.deleted }.sorted { $0.id < $1.id }
        let choice = visible.isEmpty ? 0 : rng.next() % 9
        let target = visible.randomElement(using: &rng)
        var op: Operation?
        switch (choice, target) {
        case (0, _), (_, nil):
            let isPrivate = rng.next() % 6 == 0
            let tags = Self.tags.filter { _ in rng.next() % 4 == 0 }
            op = peer.recorder.record(.create(Creation(
                report: Self.report, target: nil, motivation: .commenting, body: "note \(rng.next() % 100)",
                tags: tags, judgment: nil, visibility: isPrivate ? .private : .team)), isPrivate: isPrivate)
        case let (1, a?) where a.author == user:
            op = peer.recorder.record(.editBody(text: "edit \(rng.next() % 100)", seen: a.bodyVersions.map(\.op)),
                                      on: a.id, isPrivate: a.visibility == .private)
        case let (2, a?):
            let tag = Self.tags.randomElement(using: &rng)!
            op = peer.recorder.record(.addTag(tag), on: a.id, isPrivate: a.visibility == .private)
        case let (3, a?):
            let state = peer.states[a.id]!
            let tag = Self.tags.randomElement(using: &rng)!
            var observed = Set(state.tagAdds[tag]?.keys.map { $0 } ?? [])
            if state.created?.creation.tags.contains(tag) == true { observed.insert(state.created!.op) }
            op = peer.recorder.record(.removeTag(tag, observed: observed.sorted()), on: a.id, isPrivate: a.visibility == .private)
        case let (4, a?):
            op = peer.recorder.record(.setStatus(rng.next() % 2 == 0 ? .resolved : .open), on: a.id, isPrivate: a.visibility == .private)
        case let (5, a?) where a.author == user:
            op = peer.recorder.record(.delete, on: a.id, isPrivate: a.visibility == .private)
        case let (6, a?) where a.author == user:
            op = peer.recorder.record(.judge(Judgment(confidence: Confidence.allCases.randomElement(using: &rng), likelihood: nil)),
                                      on: a.id, isPrivate: a.visibility == .private)
        case let (7, a?):
            let reply = Creation(report: a.report, target: nil, motivation: .replying, body: "reply \(rng.next() % 100)",
                                 visibility: a.visibility, parent: a.id)
            op = peer.recorder.record(.create(reply), isPrivate: a.visibility == .private)
        case let (_, a?):
            // Someone who is not the author tries an author-only change: the merge must ignore it.
            op = peer.recorder.record(.editBody(text: "forged \(rng.next() % 100)", seen: []), on: a.id, isPrivate: a.visibility == .private)
        }
        peers[p] = peer
        if let op { peers[p].learn(op) }
    }
}

/// Folds operations into per-annotation states, as a replica would.
public func materialise(_ operations: [Operation]) -> [AnnotationID: AnnotationState] {
    var states: [AnnotationID: AnnotationState] = [:]
    for op in operations { states[op.annotation, default: AnnotationState(id: op.annotation)].merge(op) }
    return states
}
