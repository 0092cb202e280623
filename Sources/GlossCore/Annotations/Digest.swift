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
        public var author: UserName
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

    /// The items to show: the first ``shownPerKind`` of each kind, in arrival order.
    public var items: [Item]
    /// The new reports to show: the first ``shownPerKind``.
    public var reports: [NewReport]
    /// How many items of each kind there were, shown or not, by the kind's name.
    public var totals: [String: Int]
    /// How many new reports there were, shown or not.
    public var reportTotal: Int

    /// A first sync of a long history brings hundreds of thousands of operations: the digest
    /// names the first of each kind and counts the rest, so that neither its memory nor what a
    /// terminal prints grows with the history.
    public static let shownPerKind = 50

    public var isEmpty: Bool { totals.values.allSatisfy { $0 == 0 } && reportTotal == 0 }

    /// How many items of `kind`, shown or not.
    public func count(_ kind: Kind) -> Int { totals[kind.rawValue] ?? 0 }

    /// The items of `kind` that are shown.
    public func shown(_ kind: Kind) -> [Item] { items.filter { $0.kind == kind } }

    /// What the replica knows when it builds a digest at once (``Builder`` takes it in pieces).
    public struct Facts: Sendable {
        /// Whose digest.
        public var user: UserName
        /// The operations that arrived, in arrival order.
        public var arrivals: [Operation]
        /// The current view of every annotation the arrivals touched, and of their parents.
        public var annotations: [AnnotationID: Annotation]
        /// Reports `user` has a note on.
        public var annotatedReports: Set<ReportID>
        public var reportTitles: [ReportID: String]
        public var newReports: [NewReport]

        public init(user: UserName, arrivals: [Operation], annotations: [AnnotationID: Annotation],
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
        totals = Dictionary(grouping: items, by: \.kind.rawValue).mapValues(\.count)
        reportTotal = reports.count
    }

    private enum CodingKeys: String, CodingKey { case items, reports, totals, reportTotal }

    /// Also reads a digest written before the counts (by `gloss sync --json` 0.14): then what
    /// it names is all there was.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(items: try container.decode([Item].self, forKey: .items),
                  reports: try container.decode([NewReport].self, forKey: .reports))
        totals = try container.decodeIfPresent([String: Int].self, forKey: .totals) ?? totals
        reportTotal = try container.decodeIfPresent(Int.self, forKey: .reportTotal) ?? reportTotal
    }

    /// The digest of `facts`: one item per note and kind, in arrival order; notes since deleted
    /// and revision links left out.
    public init(_ facts: Facts) {
        var builder = Builder(user: facts.user)
        for op in facts.arrivals {
            builder.add(op, annotations: facts.annotations, annotatedReports: facts.annotatedReports, reportTitles: facts.reportTitles)
        }
        self = builder.digest(newReports: Array(facts.newReports.prefix(Self.shownPerKind)), reportTotal: facts.newReports.count)
    }

    /// A digest built from arrivals a page at a time, in arrival order: what it keeps is the
    /// shown items, the counts, and which notes it has named.
    public struct Builder: Sendable {
        private struct Said: Hashable {
            var kind: Kind
            var annotation: AnnotationID
        }

        private let user: UserName
        private var items: [Item] = []
        private var totals: [String: Int] = [:]
        private var said = Set<Said>()

        public init(user: UserName) { self.user = user }

        /// Takes one arrival. `annotations` holds the current view of the note it touched and of
        /// that note's parent; `annotatedReports` holds the note's report if `user` has a note on it.
        public mutating func add(_ op: Operation, annotations: [AnnotationID: Annotation],
                                 annotatedReports: Set<ReportID>, reportTitles: [ReportID: String]) {
            guard let note = annotations[op.annotation], !note.deleted, note.motivation != .linking else { return }
            func say(_ kind: Kind) {
                guard said.insert(Said(kind: kind, annotation: note.id)).inserted else { return }
                let count = totals[kind.rawValue, default: 0] + 1
                totals[kind.rawValue] = count
                guard count <= Digest.shownPerKind else { return }
                items.append(Item(kind: kind, annotation: note.id, report: note.report,
                                  reportTitle: reportTitles[note.report] ?? "report \(note.report.short)",
                                  author: op.author, snippet: Digest.snippet(of: note)))
            }
            let mine = note.author == user
            let byMe = op.author == user
            switch op.change {
            case let .create(creation):
                if byMe { break }
                if let parent = creation.parent {
                    if let parentNote = annotations[parent], parentNote.author == user { say(.reply) }
                } else if annotatedReports.contains(creation.report) {
                    say(.note)
                }
            case .editBody, .retarget, .judge:
                if mine, byMe { say(.edit) }
            case let .setStatus(status):
                if mine, !byMe, note.status == status { say(status == .resolved ? .resolved : .reopened) }
            case .addTag, .removeTag, .delete:
                break
            }
            if note.hasConflict, mine || annotatedReports.contains(note.report) { say(.conflict) }
        }

        /// The digest so far, with the first new reports and how many there were.
        public func digest(newReports: [NewReport], reportTotal: Int) -> Digest {
            var digest = Digest(items: items, reports: newReports)
            digest.totals = totals
            digest.reportTotal = reportTotal
            return digest
        }
    }

    /// One line of a note: its comment, else its quote, cut at 72 characters.
    public static func snippet(of note: Annotation) -> String {
        let text = note.body.isEmpty ? (note.target.map { "“\($0.quote.exact)”" } ?? "") : note.body
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.count <= 72 ? line : String(line.prefix(71)) + "…"
    }
}
