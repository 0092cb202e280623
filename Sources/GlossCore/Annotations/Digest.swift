/// What arrived from teammates that concerns one analyst: new notes on reports they annotated,
/// replies to their notes, changes to their notes (a resolution by a teammate, an edit from
/// their other machine), new conflicts, new reports. `gloss sync` ends with it; `gloss digest`
/// shows it again. Pure: the replica gathers the facts, this decides what is worth saying.
public struct Digest: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Hashable, Sendable, CaseIterable {
        /// A teammate's new note on a report you annotated.
        case note
        /// A reply to one of your notes.
        case reply
        /// Your note changed elsewhere (edited from your other machine, or retargeted, judged).
        case edit
        case resolved, reopened
        /// Two versions of a note's text that nobody has reconciled yet.
        case conflict
    }

    public struct Item: Codable, Hashable, Sendable {
        public var kind: Kind
        public var annotation: AnnotationID
        public var report: ReportID
        public var reportTitle: String
        /// Who did it.
        public var author: String
        /// A line of the note (its comment, else its quote).
        public var snippet: String
    }

    public struct NewReport: Codable, Hashable, Sendable {
        public var id: ReportID
        public var title: String
        public init(id: ReportID, title: String) {
            self.id = id
            self.title = title
        }
    }

    public var items: [Item]
    public var reports: [NewReport]

    public var isEmpty: Bool { items.isEmpty && reports.isEmpty }

    /// How many items of `kind`.
    public func count(_ kind: Kind) -> Int { items.count { $0.kind == kind } }

    /// What the replica knows when it builds a digest.
    public struct Facts: Sendable {
        /// Whose digest.
        public var user: String
        /// The operations that arrived, in arrival order.
        public var arrivals: [Operation]
        /// The current view of every annotation the arrivals touched, and of their parents.
        public var annotations: [AnnotationID: Annotation]
        /// Reports `user` has a note on.
        public var annotatedReports: Set<ReportID>
        public var reportTitles: [ReportID: String]
        public var newReports: [NewReport]

        public init(user: String, arrivals: [Operation], annotations: [AnnotationID: Annotation],
                    annotatedReports: Set<ReportID>, reportTitles: [ReportID: String], newReports: [NewReport]) {
            self.user = user
            self.arrivals = arrivals
            self.annotations = annotations
            self.annotatedReports = annotatedReports
            self.reportTitles = reportTitles
            self.newReports = newReports
        }
    }

    public init(items: [Item] = [], reports: [NewReport] = []) {
        self.items = items
        self.reports = reports
    }

    /// The digest of `facts`: one item per note and kind, in arrival order; notes since deleted
    /// and revision links left out.
    public init(_ facts: Facts) {
        var items: [Item] = []
        var said = Set<String>()
        func say(_ kind: Kind, _ note: Annotation, by author: String) {
            guard said.insert("\(kind.rawValue) \(note.id.rawValue)").inserted else { return }
            items.append(Item(kind: kind, annotation: note.id, report: note.report,
                              reportTitle: facts.reportTitles[note.report] ?? "report \(note.report.short)",
                              author: author, snippet: Self.snippet(of: note)))
        }
        let me = facts.user
        for op in facts.arrivals {
            guard let note = facts.annotations[op.annotation], !note.deleted, note.motivation != .linking else { continue }
            let mine = IdentityName.same(note.author, me)
            let byMe = IdentityName.same(op.author, me)
            switch op.change {
            case let .create(creation):
                if byMe { break }
                if let parent = creation.parent {
                    if let parentNote = facts.annotations[parent], IdentityName.same(parentNote.author, me) { say(.reply, note, by: op.author) }
                } else if facts.annotatedReports.contains(creation.report) {
                    say(.note, note, by: op.author)
                }
            case .editBody, .retarget, .judge:
                if mine, byMe { say(.edit, note, by: op.author) }
            case let .setStatus(status):
                if mine, !byMe, note.status == status { say(status == .resolved ? .resolved : .reopened, note, by: op.author) }
            case .addTag, .removeTag, .delete:
                break
            }
            if note.hasConflict, mine || facts.annotatedReports.contains(note.report) { say(.conflict, note, by: op.author) }
        }
        self.items = items
        self.reports = facts.newReports
    }

    /// One line of a note: its comment, else its quote, cut at 72 characters.
    public static func snippet(of note: Annotation) -> String {
        let text = note.body.isEmpty ? (note.target.map { "“\($0.quote.exact)”" } ?? "") : note.body
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.count <= 72 ? line : String(line.prefix(71)) + "…"
    }
}
