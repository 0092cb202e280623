/// What a member may do in a workspace.
public enum Role: String, Codable, CaseIterable, Sendable, Comparable {
    /// Reads everything the team shares; writes nothing.
    case reader
    /// Annotates, replies, tags and resolves.
    case member
    /// A member who also manages the workspace.
    case admin

    /// The reader-cannot-write rule: push admission (`PushPolicy`) and the report upload route
    /// ask this, and nothing else decides it.
    public var canWrite: Bool { self != .reader }

    public static func < (a: Role, b: Role) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
