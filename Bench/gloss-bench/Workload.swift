import Foundation
import GlossCore
import GlossReplica

/// A deterministic stream of valid operations by one author, as an analyst's busy replica makes them.
///
/// Operations come in blocks of 1,000 on 100 annotations: the 100 creates, then nine rounds of
/// one more operation on each (three body edits, three tags, a status, a judgment, an edit),
/// so a 1,000-operation page touches 100 annotations, 10 operations each. Bodies are ~200 B,
/// an operation's wire JSON ~400 B. `operations(in:)` makes any slice on demand, so a million
/// never sit in memory at once.
struct Workload: Sendable {
    static let annotationsPerBlock = 100
    static let opsPerAnnotation = 10
    static let blockSize = annotationsPerBlock * opsPerAnnotation

    var author: UserName
    var workspace: WorkspaceName
    /// The replica's id, derived from the author's name (``ReplicaClaim``), and its claim, which
    /// goes with every push as a real client's first push carries it.
    var claim: ReplicaClaim
    var replica: ReplicaID { claim.replica }
    var report: ReportID
    /// The wall clock of the first operation, ms; later ones count up from it (16 per ms).
    var startWall: Int64

    init(author: UserName, workspace: WorkspaceName, replica: UInt64, report: ReportID, count: Int) {
        self.author = author
        self.workspace = workspace
        claim = ReplicaClaim.mint(for: author, salt: withUnsafeBytes(of: replica.bigEndian) { Array($0) } + Array(repeating: 0, count: 8))
        self.report = report
        // Stamped in the recent past, so no receiver finds them ahead of its clock.
        startWall = Int64(Date().timeIntervalSince1970 * 1000) - Int64(count / 16) - 60_000
    }

    func operations(in range: Range<Int>) -> [GlossCore.Operation] {
        range.map(operation(at:))
    }

    /// The `index`-th operation (0-based; counters start at 1).
    func operation(at index: Int) -> GlossCore.Operation {
        let block = index / Self.blockSize
        let within = index % Self.blockSize
        let round = within / Self.annotationsPerBlock
        let slot = within % Self.annotationsPerBlock
        let createIndex = block * Self.blockSize + slot
        let createID = id(createIndex)
        let annotation = AnnotationID(createdBy: createID)
        let opID = id(index)
        let hlc = HLC(wall: startWall + Int64(index / 16), logical: UInt32(index % 16))
        let change: Change
        switch round {
        case 0:
            let start = (index * 37) % 4_000
            change = .create(Creation(
                report: report,
                target: Target(quote: TextQuoteSelector(exact: "quoted span \(index)", prefix: "before ", suffix: " after"),
                               position: TextPositionSelector(start: start, end: start + 24)),
                motivation: .commenting, body: body(index), tags: ["bench"]))
        case 1, 2, 3, 9:
            // Each edit saw the body version before it (the create's, then the previous edit's).
            let previousRound = round == 9 ? 3 : round - 1
            change = .editBody(text: body(index), seen: [id(createIndex + previousRound * Self.annotationsPerBlock)])
        case 4, 5, 6: change = .addTag("topic-\(round)-\(index % 7)")
        case 7: change = .setStatus(index % 2 == 0 ? .resolved : .open)
        default: change = .judge(Judgment(confidence: .moderate, likelihood: .likely))
        }
        return GlossCore.Operation(id: opID, hlc: hlc, author: author, workspace: workspace,
                                   annotation: annotation, isPrivate: false, change: change)
    }

    func id(_ index: Int) -> OperationID { OperationID(replica: replica, counter: UInt64(index + 1)) }

    private func body(_ index: Int) -> String {
        let words = ["supply", "chain", "export", "controls", "escalation", "likely", "volumes", "processing",
                     "retaliation", "licensing", "servicing", "talks", "pressure", "capacity", "signal", "assessment"]
        var text = "Note \(index): "
        var i = UInt64(index)
        while text.utf8.count < 200 {
            text += words[Int(i % UInt64(words.count))] + " "
            i = i &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        }
        return text
    }
}
