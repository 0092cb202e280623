import Foundation
import GlossCore
import Logging
import ServiceLifecycle
@testable import gloss_server

/// A store that passes every call to `base`: tests subclass it to count a call or to force an
/// interleaving between two of a store's statements.
class ForwardingStore: SyncStore, @unchecked Sendable {
    let base: any SyncStore

    init(base: any SyncStore) {
        self.base = base
    }

    func pull(workspace: WorkspaceName, user: UserName, after: Int64, limit: Int, maxBytes: Int) async throws -> PullPage {
        try await base.pull(workspace: workspace, user: user, after: after, limit: limit, maxBytes: maxBytes)
    }

    var epoch: String { base.epoch }
    func checkReady() async throws { try await base.checkReady() }
    func token(id: String) async throws -> StoredToken? { try await base.token(id: id) }
    func token(id: String, roleIn workspace: WorkspaceName) async throws -> (token: StoredToken, role: Role?)? { try await base.token(id: id, roleIn: workspace) }
    func role(of user: UserName, in workspace: WorkspaceName) async throws -> Role? { try await base.role(of: user, in: workspace) }
    func memberships(of user: UserName) async throws -> [Sync.WhoAmI.Membership] { try await base.memberships(of: user) }
    func storeReport(_ report: Report, in workspace: WorkspaceName) async throws -> Bool { try await base.storeReport(report, in: workspace) }
    func report(_ id: ReportID, in workspace: WorkspaceName) async throws -> Report? { try await base.report(id, in: workspace) }
    func reports(in workspace: WorkspaceName, after: Int64, limit: Int, maxBytes: Int) async throws -> ReportRows {
        try await base.reports(in: workspace, after: after, limit: limit, maxBytes: maxBytes)
    }
    func reportHead(of workspace: WorkspaceName) async throws -> Int64 { try await base.reportHead(of: workspace) }
    func push(_ operations: [GlossCore.Operation], claims: [ReplicaClaim], runs: [KeptRun], policy: PushPolicy) async throws -> PushOutcome {
        try await base.push(operations, claims: claims, runs: runs, policy: policy)
    }
    func signing(in workspace: WorkspaceName, user: UserName, after: Int64, through: Int64) async throws -> PageSigning {
        try await base.signing(in: workspace, user: user, after: after, through: through)
    }
    func refusals(of replicas: [ReplicaID], in workspace: WorkspaceName, user: UserName) async throws -> PageSigning {
        try await base.refusals(of: replicas, in: workspace, user: user)
    }
    func publicRoot(of workspace: WorkspaceName) async throws -> RootPublicKey? { try await base.publicRoot(of: workspace) }
    func importOperations(_ operations: [GlossCore.Operation], workspace: WorkspaceName) async throws { try await base.importOperations(operations, workspace: workspace) }
    func addUser(_ name: UserName, now: Int64) async throws { try await base.addUser(name, now: now) }
    func addToken(_ token: StoredToken) async throws { try await base.addToken(token) }
    func revokeToken(id: String, now: Int64) async throws -> Bool { try await base.revokeToken(id: id, now: now) }
    func createWorkspace(_ name: WorkspaceName, now: Int64) async throws { try await base.createWorkspace(name, now: now) }
    func setMember(_ user: UserName, of workspace: WorkspaceName, role: Role) async throws { try await base.setMember(user, of: workspace, role: role) }
    func removeMember(_ user: UserName, from workspace: WorkspaceName) async throws -> Bool { try await base.removeMember(user, from: workspace) }
    func root(of workspace: WorkspaceName, now: Int64, make: @Sendable () -> RootKey) async throws -> RootKey {
        try await base.root(of: workspace, now: now, make: make)
    }
    func addBinding(_ binding: KeyBinding) async throws { try await base.addBinding(binding) }
    func bindings(in workspace: WorkspaceName) async throws -> [KeyBinding] { try await base.bindings(in: workspace) }
    func addRevocation(_ revocation: KeyRevocation) async throws { try await base.addRevocation(revocation) }
    func revocations(in workspace: WorkspaceName) async throws -> [KeyRevocation] { try await base.revocations(in: workspace) }
    func cutoffs(in workspace: WorkspaceName) async throws -> [LegacyCutoff] { try await base.cutoffs(in: workspace) }
    func statementCount(in workspace: WorkspaceName) async throws -> Int64 { try await base.statementCount(in: workspace) }
    func quarantine(_ item: QuarantineItem, in workspace: WorkspaceName, reason: String, now: Int64) async throws -> QuarantineRecord {
        try await base.quarantine(item, in: workspace, reason: reason, now: now)
    }
    func quarantined(in workspace: WorkspaceName) async throws -> [QuarantineRecord] { try await base.quarantined(in: workspace) }
    func users() async throws -> [UserSummary] { try await base.users() }
    func removeUser(_ name: UserName, now: Int64) async throws -> UserRemoval { try await base.removeUser(name, now: now) }
    func workspaces() async throws -> [WorkspaceSummary] { try await base.workspaces() }
    func members(of workspace: WorkspaceName) async throws -> [MemberSummary] { try await base.members(of: workspace) }
    func services(notifier: PushNotifier, logger: Logger) -> [any Service] { base.services(notifier: notifier, logger: logger) }
    func allowedTokens(_ ids: [String], in workspace: WorkspaceName) async throws -> Set<String> { try await base.allowedTokens(ids, in: workspace) }
    func tail(of workspace: WorkspaceName, after: Int64, limit: Int) async throws -> LogTail { try await base.tail(of: workspace, after: after, limit: limit) }
}
