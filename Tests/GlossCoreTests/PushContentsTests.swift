import Testing
@testable import GlossCore

/// What a push carries, and who may edit, delete or settle a note: rules the replica asks
/// before it sends or records anything, tested without a database.
@Suite struct PushContentsTests {
    static let shared = ReportID(sha256Of: "shared brief")
    static let local = ReportID(sha256Of: "kept local")

    static func op(_ counter: UInt64, replica: UInt64 = 1, author: UserName = "alice", _ change: Change,
                   note: UInt64 = 1) -> GlossCore.Operation {
        let noteID = AnnotationID(createdBy: OperationID(replica: ReplicaID(rawValue: replica), counter: note))
        return GlossCore.Operation(id: OperationID(replica: ReplicaID(rawValue: replica), counter: counter), hlc: HLC(wall: Int64(counter)),
                                   author: author, workspace: "intel", annotation: noteID, isPrivate: false, change: change)
    }

    static func create(on report: ReportID) -> Change {
        .create(Creation(report: report, target: nil, motivation: .commenting, body: "note"))
    }

    static func candidate(_ op: GlossCore.Operation, on report: ReportID?) -> PushContents.Candidate {
        .init(operation: op, payload: JSONWriter.string(op), report: report ?? PushContents.report(namedBy: op))
    }

    @Test func notesOnALocalReportWaitAndTheReportsTheBatchNeedsGoFirst() {
        let onShared = Self.op(1, Self.create(on: Self.shared))
        let onLocal = Self.op(2, Self.create(on: Self.local), note: 2)
        let tagOnLocal = Self.op(3, .addTag("later"), note: 2)
        let relayed = Self.op(1, replica: 7, author: "bob", .setStatus(.resolved))
        let batch = PushContents.batch(of: [Self.candidate(onShared, on: nil), Self.candidate(onLocal, on: nil),
                                            Self.candidate(tagOnLocal, on: Self.local), Self.candidate(relayed, on: Self.shared)],
                                       localReports: [Self.local], notUploaded: [Self.shared, Self.local])
        #expect(batch.operations == [onShared, relayed], "the notes on the local report stay; a teammate's relayed operation goes")
        #expect(batch.payloads == [JSONWriter.string(onShared), JSONWriter.string(relayed)])
        #expect(batch.reports == [Self.shared], "only the report a create in the batch needs, and only if never uploaded")
        #expect(batch.replicas == [ReplicaID(rawValue: 1), ReplicaID(rawValue: 7)], "each replica's claim goes with its operations")

        let uploaded = PushContents.batch(of: [Self.candidate(onShared, on: nil)], localReports: [], notUploaded: [])
        #expect(uploaded.reports.isEmpty && uploaded.operations == [onShared])
        #expect(PushContents.batch(of: [Self.candidate(onLocal, on: nil)], localReports: [Self.local], notUploaded: []) == .init(),
                "a batch of nothing but local notes is empty: the replica reads the next page")
    }

    @Test func onlyTheAuthorMayEditDeleteOrSettleANote() throws {
        let note = try ExportTests.annotation(1, author: "alice", body: "mine")
        #expect(ChangeCheck.authorOnly(note, by: "alice", action: "edit") == .proceeds)
        #expect(ChangeCheck.authorOnly(note, by: "bob", action: "delete") == .notAuthor(author: "alice", action: "delete"))
    }
}
