import GlossCore
import GlossTestSupport
import Testing

/// Rules an analyst's changes follow before they become operations, without a replica.
@Suite struct ChangeRuleTests {
    static let report = ReportID(sha256Of: "report")

    func recorder(_ user: String, replica: UInt64) -> OperationRecorder {
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
