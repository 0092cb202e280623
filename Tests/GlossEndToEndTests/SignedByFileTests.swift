import Foundation
import GRDB
import Testing

/// Signed operations by file, with real `gloss` and `gloss-server` processes and no server
/// running: the admin makes the workspace (and its root) and binds keys with the admin
/// commands; analysts pin the root, exchange files, and a forged file is kept aside, named by
/// `gloss sync --refused`, on the receiver.
@Suite(.serialized) struct SignedByFileTests {
    let scratch = Scratch()
    var team: String { scratch.path("team.sqlite").path }
    var alice: URL { scratch.path("alice") }
    var bob: URL { scratch.path("bob") }
    var report: String { CLI.examples.appendingPathComponent("rare-earths-export-controls.txt").path }

    func admin(_ arguments: String...) throws -> CLI.Result {
        let result = try CLI.run("gloss-server", ["--db", team] + arguments)
        #expect(result.status == 0, "gloss-server \(arguments.joined(separator: " ")): \(result.stderr)")
        return result
    }

    func json(_ result: CLI.Result) throws -> [String: Any] {
        try #require(try CLI.json(result) as? [String: Any])
    }

    /// Workspace `intel` with its root, and a replica per user that pinned it; the root's key.
    func workspace(of users: [String]) throws -> String {
        #expect(try CLI.run("gloss-server", ["init", "--db", team]).status == 0)
        let root = try #require(try json(try admin("workspace", "create", "intel", "--json"))["root"] as? String)
        for user in users {
            _ = try admin("user", "add", user)
            _ = try admin("member", "add", "intel", user)
            try CLI.gloss(scratch.path(user), "init", "--user", user, "--workspace", "intel")
            try CLI.gloss(scratch.path(user), "keys", "pin-root", root)
        }
        return root
    }

    /// alice's key bound by the admin, and a note of hers, `comment`, exported to `name`: her
    /// key, the report's id, and the file's path.
    func aliceSigns(_ comment: String, to name: String) throws -> (key: String, report: String, file: String) {
        let aliceKey = try #require(try json(try CLI.gloss(alice, "keys", "show", "--json"))["key"] as? String)
        let bindings = scratch.path("bindings.gloss").path
        _ = try admin("keys", "bind", "--workspace", "intel", "--user", "alice", "--key", aliceKey, "-o", bindings)
        try CLI.gloss(alice, "ops", "apply", bindings)
        try CLI.gloss(alice, "import", report)
        let reportID = try #require((try CLI.json(try CLI.gloss(alice, "reports", "--json")) as? [[String: Any]])?.first?["id"] as? String)
        try CLI.gloss(alice, "annotate", String(reportID.prefix(8)), "--quote", "Most Dangerous", "--comment", comment)
        let file = scratch.path(name).path
        try CLI.gloss(alice, "ops", "export", "-o", file)
        return (aliceKey, reportID, file)
    }

    @Test func aForgedFileIsKeptAsideAndNamedAndTheHonestOneIsTaken() throws {
        #expect(try CLI.run("gloss-server", ["init", "--db", team]).status == 0)
        let created = try json(try admin("workspace", "create", "intel", "--json"))
        let root = try #require(created["root"] as? String)
        #expect(try admin("workspace", "root", "intel").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == root)
        _ = try admin("user", "add", "alice")
        _ = try admin("user", "add", "bob")
        _ = try admin("member", "add", "intel", "alice")
        _ = try admin("member", "add", "intel", "bob")

        for home in [alice, bob] {
            let user = home.lastPathComponent
            try CLI.gloss(home, "init", "--user", user, "--workspace", "intel")
            let mode = try FileManager.default.attributesOfItem(atPath: home.appendingPathComponent("device.key").path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "the device key is the owner's alone")
            let pinned = try CLI.gloss(home, "keys", "pin-root", root)
            #expect(pinned.stdout.contains("pinned root"))
        }
        // The admin binds alice's key; the file goes to alice only. bob learns it from alice's export.
        let aliceKey = try #require(try json(try CLI.gloss(alice, "keys", "show", "--json"))["key"] as? String)
        let bindings = scratch.path("alice-key.gloss").path
        _ = try admin("keys", "bind", "--workspace", "intel", "--user", "alice", "--key", aliceKey, "-o", bindings)
        try CLI.gloss(alice, "ops", "apply", bindings)
        let keys = try CLI.json(try admin("user", "keys", "alice", "--workspace", "intel", "--json")) as? [[String: Any]]
        #expect(keys?.map { $0["key"] as? String } == [aliceKey])
        let shown = try json(try CLI.gloss(alice, "keys", "show", "--json"))
        #expect((shown["boundKeys"] as? [[String: Any]])?.first?["thisDevice"] as? Bool == true)

        try CLI.gloss(alice, "import", report)
        let reportID = try #require((try CLI.json(try CLI.gloss(alice, "reports", "--json")) as? [[String: Any]])?.first?["id"] as? String)
        try CLI.gloss(alice, "annotate", String(reportID.prefix(8)), "--quote", "rare earth processing technologies", "--occurrence", "1",
                      "--comment", "Check export volumes")
        let file = scratch.path("from-alice.gloss").path
        try CLI.gloss(alice, "ops", "export", "-o", file)

        // A forged copy: the comment changed on the way.
        let forged = scratch.path("forged.gloss").path
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("Check export volumes"))
        try text.replacingOccurrences(of: "Check export volumes", with: "Volumes are fine").write(toFile: forged, atomically: true, encoding: .utf8)
        let refused = try CLI.gloss(bob, "ops", "apply", forged)
        #expect(refused.stdout.contains("0 new operation(s)"), "\(refused.stdout)")
        #expect(refused.stderr.contains("body-changed"), "\(refused.stderr)")
        #expect(try CLI.gloss(bob, "list", "--json").stdout.contains("Volumes are fine") == false)
        let listed = try CLI.gloss(bob, "sync", "--refused")
        #expect(listed.stdout.contains("body-changed") && listed.stdout.contains("forged.gloss"), "\(listed.stdout)")
        #expect(try CLI.gloss(bob, "status").stdout.contains("kept aside:  1 operation(s)"))

        // The honest file: verified, and the note is bob's to see.
        let taken = try CLI.gloss(bob, "ops", "apply", file, "--json")
        let result = try #require((try CLI.json(taken) as? [[String: Any]])?.first?["result"] as? [String: Any])
        #expect(result["verified"] as? Int == 1 && result["applied"] as? Int == 1, "\(result)")
        #expect(try CLI.gloss(bob, "list", "--json").stdout.contains("Check export volumes"))
        // The honest copy replaced the altered one kept aside under its id.
        #expect(try json(try CLI.gloss(bob, "status", "--json"))["held"] as? Int == 0)

        // A root given by mistake (or by an attacker) is refused once one is pinned.
        let other = try json(try admin("workspace", "create", "other", "--json"))
        let wrong = try CLI.glossAllowingFailure(bob, "keys", "pin-root", try #require(other["root"] as? String))
        #expect(wrong.status != 0 && wrong.stderr.contains("pinned here"), "\(wrong.stderr)")
        // A key may start with '-' (base64url): it is still taken as the key, on a fresh replica.
        let dashed = scratch.path("dashed")
        try CLI.gloss(dashed, "init", "--user", "dave", "--workspace", "intel")
        let pinnedDash = try CLI.gloss(dashed, "keys", "pin-root", "-KIwZZ9Lr4HxdAHIiPyvx5IiYaY1mGfeoYiTfcdWzyA", "--json")
        #expect(try json(pinnedDash)["pinned"] as? Bool == true)
        let garbage = try CLI.glossAllowingFailure(bob, "keys", "pin-root", "not-a-key")
        #expect(garbage.status != 0 && garbage.stderr.contains("not a root key"), "\(garbage.stderr)")
    }

    @Test func aRevokedKeysLaterWorkIsRefusedEverywhereAndItsEarlierWorkStays() throws {
        let carol = scratch.path("carol")
        _ = try workspace(of: ["alice", "bob", "carol"])
        let (aliceKey, reportID, before) = try aliceSigns("before the theft", to: "before.gloss")
        #expect(try CLI.gloss(bob, "ops", "apply", before).stdout.contains("1 new operation(s)"))

        // The laptop is stolen. alice's backup gives the marks; the admin revokes the key, keeping them.
        let marks = scratch.path("marks.gloss").path
        try CLI.gloss(alice, "keys", "marks", "-o", marks)
        let thief = scratch.path("thief")
        try FileManager.default.copyItem(at: alice, to: thief)
        try CLI.gloss(thief, "annotate", String(reportID.prefix(8)), "--quote", "Most Likely", "--comment", "after the theft")
        let stolen = scratch.path("stolen.gloss").path
        try CLI.gloss(thief, "ops", "export", "-o", stolen)
        let revoked = scratch.path("revoked.gloss").path
        _ = try admin("keys", "revoke", "--workspace", "intel", "--key", aliceKey, "--keep", marks, "-o", revoked)
        let keys = try CLI.json(try admin("user", "keys", "alice", "--workspace", "intel", "--json")) as? [[String: Any]]
        #expect(keys?.first?["revoked"] as? Int != nil, "user keys shows the key revoked")

        // bob, who had the note from before, and carol, who has nothing yet: both refuse the thief's.
        try CLI.gloss(bob, "ops", "apply", revoked)
        let refused = try CLI.gloss(bob, "ops", "apply", stolen)
        #expect(refused.stderr.contains("revoked-key"), "\(refused.stderr)")
        try CLI.gloss(carol, "ops", "apply", revoked)
        try CLI.gloss(carol, "ops", "apply", stolen)
        // The thief's file also carries the note from before (the stolen replica holds it), signed
        // within the marks: carol takes that one, as bob had, and refuses the new one.
        for home in [bob, carol] {
            let notes = try CLI.gloss(home, "list", "--json").stdout
            #expect(notes.contains("before the theft"), "\(home.lastPathComponent) lost the note from before the theft")
            #expect(!notes.contains("after the theft"), "\(home.lastPathComponent) shows the thief's note")
            #expect(try CLI.gloss(home, "sync", "--refused").stdout.contains("revoked-key"))
        }
        // A marks file of another key is refused.
        let wrong = try CLI.run("gloss-server", ["--db", team, "keys", "revoke", "--workspace", "intel", "--key",
                                                 "6VB3ncN-mVwx5TSApQU-D0sFFfNFi-h4CaitAjtsgTQ", "--keep", marks])
        #expect(wrong.status != 0 && wrong.stderr.contains("not"), "\(wrong.stderr)")
    }

    /// bob's replica is restored from a copy altered while it was away (alice's note changed in
    /// its file): `gloss keys verify` names the note, takes it out (exit 5), `sync --refused`
    /// lists it, and alice's file brings the signed copy back.
    @Test func aRestoredCopyAlteredWhileAwayIsCaughtByKeysVerify() throws {
        _ = try workspace(of: ["alice", "bob"])
        let unpinned = scratch.path("unpinned")
        try CLI.gloss(unpinned, "init", "--user", "dave", "--workspace", "intel")
        let nothing = try CLI.glossAllowingFailure(unpinned, "keys", "verify")
        #expect(nothing.status == 1 && nothing.stderr.contains("gloss keys pin-root"), "\(nothing.status) \(nothing.stderr)")

        let file = try aliceSigns("Export volumes fell", to: "alice.gloss").file
        try CLI.gloss(bob, "ops", "apply", file)
        #expect(try CLI.gloss(bob, "keys", "verify").stdout.contains("all are as their authors signed them"))

        // The copy bob restores was altered while away.
        let copy = scratch.path("bob-copy.sqlite")
        try FileManager.default.copyItem(at: bob.appendingPathComponent("replica.sqlite"), to: copy)
        let store = try DatabaseQueue(path: copy.path)
        try store.write { db in
            // The note and what is shown of it, as someone who had the file would change it.
            try db.execute(sql: "UPDATE operations SET payload = replace(payload, 'Export volumes fell', 'Export volumes rose')")
            #expect(db.changesCount == 1)
            try db.execute(sql: "UPDATE annotations SET state = replace(state, 'Export volumes fell', 'Export volumes rose'), body = replace(body, 'fell', 'rose')")
        }
        try store.close()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: bob.appendingPathComponent("replica.sqlite").path + suffix) }
        try FileManager.default.copyItem(at: copy, to: bob.appendingPathComponent("replica.sqlite"))
        #expect(try CLI.gloss(bob, "list", "--json").stdout.contains("Export volumes rose"), "the altered copy shows until checked")

        let verified = try CLI.glossAllowingFailure(bob, "keys", "verify")
        #expect(verified.status == 5, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout.contains("1 differs and was taken out") && verified.stdout.contains("body-changed"), "\(verified.stdout)")
        #expect(!(try CLI.gloss(bob, "list", "--json").stdout.contains("Export volumes rose")))
        #expect(try CLI.gloss(bob, "sync", "--refused").stdout.contains("body-changed"))
        let again = try json(try CLI.gloss(bob, "keys", "verify", "--json"))
        #expect((again["takenOut"] as? [Any])?.isEmpty == true, "\(again)")

        try CLI.gloss(bob, "ops", "apply", file)
        #expect(try CLI.gloss(bob, "list", "--json").stdout.contains("Export volumes fell"))
    }

    /// A `gloss export --format json --signed` carries its operations' signatures: restored on a replica
    /// that pinned the root (`gloss import`), they are checked and taken, none kept aside as
    /// unsigned; an altered note in the file is kept aside as `body-changed`.
    @Test func aJSONExportRestoresSignedAndAnAlteredNoteInItIsKeptAside() throws {
        let root = try workspace(of: ["alice", "bob", "carol"])
        let carol = scratch.path("carol")
        _ = try aliceSigns("Export volumes fell", to: "alice.gloss")
        let export = scratch.path("alice.json").path
        #expect(!(try CLI.gloss(alice, "export", "--format", "json").stdout.contains("\"signing\"")), "signed only when asked")
        try CLI.gloss(alice, "export", "--format", "json", "--signed", "-o", export)
        let text = try String(contentsOfFile: export, encoding: .utf8)
        #expect(text.contains("\"signing\":{"), "the export carries the signing")

        let restored = try CLI.gloss(bob, "import", export)
        #expect(restored.stdout.contains("restored 1 operation(s)"), "\(restored.stdout)\(restored.stderr)")
        #expect(try json(try CLI.gloss(bob, "status", "--json"))["held"] as? Int == 0)
        #expect(try CLI.gloss(bob, "list", "--json").stdout.contains("Export volumes fell"))

        let altered = scratch.path("altered.json").path
        try text.replacingOccurrences(of: "Export volumes fell", with: "Export volumes rose").write(toFile: altered, atomically: true, encoding: .utf8)
        let refused = try CLI.glossAllowingFailure(carol, "import", altered)
        #expect(!(try CLI.gloss(carol, "list", "--json").stdout.contains("Export volumes rose")), "\(refused.stdout)\(refused.stderr)")
        #expect(try CLI.gloss(carol, "sync", "--refused").stdout.contains("body-changed"))

        // The same note put under bob's name in the file: bob's own replica does not take it as his.
        let renamed = scratch.path("renamed.json").path
        try text.replacingOccurrences(of: "\"author\":\"alice\"", with: "\"author\":\"bob\"").write(toFile: renamed, atomically: true, encoding: .utf8)
        let dave = scratch.path("dave")
        try CLI.gloss(dave, "init", "--user", "dave", "--workspace", "intel")
        try CLI.gloss(dave, "keys", "pin-root", root)
        _ = try CLI.glossAllowingFailure(dave, "import", renamed)
        #expect(!(try CLI.gloss(dave, "list", "--json").stdout.contains("Export volumes fell")), "a note put under another name is not shown")
        #expect(try CLI.gloss(dave, "sync", "--refused").stdout.contains("forged-author"))

        // --signed is the json form's alone.
        let wrong = try CLI.glossAllowingFailure(alice, "export", "--format", "csv", "--signed")
        #expect(wrong.status == 64 && wrong.stderr.contains("--signed is for --format json"), "\(wrong.status) \(wrong.stderr)")
    }

    /// A backup restored over the replica's file is noticed by the next command, whatever it
    /// is (the file holds fewer writers than the mark beside it), and checked before it reads
    /// anything: what was altered in the copy while away is taken out, and said on stderr.
    @Test func theCommandAfterARestoreChecksTheRestoredCopyItself() throws {
        _ = try workspace(of: ["alice", "bob"])
        let file = try aliceSigns("Export volumes fell", to: "alice.gloss").file
        try CLI.gloss(bob, "ops", "apply", file)
        let report = try #require((try CLI.json(try CLI.gloss(bob, "reports", "--json")) as? [[String: Any]])?.first?["id"] as? String)
        try CLI.gloss(bob, "annotate", String(report.prefix(8)), "--comment", "bob's first")
        let replica = bob.appendingPathComponent("replica.sqlite")
        let backup = scratch.path("bob-backup.sqlite")
        try FileManager.default.copyItem(at: replica, to: backup)
        try CLI.gloss(bob, "annotate", String(report.prefix(8)), "--comment", "bob's second")
        let quiet = try CLI.gloss(bob, "list")
        #expect(!quiet.stderr.contains("restored"), "no restore yet: \(quiet.stderr)")

        let store = try DatabaseQueue(path: backup.path)
        try store.write { db in
            try db.execute(sql: "UPDATE operations SET payload = replace(payload, 'Export volumes fell', 'Export volumes rose')")
            try db.execute(sql: "UPDATE annotations SET state = replace(state, 'Export volumes fell', 'Export volumes rose'), body = replace(body, 'fell', 'rose')")
        }
        try store.close()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: replica.path + suffix) }
        try FileManager.default.copyItem(at: backup, to: replica)

        let listed = try CLI.gloss(bob, "list")
        #expect(listed.stderr.contains("restored from an older copy") && listed.stderr.contains("1 altered since were taken out"), "\(listed.stderr)")
        #expect(!listed.stdout.contains("Export volumes rose") && listed.stdout.contains("bob's first") && !listed.stdout.contains("bob's second"),
                "\(listed.stdout)")
        #expect(try CLI.gloss(bob, "sync", "--refused").stdout.contains("body-changed"))
        let again = try CLI.gloss(bob, "list", "--json")
        #expect(!again.stderr.contains("restored"), "checked once: \(again.stderr)")
    }
}
