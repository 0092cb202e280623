/// The times `--since` takes, read into wall-clock milliseconds (UTC), with no calendar or
/// time zone of the machine involved:
///
/// - a date, `2025-11-29` (midnight UTC);
/// - a date and time, `2025-11-29T08:30`, `2025-11-29T08:30:15Z`, `2025-11-29T10:30:00.250+02:00`
///   (UTC unless an offset is given; a space may stand for the `T`);
/// - a duration back from now: `90m`, `12h`, `3d`, `2w`.
public enum BriefTime {
    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public var text: String
        public var description: String {
            "“\(text)” is not a time: use a date (2025-11-29), a date and time (2025-11-29T08:30Z) or a duration back from now (12h, 3d, 2w)"
        }
    }

    /// `text` as milliseconds since 1970, durations counted back from `now` (milliseconds).
    public static func parse(_ text: String, now: Int64) throws(Invalid) -> Int64 {
        let scalars = Array(text.trimmingSpaces.unicodeScalars)
        if let unit = scalars.last, let factor = unitMillis[unit], scalars.count > 1,
           let count = Int64(String(String.UnicodeScalarView(scalars.dropLast()))), count >= 0, count < 1_000_000 {
            return now - count * factor
        }
        guard let millis = absolute(scalars) else { throw Invalid(text: text) }
        return millis
    }

    private static let unitMillis: [Unicode.Scalar: Int64] = ["m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000]

    /// `YYYY-MM-DD[(T| )HH:MM[:SS[.fff]][Z|±HH:MM]]`.
    private static func absolute(_ s: [Unicode.Scalar]) -> Int64? {
        var reader = Reader(scalars: s)
        guard let year = reader.number(4), reader.take("-"), let month = reader.number(2), reader.take("-"),
              let day = reader.number(2), (1...12).contains(month), (1...daysIn(month, year)).contains(day) else { return nil }
        var millis = daysFromCivil(year, month, day) * 86_400_000
        if reader.atEnd { return millis }
        guard reader.take("T") || reader.take("t") || reader.take(" "),
              let hour = reader.number(2), hour < 24, reader.take(":"), let minute = reader.number(2), minute < 60 else { return nil }
        millis += (hour * 60 + minute) * 60_000
        if reader.take(":") {
            guard let second = reader.number(2), second < 60 else { return nil }
            millis += second * 1000
            if reader.take(".") {
                guard let fraction = reader.digits(), !fraction.isEmpty else { return nil }
                millis += Int64(String(fraction.prefix(3)).zeroPadded(to: 3))!
            }
        }
        if reader.take("Z") || reader.take("z") || reader.atEnd { return reader.atEnd ? millis : nil }
        let sign: Int64 = reader.take("+") ? 1 : reader.take("-") ? -1 : 0
        guard sign != 0, let offsetHours = reader.number(2), offsetHours < 24 else { return nil }
        _ = reader.take(":")
        guard let offsetMinutes = reader.number(2), offsetMinutes < 60, reader.atEnd else { return nil }
        return millis - sign * (offsetHours * 60 + offsetMinutes) * 60_000
    }

    private static func daysIn(_ month: Int64, _ year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Howard Hinnant's `days_from_civil`: days since 1970-01-01 of a proleptic Gregorian date.
    static func daysFromCivil(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private struct Reader {
        var scalars: [Unicode.Scalar]
        var index = 0
        var atEnd: Bool { index == scalars.count }

        mutating func take(_ scalar: Unicode.Scalar) -> Bool {
            guard !atEnd, scalars[index] == scalar else { return false }
            index += 1
            return true
        }

        mutating func digits() -> String? {
            var out = ""
            while !atEnd, ("0"..."9").contains(scalars[index]) { out.unicodeScalars.append(scalars[index]); index += 1 }
            return out
        }

        /// Exactly `count` ASCII digits.
        mutating func number(_ count: Int) -> Int64? {
            guard index + count <= scalars.count, scalars[index..<(index + count)].allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
            defer { index += count }
            return Int64(String(String.UnicodeScalarView(scalars[index..<(index + count)])))
        }
    }
}

private extension String {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    /// Right-padded with zeros: "25" → "250".
    func zeroPadded(to length: Int) -> String {
        count >= length ? self : self + String(repeating: "0", count: length - count)
    }
}
