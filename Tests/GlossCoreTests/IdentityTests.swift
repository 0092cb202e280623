import Foundation
import GlossTestSupport
import Testing
@testable import GlossCore

/// Identity that holds, tested on the pure core alone (no SQLite, no HTTP): canonical names,
/// replica claims, and the push rules that keep anyone from placing an operation under
/// someone else's id (docs/RELIABILITY.md, threat model).
@Suite struct IdentityTests {
    // MARK: Names

    @Test func namesHaveOneCanonicalSpelling() throws {
        #expect(try IdentityName.canonical("Alice") == "alice")
        #expect(try IdentityName.canonical("j.doe@team-2") == "j.doe@team-2")
        // Look-alikes from other scripts and other normal forms are refused, never folded in.
        for raw in ["\u{212A}ate", "zoe\u{0308}", "zo\u{00EB}", "аlice", "ａlice", "a b", "", "-alice", ".x", "x'y", String(repeating: "a", count: 65)] {
            #expect(throws: IdentityName.Refusal.self, "\(raw.unicodeScalars.map { String($0.value, radix: 16) })") {
                try IdentityName.canonical(raw)
            }
        }
        // Swift's == equates the Kelvin sign with K; identities never use it.
        #expect("\u{212A}ate" == "Kate")
        #expect(!IdentityName.same("\u{212A}ate", "Kate"))
        #expect(IdentityName.isCanonical("kate") && !IdentityName.isCanonical("Kate") && !IdentityName.isCanonical("\u{212A}ate"))
    }

    @Test func typedNamesAreCanonicalAndComparedByBytes() throws {
        // The throwing init refuses what is outside the profile, whatever its look.
        for raw in ["\u{212A}ate", "zoe\u{0308}", "a b", "", "-alice"] {
            #expect(throws: IdentityName.Refusal.self) { try UserName(raw) }
            #expect(throws: IdentityName.Refusal.self) { try WorkspaceName(raw) }
        }
        // Two spellings of one name are one name only once canonicalised.
        // (A variable, not a literal: `UserName("Alice")` is literal coercion, which stops on a
        // name not in canonical form instead of canonicalising it.)
        let typed: [String] = ["Alice", "ALICE", "alice", "Intel"]
        #expect(UserName(stored: typed[0]) != UserName(stored: typed[2]))
        #expect(try UserName(typed[0]) == UserName(typed[1]))
        #expect(try UserName(typed[1]) == "alice")
        #expect(try UserName(typed[0]).rawValue == "alice")
        #expect(try WorkspaceName(typed[3]) == WorkspaceName(stored: "intel"))
        #expect(!UserName(stored: "Alice").isCanonical && UserName(stored: "alice").isCanonical)
        // Swift's == equates the Kelvin sign with K; the types do not.
        #expect(UserName(stored: "\u{212A}ate") != UserName(stored: "Kate"))
        #expect(Set([UserName(stored: "\u{212A}ate"), UserName(stored: "Kate")]).count == 2)
        // Byte order, as the stores sort.
        #expect(UserName(stored: "Bob") < UserName(stored: "alice"))
        // On the wire, a plain string.
        let json = try JSONEncoder().encode(["user": UserName("alice")])
        #expect(String(decoding: json, as: UTF8.self) == #"{"user":"alice"}"#)
        #expect(try JSONDecoder().decode(WorkspaceName.self, from: Data(#""intel""#.utf8)) == "intel")
        #expect(JSONWriter.string(UserName(stored: "alice")) == #""alice""#)
        #expect(WorkspaceName.unbound.isEmpty && WorkspaceName.unbound.rawValue == "")
    }

    @Test func confusableNamesAreCaught() {
        let existing = ["kate", "bob", "mia", "l.chen"]
        #expect(IdentityName.confusable("k.ate", among: existing) == "kate")
        #expect(IdentityName.confusable("b0b", among: existing) == "bob")
        #expect(IdentityName.confusable("rnia", among: existing) == "mia")
        #expect(IdentityName.confusable("1chen", among: existing) == "l.chen")
        #expect(IdentityName.confusable("kate", among: existing) == nil, "the same name is a duplicate, not a look-alike")
        #expect(IdentityName.confusable("carol", among: existing) == nil)
    }

    @Test func operationsCarryOnlyCanonicalAuthorsAndWorkspaces() throws {
        var op = Self.create("alice", replica: 1, counter: 1)
        try op.validate()
        for author in ["Kate", "\u{212A}ate", "zoe\u{0308}", "a b"] {
            op.author = UserName(stored: author)
            #expect(throws: GlossCore.Operation.Invalid.self) { try op.validate() }
        }
        op.author = "alice"
        op.workspace = WorkspaceName(stored: "Intel")
        #expect(throws: GlossCore.Operation.Invalid.self) { try op.validate() }
    }

    @Test func aBadTagIsRefusedWithoutQuotingIt() {
        var op = Self.create("alice", replica: 1, counter: 1)
        op.change = .addTag("secret source name")
        let error = #expect(throws: GlossCore.Operation.Invalid.self) { try op.validate() }
        #expect(error?.description.contains("secret") == false)
    }

    // MARK: Replica claims

    @Test func aClaimProvesItsReplicaForItsUserOnly() {
        var rng = SeededRandom(seed: 11)
        for _ in 0..<200 {
            let salt = ReplicaClaim.randomSalt(using: &rng)
            let claim = ReplicaClaim.mint(for: "alice", salt: salt)
            #expect(claim.proves("alice"))
            #expect(!claim.proves("bob"))
            #expect(!ReplicaClaim(replica: claim.replica, salt: ReplicaClaim.mint(for: "bob", salt: salt).salt).proves("bob"))
            var tampered = claim
            tampered.salt = String(claim.salt.reversed())
            #expect(!tampered.proves("alice") || tampered.salt == claim.salt)
        }
        #expect(!ReplicaClaim(replica: ReplicaID(rawValue: 1), salt: "not hex").proves("alice"))
    }

    // MARK: Admission (PushPolicy), pure

    static let workspace: WorkspaceName = "intel"
    static let report = ReportID(rawValue: String(repeating: "ab", count: 32))

    static func claim(_ n: UInt8, of user: UserName) -> ReplicaClaim {
        ReplicaClaim.mint(for: user, salt: Array(repeating: n, count: 16))
    }

    static func create(_ author: UserName, replica n: UInt8, counter: UInt64, body: String = "note", tags: [String] = [],
                       isPrivate: Bool = false) -> GlossCore.Operation {
        let id = OperationID(replica: claim(n, of: author).replica, counter: counter)
        return GlossCore.Operation(id: id, hlc: HLC(wall: 1_000), author: author, workspace: workspace, annotation: AnnotationID(createdBy: id),
                         isPrivate: isPrivate, change: .create(Creation(report: report, target: nil, motivation: .commenting, body: body,
                                                                         tags: tags, visibility: isPrivate ? .private : .team)))
    }

    static func policy(_ user: UserName, role: Role = .member, limits: PushPolicy.Limits = .init()) -> PushPolicy {
        PushPolicy(workspace: workspace, user: user, role: role, now: 1_000, limits: limits)
    }

    static func facts(stored: [GlossCore.Operation] = [], owners: [ReplicaID: UserName] = [:]) -> PushPolicy.PushFacts {
        var facts = PushPolicy.PushFacts()
        facts.reports = [report]
        for op in stored { facts.stored[op.id] = JSONWriter.string(op) }
        facts.owners = owners
        return facts
    }

    static func decide(_ policy: PushPolicy, _ ops: [GlossCore.Operation], claims: [ReplicaClaim] = [],
                       facts: PushPolicy.PushFacts = facts()) -> [PushPolicy.Verdict] {
        policy.decide(ops, payloads: ops.map(JSONWriter.string), claims: claims, facts: facts).verdicts
    }

    static func code(_ verdict: PushPolicy.Verdict) -> Sync.Refusal.Code? {
        if case let .refused(refusal) = verdict { refusal.code } else { nil }
    }

    @Test func aNewReplicaIsRegisteredOnlyByTheUserItsClaimProves() {
        let alices = Self.create("alice", replica: 1, counter: 1)
        let decision = Self.policy("alice").decide([alices], payloads: [JSONWriter.string(alices)],
                                                   claims: [Self.claim(1, of: "alice")], facts: Self.facts())
        #expect(decision.verdicts == [.accepted])
        #expect(decision.registrations == [alices.id.replica])
        // Without a claim, the replica waits (temporary): it may be alice's other machine.
        #expect(Self.decide(Self.policy("alice"), [alices]).map(Self.code) == [.awaitingClaim])
    }

    /// Attack 1: bob, holding alice's ops file, pushes his own operation under her create's id.
    @Test func nobodyCanSquatAnotherUsersOperationID() {
        let alices = Self.create("alice", replica: 1, counter: 1)
        var squat = alices
        squat.author = "bob"
        squat.change = .create(Creation(report: Self.report, target: nil, motivation: .commenting, body: "bob's words"))
        // Before alice synced: her replica is unregistered, and bob cannot prove it is his,
        // with her claim or any he makes.
        #expect(Self.decide(Self.policy("bob"), [squat]).map(Self.code) == [.awaitingClaim])
        #expect(Self.decide(Self.policy("bob"), [squat], claims: [Self.claim(1, of: "alice")]).map(Self.code) == [.foreignReplica])
        let bobsOwnSalt = ReplicaClaim(replica: alices.id.replica, salt: Self.claim(1, of: "bob").salt)
        #expect(Self.decide(Self.policy("bob"), [squat], claims: [bobsOwnSalt]).map(Self.code) == [.foreignReplica])
        // After alice synced: the replica is hers.
        let registered = Self.facts(stored: [alices], owners: [alices.id.replica: "alice"])
        #expect(Self.decide(Self.policy("bob"), [squat], facts: registered).map(Self.code) == [.awaitingClaim])
        // And alice's own create, pushed first or again, is hers alone.
        #expect(Self.decide(Self.policy("alice"), [alices], claims: [Self.claim(1, of: "alice")]) == [.accepted])
        #expect(Self.decide(Self.policy("alice"), [alices], facts: registered) == [.duplicate])
    }

    @Test func aDuplicateIsTheSameBytesNotOnlyTheSameID() {
        let original = Self.create("alice", replica: 1, counter: 1, body: "first")
        let other = Self.create("alice", replica: 1, counter: 1, body: "second")
        let facts = Self.facts(stored: [original], owners: [original.id.replica: "alice"])
        #expect(Self.decide(Self.policy("alice"), [original], facts: facts) == [.duplicate])
        #expect(Self.decide(Self.policy("alice"), [other], facts: facts).map(Self.code) == [.idTaken])
        // Within one push too.
        #expect(Self.decide(Self.policy("alice"), [original, other], claims: [Self.claim(1, of: "alice")]).map(Self.code) == [nil, .idTaken])
    }

    /// Attack 6: a relayer learns a stored or refused operation's fate only when it holds
    /// exactly that operation; otherwise every probe reads the same.
    @Test func aRelayCannotProbeForSomeoneElsesOperations() {
        let privateNote = Self.create("alice", replica: 1, counter: 1, body: "source: X", isPrivate: true)
        var probe = privateNote
        probe.change = .create(Creation(report: Self.report, target: nil, motivation: .commenting, body: "guess", visibility: .private))
        var facts = Self.facts(stored: [privateNote], owners: [privateNote.id.replica: "alice"])
        let absent = Self.create("alice", replica: 1, counter: 2, body: "guess")
        let answers = Self.decide(Self.policy("bob"), [probe, absent], facts: facts)
        #expect(answers.map(Self.code) == [.awaitingAuthor, .awaitingAuthor])
        guard case let .refused(a) = answers[0], case let .refused(b) = answers[1] else { return }
        #expect(a.reason == b.reason, "a stored private operation and a missing one read the same")
        // A recorded refusal reaches only a relayer with the same bytes.
        facts.refusals[absent.id] = .init(code: .readOnly, reason: "alice is a reader", payload: JSONWriter.string(absent))
        var altered = absent
        altered.change = .create(Creation(report: Self.report, target: nil, motivation: .commenting, body: "altered"))
        #expect(Self.decide(Self.policy("bob"), [absent, altered], facts: facts).map(Self.code) == [.readOnly, .awaitingAuthor])
    }

    @Test func refusalsAreRecordedOnlyForOperationsWhoseIDThePusherOwns() {
        let squat = Self.create("alice", replica: 1, counter: 1)
        var bobs = squat
        bobs.author = "bob"
        let reader = Self.policy("bob", role: .reader)
        let decision = reader.decide([bobs], payloads: [JSONWriter.string(bobs)], claims: [], facts: Self.facts())
        #expect(decision.recorded.isEmpty, "no refusal is planted under alice's id")
        let own = Self.create("bob", replica: 2, counter: 1)
        let refused = reader.decide([own], payloads: [JSONWriter.string(own)], claims: [Self.claim(2, of: "bob")], facts: Self.facts())
        #expect(refused.verdicts.map(Self.code) == [.readOnly])
        #expect(refused.recorded == [0])
    }

    /// Attack 8: no member can grow one annotation without bound.
    @Test func countLimitsHoldPerAnnotation() {
        var limits = PushPolicy.Limits()
        limits.operationsPerAnnotation = 3
        limits.tagAdditionsPerAnnotation = 4
        let policy = Self.policy("alice", limits: limits)
        let create = Self.create("alice", replica: 1, counter: 1, tags: ["a", "b"])
        func tag(_ counter: UInt64, _ tag: String) -> GlossCore.Operation {
            GlossCore.Operation(id: OperationID(replica: create.id.replica, counter: counter), hlc: HLC(wall: 1_001), author: "alice",
                      workspace: Self.workspace, annotation: create.annotation, isPrivate: false, change: .addTag(tag))
        }
        let verdicts = Self.decide(policy, [create, tag(2, "c"), tag(3, "d"), tag(4, "e")], claims: [Self.claim(1, of: "alice")])
        #expect(verdicts.map(Self.code) == [nil, nil, nil, .tooMany])
        let many = Self.create("alice", replica: 1, counter: 9, tags: (0..<5).map { "t\($0)" })
        #expect(Self.decide(policy, [many], claims: [Self.claim(1, of: "alice")]).map(Self.code) == [.tooMany])
        var huge = Self.create("alice", replica: 1, counter: 10)
        huge.change = .create(Creation(report: Self.report, target: nil, motivation: .commenting, body: "",
                                       tags: (0...Operation.maxTagsPerCreate).map { "t\($0)" }))
        #expect(Self.decide(Self.policy("alice"), [huge], claims: [Self.claim(1, of: "alice")]).map(Self.code) == [.invalid])
    }

    /// Property: whatever others push (squats, altered relays, forged authors, look-alike
    /// names), an honest author's pushes keep their meaning — each of her operations is
    /// accepted or a byte-identical duplicate, never refused or shadowed.
    @Test func noSequenceOfOthersPushesChangesWhatAnHonestAuthorsOperationsMean() {
        let seed = UInt64.random(in: 1...UInt64.max)
        print("IdentityTests.noSequenceOfOthersPushes seed \(seed)")
        var rng = SeededRandom(seed: seed)
        for _ in 0..<200 {
            var facts = Self.facts()
            let honest = (1...UInt64(4)).map { Self.create("alice", replica: 1, counter: $0, body: "alice \($0)") }
            let pushers: [UserName] = ["bob", "b0b", "alice"]
            // Others push first: altered copies, squats under her ids, forged authors, look-alikes.
            for _ in 0..<rng.int(in: 1..<8) {
                var op = honest[rng.int(in: 0..<honest.count)]
                let pusher = pushers[rng.int(in: 0..<2)]
                switch rng.int(in: 0..<4) {
                case 0: op.author = pusher
                case 1: op.change = .create(Creation(report: Self.report, target: nil, motivation: .commenting, body: "altered"))
                case 2: op.author = UserName(stored: "\u{212A}ate")
                default: break
                }
                let claims = rng.next() % 2 == 0 ? [Self.claim(1, of: "alice")] : [Self.claim(1, of: pusher)]
                let decision = Self.policy(pusher).decide([op], payloads: [JSONWriter.string(op)], claims: claims, facts: facts)
                Self.persist(decision, [op], user: pusher, into: &facts)
            }
            // Then alice pushes hers, in pieces, twice.
            for ops in [Array(honest.prefix(2)), honest, honest] {
                let decision = Self.policy("alice").decide(ops, payloads: ops.map(JSONWriter.string), claims: [Self.claim(1, of: "alice")], facts: facts)
                for verdict in decision.verdicts { #expect(verdict == .accepted || verdict == .duplicate, "seed \(seed): \(verdict)") }
                Self.persist(decision, ops, user: "alice", into: &facts)
            }
            for op in honest { #expect(facts.stored[op.id] == JSONWriter.string(op), "seed \(seed)") }
        }
    }

    /// What a store would persist of a decision, on the facts.
    static func persist(_ decision: PushPolicy.Decision, _ ops: [GlossCore.Operation], user: UserName, into facts: inout PushPolicy.PushFacts) {
        for replica in decision.registrations { facts.owners[replica] = user }
        for index in decision.accepted { facts.stored[ops[index].id] = JSONWriter.string(ops[index]) }
    }

    /// Others' operations count against their own budget: no member can use up an author's.
    @Test func othersCannotUseUpTheAuthorsBudget() {
        var limits = PushPolicy.Limits()
        limits.operationsPerAnnotation = 3
        let create = Self.create("alice", replica: 1, counter: 1)
        var facts = Self.facts()
        facts.creators[create.annotation] = .init(author: "alice", isPrivate: false)
        facts.owners[create.id.replica] = "alice"
        facts.owners[Self.claim(2, of: "bob").replica] = "bob"
        func op(_ user: UserName, _ n: UInt8, _ counter: UInt64, _ change: Change) -> GlossCore.Operation {
            GlossCore.Operation(id: OperationID(replica: Self.claim(n, of: user).replica, counter: counter), hlc: HLC(wall: 1_001),
                                author: user, workspace: Self.workspace, annotation: create.annotation, isPrivate: false, change: change)
        }
        let bobs = (1...4).map { op("bob", 2, UInt64($0), .setStatus($0 % 2 == 0 ? .open : .resolved)) }
        #expect(Self.decide(Self.policy("bob", limits: limits), bobs, facts: facts).map(Self.code) == [nil, nil, nil, .tooMany])
        let alices = [op("alice", 1, 2, .editBody(text: "still mine", seen: [create.id])), op("alice", 1, 3, .addTag("x"))]
        #expect(Self.decide(Self.policy("alice", limits: limits), alices, facts: facts) == [.accepted, .accepted])
    }
}
