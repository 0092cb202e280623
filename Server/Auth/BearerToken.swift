import Crypto
import Foundation
import GlossCore

/// A bearer token, `gls_<id>_<secret>`: a public id (8 random bytes, hex) to look it up by and
/// a secret (32 random bytes, hex) of which the server keeps only the SHA-256.
struct BearerToken: Sendable, Equatable {
    static let prefix = "gls_"
    static let idBytes = 8
    static let secretBytes = 32

    var id: String
    var secret: String

    /// A fresh token from the system's cryptographic random source.
    static func generate() -> BearerToken {
        var rng = SystemRandomNumberGenerator()
        func hex(_ count: Int) -> String { (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &rng) }.hexString }
        return BearerToken(id: hex(idBytes), secret: hex(secretBytes))
    }

    /// Parses `gls_<id>_<secret>`; nil for anything else.
    init?(_ text: some StringProtocol) {
        guard text.hasPrefix(Self.prefix) else { return nil }
        let parts = text.dropFirst(Self.prefix.count).split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 2,
              Self.isHex(parts[0], bytes: Self.idBytes), Self.isHex(parts[1], bytes: Self.secretBytes) else { return nil }
        self.init(id: String(parts[0]), secret: String(parts[1]))
    }

    init(id: String, secret: String) {
        self.id = id
        self.secret = secret
    }

    var text: String { "\(Self.prefix)\(id)_\(secret)" }
    var secretHash: [UInt8] { Self.hash(secret) }

    static func hash(_ secret: String) -> [UInt8] { Array(SHA256.hash(data: Data(secret.utf8))) }

    /// True when `secret` hashes to `hash`; takes the same time wherever the bytes differ.
    static func matches(secret: String, hash stored: [UInt8]) -> Bool {
        let computed = hash(secret)
        guard computed.count == stored.count else { return false }
        var difference: UInt8 = 0
        for i in computed.indices { difference |= computed[i] ^ stored[i] }
        return difference == 0
    }

    /// True for a public token id (16 lowercase hex digits).
    static func isID(_ text: some StringProtocol) -> Bool { isHex(text, bytes: idBytes) }

    private static func isHex(_ text: some StringProtocol, bytes: Int) -> Bool {
        text.utf8.count == bytes * 2 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
