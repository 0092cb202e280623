import Foundation
import Testing
import GlossCore
@testable import GlossReplica
import GlossTestSupport

/// Concurrent offline work on real replica files, exchanged as operation bundles.
@Suite struct ReplicaScenarioTests {
    let home = TestHome()

    /// alice on her laptop and desktop, and bob; all hold the sample report and one shared note.
    func threeReplicas() throws -> (laptop: Replica, desktop: Replica, bob: Replica, note: AnnotationID) {
        let laptop = try home.replica("laptop", user: "alice")
        let desktop = try home.replica("desktop", user: "alice")
        let bob = try home.replica("bob", user: "bob")
        for r in [laptop, desktop, bob] { _ = try r.importReport(Sample.report, source: "sample.txt") }
        let note = try laptop.annotate(Creation(report: Sample.report.id, target: try Sample.target("rare earth", occurrence: 1),
                                                     motivation: .commenting, body: "Check the volumes", tags: ["supply-chain"]))
        try laptop.send(to: desktop, bob)
        return (laptop, desktop, bob, note.id)
    }

    @Test func editingHalfAJudgmentKeepsTheOtherHalfOnEveryReplica() throws {
        let (laptop, desktop, bob, note) = try threeReplicas()
        _ = try laptop.edit(note, judgment: Judgment(confidence: .low, likelihood: .likely))
        _ = try laptop.edit(note, judgment: Judgment(confidence: .high))
        #expect(try laptop.annotation(note).judgment == Judgment(confidence: .high, likelihood: .likely))
        _ = try laptop.edit(note, judgment: Judgment(likelihood: .unlikely))
        try laptop.send(to: desktop, bob)
        for r in [laptop, desktop, bob] {
            #expect(try r.annotation(note).judgment == Judgment(confidence: .high, likelihood: .unlikely))
        }
    }

    @Test func concurrentEditsOfOneCommentBecomeAConflictThatOneResolutionSettlesEverywhere() throws {
        let (laptop, desktop, bob, note) = try threeReplicas()
        // When alice edits the same comment on both machines offline
        _ = try laptop.edit(note, body: "Volumes fell 12%")
        _ = try desktop.edit(note, body: "Volumes fell 15%")
        try laptop.send(to: desktop, bob)
        try desktop.send(to: laptop, bob)
        // Then every replica shows the same conflict with both versions
        let seen = try [laptop, desktop, bob].map { try $0.annotation(note) }
        #expect(seen.allSatisfy { $0.hasConflict && Set($0.bodyVersions.map(\.text)) == ["Volumes fell 12%", "Volumes fell 15%"] })
        #expect(Set(seen.map(\.body)).count == 1, "the deterministic winner is the same everywhere")
        #expect(try bob.annotations(AnnotationFilter(onlyConflicts: true)).map(\.id) == [note])
        // When she resolves it on one machine, the next exchange resolves it everywhere
        _ = try desktop.edit(note, body: "Volumes fell 12–15%")
        try desktop.send(to: laptop, bob)
        for r in [laptop, desktop, bob] {
            let a = try r.annotation(note)
            #expect(!a.hasConflict && a.body == "Volumes fell 12–15%")
        }
    }

    @Test func concurrentTagRemovalKeepsUnseenAdd() throws {
        let (laptop, _, bob, note) = try threeReplicas()
        // Given bob removes the tag while alice, offline, removes and re-adds it
        _ = try bob.tag(note, add: [], remove: ["supply-chain"])
        _ = try laptop.tag(note, add: [], remove: ["supply-chain"])
        _ = try laptop.tag(note, add: ["supply-chain"], remove: [])
        try bob.send(to: laptop)
        try laptop.send(to: bob)
        // Then alice's re-add, which bob never saw, wins on both
        #expect(try bob.annotation(note).tags == ["supply-chain"])
        #expect(try laptop.snapshot() == bob.snapshot())
    }

    @Test func resolveWhileReplyingKeepsBoth() throws {
        let (laptop, _, bob, note) = try threeReplicas()
        _ = try bob.setStatus(note, .resolved)
        let reply = try laptop.reply(to: note, body: "Not yet: the March data is missing")
        try bob.send(to: laptop)
        try laptop.send(to: bob)
        for r in [laptop, bob] {
            #expect(try r.annotation(note).status == .resolved)
            #expect(try r.annotation(reply.id).parent == note)
        }
    }

    @Test func deleteWhileTaggedAndRepliedLeavesRepliesReadable() throws {
        let (laptop, _, bob, note) = try threeReplicas()
        _ = try laptop.delete(note)
        _ = try bob.tag(note, add: ["urgent"], remove: [])
        let reply = try bob.reply(to: note, body: "Why was this dropped?")
        try bob.send(to: laptop)
        try laptop.send(to: bob)
        for r in [laptop, bob] {
            #expect(try r.annotation(note).deleted)
            #expect(try r.annotation(reply.id).body == "Why was this dropped?")
            #expect(try r.annotations().map(\.id) == [reply.id], "a tombstone is not listed; its reply is")
        }
        #expect(try laptop.snapshot() == bob.snapshot())
    }

    @Test func onlyTheAuthorChangesBodyTargetJudgmentOrDeletes() throws {
        let (laptop, _, bob, note) = try threeReplicas()
        // bob's client refuses outright…
        #expect(throws: ReplicaError.self) { try bob.edit(note, body: "bob's words") }
        #expect(throws: ReplicaError.self) { try bob.delete(note) }
        // …and a forged operation that arrives anyway is ignored by the merge on every replica.
        let meta = try bob.meta()
        let forged = [Change.editBody(text: "forged", seen: []), .delete, .judge(Judgment(confidence: .low))].enumerated().map { i, change in
            GlossCore.Operation(id: OperationID(replica: meta.replica, counter: 900 + UInt64(i)), hlc: HLC(wall: Replica.systemMillis()),
                      author: "bob", workspace: "", annotation: note, isPrivate: false, change: change)
        }
        let result = try laptop.apply(forged)
        #expect(result.applied == 3)
        let a = try laptop.annotation(note)
        #expect(a.body == "Check the volumes" && !a.deleted && a.judgment == nil)
    }

    @Test func applyingTheSameOperationsTwiceChangesNothing() throws {
        let (laptop, _, bob, _) = try threeReplicas()
        let before = try bob.snapshot()
        let bundle = try laptop.exportBundle().bundle
        let again = try bob.apply(bundle, source: "again")
        #expect(again.result.applied == 0 && again.result.duplicates == bundle.operations.count)
        #expect(try bob.snapshot() == before)
    }

    @Test func clockNeverGoesBackwardsAcrossRestarts() throws {
        // Given a replica whose wall clock later jumps back an hour
        let r = try home.replica("clock", user: "alice", now: { 2_000_000_000_000 })
        _ = try r.importReport(Sample.report, source: "s")
        let first = try r.annotate(Creation(report: Sample.report.id, target: nil, motivation: .commenting, body: "one"))
        let reopened = try home.reopen("clock", now: { 2_000_000_000_000 - 3_600_000 })
        let second = try reopened.annotate(Creation(report: Sample.report.id, target: nil, motivation: .commenting, body: "two"))
        #expect(second.created > first.created)
    }

    @Test func aCopiedReplicaFileNeverWritesUnderTheOriginalsIds() throws {
        let original = try home.replica("orig", user: "alice")
        _ = try original.importReport(Sample.report, source: "s")
        let before = try original.annotate(Creation(report: Sample.report.id, target: nil, motivation: .commenting, body: "before copy"))
        try FileManager.default.copyItem(at: home.url.appendingPathComponent("orig"), to: home.url.appendingPathComponent("copy"))
        let copied = try home.reopen("copy")
        // Both keep writing; every operation id is new.
        let a = try original.annotate(Creation(report: Sample.report.id, target: nil, motivation: .commenting, body: "orig"))
        let b = try copied.annotate(Creation(report: Sample.report.id, target: nil, motivation: .commenting, body: "copy"))
        let ids = try [before, a, b].map { try original.log(annotation: $0.id).first?.id ?? copied.log(annotation: $0.id).first!.id }
        #expect(Set(ids).count == 3)
        #expect(ids[2].replica != ids[0].replica && ids[2].replica != ids[1].replica)
        try copied.send(to: original)
        #expect(try original.annotations().count == 3)
    }

    @Test func aStaleBackupRestoredInPlaceNeverReusesAnOperationId() throws {
        // Given a replica, a backup of it, and later work
        let backup = home.url.appendingPathComponent("backup.sqlite")
        let used: Set<OperationID> = try {
            let r = try home.replica("live", user: "alice")
            _ = try r.importReport(Sample.report, source: "s")
            _ = try r.annotate(Creation(report: Sample.report.id, target: nil, motivation: .commenting, body: "one"))
            try r.backup(to: backup)
            _ = try r.annotate(Creation(report: Sample.report.id, target: nil, motivation: .commenting, body: "two"))
            return Set(try r.operationIDs().all)
        }()
        // When the backup is written over the live file in place (same inode, as `cp` does)
        let file = home.url.appendingPathComponent("live/\(Replica.fileName)")
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file.path + suffix) }
        let handle = try FileHandle(forWritingTo: file)
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: try Data(contentsOf: backup))
        try handle.close()
        let restored = try home.reopen("live")
        _ = try restored.annotate(Creation(report: Sample.report.id, target: nil, motivation: .commenting, body: "three"))
        // Then its new operation has an id never used before
        let newest = try restored.log(limit: 1)[0]
        #expect(!used.contains(newest.id))
    }

    @Test func anOperationStampedFarAheadIsRefusedAndOneWithinTheBoundMerges() throws {
        let now: Int64 = 1_800_000_000_000
        let r = try home.replica("skew", user: "alice", now: { now })
        let tenYears: Int64 = 10 * 365 * 86_400_000
        func create(_ wall: Int64, _ counter: UInt64) -> GlossCore.Operation {
            let id = OperationID(replica: ReplicaID(rawValue: 77), counter: counter)
            return Operation(id: id, hlc: HLC(wall: wall), author: "bob", workspace: "", annotation: AnnotationID(createdBy: id),
                             isPrivate: false, change: .create(Creation(report: Sample.report.id, target: nil, motivation: .commenting, body: "x")))
        }
        let result = try r.apply([create(now + tenYears, 1), create(now + 60_000, 2)])
        #expect(result.applied == 1 && result.refused.count == 1)
        #expect(result.refused.first?.reason.contains("ahead") == true)
        // The far-future stamp did not drag this replica's clock along.
        #expect(try r.meta().clock.wall < now + tenYears)
    }

    @Test func sqliteReplicasConvergeForRandomHistoriesInAnyOrder() throws {
        for n in 0..<20 {
            let seed = UInt64(n) &* 104_729 &+ 17
            var sim = OperationSimulator(seed: seed, users: ["alice", "bob", "carol"])
            sim.run(steps: 60)
            let ops = sim.allOperations
            var rng = SeededRandom(seed: seed)
            let a = try home.replica("a\(n)", user: "x"), b = try home.replica("b\(n)", user: "y")
            _ = try a.apply(ops)
            for chunk in stride(from: 0, to: ops.count, by: 7).map({ Array(ops.shuffled(using: &rng)[$0..<min($0 + 7, ops.count)]) }) {
                _ = try b.apply(chunk)
            }
            _ = try b.apply(ops.shuffled(using: &rng))
            #expect(try a.snapshot() == b.snapshot(), "seed \(seed)")
        }
    }
}

extension ReplicaScenarioTests {
    @Test func aPrivateNoteNeverEntersAnotherAnalystsReplica() throws {
        let alice = try home.replica("alice-p", user: "alice"), bob = try home.replica("bob-p", user: "bob")
        let desktop = try home.replica("alice-desk", user: "alice")
        for r in [alice, bob, desktop] { _ = try r.importReport(Sample.report, source: "s") }
        let note = try alice.annotate(Creation(report: Sample.report.id, target: nil, motivation: .commenting,
                                                    body: "mine alone", visibility: .private))
        // An ordinary hand-over leaves it out…
        #expect(try alice.exportBundle().bundle.operations.isEmpty)
        // …and even a file that carries it is refused by anyone but its author.
        let carrying = try alice.exportBundle(includePrivate: true).bundle
        let refused = try bob.apply(carrying, source: "f").result
        #expect(refused.applied == 0 && refused.refused.count == 1)
        #expect(throws: ReplicaError.self) { try bob.annotation(note.id) }
        // Her own other machine sets it aside, and takes it when she adopts it.
        #expect(try desktop.apply(carrying, source: "f").result.quarantined == 1)
        #expect(try desktop.adoptQuarantined().applied == 1)
        #expect(try desktop.annotation(note.id).body == "mine alone")
    }
}

extension ReplicaScenarioTests {
    @Test func annotationsFollowARevisedReportByTheirQuotes() throws {
        // Given a note on the first version, and one on a passage the revision drops
        let r = try home.replica("revise", user: "alice")
        _ = try r.importReport(Sample.report, source: "v1")
        let kept = try r.annotate(Creation(report: Sample.report.id, target: try Sample.target("managed escalation"),
                                                motivation: .commenting, body: "base case"))
        let dropped = try r.annotate(Creation(report: Sample.report.id, target: try Sample.target("Rare earth supply chains are concentrated."),
                                                   motivation: .commenting, body: "gone later"))
        // When a revision that adds a paragraph and drops one is imported as revising it
        var sections = Sample.report.sections
        sections[0].paragraphs = ["On Thursday the ministry published a new catalogue.", sections[0].paragraphs[0]]
        let revised = Report(title: Sample.report.title + " (updated)", summary: Sample.report.summary, sections: sections)
        _ = try r.importReport(revised, source: "v2")
        let link = try r.linkRevision(of: revised.id, revises: Sample.report.id)
        #expect(link.author == "alice" && link.motivation == .linking && link.revises == Sample.report.id)
        // Then both follow it: the kept quote at its new place, the dropped one as a whole-report note
        let following = try r.annotationsFollowingRevisions(of: try r.report(revised.id))
        let moved = try #require(following.first { $0.id == kept.id }?.target)
        let scalars = Array(revised.text.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[moved.position.start..<moved.position.end])) == "managed escalation")
        #expect(moved.position.start != kept.target!.position.start, "the position moved with the added paragraph")
        #expect(following.first { $0.id == dropped.id }.map { $0.target == nil } == true)
        #expect(try r.annotations(AnnotationFilter(report: revised.id)).map(\.id) == [link.id],
                "nothing but the link was stored: following is a view")
    }

    /// A revision link is one analyst's claim, merged like any annotation: it travels to
    /// teammates, and each analyst decides for herself which counts (issue 24, item 5): her own
    /// link, whatever a teammate claims; for one who claimed none, the latest standing link,
    /// marked as the teammate's. Deleting a link withdraws it everywhere.
    @Test func revisionLinksAreClaimsThatMergeAndCanBeWithdrawn() throws {
        let alice = try home.replica("link-alice", user: "alice"), bob = try home.replica("link-bob", user: "bob")
        let carol = try home.replica("link-carol", user: "carol")
        var sections = Sample.report.sections
        sections[0].paragraphs.append("A later paragraph.")
        let v2 = Report(title: Sample.report.title + " (v2)", summary: Sample.report.summary, sections: sections)
        let other = Report(title: "Unrelated", summary: "Another brief.", sections: Sample.report.sections)
        for replica in [alice, bob, carol] {
            for report in [Sample.report, v2, other] { _ = try replica.importReport(report, source: "test") }
        }
        let alices = try alice.linkRevision(of: v2.id, revises: Sample.report.id)
        let bobs = try bob.linkRevision(of: v2.id, revises: other.id)
        for (from, to) in [(alice, bob), (bob, alice), (alice, carol), (bob, carol)] { _ = try to.apply(try from.exportBundle().bundle, source: "test") }
        #expect(try alice.revisedReport(of: v2.id) == Sample.report.id, "her own link counts for her")
        #expect(try bob.revisedReport(of: v2.id) == other.id, "and his for him")
        let later = [alices, bobs].max { ($0.created, $0.id) < ($1.created, $1.id) }!
        #expect(try carol.revisedReport(of: v2.id) == later.revises, "for one who claimed none, the latest")
        #expect(try carol.revisionChains().unconfirmedClaim(of: v2.id)?.id == later.id, "marked as a teammate's claim")
        // Its author withdraws it; the other claim stands everywhere.
        if later.author == "alice" { _ = try alice.delete(later.id) } else { _ = try bob.delete(later.id) }
        for (from, to) in [(alice, bob), (bob, alice), (alice, carol), (bob, carol)] { _ = try to.apply(try from.exportBundle().bundle, source: "test") }
        let remaining = later.id == alices.id ? bobs : alices
        for replica in [alice, bob, carol] { #expect(try replica.revisedReport(of: v2.id) == remaining.revises) }
        #expect(throws: ReplicaError.self) { try alice.linkRevision(of: v2.id, revises: v2.id) }
    }

    /// Operations made before replica ids were claimed can never be proven; `--restamp`
    /// (``Replica/restampRefused()``) issues them again under a claimed id, nothing lost.
    @Test func unclaimedOwnOperationsAreReissuedUnderAClaimedReplica() throws {
        let before = try home.replica("legacy", user: "alice")
        _ = try before.importReport(Sample.report, source: "v1")
        let note = try before.annotate(Creation(report: Sample.report.id, target: nil, motivation: .commenting, body: "from before claims"))
        _ = try before.tag(note.id, add: ["legacy"], remove: [])
        try before.pool.write { try $0.execute(sql: "DELETE FROM replica_claims") }   // as a replica made before migration 007
        let r = try Replica(path: before.path, now: Replica.systemMillis, newReplicaSalt: Replica.randomSalt)   // the next command
        let reissued = try r.restampRefused()
        #expect(reissued.count == 2)
        let claims = try r.claims(for: Set(reissued.map(\.id.replica)))
        #expect(claims.count == 1 && claims[0].proves("alice"))
        let notes = try r.annotations()
        #expect(notes.map(\.body) == ["from before claims"] && notes.map(\.tags) == [["legacy"]])
        #expect(notes.first?.id != note.id, "a new annotation id under the new replica")
        #expect(try r.restampRefused().isEmpty, "nothing left to re-issue")
    }

    /// A file's report must be its text: another title, or a `revises` link, is not taken from it.
    @Test func aBundlesReportIsCheckedAgainstItsText() throws {
        let r = try home.replica("bundle-report", user: "bob")
        var forged = Sample.report
        forged.title = "Nothing to see here"
        #expect(throws: ReplicaError.self) { _ = try r.apply(OperationBundle(reports: [forged], operations: []), source: "file") }
        var linked = Sample.report
        linked.revises = ReportID(rawValue: String(repeating: "0", count: 64))
        _ = try r.apply(OperationBundle(reports: [linked], operations: []), source: "file")
        #expect(try r.report(Sample.report.id).revises == nil)
        #expect(try r.revisedReport(of: Sample.report.id) == nil)
    }

    /// A file cannot put bob's name on an operation under alice's replica id: its claim (in the
    /// file, or already known here) proves alice, so the receiver refuses it and keeps the claim.
    @Test func aFileCannotPlaceOneUsersOperationUnderAnothersReplica() throws {
        let alice = try home.replica("claim-alice", user: "alice"), carol = try home.replica("claim-carol", user: "carol")
        _ = try alice.importReport(Sample.report, source: "v1")
        _ = try alice.annotate(Creation(report: Sample.report.id, target: nil, motivation: .commenting, body: "alice's"))
        let (bundle, _) = try alice.exportBundle()
        #expect(bundle.claims.count == 1 && bundle.claims[0].proves("alice"))
        var forged = try #require(bundle.operations.first)
        forged.author = "bob"
        forged.change = .create(Creation(report: Sample.report.id, target: nil, motivation: .commenting, body: "bob's"))
        let refused = try carol.apply(OperationBundle(reports: bundle.reports, operations: [forged], claims: bundle.claims), source: "file")
        #expect(refused.result.applied == 0 && refused.result.refused.count == 1)
        // The real one arrives later in another file: taken, and the claim now guards the id here.
        _ = try carol.apply(bundle, source: "file")
        #expect(try carol.annotations().map(\.body) == ["alice's"])
        let again = try carol.apply(OperationBundle(reports: [], operations: [forged], claims: []), source: "file")
        #expect(again.result.refused.count == 1, "the claim carol learned refuses it without the file's help")
    }
}

extension ReplicaScenarioTests {
    /// `gloss sync --watch` learns of other commands' changes by ``Replica/externalWrites()``:
    /// it moves when another connection (another `gloss` process) commits, not when this one does.
    @Test func externalWritesMoveWithAnotherProcessesChangesOnly() throws {
        let watcher = try home.replica("a", user: "alice")
        let start = try watcher.externalWrites()
        _ = try watcher.importReport(Sample.report, source: "s")
        _ = try watcher.annotate(Creation(report: Sample.report.id, target: nil, motivation: .commenting, body: "mine"))
        #expect(try watcher.externalWrites() == start, "its own writes")
        #expect(try watcher.externalWrites() == start, "reading again")

        let command = try home.reopen("a")
        _ = try command.annotate(Creation(report: Sample.report.id, target: nil, motivation: .commenting, body: "another process"))
        let moved = try watcher.externalWrites()
        #expect(moved != start, "another connection's commit")
        _ = try command.annotations()
        #expect(try watcher.externalWrites() == moved, "another connection's reads")
    }
}
