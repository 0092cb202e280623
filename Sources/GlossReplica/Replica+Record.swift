import Foundation
import GRDB
import GlossCore

/// Local changes: each command turns into operations stamped by this replica's clock and
/// applied in one transaction, through the same path remote operations take.
extension Replica {
    /// Runs `body` to produce local operations and commits them with the clock, atomically:
    /// ids, clock ticks, then ingest.
    @discardableResult
    func commit<T>(_ body: (Database, inout OperationRecorder) throws -> T) throws -> (T, ApplyResult) {
        let now = self.now()
        // A process's first change puts its replica id in the file: the mark follows, counted
        // in the same transaction.
        let marking = !session.isMarked
        let (done, writers) = try pool.write { db in
            var recorder = try recorder(db, now: now, clock: nil)
            let value = try body(db, &recorder)
            var result = ApplyResult()
            try Self.ingest(recorder.operations, into: db, result: &result)
            // The search index is not caught up here: `search` does it first, and a one-note
            // command then need not open the full-text tables at all.
            try finish(recorder, db)
            return ((value, result), marking ? try Self.writerCount(in: db) : nil)
        }
        if let writers {
            writeMark(writers)
            session.isMarked = true
        }
        return done
    }

    /// A recorder writing under this process's replica id, from the stored clock (or `clock`).
    /// A replica that knows its user is a reader of the workspace makes no change: the server
    /// would refuse it (``Role/canWrite``), so it is refused here, at once, with that reason.
    func recorder(_ db: Database, now: Int64, clock: HLC?) throws -> OperationRecorder {
        let meta = try Meta.load(db)
        if let role = meta.role, !role.canWrite, !meta.remoteURL.isEmpty {
            throw ReplicaError.readOnly(user: meta.user, workspace: meta.workspace, role: role)
        }
        let (claim, nonce, next) = session.current(for: meta.user, key: try device().publicKey)
        if next == 1 {
            // This process's first change: keep the claim, which proves to the server that the
            // new replica id is this user's (``ReplicaClaim``); it goes with the first push. And
            // its nonce, which every head of its chains carries.
            try db.execute(sql: "INSERT OR IGNORE INTO replica_claims(replica, salt, minted) VALUES (?, ?, 1)",
                           arguments: [claim.replica.hex, claim.salt])
            try db.execute(sql: "INSERT OR IGNORE INTO signing_replicas(replica, nonce) VALUES (?, ?)",
                           arguments: [claim.replica.hex, nonce])
        }
        return OperationRecorder(replica: claim.replica, author: meta.user, workspace: meta.workspace,
                                 clock: HybridClock(last: clock ?? meta.clock), now: now, next: next)
    }

    /// Saves the clock and marks the counters used, inside the same transaction.
    func finish(_ recorder: OperationRecorder, _ db: Database) throws {
        try Meta.save(clock: recorder.clock.last, replica: recorder.replica, db)
        session.advance(to: recorder.next)
    }

    /// Records a new top-level note or highlight (its tags deduplicated and sorted).
    public func annotate(_ new: Creation) throws -> Annotation {
        for tag in new.tags { try Self.check(tag: tag) }
        guard Set(new.tags).count <= Operation.maxTagsPerCreate else {
            throw ReplicaError.tooManyTags(limit: Operation.maxTagsPerCreate)
        }
        try Self.check(body: new.body)
        let (id, result) = try commit { db, recorder in
            guard try ReportStore.exists(new.report, in: db) else {
                throw ReplicaError.reportNotFound(new.report)
            }
            var creation = new
            creation.tags = Array(Set(new.tags)).sorted()
            return recorder.record(.create(creation), isPrivate: new.visibility == .private).annotation
        }
        return try view(id, in: result)
    }

    public func reply(to parentID: AnnotationID, body: String) throws -> Annotation {
        try Self.check(body: body)
        let (id, result) = try commit { db, recorder in
            let parent = try Self.visible(parentID, in: db)
            recorder.follow(parent.updated)
            let creation = Creation(report: parent.report, target: nil, motivation: .replying, body: body,
                                    visibility: parent.visibility, parent: parent.id)
            return recorder.record(.create(creation), isPrivate: parent.visibility == .private).annotation
        }
        return try view(id, in: result)
    }

    /// Changes what only the author may change: body, judgment, target. A judgment with one
    /// half given changes that half only.
    public func edit(_ id: AnnotationID, body: String? = nil, judgment: Judgment? = nil, target: Target? = nil) throws -> Annotation {
        if let body { try Self.check(body: body) }
        let (_, result) = try commit { db, recorder in
            let current = try Self.visible(id, in: db)
            try Self.require(ChangeCheck.authorOnly(current, by: recorder.author, action: "edit"), on: current)
            recorder.follow(current.updated)
            if target != nil { try Self.require(.retarget, on: current) }
            let isPrivate = current.visibility == .private
            if let body {
                recorder.record(.editBody(text: body, seen: current.bodyVersions.map(\.op)), on: id, isPrivate: isPrivate)
            }
            if let judgment {
                // Half a judgment keeps the other half: `--confidence high` leaves the likelihood.
                let kept = Judgment(confidence: judgment.confidence ?? current.judgment?.confidence,
                                    likelihood: judgment.likelihood ?? current.judgment?.likelihood)
                recorder.record(.judge(kept), on: id, isPrivate: isPrivate)
            }
            if let target { recorder.record(.retarget(target), on: id, isPrivate: isPrivate) }
        }
        return try view(id, in: result)
    }

    /// Adds and removes tags. A removal removes the additions this replica has seen. When the
    /// note has every tag to add and none to remove, nothing is recorded.
    public func tag(_ id: AnnotationID, add: [String], remove: [String]) throws -> ChangeOutcome {
        for tag in add + remove { try Self.check(tag: tag) }
        return try changing(id) { db, recorder in
            let current = try Self.visible(id, in: db)
            try Self.require(.tags(add: add, remove: remove), on: current)
            recorder.follow(current.updated)
            let state = try AnnotationStore.state(of: id, in: db)!
            let isPrivate = current.visibility == .private
            for tag in Set(remove).sorted() {
                let observed = state.observedAdditions(of: tag)
                guard !observed.isEmpty else { continue }
                recorder.record(.removeTag(tag, observed: observed), on: id, isPrivate: isPrivate)
            }
            for tag in Set(add).sorted() where !current.tags.contains(tag) {
                recorder.record(.addTag(tag), on: id, isPrivate: isPrivate)
            }
        }
    }

    /// Resolves or reopens a note; one already so records nothing.
    public func setStatus(_ id: AnnotationID, _ status: Status) throws -> ChangeOutcome {
        try changing(id) { db, recorder in
            let current = try Self.visible(id, in: db)
            try Self.require(.setStatus(status), on: current)
            recorder.follow(current.updated)
            recorder.record(.setStatus(status), on: id, isPrivate: current.visibility == .private)
        }
    }

    /// Commits a change to one note; when ``require(_:on:)`` finds the note already as asked,
    /// nothing at all is written (no operation, no clock tick, no claim) and the outcome says why.
    func changing(_ id: AnnotationID, _ body: (Database, inout OperationRecorder) throws -> Void) throws -> ChangeOutcome {
        do {
            let (_, result) = try commit(body)
            return ChangeOutcome(annotation: try view(id, in: result), unchanged: nil)
        } catch let unchanged as Unchanged {
            return ChangeOutcome(annotation: try annotation(id), unchanged: unchanged.reason)
        }
    }

    public func delete(_ id: AnnotationID) throws -> Annotation {
        let (_, result) = try commit { db, recorder in
            let current = try Self.visible(id, in: db)
            try Self.require(ChangeCheck.authorOnly(current, by: recorder.author, action: "delete"), on: current)
            recorder.follow(current.updated)
            recorder.record(.delete, on: id, isPrivate: current.visibility == .private)
        }
        return try view(id, in: result)
    }

    /// The annotation as a command left it: from the commit, without reading it back, unless
    /// the command changed nothing.
    func view(_ id: AnnotationID, in result: ApplyResult) throws -> Annotation {
        try result.views[id] ?? annotation(id)
    }

    // MARK: checks shared by the commands

    /// The annotation as it stands, refusing a missing or deleted one.
    static func visible(_ id: AnnotationID, in db: Database) throws -> Annotation {
        guard let annotation = try AnnotationStore.state(of: id, in: db)?.annotation else {
            throw ReplicaError.annotationNotFound(id)
        }
        if annotation.deleted {
            throw ReplicaError.annotationDeleted(id, by: annotation.author)
        }
        return annotation
    }

    /// Refuses a change that would leave the note as it is, or that does not apply to it
    /// (``ChangeCheck``), before anything is recorded.
    static func require(_ request: ChangeCheck.Request, on note: Annotation) throws {
        try require(ChangeCheck.check(request, on: note), on: note)
    }

    /// Throws what `verdict` refuses; returns when it proceeds.
    static func require(_ verdict: ChangeCheck, on note: Annotation) throws {
        switch verdict {
        case .proceeds: return
        case let .unchanged(reason): throw Unchanged(reason: reason)
        case let .refused(reason): throw ReplicaError.notApplicable(note.id, reason: reason)
        case let .notAuthor(author, action): throw ReplicaError.notAuthor(note.id, author: author, action: action)
        }
    }

    /// Thrown inside a change's transaction to roll it back: the note already is as asked.
    struct Unchanged: Error { var reason: String }

    static func check(tag: String) throws {
        do { try Operation.validate(tag: tag) } catch {
            throw ReplicaError.invalidTag(tag)
        }
    }

    static func check(body: String) throws {
        guard body.utf8.count <= Operation.maxBodyBytes else {
            throw ReplicaError.bodyTooLarge(bytes: body.utf8.count, limit: Operation.maxBodyBytes)
        }
    }
}

/// What a change to a note did: the note as it now stands, and, when the change would have left
/// it as it was (``ChangeCheck``), why nothing was recorded.
public struct ChangeOutcome: Sendable {
    public var annotation: Annotation
    /// Why nothing was recorded ("note 3f9a1c2b is already resolved"), or nil when the change was.
    public var unchanged: String?

    public init(annotation: Annotation, unchanged: String? = nil) {
        self.annotation = annotation
        self.unchanged = unchanged
    }
}
