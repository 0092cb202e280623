import Foundation

/// The existing database an admin probably meant when the file they named is missing: a
/// `*.sqlite` beside it whose name is a typo or two away (`teem.sqlite` → `team.sqlite`).
enum DatabaseFileGuess {
    /// The closest `*.sqlite` file in `path`'s folder, as it would be typed (same folder part);
    /// nil when none is close (at most 2 edits, and fewer than half the name's letters).
    static func similar(to path: String) -> String? {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        let wanted = url.lastPathComponent
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return nil }
        let best = closest(to: wanted, among: names.filter { $0.hasSuffix(".sqlite") && $0 != wanted })
        guard let best else { return nil }
        let typedFolder = (path as NSString).deletingLastPathComponent
        return typedFolder.isEmpty ? best : (typedFolder as NSString).appendingPathComponent(best)
    }

    /// The candidate with the fewest edits from `wanted`, when close enough; ties by name.
    static func closest(to wanted: String, among candidates: [String]) -> String? {
        let limit = min(2, max(1, wanted.count / 2 - 1))
        return candidates
            .map { (name: $0, distance: distance(wanted, $0)) }
            .filter { $0.distance <= limit }
            .min { ($0.distance, $0.name) < ($1.distance, $1.name) }?
            .name
    }

    /// Levenshtein distance, by characters.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let substitution = previous + (a[i - 1] == b[j - 1] ? 0 : 1)
                previous = row[j]
                row[j] = min(substitution, row[j] + 1, row[j - 1] + 1)
            }
        }
        return row[b.count]
    }
}
