import Foundation
import GlossCore
import GlossReplica

/// Signed operations (issue 28): what signing and checking cost, per operation and per batch,
/// what a file that is checked costs to apply against raw UPSERTs of the same rows in the same
/// run (and against the same file with no root pinned, so unchecked), and the bytes it adds.
enum SigningBench {
    struct Result: Codable {
        var operations: Int
        var batch: Int
        /// Chaining (the operation's digest and the link), per operation.
        var chainMicrosPerOp: Double
        /// Signing one head, per batch.
        var signMicrosPerBatch: Double
        /// `SignaturePolicy.decide` on a batch and its run (one Ed25519 check), per operation and per batch.
        var verifyMicrosPerOp: Double
        var verifyMicrosPerBatch: Double
        /// The batches as files (`ops apply`): checked against a pinned root, not checked, and raw UPSERTs.
        var checkedSeconds: Double
        var uncheckedSeconds: Double
        var rawSeconds: Double
        /// Bytes a run adds per operation (its entry), and a file of one change with and without its run.
        var entryBytes: Double
        var oneChangeBytes: Int
        var oneChangeUnsignedBytes: Int
        var checkedOpsPerSecond: Double { Double(operations) / checkedSeconds }
        var uncheckedOpsPerSecond: Double { Double(operations) / uncheckedSeconds }
        var rawOpsPerSecond: Double { Double(operations) / rawSeconds }
    }

    static func run(count: Int, directory: String) throws -> Result {
        let report = try BenchReports.sample()
        var generator = SystemRandomNumberGenerator()
        let device = DeviceKey.generate(using: &generator)
        let root = RootKey(DeviceKey.generate(using: &generator))
        let author = UserName(stored: "alice"), workspace = WorkspaceName(stored: "bench")
        let (claim, nonce) = ReplicaClaim.mint(for: author, key: device.publicKey, nonce: Array(repeating: 7, count: 16))
        var workload = Workload(author: author, workspace: workspace, replica: 0xA11CE, report: report.id, count: count)
        workload.claim = claim
        let batch = Sync.Limits.clientBatchSize

        // Chain and sign, batch by batch, as an export does.
        var writer = ChainWriter(chain: ChainID(workspace: workspace, replica: claim.replica, author: author, isPrivate: false),
                                 key: device.publicKey, nonce: nonce)
        var pages: [(ops: [GlossCore.Operation], payloads: [String], run: ChainSegment)] = []
        var chaining = Duration.zero, signing = Duration.zero
        for start in stride(from: 0, to: count, by: batch) {
            let ops = workload.operations(in: start..<min(start + batch, count))
            var t0 = ContinuousClock.now
            try writer.append(contentsOf: ops)
            chaining += ContinuousClock.now - t0
            t0 = ContinuousClock.now
            let head = writer.sign(with: device)
            signing += ContinuousClock.now - t0
            pages.append((ops, ops.map(JSONWriter.string), writer.segment(after: UInt64(start), to: head)))
        }

        // Check, batch by batch, as a receiver does.
        let binding = KeyBinding.make(workspace: workspace, user: author, key: device.publicKey, issued: 1, root: root)
        var ring = KeyRing(workspace: workspace, root: root.publicKey)
        try ring.add(binding)
        var facts = SignaturePolicy.Facts(keys: ring)
        let policy = SignaturePolicy(complete: true)
        var verifying = Duration.zero
        for page in pages {
            let t0 = ContinuousClock.now
            let decision = policy.decide(page.ops, segments: [page.run], facts: facts)
            verifying += ContinuousClock.now - t0
            guard decision.accepted == page.ops.count else { throw BenchError("signing: a batch did not verify") }
            facts.verified.merge(decision.verified) { $1 }
        }

        // The same batches as files into a replica that checks them, one that cannot, and raw UPSERTs.
        let checked = try Replica.create(home: URL(fileURLWithPath: directory + "/signed-checked"), user: "reader", workspace: "bench")
        try checked.pinRoot(root.publicKey)
        _ = try checked.takeStatements(BundleSigning(bindings: [binding]))
        let unchecked = try Replica.create(home: URL(fileURLWithPath: directory + "/signed-unchecked"), user: "reader", workspace: "bench")
        for replica in [checked, unchecked] { _ = try replica.importReport(report, source: "sample.txt") }
        let floor = try RawFloor(path: directory + "/signed-raw.sqlite")
        var checkedTime = Duration.zero, uncheckedTime = Duration.zero, raw = Duration.zero
        for page in pages {
            var t0 = ContinuousClock.now
            let result = try checked.apply(page.ops, payloads: page.payloads, signing: BundleSigning(runs: [page.run]), source: "bench")
            checkedTime += ContinuousClock.now - t0
            guard result.verified == page.ops.count else { throw BenchError("signing: the replica took \(result.verified) of \(page.ops.count)") }
            t0 = ContinuousClock.now
            _ = try unchecked.apply(page.ops, payloads: page.payloads, source: "bench")
            uncheckedTime += ContinuousClock.now - t0
            raw += try floor.upsert(page.ops, payloads: page.payloads)
        }
        var t0 = ContinuousClock.now
        try checked.indexPendingSearch(); try checked.checkpoint()
        checkedTime += ContinuousClock.now - t0
        t0 = ContinuousClock.now
        try unchecked.indexPendingSearch(); try unchecked.checkpoint()
        uncheckedTime += ContinuousClock.now - t0
        raw += try floor.checkpoint()

        // Bytes: a run's entries, and a file of one change.
        let full = pages[0].run
        let bare = ChainSegment(from: full.from, entries: [], head: full.head)
        let entryBytes = Double(JSONWriter.string(full).utf8.count - JSONWriter.string(bare).utf8.count) / Double(full.entries.count)
        var one = ChainWriter(chain: writer.chain, key: device.publicKey, nonce: nonce)
        try one.append(pages[0].ops[0])
        let oneRun = one.segment(after: 0, to: one.sign(with: device))
        let signed = OperationBundle(reports: [], operations: [pages[0].ops[0]], signing: BundleSigning(root: root.publicKey, runs: [oneRun]))
        let unsigned = OperationBundle(reports: [], operations: [pages[0].ops[0]])
        let batches = Double(pages.count)
        return Result(operations: count, batch: batch,
                      chainMicrosPerOp: chaining.seconds * 1e6 / Double(count), signMicrosPerBatch: signing.seconds * 1e6 / batches,
                      verifyMicrosPerOp: verifying.seconds * 1e6 / Double(count), verifyMicrosPerBatch: verifying.seconds * 1e6 / batches,
                      checkedSeconds: checkedTime.seconds, uncheckedSeconds: uncheckedTime.seconds, rawSeconds: raw.seconds,
                      entryBytes: entryBytes, oneChangeBytes: try signed.fileBytes().count,
                      oneChangeUnsignedBytes: try unsigned.fileBytes().count)
    }

    static func removeFiles(in directory: String) {
        for name in ["signed-checked", "signed-unchecked", "signed-raw.sqlite", "signed-raw.sqlite-wal", "signed-raw.sqlite-shm"] {
            try? FileManager.default.removeItem(atPath: directory + "/" + name)
        }
    }
}
