import GlossCore
import NIOConcurrencyHelpers

/// The buckets of ``PushQuota`` for this instance: one per member (operations and bytes) and
/// one per workspace (operations), kept in memory. Several instances each hold their own, so a
/// member behind a load balancer over N instances may push up to N times the rate.
final class PushLimiter: Sendable {
    let quota: PushQuota
    private struct State {
        var members: [UserName: (operations: TokenBucket, bytes: TokenBucket)] = [:]
        var workspaces: [WorkspaceName: TokenBucket] = [:]
    }
    private let state = NIOLockedValueBox(State())

    init(quota: PushQuota) {
        self.quota = quota
    }

    /// Whether `user` may push `operations` operations of `bytes` bytes into `workspace` at
    /// `now` (ms): nil when they may (and the buckets are drawn on), else the ms to wait.
    func admit(user: UserName, workspace: WorkspaceName, operations: Int, bytes: Int, now: Int64) -> Int64? {
        if quota == .unlimited { return nil }
        return state.withLockedValue { state in
            var buckets = PushQuota.Buckets(quota, now: now)
            if let member = state.members[user] { (buckets.memberOperations, buckets.memberBytes) = member }
            if let known = state.workspaces[workspace] { buckets.workspaceOperations = known }
            let wait = quota.admit(operations: operations, bytes: bytes, buckets: &buckets, now: now)
            state.members[user] = (buckets.memberOperations, buckets.memberBytes)
            state.workspaces[workspace] = buckets.workspaceOperations
            return wait
        }
    }
}
