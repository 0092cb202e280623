import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GlossCore
import GlossReplica
import Testing
@testable import gloss_server

/// The real server killed right after a push commits: the push is stored, and re-sending it is harmless.
@Suite struct CrashHookTests {
    @Test func pushCommittedBeforeACrashIsStoredAndResendingItFindsDuplicates() async throws {
        let db = try AdminCommandTests.temporaryDatabase()
        let added = try AdminCommandTests.run(["--db", db, "user", "add", "alice"])
        let token = added.lastLine
        #expect(try AdminCommandTests.run(["--db", db, "workspace", "create", "intel"]).status == 0)
        #expect(try AdminCommandTests.run(["--db", db, "member", "add", "intel", "alice"]).status == 0)
        let store = try SQLiteSyncStore(path: db)
        #expect(try await store.storeReport(Fixture.report, in: "intel"))

        let process = Process()
        process.executableURL = AdminCommandTests.binary
        process.arguments = ["--db", db, "serve", "--port", "0"]
        process.environment = ProcessInfo.processInfo.environment.merging([CrashHook.environmentKey: "1"]) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        let line = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        let base = try #require(line.split(separator: " ").last).trimmingCharacters(in: .whitespacesAndNewlines)

        let op = Fixture.create("alice", replica: 1, counter: 1, wall: Int64(Date().timeIntervalSince1970 * 1000))
        var request = URLRequest(url: try #require(URL(string: "\(base)/v1/workspaces/intel/push")))
        request.httpMethod = "POST"
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.httpBody = try JSON.encode(Sync.PushRequest(replica: op.id.replica, operations: [op], claims: Fixture.claims(for: [op])))
        await #expect(throws: (any Error).self) { _ = try await URLSession.shared.data(for: request) }
        process.waitUntilExit()
        #expect(process.terminationStatus == 137)

        // The commit survived; a retry through the store finds it already there.
        let page = try await store.pull(workspace: "intel", user: "alice", after: 0, limit: 10, maxBytes: 1 << 20)
        #expect(page.payloads.count == 1)
        let retry = try await store.push([op], claims: [], policy: PushPolicy(workspace: "intel", user: "alice", role: .member, now: op.hlc.wall))
        #expect(retry.duplicates == [op.id])
    }
}
