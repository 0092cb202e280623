import Foundation

/// One bad item in the server's feed must not stop the feed (issue 24): every member's sync
/// used to fail for good on one operation or report this client could not take, and no later
/// one arrived. Such an item is now skipped, named (``Sync/Skipped``), and the cursor moves on.
extension Sync {
    /// An item of the server's feed this replica did not take: it could not be read, or it
    /// breaks a rule every item must keep (a size limit, a report whose text is not its id's).
    public struct Skipped: Codable, Sendable, Equatable, CustomStringConvertible {
        public enum Kind: String, Codable, Sendable { case operation, report }
        public var kind: Kind
        /// Its id as the server sent it (clipped), or where it stood in the page when it had none.
        public var id: String
        public var reason: String

        public init(kind: Kind, id: String, reason: String) {
            self.kind = kind
            self.id = id.count > 80 ? String(id.prefix(80)) + "…" : id
            self.reason = reason.count > 300 ? String(reason.prefix(300)) + "…" : reason
        }

        public var description: String { "\(kind.rawValue) \(id): \(reason)" }
    }
}

extension Sync.PullResponse {
    /// Reads a pull answer as ``read(_:)`` does; when one of its operations cannot be read (a
    /// newer version's, a damaged one), reads the page again operation by operation, and skips
    /// and names that one (``unreadable``) instead of refusing the whole page. `gloss sync`
    /// reads its pages so.
    public static func readSkippingUnreadable(_ data: Data) throws -> Sync.PullResponse {
        do {
            return try read(data)
        } catch {
            guard let page = try? readEach(data), !page.unreadable.isEmpty else { throw error }
            return page
        }
    }

    /// Reads a page operation by operation, skipping (and naming) each one the reader cannot take.
    static func readEach(_ data: Data) throws -> Sync.PullResponse {
        var operations: [Operation] = [], payloads: [String] = [], unreadable: [Sync.Skipped] = []
        var cursor: Int64?, more: Bool?, epoch: String?, reports: Int64?, sawOperations = false, runs: [ChainSegment] = []
        var refused: [OperationID] = [], statements: Int64?
        try JSONReader.whole(data) { reader in
            try reader.object { reader, key in
                switch key {
                case "operations":
                    sawOperations = true
                    var index = 0
                    try reader.array { reader in
                        let text = try reader.captured { try $0.skip() }
                        do {
                            operations.append(try Operation.stored(text))
                            payloads.append(text)
                        } catch {
                            unreadable.append(.init(kind: .operation, id: Sync.idField(in: text) ?? "number \(index + 1) of its page",
                                                    reason: "this version of gloss cannot read it: \(error)"))
                        }
                        index += 1
                    }
                case "cursor": cursor = try reader.int64()
                case "more": more = try reader.bool()
                case "epoch": epoch = try reader.string()
                case "reports": reports = try reader.int64()
                case "runs": try reader.array { runs.append(try ChainSegment.read(&$0)) }
                case "refused": refused = try OperationID.readList(&reader)
                case "statements": statements = try reader.int64()
                default: try reader.skip()
                }
            }
            guard sawOperations, cursor != nil, more != nil else { throw reader.fail("a pull answer needs operations, cursor and more") }
        }
        var page = Sync.PullResponse(operations: operations, cursor: cursor!, more: more!, epoch: epoch)
        page.reports = reports
        page.payloads = payloads
        page.unreadable = unreadable
        page.runs = runs
        page.refused = refused
        page.statements = statements
        return page
    }
}

extension Sync.PullResponse {
    /// Whether a replica holding `held` of the root's statements must ask for the rest before
    /// it checks this page: the page has operations, and says the root signed more, or does not
    /// say (a server from before pages said it).
    public func needsStatements(holding held: Int) -> Bool {
        !operations.isEmpty && (statements.map { $0 > Int64(held) } ?? true)
    }
}

extension Sync.ReportPage {
    /// Reads a page of reports, skipping (and naming) each report that cannot be read: the
    /// page's cursor still moves past it, so the reports after it arrive.
    public static func read(_ data: Data) throws -> Sync.ReportPage {
        struct Page: Decodable {
            var reports: [Item]
            var cursor: Int64
            var more: Bool
        }
        struct Item: Decodable {
            var report: Report?
            var id: String?
            var problem: String?
            enum Keys: String, CodingKey { case id }
            init(from decoder: any Decoder) throws {
                do {
                    report = try Report(from: decoder)
                } catch {
                    id = try? decoder.container(keyedBy: Keys.self).decode(String.self, forKey: .id)
                    problem = DecodingErrorText.describe(error)
                }
            }
        }
        let page = try JSON.decode(Page.self, from: data)
        var reports: [Report] = [], unreadable: [Sync.Skipped] = []
        for (index, item) in page.reports.enumerated() {
            if let report = item.report {
                reports.append(report)
            } else {
                unreadable.append(.init(kind: .report, id: item.id ?? "number \(index + 1) of its page",
                                        reason: "this version of gloss cannot read it: \(item.problem ?? "unknown")"))
            }
        }
        var read = Sync.ReportPage(reports: reports, cursor: page.cursor, more: page.more)
        read.unreadable = unreadable
        return read
    }
}

extension Sync {
    /// The `"id"` string at the top of an item's JSON, to name an item that cannot be read.
    static func idField(in text: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return nil }
        return object["id"] as? String
    }
}

// MARK: Writing the feeds

extension Sync.PullResponse {
    /// The wire JSON of a pull answer whose operations are `payloads`, each as the log keeps it
    /// (``JSONWriter``'s form): the text `JSON.encoder()` gives the answer, without decoding and
    /// encoding every operation again. The server writes its pull answers with it.
    /// `runs` are the page's signed runs as JSON (``ChainSegment``), left out when there are none.
    /// `refused`, the positions of their chains the server refused for good, likewise.
    public static func wire(payloads: [String], cursor: Int64, more: Bool, epoch: String?, reports: Int64?, runs: [String] = [],
                            refused: [OperationID] = [], statements: Int64? = nil) -> [UInt8] {
        var writer = JSONWriter(capacity: payloads.reduce(96) { $0 + $1.utf8.count + 1 } + runs.reduce(0) { $0 + $1.utf8.count + 1 })
        writer.object { writer in
            writer.field("cursor", cursor)
            writer.field("epoch", epoch)
            writer.field("more", more)
            writer.rawArray("operations", payloads)
            if !refused.isEmpty { writer.field("refused", refused) }
            writer.field("reports", reports)
            if !runs.isEmpty { writer.rawArray("runs", runs) }
            writer.field("statements", statements)
        }
        return writer.bytes
    }
}

extension Sync.ReportPage {
    /// The wire JSON of a page of reports, each as the server stores it (`JSON.encoder()`'s
    /// form): read back by ``read(_:)``.
    public static func wire(reports: [String], cursor: Int64, more: Bool) -> [UInt8] {
        var writer = JSONWriter(capacity: reports.reduce(64) { $0 + $1.utf8.count + 1 })
        writer.object { writer in
            writer.field("cursor", cursor)
            writer.field("more", more)
            writer.rawArray("reports", reports)
        }
        return writer.bytes
    }
}

extension Sync {
    /// `GET /v1/workspaces/{workspace}/refusals?replicas=…`: the operations of those replicas
    /// the server refused for good, and the signed runs covering them. A replica that holds
    /// operations after a hole in their chain asks for it at the end of a sync: a hole the
    /// server's refusal explains is not one (docs/RELIABILITY.md, "Signed operations").
    public struct ChainRefusals: Sendable, Equatable, JSONWritable {
        public var refused: [OperationID]
        public var runs: [ChainSegment]
        public init(refused: [OperationID] = [], runs: [ChainSegment] = []) {
            self.refused = refused
            self.runs = runs
        }

        /// Most replicas one request names.
        public static let maxReplicas = 100

        public func write(to writer: inout JSONWriter) {
            writer.object { w in
                w.field("refused", refused)
                w.field("runs", runs)
            }
        }

        /// The answer written from the runs' JSON as the server keeps them.
        public static func wire(refused: [OperationID], runs: [String]) -> [UInt8] {
            var writer = JSONWriter(capacity: runs.reduce(64) { $0 + $1.utf8.count + 1 })
            writer.object { w in
                w.field("refused", refused)
                w.rawArray("runs", runs)
            }
            return writer.bytes
        }

        public static func read(_ data: Data) throws -> ChainRefusals {
            var answer = ChainRefusals()
            try JSONReader.whole(data) { reader in
                try reader.object { reader, key in
                    switch key {
                    case "refused": answer.refused = try OperationID.readList(&reader)
                    case "runs": try reader.array { answer.runs.append(try ChainSegment.read(&$0)) }
                    default: try reader.skip()
                    }
                }
            }
            return answer
        }
    }
}
