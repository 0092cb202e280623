import GlossCore
import GlossReplica

/// The merge rules of docs/ARCHITECTURE.md stated a second time, naively and independently of
/// `AnnotationState`: sort, filter, pick. The simulator compares every replica against it, so a
/// rule that is wrong but consistent (a flipped tie-break, say) is caught, not only divergence.
enum ReferenceMerge {
    struct Expected: Equatable, CustomStringConvertible {
        var body: String
        var versions: Set<String>
        var status: Status
        var tags: [String]
        var deleted: Bool
        var judgment: Judgment?
        var target: Target?

        var description: String { "body=\(body) versions=\(versions.sorted()) status=\(status) tags=\(tags) deleted=\(deleted)" }
    }

    /// True when `a` was written after `b`: wall clock, then logical counter, then replica id, then counter.
    static func isLater(_ a: GlossCore.Operation, than b: GlossCore.Operation) -> Bool {
        if a.hlc.wall != b.hlc.wall { return a.hlc.wall > b.hlc.wall }
        if a.hlc.logical != b.hlc.logical { return a.hlc.logical > b.hlc.logical }
        if a.id.replica.rawValue != b.id.replica.rawValue { return a.id.replica.rawValue > b.id.replica.rawValue }
        return a.id.counter > b.id.counter
    }

    static func latest(_ ops: [GlossCore.Operation]) -> GlossCore.Operation? {
        ops.reduce(nil) { best, op in best.map { isLater(op, than: $0) ? op : $0 } ?? op }
    }

    /// What the annotation must look like, given all its operations; nil without a create.
    static func expected(_ ops: [GlossCore.Operation]) -> Expected? {
        guard let create = ops.first(where: { if case .create = $0.change { true } else { false } }),
              case let .create(creation) = create.change else { return nil }
        let creator = create.author
        let counted = creation.visibility == .private ? ops.filter { $0.author == creator } : ops
        let byCreator = counted.filter { $0.author == creator }

        // Body: the creator's versions that no other of the creator's versions has seen.
        var versions: [(op: GlossCore.Operation, text: String)] = [(create, creation.body)]
        var seen = Set<OperationID>()
        for op in byCreator { if case let .editBody(text, s) = op.change { versions.append((op, text)); seen.formUnion(s) } }
        let heads = versions.filter { !seen.contains($0.op.id) }
        let winner = latest(heads.map(\.op))!
        let body = heads.first { $0.op.id == winner.id }!.text

        let statusOps = counted.filter { if case .setStatus = $0.change { true } else { false } }
        var status = Status.open
        if let last = latest(statusOps), case let .setStatus(s) = last.change { status = s }

        var target = creation.target
        if let last = latest(byCreator.filter { if case .retarget = $0.change { true } else { false } }), case let .retarget(t) = last.change { target = t }
        var judgment = creation.judgment
        if let last = latest(byCreator.filter { if case .judge = $0.change { true } else { false } }), case let .judge(j) = last.change { judgment = j }
        if judgment?.isEmpty == true { judgment = nil }

        var adds: [String: Set<OperationID>] = [:]
        for tag in creation.tags { adds[tag, default: []].insert(create.id) }
        var removed: [String: Set<OperationID>] = [:]
        for op in counted {
            switch op.change {
            case let .addTag(tag): adds[tag, default: []].insert(op.id)
            case let .removeTag(tag, observed): removed[tag, default: []].formUnion(observed)
            default: break
            }
        }
        let tags = adds.filter { !$0.value.subtracting(removed[$0.key] ?? []).isEmpty }.keys.sorted()
        let deleted = byCreator.contains { if case .delete = $0.change { true } else { false } }
        return Expected(body: body, versions: Set(heads.map(\.text)), status: status, tags: tags,
                        deleted: deleted, judgment: judgment, target: target)
    }

    /// The same fields read off an annotation Gloss materialised.
    static func observed(_ a: Annotation) -> Expected {
        Expected(body: a.body, versions: Set(a.bodyVersions.map(\.text)), status: a.status, tags: a.tags,
                 deleted: a.deleted, judgment: a.judgment, target: a.target)
    }
}
