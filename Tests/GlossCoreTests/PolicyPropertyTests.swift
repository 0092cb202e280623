import GlossCore
import GlossTestSupport
import Testing

/// The rules moved out of the replica (issue 25), each held to what it promises over random
/// inputs: what a push carries (``PushContents``) and the command guards (``ChangeCheck``).
/// ``ApplyPolicy`` and ``RevisionChains`` have theirs beside their own tests.
@Suite struct PolicyPropertyTests {
    static let reports = (0..<5).map { ReportID(sha256Of: "report \($0)") }

    /// Any candidates, any local and never-uploaded reports: the batch keeps every operation not
    /// on a local report, in order, with its own payload; asks for exactly the never-uploaded
    /// reports its creates name; names each replica it carries; and cutting the log into pages
    /// changes none of that.
    @Test func propertyAPushCarriesWhatIsSharedAndTheReportsItNeeds() {
        let seed = SeededRandom.seed()
        print("PolicyPropertyTests.propertyAPushCarriesWhatIsSharedAndTheReportsItNeeds seed \(seed) (GLOSS_SEED=\(seed) replays it)")
        var rng = SeededRandom(seed: seed)
        for round in 0..<300 {
            let context = "seed \(seed) round \(round)"
            let local = Set(Self.reports.filter { _ in rng.next() % 4 == 0 })
            let notUploaded = Set(Self.reports.filter { _ in rng.next() % 2 == 0 })
            let candidates: [PushContents.Candidate] = (0..<Int(rng.next() % 40)).map { index in
                let report = Self.reports.randomElement(using: &rng)!
                let replica = ReplicaID(rawValue: 1 + rng.next() % 3)
                let isCreate = rng.next() % 3 == 0
                let change: Change = isCreate ? .create(Creation(report: report, target: nil, motivation: .commenting, body: "n\(index)"))
                                              : .addTag("t\(index)")
                let op = GlossCore.Operation(id: OperationID(replica: replica, counter: UInt64(index + 1)), hlc: HLC(wall: Int64(index)),
                                             author: "alice", workspace: "intel",
                                             annotation: AnnotationID(createdBy: OperationID(replica: replica, counter: 1)),
                                             isPrivate: false, change: change)
                // A create names its report; another change's report is known when the replica has the note.
                let known: ReportID? = isCreate || rng.next() % 4 != 0 ? report : nil
                return .init(operation: op, payload: JSONWriter.string(op), report: known)
            }
            let batch = PushContents.batch(of: candidates, localReports: local, notUploaded: notUploaded)

            let kept = candidates.filter { $0.report.map { !local.contains($0) } ?? true }
            #expect(batch.operations == kept.map(\.operation), "\(context): every operation not on a local report, in order")
            #expect(batch.payloads == kept.map(\.payload), "\(context): each with its own payload")
            let created = Set(kept.compactMap { PushContents.report(namedBy: $0.operation) })
            #expect(batch.reports == created.intersection(notUploaded).sorted(), "\(context): the reports its creates need, once")
            #expect(batch.reports.allSatisfy { !local.contains($0) }, "\(context): never a local report")
            #expect(batch.replicas == Set(kept.map(\.operation.id.replica)), "\(context): a claim for each replica it carries")

            let cut = candidates.isEmpty ? 0 : Int(rng.next() % UInt64(candidates.count + 1))
            let first = PushContents.batch(of: Array(candidates[..<cut]), localReports: local, notUploaded: notUploaded)
            let second = PushContents.batch(of: Array(candidates[cut...]), localReports: local, notUploaded: notUploaded)
            #expect(first.operations + second.operations == batch.operations, "\(context): pages change nothing")
            #expect(Set(first.reports + second.reports) == Set(batch.reports), "\(context): pages ask for the same reports")
        }
    }

    /// Any note and any request: a change proceeds exactly when it would change the note, a
    /// review or a retarget is refused on a reply, and only the author may edit, delete or settle.
    @Test func propertyAGuardLetsThroughExactlyTheChangesThatChangeSomething() {
        let seed = SeededRandom.seed()
        print("PolicyPropertyTests.propertyAGuardLetsThroughExactlyTheChangesThatChangeSomething seed \(seed) (GLOSS_SEED=\(seed) replays it)")
        var rng = SeededRandom(seed: seed)
        let tags = ["cobalt", "lithium", "nickel"]
        let users: [UserName] = ["alice", "bob"]
        let statuses: [ReanchorStatus?] = [nil, .exact, .review, .orphan]
        for round in 0..<500 {
            let context = "seed \(seed) round \(round)"
            let author = users.randomElement(using: &rng)!
            var recorder = OperationRecorder(replica: ReplicaID(rawValue: 1), author: author, workspace: "intel", clock: HybridClock(), now: 1_000)
            let isReply = rng.next() % 4 == 0
            let parent = isReply ? AnnotationID(createdBy: OperationID(replica: ReplicaID(rawValue: 9), counter: 1)) : nil
            let create = recorder.record(.create(Creation(report: Self.reports[0], target: nil, motivation: isReply ? .replying : .commenting,
                                                          body: "b", tags: tags.filter { _ in rng.next() % 2 == 0 }, parent: parent)),
                                         isPrivate: false)
            var state = AnnotationState(id: create.annotation)
            state.merge(create)
            var note = state.annotation!
            note.status = rng.next() % 2 == 0 ? .open : .resolved
            note.reanchor = statuses.randomElement(using: &rng)!.map { Reanchored(status: $0, from: Self.reports[1]) }

            let status: Status = rng.next() % 2 == 0 ? .open : .resolved
            #expect((ChangeCheck.check(.setStatus(status), on: note) == .proceeds) == (note.status != status), "\(context): status")

            let add = tags.filter { _ in rng.next() % 3 == 0 }, remove = tags.filter { _ in rng.next() % 3 == 0 }
            let changesTags = add.contains { !note.tags.contains($0) } || remove.contains { note.tags.contains($0) }
            #expect((ChangeCheck.check(.tags(add: add, remove: remove), on: note) == .proceeds) == changesTags, "\(context): tags")

            let review = ChangeCheck.check(.acceptProposal, on: note), retarget = ChangeCheck.check(.retarget, on: note)
            if isReply {
                #expect(review.isRefused && retarget.isRefused, "\(context): a reply has no passage of its own")
            } else {
                let inReview = note.reanchor?.status == .review || note.reanchor?.status == .orphan
                #expect((review == .proceeds) == inReview, "\(context): review accept only what is in review")
                #expect(retarget == .proceeds, "\(context): a note's passage can always be placed")
            }

            let user = users.randomElement(using: &rng)!
            #expect((ChangeCheck.authorOnly(note, by: user, action: "edit") == .proceeds) == (user == author), "\(context): author only")
        }
    }
}

extension ChangeCheck {
    var isRefused: Bool {
        if case .refused = self { return true }
        return false
    }
}
