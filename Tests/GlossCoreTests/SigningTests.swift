import Foundation
import GlossTestSupport
import Testing
@testable import GlossCore

/// Signed operations (issue 28), on the pure core: device keys, the root's bindings and
/// revocations, chains and their signed heads, and ``SignaturePolicy``'s verdict on every kind
/// of forgery the hostile-member suite names. The property test prints its seed; `GLOSS_SEED=N`
/// replays one.
@Suite struct SigningTests {
    static let workspace: WorkspaceName = "intel"
    static let now: Int64 = 1_750_000_000_000
    static let report = ReportID(rawValue: String(repeating: "ab", count: 32))
    static let root = RootKey(key(200))

    /// A fixed key for tests: 32 bytes of `n`.
    static func key(_ n: UInt8) -> DeviceKey { DeviceKey(rawRepresentation: Array(repeating: n, count: 32))! }

    static func claim(_ n: UInt8, of user: UserName) -> ReplicaClaim {
        ReplicaClaim.mint(for: user, salt: Array(repeating: n, count: 16))
    }

    /// One writing replica: its recorder, its team and private chains, and its device key.
    struct Writer {
        var recorder: OperationRecorder
        var team: ChainWriter
        var own: ChainWriter
        let key: DeviceKey

        init(_ user: UserName, replica n: UInt8, key: DeviceKey, workspace: WorkspaceName = SigningTests.workspace) {
            let (claim, nonce) = ReplicaClaim.mint(for: user, key: key.publicKey, nonce: Array(repeating: n, count: 16))
            recorder = OperationRecorder(replica: claim.replica, author: user, workspace: workspace, clock: HybridClock(), now: SigningTests.now)
            team = ChainWriter(chain: ChainID(workspace: workspace, replica: claim.replica, author: user, isPrivate: false),
                               key: key.publicKey, nonce: nonce)
            own = ChainWriter(chain: ChainID(workspace: workspace, replica: claim.replica, author: user, isPrivate: true),
                              key: key.publicKey, nonce: nonce)
            self.key = key
        }

        mutating func note(_ body: String, isPrivate: Bool = false) -> GlossCore.Operation {
            recorder.now += 1
            return recorder.record(.create(Creation(report: SigningTests.report, target: nil, motivation: .commenting, body: body,
                                                    visibility: isPrivate ? .private : .team)), isPrivate: isPrivate)
        }

        mutating func tag(_ tag: String, on op: GlossCore.Operation) -> GlossCore.Operation {
            recorder.now += 1
            return recorder.record(.addTag(tag), on: op.annotation, isPrivate: op.isPrivate)
        }

        mutating func edit(_ text: String, on op: GlossCore.Operation) -> GlossCore.Operation {
            recorder.now += 1
            return recorder.record(.editBody(text: text, seen: [op.id]), on: op.annotation, isPrivate: op.isPrivate)
        }

        /// Chains `ops` (as a push or an export sends them) and signs: the runs that carry them.
        mutating func send(_ ops: [GlossCore.Operation]) -> [ChainSegment] {
            var segments: [ChainSegment] = []
            for isPrivate in [false, true] {
                var chain = isPrivate ? own : team
                let before = chain.position.count
                try! chain.append(contentsOf: ops.filter { $0.isPrivate == isPrivate })
                if chain.position.count > before {
                    segments.append(chain.segment(after: before, to: chain.sign(with: key)))
                }
                if isPrivate { own = chain } else { team = chain }
            }
            return segments
        }
    }

    static let alice = key(1), bob = key(2), carol = key(3), mallory = key(66)

    /// The team's key ring: alice, bob and carol bound by the root.
    static func keyRing(_ bound: [(UserName, DeviceKey)] = [("alice", alice), ("bob", bob), ("carol", carol)]) -> KeyRing {
        var ring = KeyRing(workspace: workspace, root: root.publicKey)
        for (user, key) in bound {
            try! ring.add(KeyBinding.make(workspace: workspace, user: user, key: key.publicKey, issued: now, root: root))
        }
        return ring
    }

    static func decide(_ ops: [GlossCore.Operation], _ segments: [ChainSegment], keys: KeyRing = keyRing(),
                       verified: [ChainID: ChainPosition] = [:], complete: Bool = true) -> SignaturePolicy.Decision {
        SignaturePolicy(complete: complete).decide(ops, segments: segments, facts: .init(keys: keys, verified: verified))
    }

    /// Alice's five team operations and the run that carries them.
    static func alicesFive() -> (Writer, [GlossCore.Operation], [ChainSegment]) {
        var writer = Writer("alice", replica: 1, key: alice)
        let first = writer.note("Shipments resumed in March.")
        let ops = [first, writer.tag("supply-chain", on: first), writer.edit("Shipments resumed in April.", on: first),
                   writer.note("Second source unconfirmed."), writer.tag("follow-up", on: first)]
        let segments = writer.send(ops)
        return (writer, ops, segments)
    }

    // MARK: Round trip

    @Test func signedOperationsVerifyAndTheChainAdvances() {
        let (writer, ops, segments) = Self.alicesFive()
        #expect(segments.count == 1)
        #expect(segments[0].head.isValid)
        let decision = Self.decide(ops, segments)
        #expect(decision.verdicts == Array(repeating: .accepted, count: 5))
        #expect(decision.segments == [.accepted])
        #expect(decision.verified == [writer.team.chain: writer.team.position])

        // The next push continues from there; the receiver checks it against what it verified.
        var next = writer
        let more = [next.note("Third note.")]
        let decision2 = Self.decide(more, next.send(more), verified: decision.verified)
        #expect(decision2.verdicts == [.accepted])
        #expect(decision2.verified[writer.team.chain]?.count == 6)
    }

    @Test func signaturesAreDeterministicInWhatTheyCoverAndBoundToTheirKey() {
        let (_, _, segments) = Self.alicesFive()
        var head = segments[0].head
        head.head.position.count += 1
        #expect(!head.isValid, "a head changed after signing")
        var other = segments[0].head
        other.head.key = Self.bob.publicKey
        #expect(!other.isValid, "another key named on the same signature")
    }

    // MARK: The hostile-member suite

    /// A byte changed anywhere in an operation (its body, stamp, tag, label, workspace) makes
    /// that operation, and only it, refused as changed.
    @Test func aChangedOperationIsRefusedAloneAsBodyChanged() throws {
        let (_, ops, segments) = Self.alicesFive()
        let alterations: [(String, (inout GlossCore.Operation) -> Void)] = [
            ("stamp", { $0.hlc.wall += 1 }),
            ("label", { $0.isPrivate.toggle() }),
            ("workspace", { $0.workspace = "other" }),
            ("annotation", { $0.annotation = AnnotationID(rawValue: "0123456789abcdef") }),
            ("change", { op in
                switch op.change {
                case var .create(creation): creation.body += "!"; op.change = .create(creation)
                case let .addTag(tag): op.change = .addTag(tag + "s")
                case let .editBody(text, seen): op.change = .editBody(text: text.replacingOccurrences(of: "April", with: "Aprll"), seen: seen)
                default: op.change = .delete
                }
            }),
        ]
        for index in ops.indices {
            for (what, alter) in alterations {
                var altered = ops
                alter(&altered[index])
                let decision = Self.decide(altered, segments)
                for (i, verdict) in decision.verdicts.enumerated() {
                    #expect(verdict == (i == index ? .refused(.bodyChanged) : .accepted), "op \(index) \(what): op \(i)")
                }
            }
        }
    }

    @Test func twoAuthorsSwappedAreRefusedAsForgedAuthors() {
        let (_, alices, aliceSegments) = Self.alicesFive()
        var bobWriter = Writer("bob", replica: 2, key: Self.bob)
        let bobs = [bobWriter.note("Bob's note."), bobWriter.note("Bob's second.")]
        let bobSegments = bobWriter.send(bobs)
        var ops = alices + bobs
        ops[1].author = "bob"
        ops[5].author = "alice"
        let decision = Self.decide(ops, aliceSegments + bobSegments)
        #expect(decision.verdicts[1] == .refused(.forgedAuthor))
        #expect(decision.verdicts[5] == .refused(.forgedAuthor))
        #expect(decision.accepted == 5, "the honest others")
    }

    /// mallory's own bound key cannot sign for alice: not under alice's name, and not under
    /// her own name on alice's replica id.
    @Test func aBoundKeyCannotSignForAnotherUser() throws {
        let (writer, ops, _) = Self.alicesFive()
        let ring = Self.keyRing([("alice", Self.alice), ("mallory", Self.mallory)])
        var forged = ChainWriter(chain: writer.team.chain, key: Self.mallory.publicKey, nonce: writer.team.nonce)
        try forged.append(contentsOf: ops)
        let decision = Self.decide(ops, [forged.segment(after: 0, to: forged.sign(with: Self.mallory))], keys: ring)
        #expect(decision.verdicts.allSatisfy { $0 == .refused(.forgedAuthor) })

        // Her own name, alice's replica id: the replica is not hers.
        let renamed = ops.map { op in var op = op; op.author = "mallory"; return op }
        var chain = writer.team.chain
        chain.author = "mallory"
        var squat = ChainWriter(chain: chain, key: Self.mallory.publicKey, nonce: writer.team.nonce)
        try squat.append(contentsOf: renamed)
        let decision2 = Self.decide(renamed, [squat.segment(after: 0, to: squat.sign(with: Self.mallory))], keys: ring)
        #expect(decision2.verdicts.allSatisfy { $0 == .refused(.forgedAuthor) })
    }

    /// A compromised root binds a new key to alice. It cannot rewrite what alice's replicas
    /// signed: her replica ids derive from her own key. It can only start replicas of its own
    /// in her name (the limit the design states; her replicas can see the binding).
    @Test func aKeyNewlyBoundToAliceCannotRewriteHerChains() throws {
        let (writer, ops, _) = Self.alicesFive()
        let thief = Self.key(99)
        let ring = Self.keyRing([("alice", Self.alice), ("alice", thief)])
        var rewritten = ops
        rewritten[0].hlc.wall += 1
        var forged = ChainWriter(chain: writer.team.chain, key: thief.publicKey, nonce: writer.team.nonce)
        try forged.append(contentsOf: rewritten)
        let decision = Self.decide(rewritten, [forged.segment(after: 0, to: forged.sign(with: thief))], keys: ring)
        #expect(decision.verdicts.allSatisfy { $0 == .refused(.forgedAuthor) })
        #expect(ring.keys(of: "alice") == [Self.alice.publicKey, thief.publicKey].sorted(), "the binding is there for her to see")

        var own = Writer("alice", replica: 50, key: thief)
        let new = [own.note("New words in alice's name.")]
        #expect(Self.decide(new, own.send(new), keys: ring).verdicts == [.accepted])
    }

    @Test func aReplayedOperationUnderANewIDIsRefused() {
        let (_, ops, segments) = Self.alicesFive()
        var replay = ops[3]
        replay.id.counter = 99
        let decision = Self.decide(ops + [replay], segments)
        #expect(decision.verdicts.last == .refused(.replayed))
        #expect(decision.accepted == 5)
        // Alone, it is simply not signed.
        #expect(Self.decide([replay], segments).verdicts == [.refused(.unsigned)])
    }

    @Test func aChainWithAHoleIsRefusedFromTheHoleOnUntilTheMissingOperationArrives() {
        let (writer, ops, segments) = Self.alicesFive()
        var withheld = ops
        withheld.remove(at: 1)
        let decision = Self.decide(withheld, segments)
        #expect(decision.verdicts == [.accepted, .refused(.chainHole), .refused(.chainHole), .refused(.chainHole)])
        #expect(decision.verified[writer.team.chain]?.count == 1, "verified only up to the hole")

        // A run that starts past what the receiver verified is a hole too.
        var later = writer
        let sixth = [later.note("Sixth.")]
        let run = later.send(sixth)
        #expect(Self.decide(sixth, run).verdicts == [.refused(.chainHole)])

        // The missing operation arrives (with those kept aside): all are taken.
        let healed = Self.decide([ops[1]] + Array(withheld[1...]), segments, verified: decision.verified)
        #expect(healed.verdicts.allSatisfy { $0 == .accepted })
        #expect(healed.verified[writer.team.chain] == writer.team.position)
    }

    /// Positions whose operations the log holds already have arrived (``SignaturePolicy/Facts/inLog``):
    /// a replica restored from an older backup holds its first operations unverified and pulls
    /// back the later ones; they are taken, and the chain is verified over all of them, also
    /// from a page that brings nothing new.
    @Test func operationsTheLogHoldsFillTheirPositions() {
        let (writer, ops, segments) = Self.alicesFive()
        let keys = Self.keyRing()
        let policy = SignaturePolicy(complete: true)
        #expect(Self.decide(Array(ops[2...]), segments).verdicts.allSatisfy { $0 == .refused(.chainHole) }, "without the log: a hole")
        let back = policy.decide(Array(ops[2...]), segments: segments, facts: .init(keys: keys, inLog: Set(ops[..<2].map(\.id))))
        #expect(back.verdicts == [.accepted, .accepted, .accepted])
        #expect(back.verified[writer.team.chain] == writer.team.position)
        let nothingNew = policy.decide([], segments: segments, facts: .init(keys: keys, inLog: Set(ops.map(\.id))))
        #expect(nothingNew.verified[writer.team.chain] == writer.team.position)
        // Still no further than what has arrived.
        let partly = policy.decide([ops[3]], segments: segments, facts: .init(keys: keys, inLog: [ops[0].id, ops[1].id]))
        #expect(partly.verdicts == [.refused(.chainHole)] && partly.verified[writer.team.chain]?.count == 2)
    }

    /// An altered operation after a hole is held like the others (offered again), and refused
    /// as changed once the hole is filled; the honest ones after it are then taken.
    @Test func anAlteredOperationAfterAHoleIsJudgedOnceTheHoleIsFilled() {
        let (_, ops, segments) = Self.alicesFive()
        var altered = ops[3]
        altered.hlc.wall += 1
        let first = Self.decide([ops[0], ops[2], altered, ops[4]], segments)
        #expect(first.verdicts == [.accepted, .refused(.chainHole), .refused(.chainHole), .refused(.chainHole)])
        let second = Self.decide([ops[1], ops[2], altered, ops[4]], segments, verified: first.verified)
        #expect(second.verdicts == [.accepted, .accepted, .refused(.bodyChanged), .accepted])
        #expect(second.verified.values.first?.count == 5)
    }

    @Test func aKeyTheRootNeverBoundIsRefused() {
        var writer = Writer("alice", replica: 1, key: Self.mallory)
        let ops = [writer.note("Looks like alice's.")]
        #expect(Self.decide(ops, writer.send(ops)).verdicts == [.refused(.unboundKey)])
    }

    /// What the key signed up to its revocation's mark stays; what it signs after, or any
    /// other history for the positions before (a stolen key backdating), is refused.
    @Test func aKeyUsedAfterItsRevocationIsRefusedAndWhatItSignedBeforeStays() throws {
        var writer = Writer("alice", replica: 1, key: Self.alice)
        let note = writer.note("Before.")
        let before = [note, writer.tag("kept", on: note), writer.note("Also before.")]
        _ = writer.send(before)
        let mark = KeyRevocation.Mark(replica: writer.team.chain.replica, isPrivate: false, position: writer.team.position)
        var ring = Self.keyRing()
        try ring.add(KeyRevocation.make(workspace: Self.workspace, key: Self.alice.publicKey, kept: [mark], issued: Self.now + 1, root: Self.root))

        var stolen = writer
        let after = [stolen.note("After, by whoever holds the key."), stolen.tag("x", on: note)]
        let run = stolen.send(after)
        let all = stolen.team.segment(after: 0, to: run[0].head)
        let decision = Self.decide(before + after, [all], keys: ring)
        #expect(decision.verdicts == [.accepted, .accepted, .accepted, .refused(.revokedKey), .refused(.revokedKey)])
        #expect(decision.verified[writer.team.chain] == mark.position)

        // The run past the mark alone, after the kept part was verified: refused.
        #expect(Self.decide(after, run, keys: ring, verified: decision.verified).verdicts == [.refused(.revokedKey), .refused(.revokedKey)])

        // Backdating: another history for positions 1–3, signed with the stolen key.
        var backdated = Writer("alice", replica: 1, key: Self.alice)
        let fake = [backdated.note("Backdated."), backdated.note("Backdated 2."), backdated.note("Backdated 3.")]
        let fakeRun = backdated.send(fake)
        #expect(Self.decide(fake, fakeRun, keys: ring).verdicts.allSatisfy { $0 == .refused(.revokedKey) })

        // A chain of that key the revocation does not name keeps nothing.
        var other = Writer("alice", replica: 9, key: Self.alice)
        let unnamed = [other.note("Another process.")]
        #expect(Self.decide(unnamed, other.send(unnamed), keys: ring).verdicts == [.refused(.revokedKey)])
    }

    @Test func aBindingOrRevocationNotSignedByTheRootIsRefused() {
        var ring = KeyRing(workspace: Self.workspace, root: Self.root.publicKey)
        let fakeRoot = RootKey(Self.mallory)
        let forged = KeyBinding.make(workspace: Self.workspace, user: "alice", key: Self.mallory.publicKey, issued: Self.now, root: fakeRoot)
        #expect(throws: KeyRing.Problem.notSignedByRoot) { try ring.add(forged) }
        var altered = KeyBinding.make(workspace: Self.workspace, user: "bob", key: Self.mallory.publicKey, issued: Self.now, root: Self.root)
        altered.user = "alice"
        #expect(throws: KeyRing.Problem.notSignedByRoot) { try ring.add(altered) }
        let elsewhere = KeyBinding.make(workspace: "other", user: "alice", key: Self.mallory.publicKey, issued: Self.now, root: Self.root)
        #expect(throws: KeyRing.Problem.otherWorkspace("other")) { try ring.add(elsewhere) }
        let revocation = KeyRevocation.make(workspace: Self.workspace, key: Self.alice.publicKey, kept: [], issued: Self.now, root: fakeRoot)
        #expect(throws: KeyRing.Problem.notSignedByRoot) { try ring.add(revocation) }
        #expect(ring.status(of: Self.mallory.publicKey) == .unbound)

        var writer = Writer("alice", replica: 1, key: Self.mallory)
        let ops = [writer.note("Signed with the key the fake root bound.")]
        #expect(Self.decide(ops, writer.send(ops), keys: ring).verdicts == [.refused(.unboundKey)])
    }

    @Test func aKeyBoundToTwoUsersSignsForNeither() {
        let ring = Self.keyRing([("alice", Self.alice), ("bob", Self.alice)])
        #expect(ring.status(of: Self.alice.publicKey) == .conflicting)
        let (_, ops, segments) = Self.alicesFive()
        #expect(Self.decide(ops, segments, keys: ring).verdicts.allSatisfy { $0 == .refused(.badBinding) })
    }

    @Test func aRunWhoseEntriesWereAlteredDoesNotCheck() {
        let (_, ops, segments) = Self.alicesFive()
        var altered = segments[0]
        altered.entries[2] = ChainEntry(counter: altered.entries[2].counter, digest: .of(ops[0]))
        #expect(Self.decide(ops, [altered]).verdicts.allSatisfy { $0 == .refused(.badSignature) })
        var resigned = segments[0]
        resigned.head.signature = Signature(bytes: Array(repeating: 7, count: 64))
        #expect(Self.decide(ops, [resigned]).verdicts.allSatisfy { $0 == .refused(.badSignature) })
    }

    /// The key signed two histories for the same positions: the one that contradicts what the
    /// receiver verified is refused.
    @Test func aForkAgainstWhatWasVerifiedIsRefused() {
        let (_, ops, segments) = Self.alicesFive()
        let first = Self.decide(ops, segments)
        #expect(first.verified.values.first?.count == 5)

        // Another history for position 1 (ending before what was verified), and one for
        // positions 1–6 (passing through it).
        var fork = Writer("alice", replica: 1, key: Self.alice)
        let short = [fork.note("A different history.")]
        let shortRun = fork.send(short)
        var long = fork
        let rest = (0..<5).map { long.note("more \($0)") }
        let longHead = long.send(rest)[0].head
        let longRun = long.team.segment(after: 0, to: longHead)
        let policy = SignaturePolicy(complete: true)
        for (batch, runs) in [(short, shortRun), (short + rest, [longRun])] {
            let needed = policy.factsNeeded(for: runs)
            let chain = runs[0].chain
            // The links the receiver kept, from the run it took (as a replica looks them up).
            var kept: [UInt64: ChainHash] = [:]
            for position in needed[chain]! where position <= 5 { kept[position] = segments[0].link(at: position) }
            let decision = policy.decide(batch, segments: runs, facts: .init(keys: Self.keyRing(), verified: first.verified, links: [chain: kept]))
            #expect(decision.verdicts.allSatisfy { $0 == .refused(.forked) })
            #expect(decision.verified.isEmpty)
        }
    }

    // MARK: Pages, legacy

    /// A pull page may end before the head that covers its operations: they wait (pending),
    /// and a later page's run settles them. In a whole file, nothing will come: refused.
    @Test func operationsBeforeTheirHeadArePendingUntilItComes() {
        let (_, ops, segments) = Self.alicesFive()
        let page1 = Self.decide(Array(ops[..<3]), [], complete: false)
        #expect(page1.verdicts == Array(repeating: .pending, count: 3))
        let page2 = Self.decide(ops, segments, complete: true)
        #expect(page2.verdicts.allSatisfy { $0 == .accepted })
        #expect(Self.decide(Array(ops[..<3]), [], complete: true).verdicts == Array(repeating: .refused(.unsigned), count: 3))
    }

    @Test func operationsFromBeforeSigningAreLegacyUpToTheRootsCutoff() throws {
        let old = Self.claim(5, of: "bob")
        let ops = (1...3).map { n in
            GlossCore.Operation(id: OperationID(replica: old.replica, counter: UInt64(n)), hlc: HLC(wall: Self.now - 1000), author: "bob",
                                workspace: Self.workspace, annotation: AnnotationID(createdBy: OperationID(replica: old.replica, counter: 1)),
                                isPrivate: false, change: .addTag("t\(n)"))
        }
        var ring = Self.keyRing()
        #expect(Self.decide(ops, [], keys: ring).verdicts.allSatisfy { $0 == .refused(.unsigned) })
        try ring.add(LegacyCutoff.make(workspace: Self.workspace, replicas: [old.replica: 2], issued: Self.now, root: Self.root))
        #expect(Self.decide(ops, [], keys: ring).verdicts == [.legacy, .legacy, .refused(.unsigned)])
        let forgedCutoff = LegacyCutoff.make(workspace: Self.workspace, replicas: [old.replica: 100], issued: Self.now, root: RootKey(Self.mallory))
        #expect(throws: KeyRing.Problem.notSignedByRoot) { try ring.add(forgedCutoff) }
    }

    // MARK: Private operations

    /// The team chain and its signed head are the same whether or not the replica also wrote
    /// private operations: they carry neither their count nor their content. The private ones
    /// have a chain of their own, for the author's other replicas.
    @Test func aTeamChainSaysNothingOfPrivateOperations() throws {
        var writer = Writer("alice", replica: 1, key: Self.alice)
        var log: [GlossCore.Operation] = []
        for n in 0..<12 { log.append(writer.note("note \(n)", isPrivate: n % 3 == 1)) }
        let team = log.filter { !$0.isPrivate }
        let mine = log.filter(\.isPrivate)

        var withPrivate = ChainWriter(chain: writer.team.chain, key: Self.alice.publicKey, nonce: writer.team.nonce)
        try withPrivate.append(contentsOf: log)
        var without = ChainWriter(chain: writer.team.chain, key: Self.alice.publicKey, nonce: writer.team.nonce)
        try without.append(contentsOf: team)
        #expect(withPrivate.position == without.position)
        #expect(withPrivate.entries == without.entries)
        let signedWith = withPrivate.sign(with: Self.alice), signedWithout = without.sign(with: Self.alice)
        #expect(signedWith.head == signedWithout.head)
        #expect(signedWith.head.position.count == UInt64(team.count))

        // Nothing of a private operation is in what the team receives.
        let wire = JSONWriter.string(withPrivate.segment(after: 0, to: signedWith))
        for op in mine {
            #expect(!wire.contains(ChainHash.of(op).text))
            #expect(!wire.contains("[\(op.id.counter),"))
        }

        // The private chain verifies for alice's other replica; a private operation relabelled
        // team is refused as changed.
        let runs = writer.send(log)
        #expect(runs.count == 2)
        #expect(Self.decide(log, runs).verdicts.allSatisfy { $0 == .accepted })
        var relabelled = mine[0]
        relabelled.isPrivate = false
        #expect(Self.decide([relabelled], runs).verdicts == [.refused(.bodyChanged)])
    }

    // MARK: Wire forms

    @Test func wireFormsReadBackAsWritten() throws {
        let (_, _, segments) = Self.alicesFive()
        let segment = segments[0]
        #expect(try ChainSegment.read(JSONWriter.string(segment)) == segment)
        #expect(try SignedHead.read(JSONWriter.string(segment.head)) == segment.head)
        let binding = KeyBinding.make(workspace: Self.workspace, user: "alice", key: Self.alice.publicKey, issued: Self.now, root: Self.root)
        #expect(try KeyBinding.read(JSONWriter.string(binding)) == binding)
        let mark = KeyRevocation.Mark(replica: segment.chain.replica, isPrivate: false, position: segment.head.head.position)
        let revocation = KeyRevocation.make(workspace: Self.workspace, key: Self.alice.publicKey, kept: [mark], issued: Self.now, root: Self.root)
        #expect(try KeyRevocation.read(JSONWriter.string(revocation)) == revocation)
        let cutoff = LegacyCutoff.make(workspace: Self.workspace, replicas: [segment.chain.replica: 7, ReplicaID(rawValue: 3): 1],
                                       issued: Self.now, root: Self.root)
        #expect(try LegacyCutoff.read(JSONWriter.string(cutoff)) == cutoff)

        // One text per value: keys sorted, and a key written in another base64 form (padding,
        // another alphabet) is refused.
        let text = JSONWriter.string(segment.head)
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        let sorted = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        #expect(String(decoding: sorted, as: UTF8.self) == text)
        #expect(throws: MalformedJSON.self) { try SignedHead.read(text.replacingOccurrences(of: segment.head.head.key.text, with: segment.head.head.key.text + "=")) }
        #expect(throws: MalformedJSON.self) { try ChainSegment.read(#"{"entries":[[0,"\#(segment.from.text)"]],"from":"\#(segment.from.text)","head":\#(text)}"#) }
    }

    /// A run leaves out the links its receiver computes (the chain's genesis, the head's link):
    /// 106 bytes of every push. The full form still reads, and entries altered in the short
    /// form still fail the signature.
    @Test func aRunLeavesOutWhatItsReceiverComputes() throws {
        let (_, ops, segments) = Self.alicesFive()
        let segment = segments[0]
        let short = JSONWriter.string(segment)
        #expect(!short.contains(segment.from.text) && !short.contains(segment.head.head.position.link.text))
        #expect(try ChainSegment.read(short) == segment)

        // The full form, as the previous version wrote it.
        let headWithoutLink = short[short.range(of: #""head":"#)!.upperBound...].dropLast()
        let full = short.replacingOccurrences(of: #""head":"# + headWithoutLink,
                                              with: #""from":"\#(segment.from.text)","head":"# + JSONWriter.string(segment.head))
        #expect(full.utf8.count - short.utf8.count == 106)
        #expect(try ChainSegment.read(full) == segment)

        // A run cut after the chain's start keeps its `from`: it is no genesis.
        let cut = segment.starting(at: segment.entries[2].counter)
        #expect(JSONWriter.string(cut).contains(#""from":"\#(cut.from.text)""#))
        #expect(try ChainSegment.read(JSONWriter.string(cut)) == cut)

        // An entry altered in the short form: the derived link is not the signed one.
        let altered = short.replacingOccurrences(of: segment.entries[2].digest.text, with: ChainHash.of(ops[0]).text)
        #expect(Self.decide(ops, [try ChainSegment.read(altered)]).verdicts.allSatisfy { $0 == .refused(.badSignature) })
    }

    /// The policy hashes a payload as it came when it is the signed bytes, and writes the
    /// operation again when it is not: text that travelled with other spacing or key order
    /// is accepted as before, and an altered operation is refused whatever its text.
    @Test func payloadsAsReceivedAreHashedAsTheyAreAndOtherTextIsWrittenAgain() throws {
        let (_, ops, segments) = Self.alicesFive()
        let canonical = ops.map(JSONWriter.string)
        #expect(ChainHash.of(canonical: canonical[0]) == ChainHash.of(ops[0]))
        let spaced = try canonical.map { text in
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
            return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted]), as: UTF8.self)
        }
        #expect(spaced != canonical && ChainHash.of(canonical: spaced[0]) != ChainHash.of(ops[0]))
        let policy = SignaturePolicy(complete: true), facts = SignaturePolicy.Facts(keys: Self.keyRing())
        for payloads in [canonical, spaced] {
            #expect(policy.decide(ops, payloads: payloads, segments: segments, facts: facts).verdicts.allSatisfy { $0 == .accepted })
        }
        var altered = ops
        altered[2] = try GlossCore.Operation.stored(canonical[2].replacingOccurrences(of: "April", with: "May"))
        let verdicts = policy.decide(altered, payloads: altered.map(JSONWriter.string), segments: segments, facts: facts).verdicts
        #expect(verdicts[2] == .refused(.bodyChanged) && verdicts.enumerated().allSatisfy { $0.offset == 2 || $0.element == .accepted })
    }

    @Test func base64URLHasOneTextPerValue() {
        var rng = SeededRandom(seed: 28)
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let text = Base64URL.encode(bytes)
            #expect(Base64URL.decode(text) == bytes)
            #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
            #expect(text == Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: ""))
        }
        #expect(Base64URL.decode("AB") == nil, "spare bits set")
        #expect(Base64URL.decode("A") == nil)
        #expect(Base64URL.decode("AA==") == nil)
    }
}
