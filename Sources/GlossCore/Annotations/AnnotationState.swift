/// Everything the operations on one annotation have said, kept as a join-semilattice.
///
/// Folding an operation in (``merging(_:)``, in `AnnotationState+Merge.swift`) only adds to
/// maps keyed by operation id or keeps the larger of two stamps, so the state reached is
/// the same whatever the order, grouping or repetition of the operations: it is a function of
/// the *set*. Who may do what is decided afterwards, when the visible ``Annotation`` is read
/// out (`AnnotationState+View.swift`), because the creator may only be known once the create
/// operation arrives.
///
/// Body versions the creator has written over are never visible again, so once the creator is
/// known their texts leave the state (the log keeps every operation): only the ids they
/// superseded stay, in ``superseded``. That too is a function of the set, and it keeps the
/// stored state of a much-edited note small.
public struct AnnotationState: Codable, Equatable, Sendable {
    /// The winning value of one last-writer-wins field, as one author last wrote it.
    public struct Register<Value: Codable & Equatable & Sendable>: Codable, Equatable, Sendable {
        public var value: Value
        public var stamp: Stamp
    }

    /// The create operation, once it has arrived.
    public struct Created: Codable, Equatable, Sendable {
        public var op: OperationID
        public var hlc: HLC
        public var author: UserName
        public var creation: Creation
    }

    /// One value of the body and the versions its author had seen when writing it.
    public struct BodyVersion: Codable, Equatable, Sendable {
        public var text: String
        public var stamp: Stamp
        public var author: UserName
        public var seen: [OperationID]
    }

    /// Who added a tag, and when.
    public struct Mark: Codable, Equatable, Sendable {
        public var author: UserName
        public var hlc: HLC
    }

    /// A tag removal: who removed, when, and which additions they had seen.
    public struct Removal: Codable, Equatable, Sendable {
        public var author: UserName
        public var hlc: HLC
        public var observed: [OperationID]
    }

    public var id: AnnotationID
    public var created: Created?
    /// Body edits by operation id (the initial body lives in ``created``).
    public var edits: [OperationID: BodyVersion] = [:]
    /// Per author, the latest target they set.
    public var targets: [String: Register<Target>] = [:]
    /// Per author, the latest judgment they set.
    public var judgments: [String: Register<Judgment>] = [:]
    /// Per author, the latest status they set.
    public var statuses: [String: Register<Status>] = [:]
    /// Per tag, its additions by adding operation id.
    public var tagAdds: [String: [OperationID: Mark]] = [:]
    /// Per tag, its removals by removing operation id.
    public var tagRemovals: [String: [OperationID: Removal]] = [:]
    /// Per author, the earliest delete they made.
    public var deletes: [String: Stamp] = [:]
    /// Body versions (and the create, whose body is the first) seen by a version the creator
    /// wrote: out of the running for good. Filled once the creator is known.
    public var superseded: Set<OperationID> = []

    public init(id: AnnotationID) {
        self.id = id
    }
}

extension AnnotationState {
    enum CodingKeys: String, CodingKey {
        case id, created, edits, targets, judgments, statuses, tagAdds, tagRemovals, deletes, superseded
    }

    /// Empty maps are left out of the stored form, and states stored before ``superseded``
    /// have none: absent keys read as empty.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(AnnotationID.self, forKey: .id)
        created = try c.decodeIfPresent(Created.self, forKey: .created)
        edits = try c.decodeIfPresent([OperationID: BodyVersion].self, forKey: .edits) ?? [:]
        targets = try c.decodeIfPresent([String: Register<Target>].self, forKey: .targets) ?? [:]
        judgments = try c.decodeIfPresent([String: Register<Judgment>].self, forKey: .judgments) ?? [:]
        statuses = try c.decodeIfPresent([String: Register<Status>].self, forKey: .statuses) ?? [:]
        tagAdds = try c.decodeIfPresent([String: [OperationID: Mark]].self, forKey: .tagAdds) ?? [:]
        tagRemovals = try c.decodeIfPresent([String: [OperationID: Removal]].self, forKey: .tagRemovals) ?? [:]
        deletes = try c.decodeIfPresent([String: Stamp].self, forKey: .deletes) ?? [:]
        superseded = try c.decodeIfPresent(Set<OperationID>.self, forKey: .superseded) ?? []
    }
}
