import Foundation
import GRDB
import GlossCore

/// Users, tokens, workspaces and members, as the admin commands change them.
extension SQLiteSyncStore {
    func addUser(_ name: UserName, now: Int64) async throws {
        let name = name.rawValue
        try StoreNames.requireCanonical(name, as: "user")
        try await pool.write { db in
            try StoreNames.requireNew(name, .user, among: String.fetchAll(db, sql: "SELECT name FROM users"),
                                      removed: String.fetchAll(db, sql: "SELECT name FROM users WHERE removed IS NOT NULL"))
            try db.execute(sql: "INSERT INTO users (name, created) VALUES (?, ?)", arguments: [name, now])
        }
    }

    func users() async throws -> [UserSummary] {
        try await pool.read { db in
            let memberships = Dictionary(grouping: try MemberRow.fetchAll(db, sql: "SELECT workspace, user, role FROM members ORDER BY workspace"),
                                         by: \.user)
            return try Row.fetchAll(db, sql: """
                SELECT name, created, removed,
                       (SELECT count(*) FROM tokens WHERE tokens.user = users.name AND tokens.revoked IS NULL) AS active
                FROM users ORDER BY name
                """).map { row in
                let name: String = row["name"]
                return UserSummary(name: UserName(stored: name), created: row["created"], removed: row["removed"], activeTokens: row["active"],
                                   workspaces: memberships[name, default: []].map { WorkspaceName(stored: $0.workspace) })
            }
        }
    }

    func removeUser(_ name: UserName, now: Int64) async throws -> UserRemoval {
        let name = name.rawValue
        return try await pool.write { db in
            try StoreNames.requireActive(name, removed: try Self.removed(db, name))
            let tokens = try String.fetchAll(db, sql: "SELECT id FROM tokens WHERE user = ? AND revoked IS NULL ORDER BY id", arguments: [name])
            let workspaces = try String.fetchAll(db, sql: "SELECT workspace FROM members WHERE user = ? ORDER BY workspace", arguments: [name])
            try db.execute(sql: "UPDATE tokens SET revoked = ? WHERE user = ? AND revoked IS NULL", arguments: [now, name])
            try db.execute(sql: "DELETE FROM members WHERE user = ?", arguments: [name])
            try db.execute(sql: "UPDATE users SET removed = ? WHERE name = ?", arguments: [now, name])
            return UserRemoval(user: UserName(stored: name), revokedTokens: tokens, leftWorkspaces: workspaces.map(WorkspaceName.init(stored:)))
        }
    }

    func addToken(_ token: StoredToken) async throws {
        try await pool.write { db in
            try StoreNames.requireActive(token.user.rawValue, removed: try Self.removed(db, token.user.rawValue))
            try db.execute(sql: "INSERT INTO tokens (id, user, hash, created, revoked) VALUES (?, ?, ?, ?, ?)",
                           arguments: [token.id, token.user.rawValue, Data(token.secretHash), token.created, token.revoked])
        }
    }

    func revokeToken(id: String, now: Int64) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "UPDATE tokens SET revoked = COALESCE(revoked, ?) WHERE id = ?", arguments: [now, id])
            return db.changesCount == 1
        }
    }

    func createWorkspace(_ name: WorkspaceName, now: Int64) async throws {
        let name = name.rawValue
        try StoreNames.requireCanonical(name, as: "workspace")
        try await pool.write { db in
            try StoreNames.requireNew(name, .workspace, among: String.fetchAll(db, sql: "SELECT name FROM workspaces"))
            try db.execute(sql: "INSERT INTO workspaces (name, created) VALUES (?, ?)", arguments: [name, now])
            try db.execute(sql: "INSERT INTO heads (workspace, seq) VALUES (?, 0)", arguments: [name])
        }
    }

    func workspaces() async throws -> [WorkspaceSummary] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT name, created, (SELECT count(*) FROM members WHERE members.workspace = workspaces.name) AS members,
                       coalesce((SELECT seq FROM heads WHERE heads.workspace = workspaces.name), 0) AS head
                FROM workspaces ORDER BY name
                """).map { row in
                WorkspaceSummary(name: WorkspaceName(stored: row["name"]), created: row["created"], members: row["members"], operations: row["head"])
            }
        }
    }

    func members(of workspace: WorkspaceName) async throws -> [MemberSummary] {
        let workspace = workspace.rawValue
        return try await pool.read { db in
            guard try Self.exists(db, "SELECT EXISTS(SELECT 1 FROM workspaces WHERE name = ?)", workspace) else {
                throw StoreNames.noWorkspace(workspace)
            }
            return try MemberRow.fetchAll(db, sql: "SELECT workspace, user, role FROM members WHERE workspace = ? ORDER BY user",
                                          arguments: [workspace])
                .compactMap { row in Role(rawValue: row.role).map { MemberSummary(user: UserName(stored: row.user), role: $0) } }
        }
    }

    func setMember(_ user: UserName, of workspace: WorkspaceName, role: Role) async throws {
        let user = user.rawValue
        let workspace = workspace.rawValue
        try await pool.write { db in
            guard try Self.exists(db, "SELECT EXISTS(SELECT 1 FROM workspaces WHERE name = ?)", workspace) else {
                throw StoreNames.noWorkspace(workspace)
            }
            try StoreNames.requireActive(user, removed: try Self.removed(db, user))
            try db.execute(sql: """
                INSERT INTO members (workspace, user, role) VALUES (?, ?, ?)
                ON CONFLICT (workspace, user) DO UPDATE SET role = excluded.role
                """, arguments: [workspace, user, role.rawValue])
        }
    }

    func removeMember(_ user: UserName, from workspace: WorkspaceName) async throws -> Bool {
        let user = user.rawValue
        let workspace = workspace.rawValue
        return try await pool.write { db in
            try db.execute(sql: "DELETE FROM members WHERE workspace = ? AND user = ?", arguments: [workspace, user])
            return db.changesCount == 1
        }
    }

    /// The user's `removed` column: nil when there is no such user, `.some(nil)` while active.
    private static func removed(_ db: Database, _ user: String) throws -> Int64?? {
        try Row.fetchOne(db, sql: "SELECT removed FROM users WHERE name = ?", arguments: [user]).map { $0["removed"] as Int64? }
    }

    func root(of workspace: WorkspaceName, now: Int64, make: @Sendable () -> RootKey) async throws -> RootKey {
        let name = workspace.rawValue
        return try await pool.write { db in
            guard try Self.exists(db, "SELECT EXISTS(SELECT 1 FROM workspaces WHERE name = ?)", name) else { throw StoreNames.noWorkspace(name) }
            if let stored = try String.fetchOne(db, sql: "SELECT private_key FROM workspace_roots WHERE workspace = ?", arguments: [name]) {
                return try StoreTrust.root(stored, of: name)
            }
            let root = make()
            try db.execute(sql: "INSERT INTO workspace_roots (workspace, private_key, created) VALUES (?, ?, ?)",
                           arguments: [name, root.key.text, now])
            var highest: [ReplicaID: UInt64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT replica, max(counter) FROM operations WHERE workspace = ? AND private = 0 GROUP BY replica",
                                        arguments: [name]) {
                if let replica = ReplicaID(hex: row[0]) { highest[replica] = UInt64(row[1] as Int64) }
            }
            if let cutoff = LegacyCutoff.upgrade(workspace: workspace, highestTeamCounters: highest, issued: now, root: root) {
                try db.execute(sql: "INSERT INTO legacy_cutoffs (workspace, body) VALUES (?, ?)", arguments: [name, JSONWriter.string(cutoff)])
            }
            return root
        }
    }

    func addBinding(_ binding: KeyBinding) async throws {
        try await pool.write { db in
            let workspace = binding.workspace.rawValue
            let bound = try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM key_bindings WHERE workspace = ? AND key = ?)",
                                          arguments: [workspace, binding.key.text]) ?? false
            guard !bound else { throw StoreTrust.keyBound(binding) }
            let seq = try Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) + 1 FROM key_bindings WHERE workspace = ?",
                                         arguments: [workspace]) ?? 1
            try db.execute(sql: "INSERT INTO key_bindings (workspace, seq, user, key, body) VALUES (?, ?, ?, ?, ?)",
                           arguments: [workspace, seq, binding.user.rawValue, binding.key.text, JSONWriter.string(binding)])
        }
    }

    func publicRoot(of workspace: WorkspaceName) async throws -> RootPublicKey? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT private_key FROM workspace_roots WHERE workspace = ?", arguments: [workspace.rawValue])
                .map { try StoreTrust.root($0, of: workspace.rawValue).publicKey }
        }
    }

    func bindings(in workspace: WorkspaceName) async throws -> [KeyBinding] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT body FROM key_bindings WHERE workspace = ? ORDER BY seq", arguments: [workspace.rawValue])
                .map { try KeyBinding.read($0) }
        }
    }

    func addRevocation(_ revocation: KeyRevocation) async throws {
        try await pool.write { db in
            let workspace = revocation.workspace.rawValue
            let seq = try Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) + 1 FROM key_revocations WHERE workspace = ?",
                                         arguments: [workspace]) ?? 1
            try db.execute(sql: "INSERT INTO key_revocations (workspace, seq, key, body) VALUES (?, ?, ?, ?)",
                           arguments: [workspace, seq, revocation.key.text, JSONWriter.string(revocation)])
        }
    }

    func revocations(in workspace: WorkspaceName) async throws -> [KeyRevocation] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT body FROM key_revocations WHERE workspace = ? ORDER BY seq", arguments: [workspace.rawValue])
                .map { try KeyRevocation.read($0) }
        }
    }

    func statementCount(in workspace: WorkspaceName) async throws -> Int64 {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: """
                SELECT (SELECT count(*) FROM key_bindings WHERE workspace = ?1) + (SELECT count(*) FROM key_revocations WHERE workspace = ?1)
                     + (SELECT count(*) FROM legacy_cutoffs WHERE workspace = ?1)
                """, arguments: [workspace.rawValue]) ?? 0
        }
    }

    func cutoffs(in workspace: WorkspaceName) async throws -> [LegacyCutoff] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT body FROM legacy_cutoffs WHERE workspace = ?", arguments: [workspace.rawValue])
                .map { try LegacyCutoff.read($0) }
        }
    }

    private static func exists(_ db: Database, _ sql: String, _ value: String) throws -> Bool {
        try Bool.fetchOne(db, sql: sql, arguments: [value]) ?? false
    }
}
