import GlossCore

/// A user as `gloss-server user list` shows them.
struct UserSummary: Sendable, Equatable, Codable {
    var name: UserName
    /// ms since the epoch.
    var created: Int64
    /// When they were removed (ms since the epoch); nil while active.
    var removed: Int64?
    /// Tokens not revoked.
    var activeTokens: Int
    /// Workspaces they belong to, by name.
    var workspaces: [WorkspaceName]
}

/// A workspace as `gloss-server workspace list` shows it.
struct WorkspaceSummary: Sendable, Equatable, Codable {
    var name: WorkspaceName
    /// ms since the epoch.
    var created: Int64
    var members: Int
    /// Operations stored in it (its head: numbers are gapless per workspace).
    var operations: Int64
}

/// A member as `gloss-server member list WORKSPACE` shows them.
struct MemberSummary: Sendable, Equatable, Codable {
    var user: UserName
    var role: Role
}

/// What removing a user took from them. Their operations stay: the history is the team's.
struct UserRemoval: Sendable, Equatable, Codable {
    var user: UserName
    /// Tokens that were valid and are now revoked, by public id.
    var revokedTokens: [String]
    /// Workspaces they were a member of, by name.
    var leftWorkspaces: [WorkspaceName]
}
