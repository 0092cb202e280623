/// What a bearer token may hold before it is sent: visible ASCII only (a server token is
/// `gls_<hex>_<hex>`). A stray control character, space or non-ASCII letter (a paste that
/// caught a terminal's escape, a file with a BOM) would make the HTTP library refuse the
/// header, and its error would quote the header whole: the token is checked when it is read
/// instead, and the problem names a position, never the token.
public enum TokenText {
    /// Why `token` cannot be a bearer token, naming the 1-based position of the first
    /// character that cannot be in one; nil when every character can.
    public static func problem(_ token: String) -> String? {
        for (index, scalar) in token.unicodeScalars.enumerated() where !(0x21...0x7E).contains(scalar.value) {
            let what = switch scalar.value {
            case 0x20: "a space"
            case 0..<0x20, 0x7F, 0x80..<0xA0: "a control character"
            default: "a character that is not ASCII"
            }
            return "the token has \(what) at position \(index + 1) of \(token.unicodeScalars.count)"
        }
        return nil
    }
}
