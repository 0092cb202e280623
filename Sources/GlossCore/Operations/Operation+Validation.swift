/// Checks that need only the operation itself: shape, sizes, and a create's derived id.
///
/// Applied wherever operations enter (a file, a push), before they reach the merge.
extension Operation {
    public static let maxBodyBytes = 64 * 1024
    public static let maxTagBytes = 64
    public static let maxAuthorBytes = 64
    public static let maxSeen = 64

    public enum Invalid: Error, Equatable, Sendable, CustomStringConvertible {
        case emptyAuthor
        case fieldTooLarge(String)
        case annotationIDMismatch
        case badTag(String)
        case badTarget
        case privateMismatch

        public var description: String {
            switch self {
            case .emptyAuthor: "the operation names no author"
            case let .fieldTooLarge(field): "the \(field) is over its size limit"
            case .annotationIDMismatch: "a create's annotation id must derive from its operation id"
            case let .badTag(tag): "'\(tag)' is not a valid tag (1–64 bytes, no spaces or commas)"
            case .badTarget: "the target's positions are invalid (need 0 <= start < end)"
            case .privateMismatch: "a create's private flag must match its visibility"
            }
        }
    }

    public func validate() throws(Invalid) {
        if author.isEmpty { throw .emptyAuthor }
        if author.utf8.count > Self.maxAuthorBytes { throw .fieldTooLarge("author") }
        if workspace.utf8.count > Self.maxAuthorBytes { throw .fieldTooLarge("workspace") }
        switch change {
        case let .create(creation):
            if annotation != AnnotationID(createdBy: id) { throw .annotationIDMismatch }
            if (creation.visibility == .private) != isPrivate { throw .privateMismatch }
            if creation.body.utf8.count > Self.maxBodyBytes { throw .fieldTooLarge("body") }
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

    public static func validate(tag: String) throws(Invalid) {
        guard !tag.isEmpty, tag.utf8.count <= maxTagBytes,
              !tag.contains(where: { $0.isWhitespace || $0 == "," }) else { throw .badTag(tag) }
    }

    static func validate(target: Target) throws(Invalid) {
        let p = target.position
        guard p.start >= 0, p.end > p.start else { throw .badTarget }
        if target.quote.exact.utf8.count > maxBodyBytes { throw .fieldTooLarge("quote") }
    }
}
