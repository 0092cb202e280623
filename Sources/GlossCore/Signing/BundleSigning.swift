import Foundation

/// What an operations file carries for its receiver to check who wrote what
/// (`gloss ops export`, `gloss ops apply`; docs/RELIABILITY.md, "Signed operations"): the
/// workspace root the sender pinned, the root's statements the sender holds, and a signed run
/// (``ChainSegment``) per chain the file has operations of.
///
/// The receiver takes the root's statements only when they check against the root *it*
/// pinned, so a file cannot bring its own root; `root` is there to say which one signed them
/// when the two differ.
public struct BundleSigning: Sendable, Hashable {
    public var root: RootPublicKey?
    public var bindings: [KeyBinding]
    public var revocations: [KeyRevocation]
    public var cutoffs: [LegacyCutoff]
    public var runs: [ChainSegment]

    public init(root: RootPublicKey? = nil, bindings: [KeyBinding] = [], revocations: [KeyRevocation] = [],
                cutoffs: [LegacyCutoff] = [], runs: [ChainSegment] = []) {
        self.root = root
        self.bindings = bindings
        self.revocations = revocations
        self.cutoffs = cutoffs
        self.runs = runs
    }

    /// Every statement, bindings first, then revocations, then cutoffs.
    public var statements: [TrustStatement] {
        bindings.map(TrustStatement.binding) + revocations.map(TrustStatement.revocation) + cutoffs.map(TrustStatement.cutoff)
    }

    public mutating func append(_ statement: TrustStatement) {
        switch statement {
        case let .binding(binding): bindings.append(binding)
        case let .revocation(revocation): revocations.append(revocation)
        case let .cutoff(cutoff): cutoffs.append(cutoff)
        }
    }

    /// Takes into `ring` the statements its root signed for its workspace; returns those, and
    /// how many others there were, which the receiver names and drops.
    public func statements(into ring: inout KeyRing) -> (taken: [TrustStatement], refused: Int) {
        var taken: [TrustStatement] = [], refused = 0
        for statement in statements {
            if (try? ring.add(statement)) != nil { taken.append(statement) } else { refused += 1 }
        }
        return (taken, refused)
    }
}

extension RootPublicKey: JSONWritable {
    public func write(to writer: inout JSONWriter) { key.write(to: &writer) }
    static func read(_ reader: inout JSONReader) throws -> RootPublicKey { RootPublicKey(try DevicePublicKey.read(&reader)) }

    /// The root's public key from its text form (base64url, 43 characters).
    public init?(text: String) {
        guard let key = DevicePublicKey(text: text) else { return nil }
        self.init(key)
    }

    public var text: String { key.text }
}

extension BundleSigning: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.field("bindings", bindings)
            w.field("cutoffs", cutoffs)
            w.field("revocations", revocations)
            if let root { w.field("root", root) }
            w.field("runs", runs)
        }
    }

    /// Reads the JSON form, as the server answers `GET …/trust` and a key registration.
    public static func read(_ data: Data) throws -> BundleSigning { try JSONReader.whole(data, read) }

    static func read(_ reader: inout JSONReader) throws -> BundleSigning {
        var signing = BundleSigning()
        try reader.object { reader, name in
            switch name {
            case "bindings": try reader.array { signing.bindings.append(try KeyBinding.read(&$0)) }
            case "cutoffs": try reader.array { signing.cutoffs.append(try LegacyCutoff.read(&$0)) }
            case "revocations": try reader.array { signing.revocations.append(try KeyRevocation.read(&$0)) }
            case "root": signing.root = try RootPublicKey.read(&reader)
            case "runs": try reader.array { signing.runs.append(try ChainSegment.read(&$0)) }
            default: try reader.skip()
            }
        }
        return signing
    }
}

/// How far each chain a device key signed goes, as the device says (`gloss keys marks`): what
/// the admin keeps when revoking the key (`gloss-server keys revoke --keep FILE`), so the work
/// the device did before stays and anything signed after is refused everywhere.
public struct KeyMarks: Sendable, Equatable {
    public static let formatName = "gloss-key-marks"
    public var key: DevicePublicKey
    public var marks: [KeyRevocation.Mark]

    public init(key: DevicePublicKey, marks: [KeyRevocation.Mark]) {
        self.key = key
        self.marks = marks
    }

    /// Reads a marks file, refusing anything else with the reason.
    public static func read(_ data: Data) throws -> KeyMarks {
        var format: String?, key: DevicePublicKey?, marks: [KeyRevocation.Mark] = []
        try JSONReader.whole(data) { reader in
            try reader.object { reader, name in
                switch name {
                case "format": format = try reader.string()
                case "key": key = try DevicePublicKey.read(&reader)
                case "marks": try reader.array { marks.append(try KeyRevocation.Mark.read(&$0)) }
                default: try reader.skip()
                }
            }
        }
        guard format == formatName, let key else { throw MalformedJSON(message: "not a file of `gloss keys marks` (format \(formatName), with its key)", offset: 0) }
        return KeyMarks(key: key, marks: marks)
    }
}

extension KeyMarks: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.field("format", Self.formatName)
            w.field("key", key)
            w.field("marks", marks)
        }
    }
}

/// `POST /v1/workspaces/{workspace}/keys`: a device's public key, for the server to bind to the
/// token's user with the workspace's root (`gloss remote add`).
public struct RegisteredKey: Sendable, Equatable, JSONWritable {
    public var key: DevicePublicKey
    public init(key: DevicePublicKey) { self.key = key }

    public func write(to writer: inout JSONWriter) {
        writer.object { $0.field("key", key) }
    }

    public static func read(_ data: Data) throws -> RegisteredKey {
        var key: DevicePublicKey?
        try JSONReader.whole(data) { reader in
            try reader.object { reader, name in
                if name == "key" { key = try DevicePublicKey.read(&reader) } else { try reader.skip() }
            }
            guard key != nil else { throw reader.fail("a key registration needs its key") }
        }
        return RegisteredKey(key: key!)
    }
}
