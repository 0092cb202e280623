/// The merge: folding one operation into an annotation's state.
///
/// Every branch either inserts under the operation's own id (a set union) or keeps the
/// maximum of two stamps (a max-register), both commutative, associative and idempotent.
/// No I/O, no clock: the operation carries everything.
extension AnnotationState {
    public mutating func merge(_ op: Operation) {
        precondition(op.annotation == id, "operation \(op.id) is for annotation \(op.annotation), not \(id)")
        let stamp = op.stamp
        latest = max(latest ?? stamp, stamp)
        switch op.change {
        case let .create(creation):
            // A create's id is derived from its operation id, so there is at most one.
            created = Created(op: op.id, hlc: op.hlc, author: op.author, creation: creation)
        case let .editBody(text, seen):
            edits[op.id] = BodyVersion(text: text, stamp: stamp, author: op.author, seen: seen)
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
            deletes[op.author] = min(deletes[op.author] ?? stamp, stamp)
        }
    }

    public func merging(_ op: Operation) -> AnnotationState {
        var copy = self
        copy.merge(op)
        return copy
    }

    private static func keepLatest<V>(_ registers: inout [String: Register<V>], _ author: String, _ candidate: Register<V>) {
        if let current = registers[author], current.stamp >= candidate.stamp { return }
        registers[author] = candidate
    }
}
