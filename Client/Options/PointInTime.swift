import ArgumentParser
import Foundation

/// A time typed on the command line: a date (`2026-11-30`), a date and time
/// (`2026-11-30T14:00`, `2026-11-30T14:00:00Z`), or an age (`90m`, `6h`, `2d`, `1w`).
/// Dates and times without a zone are this machine's local time.
struct PointInTime: ExpressibleByArgument, Sendable, Equatable {
    /// Milliseconds since the epoch.
    var millis: Int64

    init(millis: Int64) { self.millis = millis }

    init?(argument: String) {
        guard let millis = Self.parse(argument, now: Date()) else { return nil }
        self.millis = millis
    }

    static let help = "a date (2026-11-30), a date and time (2026-11-30T14:00) or an age (90m, 6h, 2d, 1w)"

    static func parse(_ text: String, now: Date) -> Int64? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let unit = text.last, let count = Int(text.dropLast()), count >= 0 {
            let seconds: Int? = switch unit {
            case "m": 60
            case "h": 3_600
            case "d": 86_400
            case "w": 604_800
            default: nil
            }
            if let seconds { return Int64((now.timeIntervalSince1970 - Double(count * seconds)) * 1000) }
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .current
        for format in ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return Int64(date.timeIntervalSince1970 * 1000) }
        }
        let iso = ISO8601DateFormatter()
        if let date = iso.date(from: text) { return Int64(date.timeIntervalSince1970 * 1000) }
        return nil
    }
}
