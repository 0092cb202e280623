import GlossCore
import GlossTestSupport
import Testing

/// Rules an analyst's changes follow before they become operations, without a replica.
@Suite struct ChangeRuleTests {
    static let report = ReportID(sha256Of: "report")

    func recorder(_ user: UserName, replica: UInt64) -> OperationRecorder {
        OperationRecorder(replica: ReplicaID(rawValue: replica), author: user, workspace: "intel", clock: HybridClock(), now: 1_000)
    }

    @Test func aTagRemovalNamesTheAdditionsItsAuthorSawSoAConcurrentAdditionSurvives() {
        // Given a note created with the tag "cobalt" and the tag added again by bob
        var alice = recorder("alice", replica: 1), bob = recorder("bob", replica: 2)
        let create = alice.record(.create(Creation(report: Self.report, target: nil, motivation: .commenting, body: "b", tags: ["cobalt"])),
                                  isPrivate: false)
        var state = AnnotationState(id: create.annotation)
        state.merge(create)
        let added = bob.record(.addTag("cobalt"), on: create.annotation, isPrivate: false)
        state.merge(added)
        // Then a removal now names both, and nothing for a tag the note does not carry
        #expect(state.observedAdditions(of: "cobalt") == [create.id, added.id].sorted())
        #expect(state.observedAdditions(of: "lithium").isEmpty)
        // And when carol adds it concurrently with alice's removal, the tag stays (add wins)
        var carol = recorder("carol", replica: 3)
        let concurrent = carol.record(.addTag("cobalt"), on: create.annotation, isPrivate: false)
        let removal = alice.record(.removeTag("cobalt", observed: state.observedAdditions(of: "cobalt")), on: create.annotation, isPrivate: false)
        for op in [removal, concurrent] { state.merge(op) }
        #expect(state.annotation?.tags == ["cobalt"])
    }

    /// A note as `ChangeCheck` sees it.
    func note(status: Status = .open, tags: [String] = [], parent: AnnotationID? = nil, reanchor: Reanchored? = nil) -> Annotation {
        var alice = recorder("alice", replica: 1)
        let create = alice.record(.create(Creation(report: Self.report, target: nil, motivation: parent == nil ? .commenting : .replying,
                                                   body: "b", tags: tags, parent: parent)), isPrivate: false)
        var state = AnnotationState(id: create.annotation)
        state.merge(create)
        var note = state.annotation!
        note.status = status
        note.reanchor = reanchor
        return note
    }

    @Test func aChangeThatLeavesTheNoteAsItIsIsNotMadeAndOneThatCannotApplyIsRefused() {
        let open = note(tags: ["cobalt"]), resolved = note(status: .resolved)
        // resolve, reopen
        #expect(ChangeCheck.check(.setStatus(.resolved), on: open) == .proceeds)
        #expect(ChangeCheck.check(.setStatus(.resolved), on: resolved) == .unchanged("note \(resolved.id.short) is already resolved"))
        #expect(ChangeCheck.check(.setStatus(.open), on: open) == .unchanged("note \(open.id.short) is already open"))
        // tags: a removal of a tag the note lacks, an addition of one it has
        #expect(ChangeCheck.check(.tags(add: [], remove: ["lithium"]), on: open) == .unchanged("note \(open.id.short) has no #lithium"))
        #expect(ChangeCheck.check(.tags(add: ["cobalt"], remove: ["lithium"]), on: open)
                == .unchanged("note \(open.id.short) already has #cobalt and has no #lithium"))
        #expect(ChangeCheck.check(.tags(add: ["cobalt", "nickel"], remove: []), on: open) == .proceeds)
        #expect(ChangeCheck.check(.tags(add: [], remove: ["cobalt"]), on: open) == .proceeds)
        // review accept: only a carried note that needs review (or lost its passage)
        let old = ReportID(sha256Of: "old")
        for status in [ReanchorStatus.review, .orphan] {
            #expect(ChangeCheck.check(.acceptProposal, on: note(reanchor: Reanchored(status: status, from: old))) == .proceeds)
        }
        let exact = note(reanchor: Reanchored(status: .exact, from: old))
        #expect(ChangeCheck.check(.acceptProposal, on: exact) == .unchanged("note \(exact.id.short) is not in review: its passage was found (exact)"))
        if case .unchanged = ChangeCheck.check(.acceptProposal, on: open) {} else { Issue.record("a note placed in this version is not in review") }
        // retarget: a reply has no passage of its own
        let reply = note(parent: open.id, reanchor: Reanchored(status: .exact, from: old))
        #expect(ChangeCheck.check(.retarget, on: exact) == .proceeds)
        for request in [ChangeCheck.Request.retarget, .acceptProposal] {
            #expect(ChangeCheck.check(request, on: reply) == .refused("\(reply.id.short) is a reply: it has no passage of its own (it follows note \(open.id.short))"))
        }
    }

    @Test func operationsMadeBeforeJoiningAWorkspaceJoinItAndOthersStay() {
        var loner = OperationRecorder(replica: ReplicaID(rawValue: 1), author: "alice", workspace: "", clock: HybridClock(), now: 1)
        let made = loner.record(.create(Creation(report: Self.report, target: nil, motivation: .commenting, body: "b")), isPrivate: false)
        let joined = made.joining("intel")
        #expect(joined.workspace == "intel" && joined.id == made.id && joined.change == made.change)
        var member = recorder("bob", replica: 2)
        let elsewhere = member.record(.setStatus(.resolved), on: made.annotation, isPrivate: false)
        #expect(elsewhere.joining("other") == elsewhere)
    }
}
