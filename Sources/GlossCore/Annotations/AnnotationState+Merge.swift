/// The merge: folding one operation into an annotation's state.
///
/// Every branch either inserts under the operation's own id (a set union) or keeps the
/// maximum of two stamps (a max-register), both commutative, associative and idempotent.
/// Then body versions the creator has written over drop out (``dropSupersededVersions()``),
/// which depends only on the set folded in. No I/O, no clock: the operation carries everything.
extension AnnotationState {
    public mutating func merge(_ op: Operation) {
        precondition(op.annotation == id, "operation \(op.id) is for annotation \(op.annotation), not \(id)")
        let stamp = op.stamp
        switch op.change {
        case let .create(creation):
            // A create's id is derived from its operation id, so there is at most one.
            created = Created(op: op.id, hlc: op.hlc, author: op.author, creation: creation)
            dropSupersededVersions()
        case let .editBody(text, seen):
            edits[op.id] = BodyVersion(text: text, stamp: stamp, author: op.author, seen: seen)
            dropSupersededVersions()
        case let .retarget(target):
            Self.keepLatest(&targets, op.author, Register(value: target, stamp: stamp))
        case let .judge(judgment):
            Self.keepLatest(&judgments, op.author, Register(value: judgment, stamp: stamp))
        case let .setStatus(status):
            Self.keepLatest(&statuses, op.author, Register(value: status, stamp: stamp))
        case let .addTag(tag):
            tagAdds[tag, default: [:]][op.id] = Mark(author: op.author, hlc: op.hlc)
        case let .removeTag(tag, observed):
            tagRemovals[tag, default: [:]][op.id] = Removal(author: op.author, hlc: op.hlc, observed: observed)
        case .delete:
            deletes[op.author.rawValue] = min(deletes[op.author.rawValue] ?? stamp, stamp)
        }
    }

    /// Once the creator is known: every version the creator's versions have seen joins
    /// ``superseded``, and the creator's superseded versions leave ``edits`` (the create's
    /// body is blanked). Which versions go depends only on the set of operations, and a
    /// superseded version never comes back, so the order of arrival still does not matter.
    /// Only a create or an edit can change what is superseded; a state stored before versions
    /// were dropped goes through this when read back (`AnnotationStore.state(of:in:)`).
    public mutating func dropSupersededVersions() {
        guard let created else { return }
        let creator = created.author
        for version in edits.values where version.author == creator { superseded.formUnion(version.seen) }
        guard !superseded.isEmpty else { return }
        if edits.contains(where: { $0.value.author == creator && superseded.contains($0.key) }) {
            edits = edits.filter { $0.value.author != creator || !superseded.contains($0.key) }
        }
        if superseded.contains(created.op), !created.creation.body.isEmpty { self.created!.creation.body = "" }
    }

    private static func keepLatest<V>(_ registers: inout [String: Register<V>], _ author: UserName, _ candidate: Register<V>) {
        if let current = registers[author.rawValue], current.stamp >= candidate.stamp { return }
        registers[author.rawValue] = candidate
    }
}

extension AnnotationState {
    /// The additions of `tag` a removal made now must name (add-wins: a removal takes away
    /// only the additions its author saw, so one made concurrently elsewhere survives). The
    /// create counts as an addition of each tag it carries. Empty when the tag is not here.
    public func observedAdditions(of tag: String) -> [OperationID] {
        var observed = Set(tagAdds[tag]?.keys.map { $0 } ?? [])
        if let created, created.creation.tags.contains(tag) { observed.insert(created.op) }
        return observed.sorted()
    }
}
