import Foundation

/// The text form of the binary values signing adds (keys, signatures, hashes): base64url
/// without padding (RFC 4648 §5), strict in both directions.
///
/// Foundation's base64 does the work. Reading takes a text only when writing its bytes gives the
/// same text back, which refuses padding, other alphabets, white space and non-zero spare bits:
/// a value has exactly one text, so two texts of one key or signature never both pass.
enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while text.last == "=" { text.removeLast() }
        return text
    }

    /// The bytes of `text`, or nil when it is not the one base64url text of some bytes.
    static func decode(_ text: String) -> [UInt8]? {
        guard text.utf8.count % 4 != 1 else { return nil }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: standard) else { return nil }
        let bytes = [UInt8](data)
        return encode(bytes) == text ? bytes : nil
    }
}
