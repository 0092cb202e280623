/// Checks that need only the operation itself: shape, sizes, and a create's derived id.
///
/// Applied wherever operations enter (a file, a push), before they reach the merge.
extension Operation {
    public static let maxBodyBytes = 64 * 1024
    public static let maxTagBytes = 64
    public static let maxAuthorBytes = 64
    public static let maxSeen = 64
    /// Most tags a create may carry.
    public static let maxTagsPerCreate = 64
    /// Largest quote context (a `TextQuoteSelector`'s `prefix` or `suffix`): Gloss writes 32
    /// scalars (``TextAnchor/contextLength``), other W3C tools about as many; the limit leaves
    /// room for them and none for a megabyte that would jam every teammate's pull.
    public static let maxContextBytes = 1024
    /// Largest id an operation names (an annotation's, a report's): theirs are 16 and 64 hex digits.
    public static let maxIDBytes = 64

    public enum Invalid: Error, Equatable, Sendable, CustomStringConvertible {
        case emptyAuthor
        case badName(String, IdentityName.Refusal)
        case fieldTooLarge(String)
        case annotationIDMismatch
        case badTag(String)
        case badTarget
        case privateMismatch
        case badLink

        public var description: String {
            switch self {
            case .emptyAuthor: "the operation names no author"
            case let .badName(field, refusal): "the \(field) is not a canonical name: \(refusal)"
            case let .fieldTooLarge(field): "the \(field) is over its size limit"
            case .annotationIDMismatch: "a create's annotation id must derive from its operation id"
            // The tag is not quoted: it may be private text, and the refusal may reach others.
            case .badTag: "a tag is not valid (tags are 1–64 bytes, with no spaces or commas)"
            case .badTarget: "the target's positions are invalid (need 0 <= start < end)"
            case .privateMismatch: "a create's private flag must match its visibility"
            case .badLink: "a revision link is a team 'linking' note on the newer report, naming another report"
            }
        }
    }

    public func validate() throws(Invalid) {
        if author.isEmpty { throw .emptyAuthor }
        if author.rawValue.utf8.count > Self.maxAuthorBytes { throw .fieldTooLarge("author") }
        if workspace.rawValue.utf8.count > Self.maxAuthorBytes { throw .fieldTooLarge("workspace") }
        try Self.validate(name: author.rawValue, as: "author")
        if !workspace.isEmpty { try Self.validate(name: workspace.rawValue, as: "workspace") }
        // Every string an operation holds has a bound, checked wherever operations enter (a
        // push, a pulled page, a file): one operation over it must not jam a feed for everyone.
        if annotation.rawValue.utf8.count > Self.maxIDBytes { throw .fieldTooLarge("annotation id") }
        switch change {
        case let .create(creation):
            if annotation != AnnotationID(createdBy: id) { throw .annotationIDMismatch }
            if creation.report.rawValue.utf8.count > Self.maxIDBytes { throw .fieldTooLarge("report id") }
            if let parent = creation.parent, parent.rawValue.utf8.count > Self.maxIDBytes { throw .fieldTooLarge("parent id") }
            if (creation.visibility == .private) != isPrivate { throw .privateMismatch }
            if creation.body.utf8.count > Self.maxBodyBytes { throw .fieldTooLarge("body") }
            if creation.tags.count > Self.maxTagsPerCreate { throw .fieldTooLarge("tag list") }
            if let revises = creation.revises {
                guard creation.motivation == .linking, creation.visibility == .team, creation.parent == nil,
                      revises != creation.report, revises.rawValue.utf8.count == 64 else { throw .badLink }
            }
            for tag in creation.tags { try Self.validate(tag: tag) }
            if let target = creation.target { try Self.validate(target: target) }
        case let .editBody(text, seen):
            if text.utf8.count > Self.maxBodyBytes { throw .fieldTooLarge("body") }
            if seen.count > Self.maxSeen { throw .fieldTooLarge("seen list") }
        case let .retarget(target): try Self.validate(target: target)
        case let .addTag(tag): try Self.validate(tag: tag)
        case let .removeTag(tag, observed):
            try Self.validate(tag: tag)
            if observed.count > 4096 { throw .fieldTooLarge("observed list") }
        case .judge, .setStatus, .delete: break
        }
    }

    /// Identities travel in canonical form only (``IdentityName``), so that every comparison,
    /// in Swift or in SQL, sees the same bytes.
    static func validate(name: String, as field: String) throws(Invalid) {
        guard !IdentityName.isCanonical(name) else { return }
        do throws(IdentityName.Refusal) {
            _ = try IdentityName.canonical(name)
            throw .badCharacter  // valid, but not in canonical form (upper case)
        } catch {
            throw .badName(field, error)
        }
    }

    public static func validate(tag: String) throws(Invalid) {
        guard !tag.isEmpty, tag.utf8.count <= maxTagBytes,
              !tag.contains(where: { $0.isWhitespace || $0 == "," }) else { throw .badTag(tag) }
    }

    static func validate(target: Target) throws(Invalid) {
        let p = target.position
        guard p.start >= 0, p.end > p.start else { throw .badTarget }
        if let source = target.source, source.rawValue.utf8.count != 64 || !source.rawValue.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) {
            throw .badTarget
        }
        if target.quote.exact.utf8.count > maxBodyBytes { throw .fieldTooLarge("quote") }
        if target.quote.prefix.utf8.count > maxContextBytes { throw .fieldTooLarge("quote prefix") }
        if target.quote.suffix.utf8.count > maxContextBytes { throw .fieldTooLarge("quote suffix") }
    }
}
