/// Reading the visible annotation out of the merged state, applying who-may-do-what.
///
/// The rules (docs/ARCHITECTURE.md, "Merge rules"): only the creator changes the target, body and judgment or deletes;
/// anyone in the workspace may tag, resolve and reply. On a private annotation every
/// operation by someone other than its creator is ignored.
extension AnnotationState {
    /// The annotation, or nil while its create operation has not arrived.
    public var annotation: Annotation? {
        guard let created else { return nil }
        let creator = created.author
        let isPrivate = created.creation.visibility == .private
        let anyone: (UserName) -> Bool = { Privacy.allows($0, creator, isPrivate: isPrivate) }

        let versions = bodyVersions(created)
        let target = targets[creator.rawValue]?.value ?? created.creation.target
        let judgment = judgments[creator.rawValue].map(\.value) ?? created.creation.judgment
        let status = statuses.filter { anyone(UserName(stored: $0.key)) }.values.max { $0.stamp < $1.stamp }?.value ?? .open
        let deleted = deletes[creator.rawValue] != nil

        return Annotation(
            id: id,
            report: created.creation.report,
            author: creator,
            created: created.hlc,
            updated: updatedStamp(created, allowed: anyone).hlc,
            target: target,
            motivation: created.creation.motivation,
            body: versions.first?.text ?? created.creation.body,
            bodyVersions: versions,
            tags: visibleTags(created, allowed: anyone),
            judgment: judgment.flatMap { $0.isEmpty ? nil : $0 },
            status: status,
            visibility: created.creation.visibility,
            parent: created.creation.parent,
            deleted: deleted,
            revises: created.creation.revises
        )
    }

    /// The creator's body versions that no other of the creator's versions has seen,
    /// newest first (so the first is the deterministic winner).
    func bodyVersions(_ created: Created) -> [Annotation.BodyCandidate] {
        let creator = created.author
        var all = [Annotation.BodyCandidate(op: created.op, author: creator, hlc: created.hlc, text: created.creation.body)]
        // States stored before superseded versions were dropped on arrival still hold them all.
        var superseded = self.superseded
        var stamps = [created.op: Stamp(hlc: created.hlc, op: created.op)]
        for (op, version) in edits where version.author == creator {
            all.append(.init(op: op, author: version.author, hlc: version.stamp.hlc, text: version.text))
            superseded.formUnion(version.seen)
            stamps[op] = version.stamp
        }
        return all
            .filter { !superseded.contains($0.op) }
            .sorted { stamps[$0.op]! > stamps[$1.op]! }
    }

    /// Tags with at least one addition that no allowed removal has observed.
    func visibleTags(_ created: Created, allowed: (UserName) -> Bool) -> [String] {
        var adds: [String: Set<OperationID>] = [:]
        for tag in created.creation.tags { adds[tag, default: []].insert(created.op) }
        for (tag, dots) in tagAdds {
            for (op, mark) in dots where allowed(mark.author) { adds[tag, default: []].insert(op) }
        }
        var visible: [String] = []
        for (tag, dots) in adds {
            var removed = Set<OperationID>()
            for removal in (tagRemovals[tag] ?? [:]).values where allowed(removal.author) {
                removed.formUnion(removal.observed)
            }
            if !dots.isSubset(of: removed) { visible.append(tag) }
        }
        return visible.sorted()
    }

    /// The latest stamp among operations that count.
    func updatedStamp(_ created: Created, allowed: (UserName) -> Bool) -> Stamp {
        let creator = created.author
        var best = Stamp(hlc: created.hlc, op: created.op)
        func consider(_ s: Stamp) { if s > best { best = s } }
        for v in edits.values where v.author == creator { consider(v.stamp) }
        targets[creator.rawValue].map { consider($0.stamp) }
        judgments[creator.rawValue].map { consider($0.stamp) }
        for (author, r) in statuses where allowed(UserName(stored: author)) { consider(r.stamp) }
        deletes[creator.rawValue].map(consider)
        for dots in tagAdds.values {
            for (op, mark) in dots where allowed(mark.author) { consider(Stamp(hlc: mark.hlc, op: op)) }
        }
        for removals in tagRemovals.values {
            for (op, removal) in removals where allowed(removal.author) { consider(Stamp(hlc: removal.hlc, op: op)) }
        }
        return best
    }
}
