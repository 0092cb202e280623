import Foundation
import GlossTestSupport
import Testing

/// The convergence simulator (see `ConvergenceSimulation`).
///
/// CI runs 200 seeds. `scripts/simulate.sh` runs the long mode (GLOSS_SIM_SEEDS, GLOSS_SIM_STEPS);
/// `GLOSS_SEED=<seed>` replays one (`GLOSS_SIM_TRACE=1` prints its steps); seeds that once failed live in `Fixtures/convergence-seeds.txt`
/// and run every time.
@Suite struct ConvergenceSimulationTests {
    static let environment = ProcessInfo.processInfo.environment
    static let seeds = Int(environment["GLOSS_SIM_SEEDS"] ?? "") ?? 200
    static let steps = Int(environment["GLOSS_SIM_STEPS"] ?? "") ?? 60
    /// Stop starting new seeds after this many seconds (long mode).
    static let duration = Double(environment["GLOSS_SIM_DURATION"] ?? "")

    static var regressionSeeds: [UInt64] {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/convergence-seeds.txt")
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { UInt64($0.split(separator: "#")[0].trimmingCharacters(in: .whitespaces)) }
    }

    /// The same simulator with the server on PostgreSQL (fewer seeds: each opens a database).
    @Test func replicasAndServerAgreeOnPostgreSQL() async throws {
        let first = SeededRandom.seed()
        let count = Int(Self.environment["GLOSS_SIM_PG_SEEDS"] ?? "") ?? 15
        print("convergence simulator on PostgreSQL: \(count) seeds from \(first), \(Self.steps) steps each")
        for seed in (0..<UInt64(count)).map({ first &+ $0 }) {
            let failures = try await ConvergenceSimulation(seed: seed, steps: Self.steps, store: .postgres).run()
            if !failures.isEmpty {
                Issue.record("seed \(seed) failed on PostgreSQL:\n  \(failures.prefix(8).joined(separator: "\n  "))")
                return
            }
        }
    }

    /// The same simulator with signed operations on: every replica pinned the workspace's root,
    /// so every page and file is checked against its authors' signatures, and none of the
    /// honest work may be kept aside (`GLOSS_SIM_SIGNING_SEEDS`; `GLOSS_SEED` replays one).
    @Test func replicasAndServerAgreeWithSignedOperations() async throws {
        let first = Self.environment["GLOSS_SIM_FROM"].flatMap(UInt64.init) ?? SeededRandom.seed()
        let count = Int(Self.environment["GLOSS_SIM_SIGNING_SEEDS"] ?? "") ?? 50
        let seeds: [UInt64] = Self.environment["GLOSS_SEED"] != nil ? [first] : Self.regressionSeeds + (0..<UInt64(count)).map { first &+ $0 }
        print("convergence simulator with signing: \(seeds.count) seeds from \(first), \(Self.steps) steps each")
        var failed = 0
        for seed in seeds {
            let failures = try await ConvergenceSimulation(seed: seed, steps: Self.steps, signing: true).run()
            guard !failures.isEmpty else { continue }
            failed += 1
            Issue.record("seed \(seed) failed with signing (replay: GLOSS_SEED=\(seed) swift test --filter replicasAndServerAgreeWithSignedOperations):\n  \(failures.prefix(8).joined(separator: "\n  "))")
            if failed >= 3 { break }
        }
        print("convergence simulator with signing: \(seeds.count) seeds, \(failed) failed")
    }

    @Test func replicasAndServerAgreeUnderRandomSchedules() async throws {
        let first = Self.environment["GLOSS_SIM_FROM"].flatMap(UInt64.init) ?? SeededRandom.seed()
        let started = ContinuousClock.now
        let seeds: [UInt64] = Self.environment["GLOSS_SEED"] != nil ? [first]
            : Self.regressionSeeds + (0..<UInt64(Self.seeds)).map { first &+ $0 }
        print("convergence simulator: \(seeds.count) seeds from \(first), \(Self.steps) steps each")
        var failed = 0, ran = 0
        for seed in seeds {
            if let duration = Self.duration, ContinuousClock.now - started > .seconds(duration) { break }
            ran += 1
            let failures = try await ConvergenceSimulation(seed: seed, steps: Self.steps).run()
            guard !failures.isEmpty else { continue }
            failed += 1
            let detail = failures.prefix(8).joined(separator: "\n  ")
            Issue.record("seed \(seed) failed (replay: GLOSS_SEED=\(seed) swift test --filter ConvergenceSimulation):\n  \(detail)")
            if failed >= 3 { break }
        }
        print("convergence simulator: \(ran) seeds, \(failed) failed, \(ContinuousClock.now - started)")
    }
}
