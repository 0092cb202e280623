import Foundation
import NIOConcurrencyHelpers

/// TEST HOOK for crash tests: with `GLOSS_SERVER_CRASH_AFTER_COMMIT=N` in the environment, the
/// N-th successful push transaction commits and the process then dies at once with `_exit(137)`
/// (as `kill -9` would leave it), before answering. Clients must then find the push stored
/// and resume without loss or duplication. Unset in production, it does nothing.
final class CrashHook: Sendable {
    static let environmentKey = "GLOSS_SERVER_CRASH_AFTER_COMMIT"

    private let crashAt: Int?
    private let commits = NIOLockedValueBox(0)

    init(crashAt: Int?) { self.crashAt = crashAt }

    convenience init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.init(crashAt: environment[Self.environmentKey].flatMap { Int($0) })
    }

    /// Called once per committed push, before the answer is written.
    func pushCommitted() {
        guard let crashAt else { return }
        let count = commits.withLockedValue { value -> Int in
            value += 1
            return value
        }
        if count == crashAt { _exit(137) }
    }
}
