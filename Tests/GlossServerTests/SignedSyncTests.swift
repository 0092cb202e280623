import Foundation
import GlossCore
import GlossReplica
import GlossTestSupport
import GRDB
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing
@testable import gloss_server

/// Signed operations through the server (issue 28; docs/RELIABILITY.md, "Signed operations"):
/// pushes carry their signed runs, the server keeps them and passes them on with each pull page,
/// and a replica that pinned the workspace's root trusts no server with who wrote what. Replicas
/// in memory (the real schema and transactions) against the server's routes in process, on both
/// stores; the server's store is then altered behind its back, as a compromised server would.
@Suite struct SignedSyncTests {
    /// A member's replica, its device key registered through the server (`POST …/keys`, as
    /// `gloss remote add` does) and the workspace's root pinned.
    static func member(_ user: String, fixture: Fixture, client: some TestClientProtocol, root: RootPublicKey) async throws -> Replica {
        let replica = try InMemoryReplicaTests.replica(user, fixture: fixture)
        let answer = try await transport(user, client, fixture).register(try replica.devicePublicKey())
        #expect(answer.root == root, "the server answers with the workspace's root")
        #expect(answer.bindings.contains { $0.user.rawValue == user && $0.key == (try? replica.devicePublicKey()) })
        try replica.pinRoot(root)
        return replica
    }

    static func transport(_ user: String, _ client: some TestClientProtocol, _ fixture: Fixture) -> RouterTransport {
        RouterTransport(client: client, workspace: Fixture.workspace, token: fixture.tokens[user]!)
    }

    static func sync(_ replica: Replica, _ user: String, _ client: some TestClientProtocol, _ fixture: Fixture,
                     pageSize: Int = Sync.Limits.clientBatchSize) async throws -> SyncSession.Summary {
        var session = SyncSession(replica: replica, transport: transport(user, client, fixture))
        session.pageSize = pageSize
        return try await session.run()
    }

    /// The server's routes in process on `store`, with a root made for the workspace: `body` gets
    /// the fixture, the test client and the root's public key.
    static func withRoot(_ store: TestPostgres.Kind = .sqlite,
                         _ body: @Sendable (Fixture, any TestClientProtocol, RootPublicKey) async throws -> Void) async throws {
        let fixture = try await Fixture(kind: store)
        let root = try await fixture.sync.root(of: Fixture.workspace, now: 0, make: StoreTrust.makeRoot).publicKey
        try await fixture.application().test(.router) { client in try await body(fixture, client, root) }
    }

    /// Alters the server's stored operations behind its back: SQL on its database.
    static func tamper(_ fixture: Fixture, _ sql: String) async throws {
        if let postgres = fixture.sync as? PostgresSyncStore {
            _ = try await postgres.run(PostgresQuery(unsafeSQL: sql))
        } else {
            try await fixture.store.pool.write { try $0.execute(sql: sql) }
        }
    }

    @Test(arguments: TestPostgres.Kind.allCases)
    func aServerThatFlipsBytesOrSwapsAuthorsIsCaughtByEveryReplicaAndTheHonestOperationsConverge(store: TestPostgres.Kind) async throws {
        try await Self.withRoot(store) { fixture, client, root in
            let alice = try await Self.member("alice", fixture: fixture, client: client, root: root)
            let ada = try await Self.member("ada", fixture: fixture, client: client, root: root)
            let bob = try await Self.member("bob", fixture: fixture, client: client, root: root)
            let report = Fixture.report.id
            let honest = try Actions(alice).annotate(report: report, span: nil, comment: "gallium exports fell by half")
            let flipped = try Actions(alice).annotate(report: report, span: nil, comment: "the ban holds until March")
            let swappedAlice = try Actions(alice).annotate(report: report, span: nil, comment: "alice: watch germanium")
            let swappedAda = try Actions(ada).annotate(report: report, span: nil, comment: "ada: no change expected")
            let honestAda = try Actions(ada).annotate(report: report, span: nil, comment: "ada: check the customs data")
            #expect(try await Self.sync(alice, "alice", client, fixture).accepted == 3)
            #expect(try await Self.sync(ada, "ada", client, fixture).accepted == 2)

            // The server flips a byte of one of alice's notes, and swaps the authors of two others.
            try await Self.tamper(fixture, "UPDATE operations SET payload = replace(payload, 'March', 'April') WHERE annotation = '\(flipped.id)'")
            try await Self.tamper(fixture, """
                UPDATE operations SET author = 'ada', payload = replace(payload, '"author":"alice"', '"author":"ada"') WHERE annotation = '\(swappedAlice.id)'
                """)
            try await Self.tamper(fixture, """
                UPDATE operations SET author = 'alice', payload = replace(payload, '"author":"ada"', '"author":"alice"') WHERE annotation = '\(swappedAda.id)'
                """)

            // bob, who had none of them, takes the honest two and keeps the three altered aside, each named.
            let pulled = try await Self.sync(bob, "bob", client, fixture)
            #expect(pulled.skipped.isEmpty, "kept aside, not skipped: \(pulled.skipped)")
            let named = Dictionary(uniqueKeysWithValues: pulled.keptAside.map { ($0.id, $0.reason) })
            let held = Dictionary(uniqueKeysWithValues: try bob.heldOperations().map { ($0.operation.annotation, $0.reasonCode) })
            #expect(held == [flipped.id: "body-changed", swappedAlice.id: "forged-author", swappedAda.id: "forged-author"], "\(held)")
            #expect(named.count == 3 && named.values.allSatisfy { $0.hasPrefix("body-changed") || $0.hasPrefix("forged-author") }, "\(named)")
            #expect(try bob.annotations().map(\.id).sorted() == [honest.id, honestAda.id].sorted(), "only the honest notes merge")
            #expect(try bob.annotation(honest.id).body == "gallium exports fell by half")

            // alice pulled her own notes before the server altered them, and keeps her copies;
            // she refuses ada's note under her name, and takes ada's honest one.
            let back = try await Self.sync(alice, "alice", client, fixture)
            #expect(try alice.annotation(flipped.id).body == "the ban holds until March", "her copy stays")
            #expect(try alice.annotation(swappedAlice.id).author == "alice")
            #expect(back.keptAside.map { String($0.reason.prefix(13)) } == ["forged-author"] && back.skipped.isEmpty, "\(back.keptAside)")
            #expect(try alice.heldOperations().map(\.operation.annotation) == [swappedAda.id], "ada's note under alice's name")
            #expect(try alice.annotations().map(\.id).sorted() == [honest.id, flipped.id, swappedAlice.id, honestAda.id].sorted())
        }
    }

    @Test(arguments: TestPostgres.Kind.allCases)
    func aPushCutIntoManyPagesVerifiesWholeAndNewBindingsArriveWithTheSync(store: TestPostgres.Kind) async throws {
        try await Self.withRoot(store) { fixture, client, root in
            // bob registers and pins first: alice's binding is made after, and reaches him with his sync.
            let bob = try await Self.member("bob", fixture: fixture, client: client, root: root)
            let alice = try await Self.member("alice", fixture: fixture, client: client, root: root)
            for index in 1...30 {
                _ = try Actions(alice).annotate(report: Fixture.report.id, span: nil, comment: "note \(index)")
            }
            #expect(try await Self.sync(alice, "alice", client, fixture).accepted == 30)
            let pulled = try await Self.sync(bob, "bob", client, fixture, pageSize: 7)
            #expect(pulled.received == 30 && pulled.skipped.isEmpty && pulled.keptAside.isEmpty, "\(pulled.keptAside)")
            #expect(try bob.annotations().count == 30)
            #expect(try bob.heldCount() == 0)

            // The trust answer is the key alone when the replica holds every statement.
            let transport = Self.transport("bob", client, fixture)
            let all = try await transport.trust(have: 0)
            #expect(all?.bindings.count == 2 && all?.root == root)
            let none = try await transport.trust(have: 2)
            #expect(none?.bindings.isEmpty == true && none?.root == root)
        }
    }

    @Test(arguments: TestPostgres.Kind.allCases)
    func aNoteTheServerRefusedForGoodLeavesNoHoleTheAuthorsLaterNotesArriveBehind(store: TestPostgres.Kind) async throws {
        try await Self.withRoot(store) { fixture, client, root in
            let alice = try await Self.member("alice", fixture: fixture, client: client, root: root)
            let bob = try await Self.member("bob", fixture: fixture, client: client, root: root)
            let first = try Actions(alice).annotate(report: Fixture.report.id, span: nil, comment: "first")
            #expect(try await Self.sync(alice, "alice", client, fixture).accepted == 1)
            // alice is made a reader for a while: her next note is refused for good, though it
            // is in her signed chain.
            try await fixture.sync.setMember("alice", of: Fixture.workspace, role: .reader)
            let refused = try Actions(alice).annotate(report: Fixture.report.id, span: nil, comment: "refused")
            #expect(try await Self.sync(alice, "alice", client, fixture).refused.map(\.code) == [.readOnly])
            try await fixture.sync.setMember("alice", of: Fixture.workspace, role: .member)
            try alice.noteRole(.member)
            let third = try Actions(alice).annotate(report: Fixture.report.id, span: nil, comment: "third")
            #expect(try await Self.sync(alice, "alice", client, fixture).accepted == 1)

            // bob's pull is told which position the server refused: the hole is no hole.
            let pulled = try await Self.sync(bob, "bob", client, fixture)
            #expect(pulled.skipped.isEmpty && pulled.keptAside.isEmpty, "\(pulled.keptAside)")
            #expect(try bob.annotations().map(\.id).sorted() == [first.id, third.id].sorted())
            #expect(try bob.heldCount() == 0)
            #expect(try alice.refusedOperations().map(\.operation.annotation) == [refused.id])
        }
    }

    /// alice restores her replica from a backup taken before her last notes were chained and
    /// pushed: the pull brings them back, with the run that places them after the notes the
    /// backup holds. Those count as arrived, however the pages cut the run, so her own pushed
    /// notes are taken, not kept aside as a hole (convergence seed 5276443928547886097).
    @Test(arguments: [1, 2, Sync.Limits.clientBatchSize])
    func aReplicaRestoredFromAnOlderBackupTakesItsOwnNotesBack(pageSize: Int) async throws {
        try await Self.withRoot { fixture, client, root in
            let home = fixture.directory.appendingPathComponent("alice-\(pageSize)")
            var alice = try Replica.create(home: home, user: "alice", now: { Fixture.now })
            try alice.bind(remote: "http://router", workspace: Fixture.workspace, token: fixture.tokens["alice"]!)
            _ = try alice.importReport(Fixture.report, source: "rare-earths.txt")
            _ = try await Self.transport("alice", client, fixture).register(try alice.devicePublicKey())
            try alice.pinRoot(root)
            let first = try Actions(alice).annotate(report: Fixture.report.id, span: nil, comment: "first")
            let mine = try Actions(alice).annotate(report: Fixture.report.id, span: nil, comment: "mine", isPrivate: true)
            let backup = home.appendingPathComponent("backup.sqlite")
            try alice.backup(to: backup)
            let later = try Actions(alice).annotate(report: Fixture.report.id, span: nil, comment: "later")
            _ = try alice.delete(first.id)
            #expect(try await Self.sync(alice, "alice", client, fixture).accepted == 4)

            let file = home.appendingPathComponent(Replica.fileName)
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file.path + suffix) }
            try FileManager.default.copyItem(at: backup, to: file)
            alice = try Replica.open(home: home, now: { Fixture.now })
            // A pull alone first, as `gloss sync --pull` does: nothing of hers is chained again before it.
            var session = SyncSession(replica: alice, transport: Self.transport("alice", client, fixture))
            session.pageSize = pageSize
            let pulled = try await session.run(push: false, pull: true)
            #expect(pulled.keptAside.isEmpty, "\(pulled.keptAside)")
            #expect(try alice.heldCount() == 0)
            #expect(try alice.annotations().map(\.id).sorted() == [mine.id, later.id].sorted(), "the later note is back, and the first is deleted")
        }
    }

    /// bob's replica is altered behind his back (a backup changed while away, restored): `gloss
    /// keys verify` takes the altered note out, and since bob has a server his next sync pulls
    /// everything again and takes the signed copy back.
    @Test func anAlteredNoteTakenOutByTheCheckComesBackWithTheNextSync() async throws {
        try await Self.withRoot { fixture, client, root in
            let alice = try await Self.member("alice", fixture: fixture, client: client, root: root)
            let home = fixture.directory.appendingPathComponent("bob")
            let bob = try Replica.create(home: home, user: "bob", now: { Fixture.now })
            try bob.bind(remote: "http://router", workspace: Fixture.workspace, token: fixture.tokens["bob"]!)
            _ = try await Self.transport("bob", client, fixture).register(try bob.devicePublicKey())
            try bob.pinRoot(root)
            let note = try Actions(alice).annotate(report: Fixture.report.id, span: nil, comment: "Export volumes fell")
            _ = try await Self.sync(alice, "alice", client, fixture)
            #expect(try await Self.sync(bob, "bob", client, fixture).received == 1)

            let file = try DatabaseQueue(path: home.appendingPathComponent(Replica.fileName).path)
            try await file.write { db in
                try db.execute(sql: "UPDATE operations SET payload = replace(payload, 'fell', 'rose')")
                try db.execute(sql: "UPDATE annotations SET state = replace(state, 'fell', 'rose'), body = replace(body, 'fell', 'rose')")
            }
            try file.close()
            #expect(try bob.annotations().map(\.body) == ["Export volumes rose"])
            let found = try #require(try bob.recheckSignatures())
            #expect(found.takenOut.map(\.op) == (try alice.log(annotation: note.id).map(\.id)) && found.pullsAgain, "\(found)")
            #expect(try bob.annotations().isEmpty)

            let pulled = try await Self.sync(bob, "bob", client, fixture)
            #expect(pulled.keptAside.isEmpty, "\(pulled.keptAside)")
            #expect(try bob.annotations().map(\.body) == ["Export volumes fell"])
            #expect(try bob.heldCount() == 0)
        }
    }

    /// A pinned replica asks for the root's statements only before a page that says it lacks
    /// some, or that does not say (a server from before pages said it); never for an empty one.
    @Test func aPageSaysWhenTheReplicaLacksStatements() throws {
        var page = Sync.PullResponse(operations: [Fixture.create("alice", replica: 1, counter: 1)], cursor: 1, more: false)
        #expect(page.needsStatements(holding: 2), "the server did not say")
        page.statements = 2
        #expect(!page.needsStatements(holding: 2))
        page.statements = 3
        #expect(page.needsStatements(holding: 2))
        #expect(!Sync.PullResponse(operations: [], cursor: 1, more: false).needsStatements(holding: 0))
        let wire = Sync.PullResponse.wire(payloads: page.operations.map(JSONWriter.string), cursor: 1, more: false, epoch: nil,
                                          reports: nil, statements: 3)
        #expect(try Sync.PullResponse.read(Data(wire)).statements == 3)
        #expect(try Sync.PullResponse.readSkippingUnreadable(Data(wire)).statements == 3)
    }

    /// An admin quarantines a signed note (`gloss-server quarantine`): the server withholds it as
    /// it withholds a refused one, and says so, so a verifying replica sees no hole there.
    @Test(arguments: TestPostgres.Kind.allCases)
    func aNoteAnAdminQuarantinedLeavesNoHole(store: TestPostgres.Kind) async throws {
        try await Self.withRoot(store) { fixture, client, root in
            let alice = try await Self.member("alice", fixture: fixture, client: client, root: root)
            let bob = try await Self.member("bob", fixture: fixture, client: client, root: root)
            let notes = try (1...3).map { try Actions(alice).annotate(report: Fixture.report.id, span: nil, comment: "note \($0)") }
            #expect(try await Self.sync(alice, "alice", client, fixture).accepted == 3)
            let withheld = try #require(try alice.log(annotation: notes[1].id).first?.id)
            _ = try await fixture.sync.quarantine(.operation(withheld), in: Fixture.workspace, reason: "too big for old clients", now: 1)

            let pulled = try await Self.sync(bob, "bob", client, fixture)
            #expect(pulled.received == 2 && pulled.keptAside.isEmpty, "\(pulled.keptAside)")
            #expect(try bob.annotations().map(\.id).sorted() == [notes[0].id, notes[2].id].sorted())
            #expect(try bob.heldCount() == 0, "no chain-hole behind the quarantined note")

            // A quarantined private note is told to its author alone: bob learns nothing of it.
            let mine = try Actions(alice).annotate(report: Fixture.report.id, span: nil, comment: "mine", isPrivate: true)
            #expect(try await Self.sync(alice, "alice", client, fixture).accepted == 1)
            let hidden = try #require(try alice.log(annotation: mine.id).first?.id)
            _ = try await fixture.sync.quarantine(.operation(hidden), in: Fixture.workspace, reason: "r", now: 2)
            let toBob = try await fixture.sync.refusals(of: [hidden.replica], in: Fixture.workspace, user: "bob").refused
            let toAlice = try await fixture.sync.refusals(of: [hidden.replica], in: Fixture.workspace, user: "alice").refused
            #expect(toBob == [withheld] && toAlice.sorted() == [withheld, hidden].sorted(), "\(toBob) \(toAlice)")
        }
    }

    /// An upgrade: a workspace that held operations before it had a root gets, with its root,
    /// a legacy cutoff the root signs. A replica that pins the root takes the notes from before
    /// as legacy; an unsigned note pushed after is kept aside. The cutoff names no private note.
    @Test(arguments: TestPostgres.Kind.allCases)
    func aWorkspaceFromBeforeSigningGetsItsLegacyCutoffWithItsRoot(store: TestPostgres.Kind) async throws {
        let fixture = try await Fixture(kind: store)
        let before = [Fixture.create("alice", replica: 1, counter: 1), Fixture.create("alice", replica: 1, counter: 2),
                      Fixture.create("alice", replica: 1, counter: 3, isPrivate: true), Fixture.create("ada", replica: 2, counter: 1)]
        try await fixture.sync.importOperations(before, workspace: Fixture.workspace)
        #expect(try await fixture.sync.cutoffs(in: Fixture.workspace).isEmpty)
        let root = try await fixture.sync.root(of: Fixture.workspace, now: 1, make: StoreTrust.makeRoot)
        let cutoffs = try await fixture.sync.cutoffs(in: Fixture.workspace)
        #expect(cutoffs.count == 1 && cutoffs[0].replicas == [before[0].id.replica: 2, before[3].id.replica: 1],
                "each replica's last team note; alice's private note is not counted: \(cutoffs)")
        // Asked again, the root is the same and no second cutoff is made.
        #expect(try await fixture.sync.root(of: Fixture.workspace, now: 2, make: StoreTrust.makeRoot).publicKey == root.publicKey)
        #expect(try await fixture.sync.cutoffs(in: Fixture.workspace).count == 1)

        // An old client's unsigned note after the root was made.
        let after = Fixture.create("alice", replica: 1, counter: 4)
        try await fixture.sync.importOperations([after], workspace: Fixture.workspace)
        try await fixture.application().test(.router) { client in
            let bob = try await Self.member("bob", fixture: fixture, client: client, root: root.publicKey)
            let pulled = try await Self.sync(bob, "bob", client, fixture)
            #expect(pulled.received == 3, "the three team notes from before, as legacy")
            #expect(pulled.keptAside.map(\.id) == [after.id.description] && pulled.keptAside[0].reason.hasPrefix("unsigned"),
                    "\(pulled.keptAside)")
            #expect(try bob.annotations().map(\.id).sorted() == [before[0], before[1], before[3]].map(\.annotation).sorted())
            #expect(try bob.heldOperations().map(\.reasonCode) == ["unsigned"])
        }
    }

    @Test func aKeyBoundToAnotherMemberIsRefusedAndMalformedRequestsAreTold() async throws {
        try await Self.withRoot { fixture, client, root in
            let alice = try await Self.member("alice", fixture: fixture, client: client, root: root)
            let key = Data(JSONWriter.string(RegisteredKey(key: try alice.devicePublicKey())).utf8)
            let path = "/v1/workspaces/\(Fixture.workspace)"
            // Registering alice's key again is answered the same; bob registering it is 409.
            #expect(try await client.call(.post, "\(path)/keys", token: fixture.tokens["alice"]!, body: key).status == .ok)
            let asBob = try await client.call(.post, "\(path)/keys", token: fixture.tokens["bob"]!, body: key)
            #expect(asBob.status == .conflict && asBob.error?.error.contains("bound to another member") == true)
            #expect(try await fixture.sync.bindings(in: Fixture.workspace).map(\.user) == ["alice"])
            // Not a key; a non-member; replica ids that are not, or too many.
            #expect(try await client.call(.post, "\(path)/keys", token: fixture.tokens["bob"]!, body: Data(#"{"key":"nope"}"#.utf8)).status == .badRequest)
            #expect(try await client.call(.post, "/v1/workspaces/other/keys", token: fixture.tokens["bob"]!, body: key).status == .forbidden)
            let notHex = try await client.call(.get, "\(path)/refusals?replicas=zz", token: fixture.tokens["bob"]!)
            #expect(notHex.status == .badRequest && notHex.error?.error.contains("not a replica id") == true)
            let many = (0..<101).map { String(format: "%016x", $0) }.joined(separator: ",")
            #expect(try await client.call(.get, "\(path)/refusals?replicas=\(many)", token: fixture.tokens["bob"]!).status == .badRequest)
            #expect(try await client.call(.get, "/v1/workspaces/other/trust", token: fixture.tokens["olga"]!).status == .notFound,
                    "a workspace with no root says so")
        }
    }

    @Test func aPushCarryingAnotherMembersRunOrABrokenRunIsRefusedWhole() async throws {
        try await Self.withRoot() { fixture, client, root in
            let alice = try await Self.member("alice", fixture: fixture, client: client, root: root)
            _ = try Actions(alice).annotate(report: Fixture.report.id, span: nil, comment: "mine")
            let batch = try alice.pendingBatch(after: 0, limit: 100)
            let runs = try alice.signedRuns(for: batch.operations)
            #expect(runs.count == 1)

            // bob relays alice's operation with her run: the run is refused, and so the push.
            var relayed = Sync.PushRequest(replica: batch.replica, operations: batch.operations, claims: batch.claims)
            relayed.runs = runs
            let asBob = try await client.call(.post, "/v1/workspaces/\(Fixture.workspace)/push", token: fixture.tokens["bob"]!,
                                              body: Data(relayed.wireBytes()))
            #expect(asBob.status == .badRequest)
            #expect(asBob.error?.error.contains("alice's chain") == true, "\(asBob.error?.error ?? "")")

            // alice's own push with a run whose signature was spoilt.
            var broken = runs[0]
            broken.entries[0].digest = .of(Fixture.create("alice", replica: 9, counter: 1))
            var spoilt = relayed
            spoilt.runs = [broken]
            let asAlice = try await client.call(.post, "/v1/workspaces/\(Fixture.workspace)/push", token: fixture.tokens["alice"]!,
                                                body: Data(spoilt.wireBytes()))
            #expect(asAlice.status == .badRequest)
            #expect(asAlice.error?.error.contains("do not lead to its signed head") == true, "\(asAlice.error?.error ?? "")")
            #expect(try await fixture.storedOperations().isEmpty, "nothing of a refused push is stored")
        }
    }
}
