import Foundation

/// The text form of the binary values signing adds (keys, signatures, hashes): base64url
/// without padding (RFC 4648 §5), strict in both directions.
///
/// Foundation's base64 does the work. Reading takes a text only when writing its bytes gives the
/// same text back, which refuses padding, other alphabets, white space and non-zero spare bits:
/// a value has exactly one text, so two texts of one key or signature never both pass.
enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { encode($0) }
    }

    static func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        // Written straight from the alphabet: Foundation's encoder and the swap of its two
        // letters took four buffers per hash, a tenth of the time of keeping a signed file's run.
        String(unsafeUninitializedCapacity: (bytes.count * 4 + 2) / 3) { text in
            var out = 0
            func put(_ sextet: UInt32) {
                text[out] = alphabet[Int(sextet & 63)]
                out += 1
            }
            var index = 0
            while index + 3 <= bytes.count {
                let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
                put(group >> 18); put(group >> 12); put(group >> 6); put(group)
                index += 3
            }
            switch bytes.count - index {
            case 1:
                let group = UInt32(bytes[index]) << 16
                put(group >> 18); put(group >> 12)
            case 2:
                let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
                put(group >> 18); put(group >> 12); put(group >> 6)
            default: break
            }
            return out
        }
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// The bytes of `text`, or nil when it is not the one base64url text of some bytes.
    static func decode(_ text: String) -> [UInt8]? {
        var standard = Array(text.utf8)
        guard standard.count % 4 != 1 else { return nil }
        for index in standard.indices {
            switch standard[index] {
            case UInt8(ascii: "-"): standard[index] = UInt8(ascii: "+")
            case UInt8(ascii: "_"): standard[index] = UInt8(ascii: "/")
            // The standard alphabet's own two are not base64url.
            case UInt8(ascii: "+"), UInt8(ascii: "/"): return nil
            default: break
            }
        }
        standard += Array(repeating: UInt8(ascii: "="), count: (4 - standard.count % 4) % 4)
        guard let data = Data(base64Encoded: Data(standard)) else { return nil }
        let bytes = [UInt8](data)
        return encode(bytes) == text ? bytes : nil
    }
}
