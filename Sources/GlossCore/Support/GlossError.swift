/// An error a person can act on: what went wrong and, where there is one, what to do.
public struct GlossError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of failure, for scripts (`--json` errors carry it) and tests.
    public enum Code: String, Sendable, Codable {
        case notInitialized, alreadyInitialized, notFound, ambiguous, invalidArgument
        case quoteNotFound, quoteAmbiguous, forbidden, badReport, badFile, conflict, storage
        case remote, refused
    }

    public var code: Code
    public var message: String
    public var hint: String?

    public init(_ code: Code, _ message: String, hint: String? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
    }

    public var description: String {
        hint.map { "\(message)\nhint: \($0)" } ?? message
    }
}
