import Foundation
import GlossCore
@testable import GlossReplica

/// A temporary folder for replicas, removed when the test ends.
final class TestHome {
    let url: URL
    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-test-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    func replica(_ name: String, user: String, now: @escaping @Sendable () -> Int64 = Replica.systemMillis) throws -> Replica {
        try Replica.create(home: url.appendingPathComponent(name), user: user, now: now)
    }

    func reopen(_ name: String, now: @escaping @Sendable () -> Int64 = Replica.systemMillis) throws -> Replica {
        try Replica.open(home: url.appendingPathComponent(name), now: now)
    }
}

enum Sample {
    static let report = Report(
        title: "China announces export restrictions on rare earth processing",
        summary: "Leverage shifts from raw materials to know-how.",
        sections: [
            .init(heading: "Big Picture", paragraphs: ["China leverages its dominance in rare earth processing.",
                                                         "Rare earth supply chains are concentrated."]),
            .init(heading: "What Comes Next", paragraphs: ["Most Likely: managed escalation. Most Dangerous: spiral."]),
        ])

    static func target(_ quote: String, occurrence: Int? = nil) throws -> Target {
        try TextAnchor(text: report.text).target(quote: quote, occurrence: occurrence)
    }
}

extension Replica {
    /// Sends everything this replica has to the others (like `ops export` + `ops apply`). The
    /// user's own other replicas set aside what was made here and adopt it, as she would
    /// (`ops adopt --all`).
    func send(to others: Replica...) throws {
        let bundle = try JSON.decode(OperationBundle.self, from: JSON.encode(exportBundle().bundle))
        let user = try meta().user
        for other in others {
            _ = try other.apply(bundle, source: "test")
            if try other.meta().user == user { _ = try other.adoptQuarantined() }
        }
    }

    /// What `gloss export --format json` would be built from: every annotation, sorted.
    func snapshot() throws -> String {
        try JSON.string(annotations(AnnotationFilter(includeDeleted: true)).sorted { $0.id < $1.id }, pretty: true)
    }
}
