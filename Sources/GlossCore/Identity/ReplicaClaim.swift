import Crypto
import Foundation

/// Proof that a replica id belongs to a user: the id is derived from the user's canonical name
/// and a salt, so anyone can check the pair and no one can make an id that derives from
/// someone else's name.
///
/// `replica = first 64 bits of SHA-256("gloss-replica-v1" 0x00 user 0x00 salt)`
///
/// Every writing process mints a fresh salt (128 random bits) and so a fresh replica id
/// (``WriterSession``). The salt is not secret: a claim travels with the first push of each
/// replica, and the server registers the id to the pushing user only when the claim proves it
/// for that user. To take alice's replica id, bob would need a salt whose hash under his own
/// name hits her 64-bit id: a second preimage, about 2^64 hashes. So no operation can be placed
/// under an id of alice's replica by anyone else, whether or not alice has synced yet, and an
/// operation id names its author for good. (`docs/RELIABILITY.md`, threat model.)
public struct ReplicaClaim: Codable, Hashable, Sendable {
    public var replica: ReplicaID
    /// 32 hex digits.
    public var salt: String

    public init(replica: ReplicaID, salt: String) {
        self.replica = replica
        self.salt = salt
    }

    /// The claim for a new replica of `user` with these 16 salt bytes.
    public static func mint(for user: UserName, salt: [UInt8]) -> ReplicaClaim {
        let hex = salt.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        return ReplicaClaim(replica: derive(user: user, salt: hex), salt: hex)
    }

    public static func randomSalt<G: RandomNumberGenerator>(using generator: inout G) -> [UInt8] {
        (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// True when this claim derives its replica id from `user`'s name.
    public func proves(_ user: UserName) -> Bool {
        salt.utf8.count == 32 && salt.utf8.allSatisfy(\.isLowercaseHexDigit) && Self.derive(user: user, salt: salt) == replica
    }

    static func derive(user: UserName, salt: String) -> ReplicaID {
        var input = Data("gloss-replica-v1".utf8)
        input.append(0)
        input.append(contentsOf: user.rawValue.utf8)
        input.append(0)
        input.append(contentsOf: salt.utf8)
        let value = SHA256.hash(data: input).prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        // Zero is not a replica id; the one salt in 2^64 that hashes to it names replica 1.
        return ReplicaID(rawValue: max(value, 1))
    }
}

extension UInt8 {
    var isLowercaseHexDigit: Bool { (0x30...0x39).contains(self) || (0x61...0x66).contains(self) }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
