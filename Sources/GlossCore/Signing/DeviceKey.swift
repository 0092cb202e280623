import Crypto
import Foundation

/// A replica's signing key (Ed25519): made once at `gloss init`, kept in the replica's folder
/// (mode 0600), never sent anywhere. It signs the heads of the replica's chains (``ChainHead``).
///
/// Pure: the 32 random bytes come from the caller (``generate(using:)`` with the system's
/// generator in the CLI, a seeded one in tests).
public struct DeviceKey: Sendable {
    /// The 32-byte private key, as stored in the replica's key file.
    public let rawRepresentation: [UInt8]
    public let publicKey: DevicePublicKey

    /// The key stored as `raw`, or nil when it is not 32 bytes.
    public init?(rawRepresentation raw: [UInt8]) {
        guard raw.count == 32, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else { return nil }
        rawRepresentation = raw
        publicKey = DevicePublicKey(checked: Array(key.publicKey.rawRepresentation))
    }

    /// The key file's text form: the 32 private bytes as base64url (43 characters).
    public init?(text: String) {
        guard let raw = Base64URL.decode(text) else { return nil }
        self.init(rawRepresentation: raw)
    }

    public var text: String { Base64URL.encode(rawRepresentation) }

    /// A new key from 32 bytes of `generator` (a cryptographically secure one outside tests).
    public static func generate<G: RandomNumberGenerator>(using generator: inout G) -> DeviceKey {
        let seed = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return DeviceKey(rawRepresentation: seed)!
    }

    /// The Ed25519 signature of `message` (64 bytes).
    func sign(_ message: SigningMessage) -> Signature {
        // Made from the 32 stored bytes, which always form a key (checked in init).
        let key = try! Curve25519.Signing.PrivateKey(rawRepresentation: rawRepresentation)
        return Signature(bytes: Array(try! key.signature(for: message.bytes)))
    }
}

/// A device's public key: what a ``KeyBinding`` ties to a user and a ``ChainHead`` names.
/// Written as base64url text (43 characters); shown by its ``keyID``.
public struct DevicePublicKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 32-byte Ed25519 public key.
    public let rawRepresentation: [UInt8]

    /// `raw` as a key, or nil when it is not an Ed25519 public key.
    public init?(rawRepresentation raw: [UInt8]) {
        guard raw.count == 32, (try? Curve25519.Signing.PublicKey(rawRepresentation: raw)) != nil else { return nil }
        rawRepresentation = raw
    }

    init(checked raw: [UInt8]) { rawRepresentation = raw }

    /// The key's text form, base64url without padding.
    public init?(text: String) {
        guard let raw = Base64URL.decode(text) else { return nil }
        self.init(rawRepresentation: raw)
    }

    public var text: String { Base64URL.encode(rawRepresentation) }

    /// A short name for people: the first 16 hex digits of SHA-256 of the key (64 bits), as
    /// `gloss-server user keys` and a warning about a new key would show it.
    public var keyID: String { String(SHA256.hash(data: rawRepresentation).hexString.prefix(16)) }

    public var description: String { keyID }

    /// True when `signature` is this key's signature of `message`.
    func verifies(_ signature: Signature, of message: SigningMessage) -> Bool {
        guard signature.bytes.count == 64,
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: rawRepresentation) else { return false }
        return key.isValidSignature(signature.bytes, for: message.bytes)
    }

    public static func < (a: DevicePublicKey, b: DevicePublicKey) -> Bool {
        a.rawRepresentation.lexicographicallyPrecedes(b.rawRepresentation)
    }
}

/// An Ed25519 signature (64 bytes), written as base64url text.
public struct Signature: Hashable, Sendable {
    public let bytes: [UInt8]
    public init(bytes: [UInt8]) { self.bytes = bytes }

    public init?(text: String) {
        guard let bytes = Base64URL.decode(text), bytes.count == 64 else { return nil }
        self.bytes = bytes
    }

    public var text: String { Base64URL.encode(bytes) }
}

/// The workspace's root of trust: the key that binds device keys to users and revokes them
/// (``KeyBinding``, ``KeyRevocation``, ``LegacyCutoff``). `gloss-server workspace create`
/// makes it and keeps it; replicas pin its public key (``RootPublicKey``).
/// A type of its own so that a device key can never be passed where the root is meant.
public struct RootKey: Sendable {
    public let key: DeviceKey
    public init(_ key: DeviceKey) { self.key = key }
    public var publicKey: RootPublicKey { RootPublicKey(key.publicKey) }
}

/// The pinned public key of a workspace's root of trust.
public struct RootPublicKey: Hashable, Sendable, CustomStringConvertible {
    public let key: DevicePublicKey
    public init(_ key: DevicePublicKey) { self.key = key }
    public var description: String { key.keyID }
}
