/// Work the team server refused for good, gathered by note, as its author sees it.
///
/// A refused operation leaves the log and the merged state, so the replica agrees with the
/// team; but it is never lost from its author's sight. `gloss list --refused`, `gloss show ID`
/// and `gloss delete ID` work on these: the note as it was written (the team's copy, when the
/// team has the note at all, with the refused changes merged in), and each refused change
/// with the server's reason.
public struct RefusedNote: Codable, Sendable, Equatable {
    /// One refused operation, and why.
    public struct Refusal: Codable, Sendable, Equatable {
        public var operation: Operation
        public var code: Sync.Refusal.Code
        public var reason: String
        /// What it did, in words (``Change/words(clip:)``).
        public var change: String

        public init(operation: Operation, code: Sync.Refusal.Code, reason: String) {
            self.operation = operation
            self.code = code
            self.reason = reason
            change = operation.change.words()
        }
    }

    public var id: AnnotationID
    /// The note as its author wrote it; nil when neither the team's copy nor the refused
    /// changes make a note (a refused change to a note this replica no longer holds).
    public var annotation: Annotation?
    /// Whether the team has this note: false when its create was refused, so that it exists
    /// only here; true when only later changes to it were refused.
    public var shared: Bool
    /// The refused operations on it, oldest first (by stamp).
    public var refusals: [Refusal]

    /// The refused work by note, in the order each note was first refused. `team` gives the
    /// merged state the team holds for a note (nil when it has none).
    public static func gather(_ refusals: [Refusal], team: (AnnotationID) throws -> AnnotationState?) rethrows -> [RefusedNote] {
        var order: [AnnotationID] = []
        var byNote: [AnnotationID: [Refusal]] = [:]
        for refusal in refusals {
            let id = refusal.operation.annotation
            if byNote[id] == nil { order.append(id) }
            byNote[id, default: []].append(refusal)
        }
        return try order.map { id in
            let refused = byNote[id]!.sorted { $0.operation.stamp < $1.operation.stamp }
            let held = try team(id)
            var written = held ?? AnnotationState(id: id)
            for refusal in refused { written.merge(refusal.operation) }
            return RefusedNote(id: id, annotation: written.annotation, shared: held?.annotation != nil, refusals: refused)
        }
    }

    /// The reason to show first: the one given for the earliest refused change.
    public var reason: String { refusals.first.map { "\($0.code.rawValue): \($0.reason)" } ?? "" }
}
