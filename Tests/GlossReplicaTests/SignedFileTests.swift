import Foundation
import GRDB
import GlossCore
import Testing
@testable import GlossReplica

/// The hostile-member suite with no server at all: replicas on files, in workspace `intel`,
/// that pinned its root, hand operations over by file (`ops export` / `ops apply`: the
/// bundle's bytes, written and read). Every forgery is kept aside on the receiver with its
/// reason, none merges, and the honest operations in the same files are taken.
@Suite struct SignedFileTests {
    let home = TestHome()
    let root: RootKey
    let workspace = WorkspaceName(stored: "intel")

    init() {
        var generator = SystemRandomNumberGenerator()
        root = RootKey(DeviceKey.generate(using: &generator))
    }

    /// A replica in `intel` that pinned the root.
    func member(_ name: String, user: String) throws -> Replica {
        let replica = try Replica.create(home: home.url.appendingPathComponent(name), user: user, workspace: "intel")
        #expect(try replica.pinRoot(root.publicKey))
        return replica
    }

    /// The root's binding of `replica`'s device key to its user.
    func binding(_ replica: Replica) throws -> KeyBinding {
        KeyBinding.make(workspace: workspace, user: try replica.meta().user, key: try replica.devicePublicKey(), issued: 1, root: root)
    }

    /// Through the file's bytes, as `gloss ops apply` reads them.
    func file(_ bundle: OperationBundle) throws -> OperationBundle {
        try OperationBundle.read(Data(bundle.fileBytes()))
    }

    func export(_ replica: Replica) throws -> OperationBundle { try file(replica.exportBundle().bundle) }

    /// alice (bound) with three notes on the sample report; carol (bound, pinned root, nothing else).
    func team() throws -> (alice: Replica, carol: Replica, notes: [Annotation]) {
        let alice = try member("alice", user: "alice")
        let carol = try member("carol", user: "carol")
        _ = try alice.takeStatements(BundleSigning(bindings: [try binding(alice), try binding(carol)]))
        _ = try alice.importReport(Sample.report, source: "report.txt")
        let actions = Actions(alice)
        let notes = try ["first", "second", "third"].map {
            try actions.annotate(report: Sample.report.id, span: .quote("rare earth", occurrence: 1), comment: $0)
        }
        return (alice, carol, notes)
    }

    func heldReasons(_ replica: Replica) throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try replica.heldOperations().map { ($0.operation.id.description, $0.reasonCode) })
    }

    /// The root's revocation of alice's key, keeping her team chain's first `kept` positions.
    func revocation(of alice: Replica, keeping kept: Int64) throws -> KeyRevocation {
        let chain = try #require(try alice.chainMarks().marks.first)
        let link = try alice.pool.read { db in
            try String.fetchOne(db, sql: "SELECT link FROM chain_links WHERE replica = ? AND private = 0 AND position = ?",
                                arguments: [chain.replica.hex, kept])
        }
        return KeyRevocation.make(
            workspace: workspace, key: try alice.devicePublicKey(),
            kept: [.init(replica: chain.replica, isPrivate: false,
                         position: ChainPosition(count: UInt64(kept), link: try #require(link.flatMap(ChainHash.init(text:)))))],
            issued: 2, root: root)
    }

    @Test func aTeammatesFileIsVerifiedWithKeysLearntFromAnEarlierFile() throws {
        let (alice, carol, notes) = try team()
        // carol never saw a binding of alice's: the file brings it, signed by the root carol pinned.
        let result = try carol.apply(try export(alice), source: "alice.gloss").result
        #expect(result.applied == 3 && result.verified == 3 && result.refused.isEmpty, "\(result)")
        #expect(try carol.heldOperations().isEmpty)
        #expect(Set(try carol.annotations(AnnotationFilter()).map(\.id)) == Set(notes.map(\.id)))
        // And carol relays it: dave learns the keys and the runs from carol's file.
        let dave = try member("dave", user: "dave")
        let relayed = try dave.apply(try export(carol), source: "carol.gloss").result
        #expect(relayed.verified == 3 && relayed.refused.isEmpty, "\(relayed)")
    }

    @Test func operationsUnderAnotherAnalystsNameAreRefused() throws {
        let (alice, carol, _) = try team()
        let mallory = try member("mallory", user: "mallory")
        _ = try alice.takeStatements(BundleSigning(bindings: [try binding(mallory)]))
        _ = try mallory.takeStatements(try Replica.storedStatementsOf(alice))
        _ = try mallory.importReport(Sample.report, source: "report.txt")
        _ = try Actions(mallory).annotate(report: Sample.report.id, span: nil, comment: "alice says: sell")
        var forged = try export(mallory)
        forged.operations = forged.operations.map { var op = $0; op.author = UserName(stored: "alice"); return op }
        let result = try carol.apply(try file(forged), source: "forged.gloss").result
        #expect(result.applied == 0, "\(result)")
        #expect(Set(try heldReasons(carol).values) == ["forged-author"])
    }

    @Test func aChangedBodyUnderAValidIDIsRefusedAndTheRestTaken() throws {
        let (alice, carol, notes) = try team()
        var altered = try export(alice)
        let index = try #require(altered.operations.firstIndex { $0.annotation == notes[1].id })
        guard case var .create(creation) = altered.operations[index].change else { Issue.record("a create"); return }
        creation.body = "second (altered)"
        altered.operations[index].change = .create(creation)
        let result = try carol.apply(try file(altered), source: "altered.gloss").result
        #expect(result.applied == 2 && result.verified == 2, "\(result)")
        #expect(try heldReasons(carol) == [altered.operations[index].id.description: "body-changed"])
        #expect(try carol.annotations(AnnotationFilter()).allSatisfy { $0.body != "second (altered)" })
    }

    @Test func aReplayUnderANewIDIsRefused() throws {
        let (alice, carol, _) = try team()
        var replayed = try export(alice)
        var copy = replayed.operations[0]
        copy.id = OperationID(replica: copy.id.replica, counter: 99)
        copy.annotation = AnnotationID(rawValue: String(repeating: "e", count: 32))
        replayed.operations.append(copy)
        let result = try carol.apply(try file(replayed), source: "replayed.gloss").result
        #expect(result.applied == 3, "\(result)")
        #expect(try heldReasons(carol) == [copy.id.description: "replayed"])
    }

    @Test func aChainWithAHoleHoldsItsLaterOperationsUntilTheHoleIsFilled() throws {
        let (alice, carol, notes) = try team()
        let whole = try export(alice)
        var holed = whole
        holed.operations.removeAll { $0.annotation == notes[1].id }
        let first = try carol.apply(try file(holed), source: "holed.gloss").result
        #expect(first.applied == 1, "only the note before the hole: \(first)")
        #expect(Set(try heldReasons(carol).values) == ["chain-hole"])
        #expect(try carol.annotations(AnnotationFilter()).map(\.id) == [notes[0].id])
        // The whole file later: the hole is filled and the held note is let through.
        let second = try carol.apply(whole, source: "whole.gloss").result
        #expect(second.applied == 2 && second.released == 1, "\(second)")
        #expect(try carol.heldOperations().isEmpty)
    }

    @Test func aKeyTheRootNeverBoundIsRefused() throws {
        let (_, carol, _) = try team()
        let eve = try member("eve", user: "eve")
        _ = try eve.importReport(Sample.report, source: "report.txt")
        _ = try Actions(eve).annotate(report: Sample.report.id, span: nil, comment: "unbound")
        // eve's file even brings a binding of her own making: not the pinned root's.
        var file = try export(eve)
        var generator = SystemRandomNumberGenerator()
        let forgedRoot = RootKey(DeviceKey.generate(using: &generator))
        file.signing?.bindings.append(KeyBinding.make(workspace: workspace, user: UserName(stored: "eve"),
                                                      key: try eve.devicePublicKey(), issued: 1, root: forgedRoot))
        let result = try carol.apply(try self.file(file), source: "eve.gloss").result
        #expect(result.applied == 0 && result.statementsRefused == 1, "\(result)")
        #expect(Set(try heldReasons(carol).values) == ["unbound-key"])
    }

    @Test func aKeyUsedAfterItsRevocationIsRefusedAndItsEarlierWorkStays() throws {
        let (alice, carol, notes) = try team()
        // The key is stolen after two notes: the root revokes it, keeping positions 1–2.
        let revocation = try revocation(of: alice, keeping: 2)
        _ = try carol.takeStatements(BundleSigning(revocations: [revocation]))
        let result = try carol.apply(try export(alice), source: "alice.gloss").result
        #expect(result.applied == 2, "\(result)")
        #expect(Set(try carol.annotations(AnnotationFilter()).map(\.id)) == Set(notes[..<2].map(\.id)))
        #expect(Set(try heldReasons(carol).values) == ["revoked-key"])
    }

    /// A replica restored from a backup that was altered while it was away: `gloss keys verify`
    /// compares every operation with the digest it was signed under (a teammate's with the run
    /// kept, one's own with the chain signed), takes out what differs, keeps it aside, and
    /// rebuilds the notes without it. A second check finds nothing more.
    @Test func aBackupAlteredWhileAwayIsCaughtWhenTheLogIsCheckedAgain() throws {
        let (alice, carol, notes) = try team()
        #expect(try carol.apply(try export(alice), source: "alice.gloss").result.verified == 3)
        #expect(try carol.recheckSignatures() == Replica.Recheck(checked: 3))

        // carol's backup is altered while away: alice's second note, and one of carol's own.
        let mine = try Actions(carol).annotate(report: Sample.report.id, span: nil, comment: "mine")
        _ = try carol.exportBundle()  // chains and signs carol's note, as a file or a push does
        let backup = home.url.appendingPathComponent("carol-backup.sqlite")
        try carol.backup(to: backup)
        let altered = try DatabaseQueue(path: backup.path)
        try altered.write { db in
            try db.execute(sql: "UPDATE operations SET payload = replace(payload, '\"second\"', '\"altered\"') WHERE payload LIKE '%\"second\"%'")
            try db.execute(sql: "UPDATE operations SET payload = replace(payload, '\"mine\"', '\"not mine\"') WHERE payload LIKE '%\"mine\"%'")
            #expect(db.changesCount == 1)
        }
        try altered.close()
        let home = home.url.appendingPathComponent("carol")
        let file = home.appendingPathComponent(Replica.fileName)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file.path + suffix) }
        try FileManager.default.copyItem(at: backup, to: file)
        let restored = try Replica.open(home: home)

        let found = try #require(try restored.recheckSignatures())
        #expect(found.checked == 4)
        #expect(Set(found.takenOut.map { $0.reason.prefix(12) }) == ["body-changed"], "\(found)")
        let second = try #require(try alice.log(annotation: notes[1].id).first?.id)
        let own = try #require(try carol.log(annotation: mine.id).first?.id)
        #expect(Set(found.takenOut.map(\.op)) == [second, own])
        #expect(!found.pullsAgain, "carol has no server")
        #expect(Set(try restored.annotations(AnnotationFilter()).map(\.id)) == [notes[0].id, notes[2].id])
        #expect(try heldReasons(restored) == [second.description: "body-changed", own.description: "body-changed"])
        #expect(try restored.recheckSignatures()?.takenOut == [], "nothing more to take out")

        // The honest copy, by file again, takes the altered one's place.
        #expect(try restored.apply(try export(alice), source: "alice.gloss").result.verified == 1)
        #expect(try restored.annotations(AnnotationFilter()).map(\.body).sorted() == ["first", "second", "third"])
    }

    /// A revocation that arrives after what the key signed past its mark: that work leaves the
    /// log (kept aside as `revoked-key`), and what the key signed before the mark stays.
    @Test func aRevocationTakesOutWhatTheKeySignedPastItsMarkThatArrivedBefore() throws {
        let (alice, carol, notes) = try team()
        #expect(try carol.apply(try export(alice), source: "alice.gloss").result.verified == 3)
        let revocation = try revocation(of: alice, keeping: 2)
        #expect(try carol.takeStatements(BundleSigning(revocations: [revocation])) == (taken: 1, refused: 0))
        #expect(Set(try carol.annotations(AnnotationFilter()).map(\.id)) == Set(notes[..<2].map(\.id)))
        #expect(Array(try heldReasons(carol).values) == ["revoked-key"])
        #expect(try carol.takeStatements(BundleSigning(revocations: [revocation])) == (taken: 0, refused: 0), "once")
    }

    @Test func aFileWithoutSignaturesIsHeldWhereARootIsPinned() throws {
        let (alice, carol, _) = try team()
        var unsigned = try export(alice)
        unsigned.signing = nil
        let result = try carol.apply(try file(unsigned), source: "unsigned.gloss").result
        #expect(result.applied == 0 && result.refused.count == 3, "\(result)")
        #expect(Set(try heldReasons(carol).values) == ["unsigned"])
    }

    @Test func theDeviceKeyIsAFileOnlyItsOwnerReads() throws {
        let alice = try member("alice", user: "alice")
        let path = home.url.appendingPathComponent("alice/device.key").path
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        let key = try alice.devicePublicKey()
        #expect(try home.reopen("alice").devicePublicKey() == key, "the same key when opened again")
        #expect(!(try String(contentsOfFile: alice.path, encoding: .isoLatin1)).contains(try String(contentsOfFile: path, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)), "the private key is not in the database")
        chmod(path, 0o644)
        #expect(throws: ReplicaError.self) { try home.reopen("alice").devicePublicKey() }
    }

    @Test func aSecondRootIsRefused() throws {
        let alice = try member("alice", user: "alice")
        var generator = SystemRandomNumberGenerator()
        let other = RootKey(DeviceKey.generate(using: &generator))
        #expect(throws: ReplicaError.self) { try alice.pinRoot(other.publicKey) }
        #expect(try alice.pinRoot(root.publicKey) == false, "the same root again is no change")
    }
}

extension Replica {
    /// The statements `replica` holds, as a file would carry them.
    static func storedStatementsOf(_ replica: Replica) throws -> BundleSigning {
        try replica.pool.read { db in try storedStatements(of: try Meta.load(db).workspace, in: db) }
    }
}
