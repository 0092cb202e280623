import Foundation
import GRDB
import GlossCore
import Testing
@testable import GlossReplica

/// What a replica takes in from a file and a pull (issue 24, items 1, 8 and 12), on real
/// replicas: the rules are ``ApplyPolicy``'s (tested in GlossCoreTests); these check that the
/// replica gathers their facts and keeps their decisions.
@Suite struct ApplyAdmissionTests {
    let home = TestHome()
    static let now: Int64 = 1_750_000_000_000
    static let minute: Int64 = 60_000

    func replica(_ name: String, user: String) throws -> Replica {
        let r = try home.replica(name, user: user, now: { Self.now })
        _ = try r.importReport(Sample.report, source: "sample.txt")
        return r
    }

    func note(_ r: Replica, _ body: String, visibility: Visibility = .team) throws -> Annotation {
        try r.annotate(Creation(report: Sample.report.id, target: nil, motivation: .commenting, body: body, visibility: visibility))
    }

    // MARK: Item 1

    /// A scratch replica made for alice's name writes in it; alice's replica sets all of it
    /// aside (unmerged, unsent), and adopting and discarding do what they say.
    @Test func operationsInTheUsersNameFromAScratchReplicaAreSetAsideUntilAdopted() throws {
        let alice = try replica("alice", user: "alice")
        let mine = try note(alice, "my assessment")
        let forger = try replica("dave-as-alice", user: "alice")
        _ = try note(forger, "alice agrees with dave")
        _ = try note(forger, "and again")
        let (bundle, _) = try forger.exportBundle()
        #expect(bundle.claims.count == 1 && bundle.claims[0].proves("alice"), "a claim that checks, for her name")

        let result = try alice.apply(bundle, source: "from-dave.gloss").result
        #expect(result.applied == 0 && result.quarantined == 2 && result.refused.isEmpty)
        #expect(try alice.annotations().map(\.body) == [mine.body])
        let pending = try alice.pendingBatch(after: 0, limit: 100)
        #expect(pending.operations.map(\.annotation) == [mine.id], "nothing set aside is sent")
        #expect(try alice.quarantinedOperations().map(\.source) == ["from-dave.gloss", "from-dave.gloss"])
        #expect(try alice.claims(for: Set(bundle.operations.map(\.id.replica))).isEmpty, "the forger's claim is not taken as hers")

        let first = try alice.resolveQuarantined(String(bundle.operations[0].id.description.prefix(18)))
        let adopted = try alice.adoptQuarantined([first])
        #expect(adopted.applied == 1)
        #expect(try alice.annotations().map(\.body).sorted() == ["alice agrees with dave", "my assessment"])
        #expect(try alice.pendingBatch(after: 0, limit: 100).claims.map(\.replica).contains(first.replica), "adopted: sent with its claim")
        #expect(try alice.discardQuarantined() == 1)
        #expect(try alice.quarantinedCount() == 0)
        #expect(try alice.annotations().count == 2)
    }

    /// What the server sends settles a quarantined copy: the server took it from its author.
    @Test func aPullSettlesTheQuarantine() throws {
        let laptop = try replica("laptop", user: "alice"), desktop = try replica("desktop", user: "alice")
        _ = try note(laptop, "from the laptop")
        let (bundle, _) = try laptop.exportBundle()
        #expect(try desktop.apply(bundle, source: "f").result.quarantined == 1)
        _ = try desktop.applyPulled(Sync.PullResponse(operations: bundle.operations, cursor: 1, more: false))
        #expect(try desktop.quarantinedCount() == 0)
        #expect(try desktop.annotations().map(\.body) == ["from the laptop"])
    }

    /// A replica from before migration 011 counts the claims it holds as its own: its own
    /// operations handed back to it are not set aside.
    @Test func aReplicaFromBeforeTheQuarantineKeepsItsOwnClaims() throws {
        let alice = try replica("old", user: "alice")
        _ = try note(alice, "before the upgrade")
        let (bundle, _) = try alice.exportBundle()
        try alice.pool.writeWithoutTransaction { db in
            try db.execute(sql: """
                DROP TABLE quarantined_operations; ALTER TABLE replica_claims DROP COLUMN minted;
                DELETE FROM grdb_migrations WHERE identifier = '011_quarantine'; PRAGMA user_version = 10;
                """)
        }
        let reopened = try home.reopen("old", now: { Self.now })
        #expect(try reopened.pool.read { try Int.fetchOne($0, sql: "SELECT minted FROM replica_claims") } == 1)
        let again = try reopened.apply(bundle, source: "f").result
        #expect(again.duplicates == 1 && again.quarantined == 0)
    }

    // MARK: Item 8

    /// dave steals alice's `--private` export and relabels the changes to her private note as
    /// team changes (and adds a team tag of bob's): no replica takes a change labelled against
    /// the create it holds, or that the same file carries.
    @Test func aStolenPrivateNoteRelabelledTeamDoesNotSpread() throws {
        let alice = try replica("alice", user: "alice"), bob = try replica("bob", user: "bob"), carol = try replica("carol", user: "carol")
        let secret = try note(alice, "private thought", visibility: .private)
        _ = try alice.edit(secret.id, body: "private thought, revised")
        _ = try alice.tag(secret.id, add: ["hunch"], remove: [])
        let (stolen, _) = try alice.exportBundle(includePrivate: true)
        // bob's team tag on her note, in his own name, under his own replica
        let bobsTag = try bob.recordForeign { recorder in
            recorder.record(.addTag("leaked"), on: secret.id, isPrivate: false)
        }
        var relabelled = stolen.operations.map { op -> GlossCore.Operation in
            var op = op
            if !op.isCreate { op.isPrivate = false }
            return op
        }
        relabelled.append(bobsTag.op)
        let file = OperationBundle(reports: stolen.reports, operations: relabelled, claims: stolen.claims + [bobsTag.claim])

        // carol holds nothing of it: the file's own create says private
        let atCarol = try carol.apply(file, source: "stolen.gloss").result
        #expect(atCarol.applied == 0, "\(atCarol)")
        #expect(atCarol.refused.filter { $0.reason.contains("relabelled") }.count == 3, "\(atCarol.refused)")
        #expect(try carol.log(limit: 100).isEmpty)
        // alice holds the create as private: bob's team tag on it is refused with the reason
        let atAlice = try alice.apply(OperationBundle(reports: [], operations: [bobsTag.op], claims: [bobsTag.claim]), source: "f").result
        #expect(atAlice.applied == 0 && atAlice.refused.first?.reason.contains("made private") == true, "\(atAlice)")
    }

    // MARK: Item 12

    /// bob's link stamped 14 minutes ahead is taken (within the 15-minute bound) but drags no
    /// receiver's clock: alice's next note is stamped by her own clock (within a minute). A
    /// change she makes to something stamped ahead still comes after it: her own link wins.
    @Test func aLinkStampedAheadDragsNoClock() throws {
        let v2 = Report(title: "Rare earths, revised", summary: "", sections: [.init(heading: "Update", paragraphs: ["Managed escalation, again."])])
        let bob = try home.replica("bob", user: "bob", now: { Self.now + 14 * Self.minute })
        _ = try bob.importReport(Sample.report, source: "v1")
        _ = try bob.importReport(v2, source: "v2")
        let link = try bob.linkRevision(of: v2.id, revises: Sample.report.id)
        let ops = try bob.log(limit: 10)
        #expect(ops.count == 1 && ops[0].hlc.wall == Self.now + 14 * Self.minute)

        for route in ["pull", "file"] {
            let alice = try replica("alice-\(route)", user: "alice")
            _ = try alice.importReport(v2, source: "v2")
            if route == "pull" {
                _ = try alice.applyPulled(Sync.PullResponse(operations: ops, cursor: 1, more: false))
            } else {
                #expect(try alice.apply(ops, claims: try bob.claims(for: [ops[0].id.replica])).applied == 1)
            }
            #expect(try alice.revisedReport(of: v2.id) == Sample.report.id, "\(route): the link is taken")
            let next = try note(alice, "written just after")
            #expect(next.created.wall <= Self.now + Self.minute,
                    "\(route): alice's clock was dragged to \(next.created.wall - Self.now) ms ahead")
            // Her own link on the same report is stamped after bob's, so it counts.
            let v0 = Report(title: "Rare earths, first draft", summary: "", sections: [.init(heading: "Update", paragraphs: ["Managed escalation."])])
            _ = try alice.importReport(v0, source: "v0")
            let hers = try alice.linkRevision(of: v2.id, revises: v0.id)
            #expect(hers.created > link.created)
            #expect(try alice.revisedReport(of: v2.id) == v0.id, "\(route)")
        }
    }

    /// The same for a status: bob resolves alice's note with a stamp 14 minutes ahead; her
    /// clock stays hers, and her reopening, made after she saw it, still wins everywhere.
    @Test func aStatusStampedAheadDragsNoClockAndHerAnswerStillWins() throws {
        let alice = try replica("alice", user: "alice")
        let bob = try home.replica("bob", user: "bob", now: { Self.now + 14 * Self.minute })
        let mine = try note(alice, "open question")
        try alice.send(to: bob)
        _ = try bob.setStatus(mine.id, .resolved)
        let resolved = try bob.log(annotation: mine.id).filter { $0.change == .setStatus(.resolved) }
        _ = try alice.applyPulled(Sync.PullResponse(operations: resolved, cursor: 1, more: false))
        #expect(try alice.annotation(mine.id).status == .resolved)
        #expect(try note(alice, "next").created.wall <= Self.now + Self.minute)
        _ = try alice.setStatus(mine.id, .open)
        #expect(try alice.annotation(mine.id).status == .open)
        try alice.send(to: bob)
        #expect(try bob.annotation(mine.id).status == .open, "her answer is ordered after what she saw")
    }
}

extension Replica {
    /// An operation recorded by this replica's user under this replica's id, without applying
    /// it here (a change to a note this replica does not hold), with its claim.
    fileprivate func recordForeign(_ body: (inout OperationRecorder) -> GlossCore.Operation) throws -> (op: GlossCore.Operation, claim: ReplicaClaim) {
        try pool.write { db in
            var recorder = try recorder(db, now: ApplyAdmissionTests.now, clock: nil)
            let op = body(&recorder)
            try finish(recorder, db)
            let claim = try Self.claims(for: [op.id.replica], in: db)[0]
            return (op, claim)
        }
    }
}
