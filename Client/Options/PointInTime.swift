import ArgumentParser
import Foundation
import GlossCore

/// A time typed on the command line (`BriefTime`: a date, a date and time in UTC unless an
/// offset is given, or an age such as `90m`, `6h`, `2d`, `1w`).
struct PointInTime: ExpressibleByArgument, Sendable, Equatable {
    /// Milliseconds since the epoch.
    var millis: Int64

    init?(argument: String) {
        guard let millis = try? BriefTime.parse(argument, now: Int64((Date().timeIntervalSince1970 * 1000).rounded())) else { return nil }
        self.millis = millis
    }

    static let help = "a date (2026-11-30), a date and time (2026-11-30T14:00Z) or an age (90m, 6h, 2d, 1w)"
}
