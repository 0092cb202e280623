import Foundation
import GlossCore
import GlossReplica
import GlossTestSupport
import Hummingbird
import HummingbirdTesting
import Synchronization
@testable import gloss_server

/// A simulated clock shared by the replicas and the server of one run.
final class SimClock: Sendable {
    private let millis = Mutex<Int64>(Fixture.now)
    func now() -> Int64 { millis.withLock { $0 } }
    func advance(_ delta: Int64) { millis.withLock { $0 += delta } }
}

/// Replica id salts drawn from the run's seed, so a run replays exactly.
final class SimIDs: Sendable {
    private let rng: Mutex<SeededRandom>
    init(seed: UInt64) { rng = Mutex(SeededRandom(seed: seed)) }
    func next() -> [UInt8] { rng.withLock { ReplicaClaim.randomSalt(using: &$0) } }
}

/// One seeded run: five replicas (alice on two machines, bob, ada, and rita who is a reader),
/// mallory (a hostile member with plain HTTP requests: see ``Run/hostile(_:)``) and the real
/// server code, under random schedules — offline stretches, syncs cut into small
/// pages, operations handed over by file out of order and twice, re-sent pushes, re-pulls,
/// and replicas restored from stale copies of their own file. At the end everyone syncs, and
/// the run checks agreement, the set of operations, privacy, and every annotation against
/// ``ReferenceMerge``. Returns what went wrong (empty when nothing did).
struct ConvergenceSimulation {
    struct Peer {
        let name: String
        let user: String
        let home: URL
        let token: String
        let skew: Int64
        var replica: Replica?
        var online = true
        var backup: URL?
        /// Own unacknowledged operations went out by file since the last backup: restoring that
        /// backup would strand them on the receivers (see docs/RELIABILITY.md), so the run doesn't.
        var sharedSinceBackup = false
    }

    let seed: UInt64
    var steps = 60
    /// The server's store.
    var store: TestPostgres.Kind = .sqlite
    /// Signed operations on (docs/RELIABILITY.md, "Signed operations"): the workspace has a root,
    /// each replica's device key is bound to its user and each replica pinned the root, so every
    /// pull page and every file is checked against its authors' signatures. Then no honest
    /// operation may be kept aside anywhere.
    var signing = false

    func run() async throws -> [String] {
        let fixture = try await Fixture(kind: store)
        try await fixture.sync.addUser("mallory", now: 0)
        try await fixture.sync.setMember("mallory", of: Fixture.workspace, role: .member)
        let malloryToken = try await TokenCommand.issue(for: "mallory", in: fixture.sync).text
        let state = try Run(seed: seed, fixture: fixture, malloryToken: malloryToken, signing: signing)
        if signing {
            let root = try await fixture.sync.root(of: Fixture.workspace, now: 0, make: StoreTrust.makeRoot)
            for peer in state.peers {
                let replica = peer.replica!
                try await fixture.sync.addBinding(KeyBinding.make(workspace: Fixture.workspace, user: UserName(stored: peer.user),
                                                                  key: try replica.devicePublicKey(), issued: 0, root: root))
                try replica.pinRoot(root.publicKey)
            }
        }
        try await fixture.application(now: { state.clock.now() }).test(.router) { client in
            try await state.play(steps: steps, client: client)
        }
        var failures = try await Self.check(state.peers, fixture: fixture, acknowledged: state.acknowledged) + state.hostileFailures
        if signing {
            for peer in state.peers {
                for held in try peer.replica!.heldOperations() {
                    failures.append("\(peer.name) keeps \(held.operation.id) (\(held.operation.change.kind) by \(held.operation.author)) aside: \(held.reasonCode), from \(held.source)")
                }
            }
        }
        return failures
    }

    /// The mutable state of one run, driven from the test client's closure.
    final class Run: @unchecked Sendable {
        var rng: SeededRandom
        var peers: [Peer] = []
        var acknowledged = Set<OperationID>()
        let clock = SimClock()
        let ids: SimIDs
        let report = Fixture.report
        /// mallory, a member who attacks with plain HTTP requests, and what went wrong for her victims.
        let malloryToken: String
        let mallory: ReplicaClaim
        var hostileFailures: [String] = []
        let signing: Bool

        init(seed: UInt64, fixture: Fixture, malloryToken: String, signing: Bool) throws {
            self.signing = signing
            rng = SeededRandom(seed: seed)
            ids = SimIDs(seed: seed ^ 0x5EED)
            self.malloryToken = malloryToken
            mallory = ReplicaClaim.mint(for: "mallory", salt: ids.next())
            let people: [(String, String)] = [("alice-laptop", "alice"), ("alice-desktop", "alice"), ("bob", "bob"), ("ada", "ada"), ("rita", "rita")]
            let skews: [Int64] = [0, 0, 0, -1_000, 1_500].shuffled(using: &rng)
            for ((name, user), skew) in zip(people, skews) {
                let home = fixture.directory.appendingPathComponent(name)
                let clock = self.clock, ids = self.ids
                let replica = try Replica.create(home: home, user: user, now: { clock.now() + skew }, newReplicaSalt: { ids.next() })
                try replica.bind(remote: "http://router", workspace: Fixture.workspace, token: fixture.tokens[user]!)
                _ = try replica.importReport(report, source: "sample")
                peers.append(Peer(name: name, user: user, home: home, token: fixture.tokens[user]!, skew: skew, replica: replica))
            }
        }

        func transport(_ peer: Peer, _ client: any TestClientProtocol) -> RouterTransport {
            RouterTransport(client: client, workspace: Fixture.workspace, token: peer.token)
        }

        func sync(_ i: Int, _ client: any TestClientProtocol, pushOnly: Bool = false, pullOnly: Bool = false) async throws {
            var session = SyncSession(replica: peers[i].replica!, transport: transport(peers[i], client))
            session.pageSize = 1 + rng.int(in: 0..<40)
            session.pushBatch = 1 + rng.int(in: 0..<40)
            _ = try await session.run(push: !pullOnly, pull: !pushOnly)
            acknowledged.formUnion(try peers[i].replica!.operationIDs().acknowledged)
        }

        func play(steps: Int, client: any TestClientProtocol) async throws {
            // GLOSS_SIM_TRACE=1 with GLOSS_SEED: each step, and what it left in each replica.
            let trace = ProcessInfo.processInfo.environment["GLOSS_SIM_TRACE"] != nil
            for step in 0..<steps {
                clock.advance(Int64(rng.int(in: 0..<3)))
                if rng.int(in: 0..<100) < 15 { try await hostile(client) }
                let i = rng.int(in: 0..<peers.count)
                let roll = rng.int(in: 0..<100)
                let before = trace ? Set(try peers.flatMap { try $0.replica!.operationIDs().all }) : []
                if trace { print("step \(step): \(peers[i].name), \(Self.action(roll, online: peers[i].online))") }
                defer { if trace { Self.traceChanges(peers, since: before) } }
                switch roll {
                case 0..<50:
                    do {
                        try ConvergenceSimulation.localChange(peers[i], report: report.id, rng: &rng)
                    } catch let error as ReplicaError {
                        // A replica that has learnt its user is a reader (rita, or a member the
                        // schedule demoted) refuses her writes at once, until a sync hears otherwise.
                        guard case .readOnly = error else { throw error }
                    }
                case 50..<65 where peers[i].online:
                    try await sync(i, client)
                case 65..<70 where peers[i].online:
                    try await sync(i, client, pushOnly: rng.next() % 2 == 0, pullOnly: rng.next() % 2 == 0)
                case 70..<80:
                    // Hand-over by file, shuffled, partly twice.
                    let j = rng.int(in: 0..<peers.count)
                    guard j != i else { continue }
                    let (bundle, _) = try peers[i].replica!.exportBundle(includePrivate: peers[i].user == peers[j].user)
                    var ops = bundle.operations.shuffled(using: &rng)
                    ops += ops.filter { _ in rng.next() % 4 == 0 }
                    _ = try peers[j].replica!.apply(OperationBundle(reports: bundle.reports, operations: ops, claims: bundle.claims,
                                                                    signing: signing ? bundle.signing : nil), source: "sim")
                    let acked = try peers[i].replica!.operationIDs().acknowledged
                    if ops.contains(where: { $0.author.rawValue == peers[i].user && !acked.contains($0.id) }) { peers[i].sharedSinceBackup = true }
                case 80..<85:
                    peers[i].online.toggle()
                case 85..<89 where peers[i].online:
                    // A lost answer: operations pushed again. Signing on, as `gloss sync` pushes them:
                    // the next batch, in the order made (a random subset stores an author's later
                    // operation before earlier ones a restore may then lose for good, which every
                    // verifying replica rightly holds as a hole; docs/RELIABILITY.md).
                    let resend = signing ? try peers[i].replica!.pendingBatch(after: 0, limit: 1 + rng.int(in: 0..<40)).operations
                        : try peers[i].replica!.log(limit: 200).filter { _ in rng.next() % 3 == 0 }
                    guard !resend.isEmpty else { continue }
                    var request = Sync.PushRequest(replica: try peers[i].replica!.meta().replica, operations: resend,
                                                   claims: try peers[i].replica!.claims(for: Set(resend.map(\.id.replica))))
                    // As `gloss sync` sends it: with its signed runs.
                    request.runs = try peers[i].replica!.signedRuns(for: resend)
                    try peers[i].replica!.record(try await transport(peers[i], client).push(request))
                case 89..<92 where peers[i].online:
                    try peers[i].replica!.resetPullCursor()
                    try await sync(i, client, pullOnly: true)
                case 92..<96:
                    let url = peers[i].home.appendingPathComponent("backup-\(rng.next()).sqlite")
                    try peers[i].replica!.backup(to: url)
                    peers[i].backup = url
                    peers[i].sharedSinceBackup = false
                case 96..<100:
                    guard let backup = peers[i].backup, !peers[i].sharedSinceBackup else { continue }
                    peers[i].replica = nil
                    let file = peers[i].home.appendingPathComponent(Replica.fileName)
                    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file.path + suffix) }
                    try FileManager.default.copyItem(at: backup, to: file)
                    let skew = peers[i].skew, clock = self.clock, ids = self.ids
                    peers[i].replica = try Replica.open(home: peers[i].home, now: { clock.now() + skew }, newReplicaSalt: { ids.next() })
                default:
                    break
                }
            }
            // Everyone comes online and syncs until quiet.
            for _ in 0..<3 {
                for i in (0..<peers.count).shuffled(using: &rng) {
                    peers[i].online = true
                    clock.advance(1)
                    try await sync(i, client)
                }
            }
        }

        /// What a step's roll does (the cases of ``play(steps:client:)``), for the trace.
        static func action(_ roll: Int, online: Bool) -> String {
            switch roll {
            case 0..<50: "a local change"
            case 50..<65 where online: "a sync"
            case 65..<70 where online: "a push or pull alone"
            case 70..<80: "a file to a teammate"
            case 80..<85: online ? "goes offline" : "comes online"
            case 85..<89 where online: "a push sent again"
            case 89..<92 where online: "a pull from the start"
            case 92..<96: "a backup"
            case 96..<100: "a restore from its backup"
            default: "nothing (offline)"
            }
        }

        /// The operations each replica's log gained since `before`, and what it keeps aside.
        static func traceChanges(_ peers: [Peer], since before: Set<OperationID>) {
            for peer in peers {
                for op in (try? peer.replica!.log(limit: 100_000)) ?? [] where !before.contains(op.id) {
                    print("   \(peer.name) has \(op.id) (\(op.change.kind) by \(op.author))")
                }
                let held = ((try? peer.replica!.heldOperations()) ?? []).map { "\($0.operation.id) \($0.reasonCode)" }
                if !held.isEmpty { print("   \(peer.name) keeps aside \(held.sorted().joined(separator: ", "))") }
            }
        }

        /// mallory holds a teammate's operations file (their own work, unsynced included, with
        /// their replicas' claims) and attacks over plain HTTP: squats its op ids under her name,
        /// relays altered copies, forges its authors from her own replica, and writes under
        /// look-alike names. The server must store none of it, and no honest replica may be
        /// stalled or shadowed by it (checked at the end, with everything else).
        func hostile(_ client: any TestClientProtocol) async throws {
            let v = rng.int(in: 0..<peers.count)
            let (bundle, _) = try peers[v].replica!.exportBundle()
            guard var op = bundle.operations.randomElement(using: &rng) else { return }
            let original = op
            var claims: [ReplicaClaim] = []
            let attack = rng.int(in: 0..<5)
            switch attack {
            case 0:  // squat the id under mallory's name, with the victim's claim, a made-up one, or none
                op.author = "mallory"
                if case var .create(creation) = op.change { creation.body = "mallory's words"; op.change = .create(creation) }
                claims = [bundle.claims, [ReplicaClaim(replica: op.id.replica, salt: mallory.salt)], []][rng.int(in: 0..<3)]
            case 1:  // an altered copy, relayed
                if case var .create(creation) = op.change { creation.body = "altered"; op.change = .create(creation) } else { op.change = .setStatus(.resolved) }
                claims = bundle.claims
            case 2:  // the victim's author name on mallory's own replica
                op.id = OperationID(replica: mallory.replica, counter: UInt64(rng.int(in: 1..<1_000_000)))
                if case .create = op.change { op.annotation = AnnotationID(createdBy: op.id) }
                claims = [mallory]
            case 3:  // a look-alike of the victim's name
                let victim = op.author.rawValue
                op.author = UserName(stored: ["\u{212A}" + victim.dropFirst(), victim.capitalized, victim.replacingOccurrences(of: "a", with: "\u{0430}"),
                             victim + " "][rng.int(in: 0..<4)])
                claims = bundle.claims
            default:  // the exact bytes, relayed (harmless: a duplicate, or waiting for its author)
                claims = bundle.claims
            }
            // (Only copies of operations the server already holds: a copy of one that the
            // server later refuses, or never gets, would stay on the receiver, forged, for good —
            // files are not signed; docs/RELIABILITY.md, "A file".)
            if attack == 1, rng.next() % 2 == 0, !["rita"].contains(original.author),
               try peers[v].replica!.operationIDs().acknowledged.contains(original.id),
               let j = peers.indices.filter({ peers[$0].user != original.author.rawValue && peers[$0].user != "rita" }).randomElement(using: &rng) {
                // The altered copy handed to a teammate by file instead: their replica takes it
                // (files are not signed), and their next pull replaces it with the server's.
                _ = try peers[j].replica!.apply(OperationBundle(reports: bundle.reports, operations: [op], claims: bundle.claims), source: "mallory")
                return
            }
            let request = Sync.PushRequest(replica: mallory.replica, operations: [op], claims: claims)
            let answer = try await RouterTransport(client: client, workspace: Fixture.workspace, token: malloryToken).push(request)
            if !answer.accepted.isEmpty {
                hostileFailures.append("mallory's attack \(attack) on \(original.id) (\(original.author)) was stored")
            }
            if answer.duplicates.contains(op.id), op != original {
                hostileFailures.append("mallory's altered \(op.id) was called a duplicate (attack \(attack))")
            }
        }
    }

    /// One random change through the replica's public API, as an analyst would make it.
    static func localChange(_ peer: Peer, report: ReportID, rng: inout SeededRandom) throws {
        let replica = peer.replica!
        let visible = try replica.annotations()
        let tags = ["supply-chain", "rare-earths", "china", "eu"]
        guard let target = visible.randomElement(using: &rng), rng.next() % 5 != 0 else {
            let isPrivate = rng.next() % 6 == 0
            _ = try replica.annotate(Creation(report: report, target: nil, motivation: .commenting, body: "note \(rng.next() % 1000)",
                                                   tags: tags.filter { _ in rng.next() % 3 == 0 }, visibility: isPrivate ? .private : .team))
            return
        }
        let own = target.author.rawValue == peer.user
        switch rng.int(in: 0..<7) {
        case 0 where own: _ = try replica.edit(target.id, body: "edit \(rng.next() % 1000)")
        case 1: _ = try replica.reply(to: target.id, body: "reply \(rng.next() % 1000)")
        case 2: _ = try replica.tag(target.id, add: [tags.randomElement(using: &rng)!], remove: [])
        case 3: if let tag = target.tags.randomElement(using: &rng) { _ = try replica.tag(target.id, add: [], remove: [tag]) }
        case 4: _ = try replica.setStatus(target.id, rng.next() % 2 == 0 ? .resolved : .open)
        case 5 where own: _ = try replica.delete(target.id)
        case 6 where own: _ = try replica.edit(target.id, judgment: Judgment(confidence: Confidence.allCases.randomElement(using: &rng)))
        default: _ = try replica.tag(target.id, add: [tags.randomElement(using: &rng)!], remove: [])
        }
    }

    /// Agreement, the set check, privacy, and the reference merge.
    static func check(_ peers: [Peer], fixture: Fixture, acknowledged: Set<OperationID>) async throws -> [String] {
        var failures: [String] = []
        let serverOps = try await fixture.storedOperations()
        let onServer = Dictionary(uniqueKeysWithValues: serverOps.map { ($0.id, $0) })
        for id in acknowledged where onServer[id] == nil { failures.append("acknowledged \(id) is not on the server") }
        for op in serverOps where op.author == "rita" { failures.append("the server stored \(op.id) from rita, a reader") }
        for op in serverOps where !["alice", "bob", "ada"].contains(op.author) {
            failures.append("the server stored \(op.id) under the name \(op.author)")
        }
        let byAnnotation = Dictionary(grouping: serverOps, by: \.annotation)

        var teamViews: [String: String] = [:]
        for peer in peers {
            let replica = peer.replica!
            let log = Set(try replica.operationIDs().all)
            let stray = log.filter { onServer[$0] == nil }
            if !stray.isEmpty {
                let ops = try replica.log(limit: 100_000).filter { stray.contains($0.id) }
                for op in ops {
                    failures.append("\(peer.name) holds \(op.id) (\(op.change.kind) by \(op.author) on \(op.annotation.short)), which the server does not")
                }
            }
            for op in serverOps where (!op.isPrivate || op.author.rawValue == peer.user) && !log.contains(op.id) {
                failures.append("\(peer.name) lacks \(op.id) (\(op.change.kind) by \(op.author))")
            }
            for op in serverOps where op.isPrivate && op.author.rawValue != peer.user && log.contains(op.id) {
                failures.append("\(peer.name) received \(op.author)'s private \(op.id)")
            }
            for op in try replica.log(limit: 100_000) where onServer[op.id].map({ $0 != op }) == true {
                failures.append("\(peer.name) holds \(op.id) other than the server's: a shadowed operation")
            }
            let annotations = try replica.annotations(AnnotationFilter(includeDeleted: true))
            for a in annotations {
                let ops = (byAnnotation[a.id] ?? []).filter { !$0.isPrivate || $0.author.rawValue == peer.user }
                guard let expected = ReferenceMerge.expected(ops) else {
                    failures.append("\(peer.name) shows \(a.id.short) without its create on the server"); continue
                }
                let observed = ReferenceMerge.observed(a)
                if observed != expected { failures.append("\(peer.name) \(a.id.short): \(observed) but the rules give \(expected)") }
            }
            teamViews[peer.name] = try JSON.string(annotations.filter { $0.visibility == .team }.sorted { $0.id < $1.id })
        }
        if Set(teamViews.values).count != 1 { failures.append("the replicas disagree on the team's annotations") }
        return failures
    }
}
