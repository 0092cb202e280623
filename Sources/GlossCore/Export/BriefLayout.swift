/// Where each annotation goes in an annotated brief, shared by the markdown, HTML and
/// terminal renderers so that they agree on placement, numbering and threads.
///
/// A report's canonical text is its blocks (title, summary, headings, paragraphs) joined by
/// blank lines. A top-level annotation belongs to the block where its quote starts; its notes
/// are numbered in reading order (by start, end, created, id), and its replies hang below it
/// as a thread (each level by created, then id). Annotations without a target, whose quote no
/// longer occurs, or whose report the input lacks, are "whole report" notes, numbered after.
///
/// Highlights may overlap. Each block is cut into runs at every highlight boundary, so no
/// renderer has to nest markup: a run is plain, highlighted (by one or more notes), or a
/// note's marker, placed where that note's quote ends (within its block).
///
/// With `quietHighlights` (the brief), a bare highlight — no text, tag, judgment or reply —
/// marks its quote but is not a numbered note: it has nothing to say beside the text.
struct BriefLayout: Sendable {
    enum BlockKind: Sendable { case title, summary, heading, paragraph }

    enum Run: Hashable, Sendable {
        case plain(String)
        /// Highlighted text and the authors of the notes that cover it.
        case highlight(String, authors: [String])
        case marker(Int)
    }

    struct Block: Sendable {
        var kind: BlockKind
        var text: String
        /// Code points of the canonical text this block spans.
        var range: Range<Int>
        var runs: [Run] = []
        var notes: [Note] = []
    }

    /// A top-level annotation, its number and its replies.
    struct Note: Sendable {
        var number: Int
        var annotation: Annotation
        /// Where its quote is now, in code points of the canonical text; nil when not placed.
        var range: Range<Int>?
        var replies: [Reply]
    }

    /// A reply in a thread, flattened in reading order; depth 1 answers the note itself.
    struct Reply: Sendable {
        var annotation: Annotation
        var depth: Int
    }

    var reportID: ReportID
    /// Nil when the input has annotations on a report it does not include.
    var report: Report?
    var blocks: [Block]
    var wholeReportNotes: [Note]

    var title: String { report?.title ?? "Report \(reportID.short)" }
}

extension BriefLayout {
    /// One layout per report: the input's reports by title (then id), then reports the input
    /// lacks but has annotations on, by id.
    static func layouts(for input: ExportInput, quietHighlights: Bool = false) -> [BriefLayout] {
        let annotations = input.sortedAnnotations
        let threads = Threads(annotations)
        let rootsByReport = Dictionary(grouping: threads.roots, by: \.report)
        let reports = input.sortedReports.sorted { ($0.title, $0.id) < ($1.title, $1.id) }
        let known = Set(reports.map(\.id))
        var layouts = reports.map {
            BriefLayout(report: $0, roots: rootsByReport[$0.id] ?? [], threads: threads, quietHighlights: quietHighlights)
        }
        for id in rootsByReport.keys.filter({ !known.contains($0) }).sorted() {
            layouts.append(BriefLayout(missing: id, roots: rootsByReport[id] ?? [], threads: threads))
        }
        return layouts
    }

    /// The layout of one report and the annotations on it (others in `annotations` are ignored).
    init(report: Report, annotations: [Annotation]) {
        let threads = Threads(ExportInput(reports: [report], annotations: annotations).sortedAnnotations)
        self.init(report: report, roots: threads.roots.filter { $0.report == report.id }, threads: threads, quietHighlights: false)
    }

    private init(missing id: ReportID, roots: [Annotation], threads: Threads) {
        reportID = id
        report = nil
        blocks = []
        wholeReportNotes = roots.sorted { ($0.created, $0.id) < ($1.created, $1.id) }.enumerated().map { index, root in
            Note(number: index + 1, annotation: root, range: nil, replies: threads.replies(to: root.id))
        }
    }

    private init(report: Report, roots: [Annotation], threads: Threads, quietHighlights: Bool) {
        reportID = report.id
        self.report = report
        var blocks = Self.blocks(of: report)
        let anchor = TextAnchor(text: report.text)
        var placed: [(range: Range<Int>, block: Int, annotation: Annotation)] = []
        var quiet: [Highlight] = []
        var unplaced: [Annotation] = []
        for root in roots {
            if let target = root.target, let range = Self.locate(target, in: anchor),
               let block = blocks.firstIndex(where: { $0.range.upperBound > range.lowerBound }) {
                if quietHighlights, Self.isBare(root, replies: threads.replies(to: root.id)) {
                    quiet.append(Highlight(range: range, author: root.author.rawValue))
                } else {
                    placed.append((range, block, root))
                }
            } else {
                unplaced.append(root)
            }
        }
        placed.sort { ($0.range.lowerBound, $0.range.upperBound, $0.annotation.created, $0.annotation.id)
            < ($1.range.lowerBound, $1.range.upperBound, $1.annotation.created, $1.annotation.id) }
        var number = 0
        for item in placed {
            number += 1
            blocks[item.block].notes.append(Note(number: number, annotation: item.annotation, range: item.range,
                                                 replies: threads.replies(to: item.annotation.id)))
        }
        let highlights = blocks.flatMap(\.notes).compactMap { note in
            note.range.flatMap { note.annotation.deleted ? nil : Highlight(range: $0, author: note.annotation.author.rawValue) }
        } + quiet
        for index in blocks.indices {
            blocks[index].runs = Self.runs(of: blocks[index], highlights: highlights)
        }
        self.blocks = blocks
        wholeReportNotes = unplaced.sorted { ($0.created, $0.id) < ($1.created, $1.id) }.map { root in
            number += 1
            return Note(number: number, annotation: root, range: nil, replies: threads.replies(to: root.id))
        }
    }

    /// Where a target's quote is: at its position when the text there still matches, else
    /// the occurrence nearest to that position, else nowhere.
    static func locate(_ target: Target, in anchor: TextAnchor) -> Range<Int>? {
        let position = target.position
        if position.start >= 0, position.end > position.start, position.end <= anchor.scalars.count,
           anchor.text(in: position.start..<position.end) == target.quote.exact {
            return position.start..<position.end
        }
        return anchor.occurrences(of: target.quote.exact).min { abs($0.lowerBound - position.start) < abs($1.lowerBound - position.start) }
    }

    /// The blocks of the canonical text with their code-point ranges. Falls back to the text's
    /// blank-line-separated paragraphs when the sections no longer produce `report.text`.
    static func blocks(of report: Report) -> [Block] {
        var parts: [(BlockKind, String)] = []
        if !report.title.isEmpty { parts.append((.title, report.title)) }
        if !report.summary.isEmpty { parts.append((.summary, report.summary)) }
        for section in report.sections {
            if !section.heading.isEmpty { parts.append((.heading, section.heading)) }
            parts += section.paragraphs.map { (.paragraph, $0) }
        }
        if parts.map(\.1).joined(separator: "\n\n") + "\n" != report.text {
            var text = report.text
            if text.hasSuffix("\n") { text.removeLast() }
            parts = text.split(separator: "\n\n", omittingEmptySubsequences: false).map { (.paragraph, String($0)) }
        }
        var offset = 0
        return parts.map { kind, text in
            let count = text.unicodeScalars.count
            defer { offset += count + 2 }
            return Block(kind: kind, text: text, range: offset..<(offset + count))
        }
    }

    /// A quote that shows highlighted, and who highlighted it.
    struct Highlight: Sendable {
        var range: Range<Int>
        var author: String
    }

    /// A note with nothing to say beside its quote: no text, tag, judgment, conflict or reply.
    static func isBare(_ note: Annotation, replies: [Reply]) -> Bool {
        !note.deleted && note.body.isEmpty && !note.hasConflict && note.tags.isEmpty
            && (note.judgment?.isEmpty ?? true) && replies.isEmpty
    }

    /// Cuts a block into plain runs, highlighted runs and note markers.
    static func runs(of block: Block, highlights all: [Highlight]) -> [Run] {
        let scalars = Array(block.text.unicodeScalars)
        let base = block.range.lowerBound
        let highlights: [(range: Range<Int>, author: String)] = all.compactMap { highlight in
            let range = highlight.range.clamped(to: block.range)
            guard !range.isEmpty else { return nil }
            return ((range.lowerBound - base)..<(range.upperBound - base), highlight.author)
        }
        let markers: [(at: Int, number: Int)] = block.notes.compactMap { note in
            note.range.map { (min($0.upperBound, block.range.upperBound) - base, note.number) }
        }
        let cuts = Set([0, scalars.count] + highlights.flatMap { [$0.range.lowerBound, $0.range.upperBound] } + markers.map(\.at)).sorted()
        var runs: [Run] = []
        for (index, cut) in cuts.enumerated() {
            for marker in markers where marker.at == cut { runs.append(.marker(marker.number)) }
            guard index + 1 < cuts.count else { break }
            var piece = String.UnicodeScalarView()
            piece.append(contentsOf: scalars[cut..<cuts[index + 1]])
            let authors = highlights.filter { $0.range.contains(cut) }.map(\.author)
            append(authors.isEmpty ? .plain(String(piece)) : .highlight(String(piece), authors: authors), to: &runs)
        }
        return runs
    }

    /// Appends a run, merging it into the previous one when both are plain or both highlighted.
    private static func append(_ run: Run, to runs: inout [Run]) {
        switch (runs.last, run) {
        case let (.plain(a)?, .plain(b)):
            runs[runs.count - 1] = .plain(a + b)
        case let (.highlight(a, first)?, .highlight(b, second)):
            runs[runs.count - 1] = .highlight(a + b, authors: Array(Set(first + second)).sorted())
        default:
            if case let .highlight(text, authors) = run {
                runs.append(.highlight(text, authors: Array(Set(authors)).sorted()))
            } else {
                runs.append(run)
            }
        }
    }
}

extension Annotation {
    /// The replies below `id` among `annotations`, depth first, each level oldest first.
    public static func thread(of id: AnnotationID, in annotations: [Annotation]) -> [Annotation] {
        Threads(annotations).replies(to: id).map(\.annotation)
    }
}

/// Replies by parent, for building threads.
struct Threads {
    /// Annotations that answer no annotation of the input: notes, and replies whose parent is missing.
    let roots: [Annotation]
    private let children: [AnnotationID: [Annotation]]

    init(_ annotations: [Annotation]) {
        let ids = Set(annotations.map(\.id))
        roots = annotations.filter { $0.parent.map { !ids.contains($0) } ?? true }
        children = Dictionary(grouping: annotations.filter { $0.parent.map(ids.contains) ?? false }) { $0.parent! }
            .mapValues { $0.sorted { ($0.created, $0.id) < ($1.created, $1.id) } }
    }

    /// The thread below `id`, depth first, each level oldest first.
    func replies(to id: AnnotationID) -> [BriefLayout.Reply] {
        var out: [BriefLayout.Reply] = []
        var seen: Set<AnnotationID> = [id]
        func walk(_ parent: AnnotationID, depth: Int) {
            for child in children[parent] ?? [] where seen.insert(child.id).inserted {
                out.append(.init(annotation: child, depth: depth))
                walk(child.id, depth: depth + 1)
            }
        }
        walk(id, depth: 1)
        return out
    }
}

/// One block of a report's canonical text (title, summary, heading or paragraph) and the code
/// points it spans: how the reader page lays the text out, as the brief does.
public struct TextBlock: Codable, Equatable, Sendable {
    public var kind: String
    public var start: Int
    public var end: Int
}

extension Report {
    /// The blocks of ``text`` in order, with their code-point ranges.
    public var textBlocks: [TextBlock] {
        BriefLayout.blocks(of: self).map { block in
            let kind = switch block.kind {
            case .title: "title"
            case .summary: "summary"
            case .heading: "heading"
            case .paragraph: "paragraph"
            }
            return TextBlock(kind: kind, start: block.range.lowerBound, end: block.range.upperBound)
        }
    }
}
