/// How a team server's address is shown: without the user info a URL may carry
/// (`http://user:password@host` shows as `http://host`). The address is kept as given and
/// used as given; only what is printed (`status`, `whoami`, `remote add`, every sync error and
/// hint) goes through here, the way a token is never printed.
public enum RemoteAddress {
    /// `text` with the user info taken out of every URL in it (`scheme://user:pw@host…` →
    /// `scheme://host…`): a URL alone, or a message that quotes one.
    public static func shown(_ text: String) -> String {
        guard text.contains("@"), text.contains("://") else { return text }
        var out = Substring()
        var rest = Substring(text)
        while let separator = rest.firstRange(of: "://") {
            out += rest[..<separator.upperBound]
            rest = rest[separator.upperBound...]
            // The authority runs to the first "/", "?", "#", or anything a URL cannot hold.
            let end = rest.firstIndex { "/?#".contains($0) || $0.isWhitespace || "\"'<>`".contains($0) } ?? rest.endIndex
            let authority = rest[..<end]
            if let at = authority.lastIndex(of: "@") { out += authority[authority.index(after: at)...] } else { out += authority }
            rest = rest[end...]
        }
        return String(out + rest)
    }
}
