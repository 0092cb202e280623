import Foundation

/// The text form of the binary values signing adds (keys, signatures, hashes): base64url
/// without padding (RFC 4648 §5), strict in both directions.
///
/// Foundation's base64 does the work. Reading takes a text only when writing its bytes gives the
/// same text back, which refuses padding, other alphabets, white space and non-zero spare bits:
/// a value has exactly one text, so two texts of one key or signature never both pass.
enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        // The alphabet is swapped byte by byte: String's replacingOccurrences went through
        // NSString, and made a quarter of the time of applying a signed file.
        var text = Array(Data(bytes).base64EncodedData())
        while text.last == UInt8(ascii: "=") { text.removeLast() }
        for index in text.indices {
            switch text[index] {
            case UInt8(ascii: "+"): text[index] = UInt8(ascii: "-")
            case UInt8(ascii: "/"): text[index] = UInt8(ascii: "_")
            default: break
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

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
