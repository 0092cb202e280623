import Foundation

// Reading a stored state with ``JSONReader``, the one reader of what `JSONWriter+Gloss.swift`
// writes. Every change to an existing annotation reads its state first (`JSONDecoder` took
// ~100 µs for a state with a few edits). `JSONReaderTests` checks it against the `Codable`
// form, the test oracle, on many simulated histories.

extension AnnotationState {
    /// Reads a stored state, as `JSONWriter+Gloss.swift` writes it.
    public static func stored(_ text: String) throws -> AnnotationState {
        try JSONReader.whole(text, read)
    }

    static func read(_ reader: inout JSONReader) throws -> AnnotationState {
        var id: AnnotationID?
        var state = AnnotationState(id: AnnotationID(rawValue: ""))
        try reader.object { reader, key in
            switch key {
            case "id": id = AnnotationID(rawValue: try reader.string())
            case "created": state.created = try reader.null() ? nil : Created.read(&reader)
            case "edits": state.edits = try readPairs(&reader, BodyVersion.read)
            case "targets": state.targets = try readByName(&reader) { try Register(value: Target.read(&$0), stamp: $1) }
            case "judgments": state.judgments = try readByName(&reader) { try Register(value: Judgment.read(&$0), stamp: $1) }
            case "statuses": state.statuses = try readByName(&reader) { try Register(value: $0.rawValue() as Status, stamp: $1) }
            case "tagAdds": state.tagAdds = try readByName(&reader) { reader in try readPairs(&reader, Mark.read) }
            case "tagRemovals": state.tagRemovals = try readByName(&reader) { reader in try readPairs(&reader, Removal.read) }
            case "deletes": state.deletes = try readByName(&reader, Stamp.read)
            case "superseded":
                try reader.array { reader in state.superseded.insert(try OperationID.read(&reader)) }
            default: try reader.skip()
            }
        }
        guard let id else { throw reader.fail("a state needs its id") }
        state.id = id
        return state
    }

    /// `[key, value, key, value, …]` keyed by operation id, as `Codable` writes such a map.
    private static func readPairs<V>(_ reader: inout JSONReader, _ value: (inout JSONReader) throws -> V) throws -> [OperationID: V] {
        var map: [OperationID: V] = [:]
        var key: OperationID?
        try reader.array { reader in
            if let pending = key {
                map[pending] = try value(&reader)
                key = nil
            } else {
                key = try OperationID.read(&reader)
            }
        }
        guard key == nil else { throw reader.fail("a map's last key has no value") }
        return map
    }

    /// An object keyed by author or tag.
    private static func readByName<V>(_ reader: inout JSONReader, _ value: (inout JSONReader) throws -> V) throws -> [String: V] {
        var map: [String: V] = [:]
        try reader.object { reader, key in map[try key.string()] = try value(&reader) }
        return map
    }

    /// Registers by author: `{"stamp": …, "value": …}`, the stamp first as the writer puts it.
    private static func readByName<V>(_ reader: inout JSONReader, _ register: (inout JSONReader, Stamp) throws -> Register<V>) throws -> [String: Register<V>] {
        try readByName(&reader) { reader in
            var stamp: Stamp?, value: Register<V>?
            try reader.object { reader, key in
                switch key {
                case "stamp": stamp = try Stamp.read(&reader)
                case "value":
                    guard let stamp else { throw reader.fail("a register's stamp comes before its value") }
                    value = try register(&reader, stamp)
                default: try reader.skip()
                }
            }
            guard let value else { throw reader.fail("a register needs stamp and value") }
            return value
        }
    }
}

extension Stamp {
    static func read(_ reader: inout JSONReader) throws -> Stamp {
        var hlc: HLC?, op: OperationID?
        try reader.object { reader, key in
            switch key {
            case "hlc": hlc = try HLC.read(&reader)
            case "op": op = try OperationID.read(&reader)
            default: try reader.skip()
            }
        }
        guard let hlc, let op else { throw reader.fail("a stamp needs hlc and op") }
        return Stamp(hlc: hlc, op: op)
    }
}

extension AnnotationState.Created {
    static func read(_ reader: inout JSONReader) throws -> Self {
        var author: UserName?, creation: Creation?, hlc: HLC?, op: OperationID?
        try reader.object { reader, key in
            switch key {
            case "author": author = UserName(stored: try reader.string())
            case "creation": creation = try Creation.read(&reader)
            case "hlc": hlc = try HLC.read(&reader)
            case "op": op = try OperationID.read(&reader)
            default: try reader.skip()
            }
        }
        guard let author, let creation, let hlc, let op else { throw reader.fail("a create needs author, creation, hlc and op") }
        return Self(op: op, hlc: hlc, author: author, creation: creation)
    }
}

extension AnnotationState.BodyVersion {
    static func read(_ reader: inout JSONReader) throws -> Self {
        var author: UserName?, seen: [OperationID]?, stamp: Stamp?, text: String?
        try reader.object { reader, key in
            switch key {
            case "author": author = UserName(stored: try reader.string())
            case "seen": seen = try OperationID.readList(&reader)
            case "stamp": stamp = try Stamp.read(&reader)
            case "text": text = try reader.string()
            default: try reader.skip()
            }
        }
        guard let author, let seen, let stamp, let text else { throw reader.fail("an edit needs author, seen, stamp and text") }
        return Self(text: text, stamp: stamp, author: author, seen: seen)
    }
}

extension AnnotationState.Mark {
    static func read(_ reader: inout JSONReader) throws -> Self {
        var author: UserName?, hlc: HLC?
        try reader.object { reader, key in
            switch key {
            case "author": author = UserName(stored: try reader.string())
            case "hlc": hlc = try HLC.read(&reader)
            default: try reader.skip()
            }
        }
        guard let author, let hlc else { throw reader.fail("a tag mark needs author and hlc") }
        return Self(author: author, hlc: hlc)
    }
}

extension AnnotationState.Removal {
    static func read(_ reader: inout JSONReader) throws -> Self {
        var author: UserName?, hlc: HLC?, observed: [OperationID]?
        try reader.object { reader, key in
            switch key {
            case "author": author = UserName(stored: try reader.string())
            case "hlc": hlc = try HLC.read(&reader)
            case "observed": observed = try OperationID.readList(&reader)
            default: try reader.skip()
            }
        }
        guard let author, let hlc, let observed else { throw reader.fail("a tag removal needs author, hlc and observed") }
        return Self(author: author, hlc: hlc, observed: observed)
    }
}
