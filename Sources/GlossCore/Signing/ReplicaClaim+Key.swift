import Crypto

/// A signing replica's claim: its salt is derived from its device key and a nonce,
///
/// `salt = hex(first 16 bytes of SHA-256("gloss-replica-key-v1" 0x00 ‖ public key ‖ nonce))`
///
/// so the replica id names both its user (``ReplicaClaim``) and the one key that may sign its
/// chains. A key bound to the same user later (a new device, or a compromised root binding a
/// key in her name) cannot continue or rewrite the chains of her existing replicas: to sign
/// for one it would need a nonce that derives that replica's id from its own key, a second
/// preimage of 64 bits of SHA-256 (the same bar as taking a replica id from another user).
extension ReplicaClaim {
    /// The claim of a new signing replica of `user`, with 16 random bytes `nonce`.
    public static func mint(for user: UserName, key: DevicePublicKey, nonce: [UInt8]) -> (claim: ReplicaClaim, nonce: String) {
        let text = nonce.hexString
        let salt = keyedSalt(key: key, nonce: text)!
        return (ReplicaClaim(replica: derive(user: user, salt: salt), salt: salt), text)
    }

    /// The salt `key` and `nonce` (32 lowercase hex digits) give; nil for a malformed nonce.
    static func keyedSalt(key: DevicePublicKey, nonce: String) -> String? {
        guard nonce.utf8.count == 32, nonce.utf8.allSatisfy(\.isLowercaseHexDigit) else { return nil }
        var hasher = SHA256()
        hasher.update(data: Array("gloss-replica-key-v1\u{0}".utf8))
        hasher.update(data: key.rawRepresentation)
        hasher.update(data: Array(nonce.utf8))
        return String(hasher.finalize().hexString.prefix(32))
    }
}
