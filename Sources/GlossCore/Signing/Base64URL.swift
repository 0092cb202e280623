/// The text form of the binary values signing adds (keys, signatures, hashes): base64url
/// without padding (RFC 4648 §5), strict in both directions.
///
/// Reading refuses padding, other alphabets and non-zero spare bits, so a value has exactly one
/// text: two texts of one key or signature never both pass.
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index + 3 <= bytes.count {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            for shift in [18, 12, 6, 0] { out.append(alphabet[Int((n >> UInt32(shift)) & 63)]) }
            index += 3
        }
        switch bytes.count - index {
        case 1:
            let n = UInt32(bytes[index]) << 16
            out.append(alphabet[Int((n >> 18) & 63)])
            out.append(alphabet[Int((n >> 12) & 63)])
        case 2:
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            for shift in [18, 12, 6] { out.append(alphabet[Int((n >> UInt32(shift)) & 63)]) }
        default:
            break
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of `text`, or nil when it is not the one base64url text of some bytes.
    static func decode(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 4 != 1 else { return nil }
        var sextets: [UInt32] = []
        sextets.reserveCapacity(digits.count)
        for digit in digits {
            let value = values[Int(digit)]
            guard value != 0xFF else { return nil }
            sextets.append(UInt32(value))
        }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count * 3 / 4)
        var index = 0
        while index + 4 <= sextets.count {
            let n = sextets[index] << 18 | sextets[index + 1] << 12 | sextets[index + 2] << 6 | sextets[index + 3]
            out.append(UInt8(n >> 16))
            out.append(UInt8((n >> 8) & 0xFF))
            out.append(UInt8(n & 0xFF))
            index += 4
        }
        switch sextets.count - index {
        case 2:
            guard sextets[index + 1] & 0x0F == 0 else { return nil }
            out.append(UInt8((sextets[index] << 2) | (sextets[index + 1] >> 4)))
        case 3:
            guard sextets[index + 2] & 0x03 == 0 else { return nil }
            let n = sextets[index] << 18 | sextets[index + 1] << 12 | sextets[index + 2] << 6
            out.append(UInt8(n >> 16))
            out.append(UInt8((n >> 8) & 0xFF))
        default:
            break
        }
        return out
    }
}
