import GlossCore
import Synchronization

/// The diffs between two versions of a report that this process computed, by the two report
/// ids (a report's id is the hash of its text, so a pair always means the same two texts).
///
/// Carrying notes onto a later version needs the diff of the two texts (``TextRevision``).
/// A command reads the same later version several times (`reports` counts its notes,
/// `show NOTE` finds where one stands and then lists the rest, `review` walks every latest
/// version), and each read used to diff the texts again; each is now computed once per
/// process. A few pairs are kept: a diff of two 4 MiB texts holds about 100 MB.
final class TextRevisions: Sendable {
    private struct Pair: Hashable { var old: ReportID; var new: ReportID }
    private let known = Mutex<[(Pair, TextRevision)]>([])
    static let capacity = 4

    /// The revision from `old` (whose text is `text`) to `new`, computed on first use.
    func revision(from old: ReportID, text: String, to new: Report) -> TextRevision {
        let pair = Pair(old: old, new: new.id)
        if let found = known.withLock({ $0.first { $0.0 == pair }?.1 }) { return found }
        let made = TextRevision(old: text, new: new.text)
        known.withLock { known in
            known.removeAll { $0.0 == pair }
            known.append((pair, made))
            if known.count > Self.capacity { known.removeFirst() }
        }
        return made
    }
}
