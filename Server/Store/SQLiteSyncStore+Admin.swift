import Foundation
import GRDB
import GlossCore

/// Users, tokens, workspaces and members, as the admin commands change them.
extension SQLiteSyncStore {
    func addUser(_ name: String, now: Int64) async throws {
        try StoreNames.requireCanonical(name, as: "user")
        try await pool.write { db in
            try StoreNames.requireNew(name, .user, among: String.fetchAll(db, sql: "SELECT name FROM users"))
            try db.execute(sql: "INSERT INTO users (name, created) VALUES (?, ?)", arguments: [name, now])
        }
    }

    func addToken(_ token: StoredToken) async throws {
        try await pool.write { db in
            guard try Self.exists(db, "SELECT EXISTS(SELECT 1 FROM users WHERE name = ?)", token.user) else {
                throw StoreError(.notFound, "no user named \(token.user)", hint: "create it with `gloss-server user add \(token.user)`")
            }
            try db.execute(sql: "INSERT INTO tokens (id, user, hash, created, revoked) VALUES (?, ?, ?, ?, ?)",
                           arguments: [token.id, token.user, Data(token.secretHash), token.created, token.revoked])
        }
    }

    func revokeToken(id: String, now: Int64) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "UPDATE tokens SET revoked = COALESCE(revoked, ?) WHERE id = ?", arguments: [now, id])
            return db.changesCount == 1
        }
    }

    func createWorkspace(_ name: String, now: Int64) async throws {
        try StoreNames.requireCanonical(name, as: "workspace")
        try await pool.write { db in
            try StoreNames.requireNew(name, .workspace, among: String.fetchAll(db, sql: "SELECT name FROM workspaces"))
            try db.execute(sql: "INSERT INTO workspaces (name, created) VALUES (?, ?)", arguments: [name, now])
            try db.execute(sql: "INSERT INTO heads (workspace, seq) VALUES (?, 0)", arguments: [name])
        }
    }

    func setMember(_ user: String, of workspace: String, role: Role) async throws {
        try await pool.write { db in
            guard try Self.exists(db, "SELECT EXISTS(SELECT 1 FROM workspaces WHERE name = ?)", workspace) else {
                throw StoreError(.notFound, "no workspace named '\(workspace)'", hint: "create it with `gloss-server workspace create \(workspace)`")
            }
            guard try Self.exists(db, "SELECT EXISTS(SELECT 1 FROM users WHERE name = ?)", user) else {
                throw StoreError(.notFound, "no user named \(user)", hint: "create it with `gloss-server user add \(user)`")
            }
            try db.execute(sql: """
                INSERT INTO members (workspace, user, role) VALUES (?, ?, ?)
                ON CONFLICT (workspace, user) DO UPDATE SET role = excluded.role
                """, arguments: [workspace, user, role.rawValue])
        }
    }

    func removeMember(_ user: String, from workspace: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM members WHERE workspace = ? AND user = ?", arguments: [workspace, user])
            return db.changesCount == 1
        }
    }

    private static func exists(_ db: Database, _ sql: String, _ value: String) throws -> Bool {
        try Bool.fetchOne(db, sql: sql, arguments: [value]) ?? false
    }
}
