// The wire forms of signing, written by ``JSONWriter`` (keys sorted) and read by
// ``JSONReader``: one form each, binary values as base64url text, counts as numbers.
//
// ```json
// {"entries":[[17,"q2…"],[19,"Zf…"]],"from":"3k…","head":{"author":"alice","count":19,
//  "key":"Pw…","nonce":"0a1b…","private":false,"replica":"3f9a1c2b7d4e8a10",
//  "signature":"8x…","workspace":"intel"}}
// ```
//
// A run leaves out what its receiver computes: `from` when the run starts its chain (the
// chain's genesis), and the head's `link` (its entries hashed onto `from`). Both are read
// when present.
//
// What one operation adds on the wire: one entry, about 50 bytes. What a push adds besides:
// one head per chain it carries, about 280 bytes.

extension ChainHash: JSONWritable {
    public func write(to writer: inout JSONWriter) { writer.value(text) }
    static func read(_ reader: inout JSONReader) throws -> ChainHash {
        try reader.string("hash", ChainHash.init(text:))
    }
}

extension DevicePublicKey: JSONWritable {
    public func write(to writer: inout JSONWriter) { writer.value(text) }
    static func read(_ reader: inout JSONReader) throws -> DevicePublicKey {
        try reader.string("public key", DevicePublicKey.init(text:))
    }
}

extension Signature: JSONWritable {
    public func write(to writer: inout JSONWriter) { writer.value(text) }
    static func read(_ reader: inout JSONReader) throws -> Signature {
        try reader.string("signature", Signature.init(text:))
    }
}

extension JSONReader {
    /// A count or counter: a number from 0 up.
    mutating func count() throws -> UInt64 {
        let value = try int64()
        guard value >= 0 else { throw fail("a count cannot be negative") }
        return UInt64(value)
    }
}

extension SignedHead: JSONWritable {
    public func write(to writer: inout JSONWriter) { write(to: &writer, link: true) }

    /// `link: false` leaves out the link, for a run whose entries give it (``ChainSegment``).
    func write(to writer: inout JSONWriter, link: Bool) {
        writer.object { w in
            w.field("author", head.chain.author)
            w.field("count", Int64(head.position.count))
            w.field("key", head.key)
            if link { w.field("link", head.position.link) }
            w.field("nonce", head.nonce)
            w.field("private", head.chain.isPrivate)
            w.field("replica", head.chain.replica)
            w.field("signature", signature)
            w.field("workspace", head.chain.workspace)
        }
    }

    /// A signed head as ``JSONWriter`` writes it.
    public static func read(_ text: String) throws -> SignedHead { try JSONReader.whole(text, read) }

    static func read(_ reader: inout JSONReader) throws -> SignedHead {
        let read = try Unlinked.read(&reader)
        guard let link = read.link else { throw reader.fail("a signed head needs its link") }
        return read.signed(link: link)
    }

    /// A head as read, whose link may be left out (a run's, which its entries give).
    struct Unlinked {
        var chain: ChainID, nonce: String, count: UInt64, key: DevicePublicKey, signature: Signature
        var link: ChainHash?

        func signed(link: ChainHash) -> SignedHead {
            SignedHead(head: ChainHead(chain: chain, nonce: nonce, position: ChainPosition(count: count, link: link), key: key),
                       signature: signature)
        }

        static func read(_ reader: inout JSONReader) throws -> Unlinked {
            var author: UserName?, count: UInt64?, key: DevicePublicKey?, link: ChainHash?, isPrivate: Bool?
            var replica: ReplicaID?, nonce: String?, signature: Signature?, workspace: WorkspaceName?
            try reader.object { reader, name in
                switch name {
                case "author": author = UserName(stored: try reader.string())
                case "count": count = try reader.count()
                case "key": key = try DevicePublicKey.read(&reader)
                case "link": link = try ChainHash.read(&reader)
                case "private": isPrivate = try reader.bool()
                case "replica": replica = try ReplicaID.read(&reader)
                case "nonce": nonce = try reader.string()
                case "signature": signature = try Signature.read(&reader)
                case "workspace": workspace = WorkspaceName(stored: try reader.string())
                default: try reader.skip()
                }
            }
            guard let author, let count, let key, let isPrivate, let replica, let nonce, let signature, let workspace else {
                throw reader.fail("a signed head needs author, count, key, link, nonce, private, replica, signature and workspace")
            }
            return Unlinked(chain: ChainID(workspace: workspace, replica: replica, author: author, isPrivate: isPrivate),
                            nonce: nonce, count: count, key: key, signature: signature, link: link)
        }
    }
}

extension ChainSegment: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.key("entries")
            w.array { w in
                for entry in entries {
                    w.array { w in
                        w.value(Int64(entry.counter))
                        entry.digest.write(to: &w)
                    }
                }
            }
            // What the receiver computes is left out: the link before a run that starts the
            // chain (its genesis), and the head's link (the entries hashed onto `from`; the
            // signature covers it, so entries that were altered still fail).
            if start != 0 || from != .genesis(of: chain) { w.field("from", from) }
            w.key("head")
            head.write(to: &w, link: false)
        }
    }

    public static func read(_ text: String) throws -> ChainSegment { try JSONReader.whole(text, read) }

    static func read(_ reader: inout JSONReader) throws -> ChainSegment {
        var entries: [ChainEntry]?, from: ChainHash?, head: SignedHead.Unlinked?
        try reader.object { reader, name in
            switch name {
            case "entries":
                var list: [ChainEntry] = []
                try reader.array { reader in
                    var counter: UInt64?, digest: ChainHash?, index = 0
                    try reader.array { reader in
                        switch index {
                        case 0: counter = try reader.count()
                        case 1: digest = try ChainHash.read(&reader)
                        default: throw reader.fail("an entry is [counter, digest]")
                        }
                        index += 1
                    }
                    guard let counter, counter > 0, let digest else { throw reader.fail("an entry is [counter, digest]") }
                    list.append(ChainEntry(counter: counter, digest: digest))
                }
                entries = list
            case "from": from = try ChainHash.read(&reader)
            case "head": head = try SignedHead.Unlinked.read(&reader)
            default: try reader.skip()
            }
        }
        guard let entries, let head else { throw reader.fail("a chain segment needs entries and head") }
        let start = from ?? .genesis(of: head.chain)
        let end = head.link ?? entries.reduce(start) { $0.next(counter: $1.counter, digest: $1.digest) }
        return ChainSegment(from: start, entries: entries, head: head.signed(link: end))
    }
}

extension KeyBinding: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.field("issued", issued)
            w.field("key", key)
            w.field("signature", signature)
            w.field("user", user)
            w.field("workspace", workspace)
        }
    }

    public static func read(_ text: String) throws -> KeyBinding { try JSONReader.whole(text, read) }

    static func read(_ reader: inout JSONReader) throws -> KeyBinding {
        var issued: Int64?, key: DevicePublicKey?, signature: Signature?, user: UserName?, workspace: WorkspaceName?
        try reader.object { reader, name in
            switch name {
            case "issued": issued = try reader.int64()
            case "key": key = try DevicePublicKey.read(&reader)
            case "signature": signature = try Signature.read(&reader)
            case "user": user = UserName(stored: try reader.string())
            case "workspace": workspace = WorkspaceName(stored: try reader.string())
            default: try reader.skip()
            }
        }
        guard let issued, let key, let signature, let user, let workspace else {
            throw reader.fail("a key binding needs issued, key, signature, user and workspace")
        }
        return KeyBinding(workspace: workspace, user: user, key: key, issued: issued, signature: signature)
    }
}

extension KeyRevocation.Mark: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.field("count", Int64(position.count))
            w.field("link", position.link)
            w.field("private", isPrivate)
            w.field("replica", replica)
        }
    }

    static func read(_ reader: inout JSONReader) throws -> KeyRevocation.Mark {
        var count: UInt64?, link: ChainHash?, isPrivate: Bool?, replica: ReplicaID?
        try reader.object { reader, name in
            switch name {
            case "count": count = try reader.count()
            case "link": link = try ChainHash.read(&reader)
            case "private": isPrivate = try reader.bool()
            case "replica": replica = try ReplicaID.read(&reader)
            default: try reader.skip()
            }
        }
        guard let count, let link, let isPrivate, let replica else { throw reader.fail("a mark needs count, link, private and replica") }
        return KeyRevocation.Mark(replica: replica, isPrivate: isPrivate, position: ChainPosition(count: count, link: link))
    }
}

extension KeyRevocation: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.field("issued", issued)
            w.field("kept", kept)
            w.field("key", key)
            w.field("signature", signature)
            w.field("workspace", workspace)
        }
    }

    public static func read(_ text: String) throws -> KeyRevocation { try JSONReader.whole(text, read) }

    static func read(_ reader: inout JSONReader) throws -> KeyRevocation {
        var issued: Int64?, kept: [Mark]?, key: DevicePublicKey?, signature: Signature?, workspace: WorkspaceName?
        try reader.object { reader, name in
            switch name {
            case "issued": issued = try reader.int64()
            case "kept":
                var marks: [Mark] = []
                try reader.array { marks.append(try Mark.read(&$0)) }
                kept = marks
            case "key": key = try DevicePublicKey.read(&reader)
            case "signature": signature = try Signature.read(&reader)
            case "workspace": workspace = WorkspaceName(stored: try reader.string())
            default: try reader.skip()
            }
        }
        guard let issued, let kept, let key, let signature, let workspace else {
            throw reader.fail("a key revocation needs issued, kept, key, signature and workspace")
        }
        return KeyRevocation(workspace: workspace, key: key, kept: kept, issued: issued, signature: signature)
    }
}

extension LegacyCutoff: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.field("issued", issued)
            w.key("replicas")
            w.object { w in
                for replica in replicas.keys.sorted() {
                    w.key(replica.hex)
                    w.value(Int64(replicas[replica]!))
                }
            }
            w.field("signature", signature)
            w.field("workspace", workspace)
        }
    }

    public static func read(_ text: String) throws -> LegacyCutoff { try JSONReader.whole(text, read) }

    static func read(_ reader: inout JSONReader) throws -> LegacyCutoff {
        var issued: Int64?, replicas: [ReplicaID: UInt64]?, signature: Signature?, workspace: WorkspaceName?
        try reader.object { reader, name in
            switch name {
            case "issued": issued = try reader.int64()
            case "replicas":
                var bounds: [ReplicaID: UInt64] = [:]
                try reader.object { reader, key in
                    guard let replica = ReplicaID(hex: try key.string()) else { throw reader.fail("a legacy replica is 16 hex digits") }
                    bounds[replica] = try reader.count()
                }
                replicas = bounds
            case "signature": signature = try Signature.read(&reader)
            case "workspace": workspace = WorkspaceName(stored: try reader.string())
            default: try reader.skip()
            }
        }
        guard let issued, let replicas, let signature, let workspace else {
            throw reader.fail("a legacy cutoff needs issued, replicas, signature and workspace")
        }
        return LegacyCutoff(workspace: workspace, replicas: replicas, issued: issued, signature: signature)
    }
}
