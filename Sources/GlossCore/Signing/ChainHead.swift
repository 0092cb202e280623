/// What a device signs: a chain, how far it goes, and the key that signs it. A push or an
/// export carries one signed head per chain it sends operations of (in a ``ChainSegment``);
/// the signature covers every operation of the chain up to ``position``.
public struct ChainHead: Hashable, Sendable {
    public var chain: ChainID
    /// The nonce of the chain's replica claim (`ReplicaClaim+Key.swift`): with ``key`` it
    /// gives the claim's salt, so the head proves that its replica id derives from its
    /// author's name *and* from this key. No key signs for a replica of someone else's, nor
    /// for a replica of the same user's that another key started.
    public var nonce: String
    public var position: ChainPosition
    /// The signing device's key; a ``KeyBinding`` must tie it to ``ChainID/author``.
    public var key: DevicePublicKey

    public init(chain: ChainID, nonce: String, position: ChainPosition, key: DevicePublicKey) {
        self.chain = chain
        self.nonce = nonce
        self.position = position
        self.key = key
    }

    /// The claim the head makes for its replica (nil for a malformed nonce).
    public var claim: ReplicaClaim? {
        ReplicaClaim.keyedSalt(key: key, nonce: nonce).map { ReplicaClaim(replica: chain.replica, salt: $0) }
    }

    /// True when the replica is the author's and was started with this key.
    public var claimHolds: Bool { claim?.proves(chain.author) ?? false }

    /// The bytes signed (``SigningMessage``).
    var message: SigningMessage {
        var message = SigningMessage("gloss-head-v1")
        message.text(chain.workspace.rawValue)
        message.number(chain.replica.rawValue)
        message.text(chain.author.rawValue)
        message.flag(chain.isPrivate)
        message.text(nonce)
        message.fixed(key.rawRepresentation)
        message.number(position.count)
        message.fixed(position.link.bytes)
        return message
    }

    /// This head signed with `key` (whose public key is ``key``).
    public func signed(with device: DeviceKey) -> SignedHead {
        precondition(device.publicKey == key, "a head is signed by the key it names")
        return SignedHead(head: self, signature: device.sign(message))
    }
}

/// A ``ChainHead`` and its signature.
public struct SignedHead: Hashable, Sendable {
    public var head: ChainHead
    public var signature: Signature
    public init(head: ChainHead, signature: Signature) {
        self.head = head
        self.signature = signature
    }

    /// True when the signature is the head's key's (one Ed25519 check). Whether the key is
    /// bound to the head's author is ``KeyRing``'s question.
    public var isValid: Bool { head.key.verifies(signature, of: head.message) }
}

/// What travels with operations: a run of a chain's entries and the signed head they lead to.
///
/// `from` is the link before the first entry; hashing the entries onto it must give the
/// head's link, so the signature covers each entry, and each operation is checked against its
/// own entry: an altered operation is refused alone, and the others of the run still verify.
/// A run can start anywhere before its head (a sender cuts it to what the receiver lacks).
/// Cost to verify: one SHA-256 per entry, one per operation, one signature per run.
public struct ChainSegment: Hashable, Sendable {
    public var from: ChainHash
    public var entries: [ChainEntry]
    public var head: SignedHead

    public init(from: ChainHash, entries: [ChainEntry], head: SignedHead) {
        self.from = from
        self.entries = entries
        self.head = head
    }

    public var chain: ChainID { head.head.chain }

    /// The count before the first entry; nil when there are more entries than the head counts.
    public var start: UInt64? {
        let count = head.head.position.count
        return UInt64(entries.count) <= count ? count - UInt64(entries.count) : nil
    }

    /// Whether an entry of the run is for `counter`. An honest run lists its counters rising (a
    /// chain is appended in the order operations are made), so this is a binary search; on a
    /// run that does not, it may miss an entry, never invent one.
    public func lists(_ counter: UInt64) -> Bool {
        var low = 0, high = entries.count
        while low < high {
            let middle = (low + high) / 2
            let found = entries[middle].counter
            if found == counter { return true }
            if found < counter { low = middle + 1 } else { high = middle }
        }
        return false
    }

    /// The link after position `position` of the chain, when the run covers it and its entries
    /// lead to its signed head (nil otherwise: a run that does not check says nothing).
    public func link(at position: UInt64) -> ChainHash? {
        guard let start, position >= start, position - start <= UInt64(entries.count), let links = links() else { return nil }
        return links[Int(position - start)]
    }

    /// The run cut to begin at its first entry of counter `counter` or later: what a receiver
    /// needs for operations from there on (a server cuts a kept run so to each pull page, since
    /// the head is signed and only the front can go). Unchanged when nothing is before it, or
    /// when the run does not check (its receiver refuses it whole, as it would have).
    public func starting(at counter: UInt64) -> ChainSegment {
        guard let first = entries.firstIndex(where: { $0.counter >= counter }), first > 0, let links = links() else { return self }
        return ChainSegment(from: links[first], entries: Array(entries[first...]), head: head)
    }

    /// The links at positions `start ... head`: `from`, then one per entry. Nil when the
    /// entries do not lead to the head's link (they are not what was signed).
    func links() -> [ChainHash]? {
        guard start != nil else { return nil }
        var links = [from]
        links.reserveCapacity(entries.count + 1)
        var link = from
        for entry in entries {
            link = link.next(counter: entry.counter, digest: entry.digest)
            links.append(link)
        }
        return link == head.head.position.link ? links : nil
    }
}
