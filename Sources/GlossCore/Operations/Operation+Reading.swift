import Foundation

// Reading the operation wire forms with ``JSONReader``: the one reader of operations (pushes,
// pulled pages, operations files and the `json` export), which refuses what it cannot read
// with the place it stopped (``MalformedJSON``). `JSONWriter+Gloss.swift` writes them. `JSONReaderTests` and the sync
// fuzz target compare it with `JSONDecoder` over the `Codable` forms, kept as the test oracle.

extension Operation {
    /// Reads an operation as the log stores it (its wire JSON).
    public static func stored(_ text: String) throws -> Operation {
        try JSONReader.whole(text, read)
    }
}

extension Sync.PullResponse {
    /// Reads a pull answer, keeping each operation's JSON text as the server sent it (it is
    /// stored as is in the log instead of being written again).
    public static func read(_ data: Data) throws -> Sync.PullResponse {
        var operations: [Operation]?, payloads: [String] = []
        var cursor: Int64?, more: Bool?, epoch: String?, reports: Int64?, runs: [ChainSegment] = [], refused: [OperationID] = []
        var statements: Int64?
        try JSONReader.whole(data) { reader in
            try reader.object { reader, key in
                switch key {
                case "operations":
                    var list: [Operation] = []
                    try reader.array { reader in
                        var op: Operation?
                        payloads.append(try reader.captured { op = try Operation.read(&$0) })
                        list.append(op!)
                    }
                    operations = list
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
            guard operations != nil, cursor != nil, more != nil else { throw reader.fail("a pull answer needs operations, cursor and more") }
        }
        var page = Sync.PullResponse(operations: operations!, cursor: cursor!, more: more!, epoch: epoch)
        page.reports = reports
        page.payloads = payloads
        page.runs = runs
        page.refused = refused
        page.statements = statements
        return page
    }
}

extension Sync.PushRequest {
    /// Reads a push body (the server's hot path).
    public static func read(_ data: Data) throws -> Sync.PushRequest {
        var replica: ReplicaID?, operations: [Operation]?, claims: [ReplicaClaim] = [], runs: [ChainSegment] = []
        try JSONReader.whole(data) { reader in
            try reader.object { reader, key in
                switch key {
                case "replica": replica = try ReplicaID.read(&reader)
                case "operations":
                    var list: [Operation] = []
                    try reader.array { list.append(try Operation.read(&$0)) }
                    operations = list
                case "claims": try reader.array { claims.append(try ReplicaClaim.read(&$0)) }
                case "runs": try reader.array { runs.append(try ChainSegment.read(&$0)) }
                default: try reader.skip()
                }
            }
            guard replica != nil, operations != nil else { throw reader.fail("a push needs replica and operations") }
        }
        var request = Sync.PushRequest(replica: replica!, operations: operations!, claims: claims)
        request.runs = runs
        return request
    }

    /// The push body, as ``read(_:)`` reads it; operations whose stored JSON came with the
    /// request (``payloads``) are sent as stored, not written again.
    public func wireBytes() -> [UInt8] {
        var writer = JSONWriter(capacity: 512 * operations.count + 256)
        writer.object { w in
            if !claims.isEmpty { w.field("claims", claims) }
            if let payloads {
                w.key("operations")
                w.array { w in for payload in payloads { w.raw(payload) } }
            } else {
                w.field("operations", operations)
            }
            w.field("replica", replica)
            if !runs.isEmpty { w.field("runs", runs) }
        }
        return writer.bytes
    }
}

extension Operation {
    static func read(_ reader: inout JSONReader) throws -> Operation {
        var id: OperationID?, hlc: HLC?, author: UserName?, workspace: WorkspaceName?, annotation: AnnotationID?, isPrivate: Bool?
        var kind: String?, creation: Creation?, body: String?, seen: [OperationID]?, target: Target?
        var judgment: Judgment?, status: Status?, tag: String?, observed: [OperationID]?
        try reader.object { reader, key in
            switch key {
            case "id": id = try OperationID.read(&reader)
            case "hlc": hlc = try HLC.read(&reader)
            case "author": author = UserName(stored: try reader.string())
            case "workspace": workspace = WorkspaceName(stored: try reader.string())
            case "annotation": annotation = AnnotationID(rawValue: try reader.string())
            case "private": isPrivate = try reader.bool()
            case "kind": kind = try reader.string()
            case "create": creation = try Creation.read(&reader)
            case "body": body = try reader.string()
            case "seen": seen = try OperationID.readList(&reader)
            case "target": target = try Target.read(&reader)
            case "judgment": judgment = try Judgment.read(&reader)
            case "status": status = try reader.rawValue()
            case "tag": tag = try reader.string()
            case "observed": observed = try OperationID.readList(&reader)
            default: try reader.skip()
            }
        }
        func need<T>(_ value: T?, _ name: String) throws -> T {
            guard let value else { throw reader.fail("an operation needs '\(name)'") }
            return value
        }
        let change: Change
        switch try need(kind, "kind") {
        case "create": change = .create(try need(creation, "create"))
        case "edit": change = .editBody(text: try need(body, "body"), seen: try need(seen, "seen"))
        case "retarget": change = .retarget(try need(target, "target"))
        case "judge": change = .judge(try need(judgment, "judgment"))
        case "status": change = .setStatus(try need(status, "status"))
        case "tag": change = .addTag(try need(tag, "tag"))
        case "untag": change = .removeTag(try need(tag, "tag"), observed: try need(observed, "observed"))
        case "delete": change = .delete
        case let other: throw reader.fail("unknown operation kind '\(other)'")
        }
        return Operation(id: try need(id, "id"), hlc: try need(hlc, "hlc"), author: try need(author, "author"),
                         workspace: try need(workspace, "workspace"), annotation: try need(annotation, "annotation"),
                         isPrivate: try need(isPrivate, "private"), change: change)
    }
}

extension ReplicaID {
    static func read(_ reader: inout JSONReader) throws -> ReplicaID {
        try reader.string("replica id", ReplicaID.init(hex:))
    }
}

extension ReplicaClaim {
    static func read(_ reader: inout JSONReader) throws -> ReplicaClaim {
        var replica: ReplicaID?, salt: String?
        try reader.object { reader, key in
            switch key {
            case "replica": replica = try ReplicaID.read(&reader)
            case "salt": salt = try reader.string()
            default: try reader.skip()
            }
        }
        guard let replica, let salt else { throw reader.fail("a claim needs 'replica' and 'salt'") }
        return ReplicaClaim(replica: replica, salt: salt)
    }
}

extension OperationID {
    static func read(_ reader: inout JSONReader) throws -> OperationID {
        try reader.string("operation id", OperationID.init)
    }

    static func readList(_ reader: inout JSONReader) throws -> [OperationID] {
        var ids: [OperationID] = []
        try reader.array { ids.append(try read(&$0)) }
        return ids
    }
}

extension HLC {
    static func read(_ reader: inout JSONReader) throws -> HLC {
        var wall: Int64?, logical: UInt32?
        try reader.object { reader, key in
            switch key {
            case "wall": wall = try reader.int64()
            case "logical": logical = try reader.uint32()
            default: try reader.skip()
            }
        }
        guard let wall, let logical else { throw reader.fail("an HLC needs wall and logical") }
        return HLC(wall: wall, logical: logical)
    }
}

extension Target {
    static func read(_ reader: inout JSONReader) throws -> Target {
        var quote: TextQuoteSelector?, position: TextPositionSelector?, source: ReportID?
        try reader.object { reader, key in
            switch key {
            case "source": source = ReportID(rawValue: try reader.string())
            case "quote":
                var exact: String?, prefix: String?, suffix: String?
                try reader.object { reader, key in
                    switch key {
                    case "exact": exact = try reader.string()
                    case "prefix": prefix = try reader.string()
                    case "suffix": suffix = try reader.string()
                    default: try reader.skip()
                    }
                }
                guard let exact, let prefix, let suffix else { throw reader.fail("a quote needs exact, prefix and suffix") }
                quote = TextQuoteSelector(exact: exact, prefix: prefix, suffix: suffix)
            case "position":
                var start: Int?, end: Int?
                try reader.object { reader, key in
                    switch key {
                    case "start": start = try reader.int()
                    case "end": end = try reader.int()
                    default: try reader.skip()
                    }
                }
                guard let start, let end else { throw reader.fail("a position needs start and end") }
                position = TextPositionSelector(start: start, end: end)
            default: try reader.skip()
            }
        }
        guard let quote, let position else { throw reader.fail("a target needs quote and position") }
        return Target(quote: quote, position: position, source: source)
    }

    /// A target or `null`.
    static func readOptional(_ reader: inout JSONReader) throws -> Target? {
        try reader.null() ? nil : read(&reader)
    }
}

extension Judgment {
    static func read(_ reader: inout JSONReader) throws -> Judgment {
        var judgment = Judgment()
        try reader.object { reader, key in
            switch key {
            case "confidence": judgment.confidence = try reader.optionalRawValue()
            case "likelihood": judgment.likelihood = try reader.optionalRawValue()
            default: try reader.skip()
            }
        }
        return judgment
    }
}

extension Creation {
    static func read(_ reader: inout JSONReader) throws -> Creation {
        var report: ReportID?, target: Target?, motivation: Motivation?, body: String?, tags: [String]?
        var judgment: Judgment?, visibility: Visibility?, parent: AnnotationID?, revises: ReportID?
        try reader.object { reader, key in
            switch key {
            case "report": report = ReportID(rawValue: try reader.string())
            case "target": target = try Target.readOptional(&reader)
            case "motivation": motivation = try reader.rawValue()
            case "body": body = try reader.string()
            case "tags":
                var list: [String] = []
                try reader.array { list.append(try $0.string()) }
                tags = list
            case "judgment": judgment = try reader.null() ? nil : Judgment.read(&reader)
            case "visibility": visibility = try reader.rawValue()
            case "parent": parent = try reader.optionalString().map(AnnotationID.init(rawValue:))
            case "revises": revises = try reader.optionalString().map(ReportID.init(rawValue:))
            default: try reader.skip()
            }
        }
        guard let report, let motivation, let body, let tags, let visibility else {
            throw reader.fail("a create needs report, motivation, body, tags and visibility")
        }
        return Creation(report: report, target: target, motivation: motivation, body: body, tags: tags,
                        judgment: judgment, visibility: visibility, parent: parent, revises: revises)
    }
}
