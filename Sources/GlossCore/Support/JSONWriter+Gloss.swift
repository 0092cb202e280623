/// How Gloss's values write themselves with ``JSONWriter``: field by field, keys in sorted
/// order, matching each type's `Encodable` form.
extension ReplicaID: JSONWritable {
    public func write(to writer: inout JSONWriter) { writer.value(self) }
}

extension OperationID: JSONWritable {
    public func write(to writer: inout JSONWriter) { writer.value(self) }
}

extension ReplicaClaim: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.field("replica", replica)
            w.field("salt", salt)
        }
    }
}

extension AnnotationID: JSONWritable {}
extension ReportID: JSONWritable {}
extension Motivation: JSONWritable {}
extension Confidence: JSONWritable {}
extension Likelihood: JSONWritable {}
extension Status: JSONWritable {}
extension Visibility: JSONWritable {}

extension HLC: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.field("logical", logical)
            w.field("wall", wall)
        }
    }
}

extension Stamp: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.field("hlc", hlc)
            w.field("op", op)
        }
    }
}

extension TextQuoteSelector: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.field("exact", exact)
            w.field("prefix", prefix)
            w.field("suffix", suffix)
        }
    }
}

extension TextPositionSelector: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.field("end", end)
            w.field("start", start)
        }
    }
}

extension Target: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.field("position", position)
            w.field("quote", quote)
            if let source { w.field("source", source) }
        }
    }
}

extension Judgment: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.field("confidence", confidence)
            w.field("likelihood", likelihood)
        }
    }
}

extension Creation: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.field("body", body)
            w.field("judgment", judgment)
            w.field("motivation", motivation)
            w.field("parent", parent)
            w.field("report", report)
            w.field("revises", revises)
            w.field("tags", tags)
            w.field("target", target)
            w.field("visibility", visibility)
        }
    }
}

/// The wire form (`Operation+Codable.swift`): one flat object with a `kind`.
extension Operation: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.field("annotation", annotation)
            w.field("author", author)
            switch change {
            case let .editBody(text, _): w.field("body", text)
            case let .create(creation): w.field("create", creation)
            default: break
            }
            w.field("hlc", hlc)
            w.field("id", id)
            if case let .judge(judgment) = change { w.field("judgment", judgment) }
            w.field("kind", change.kind)
            if case let .removeTag(_, observed) = change { w.field("observed", observed) }
            w.field("private", isPrivate)
            if case let .editBody(_, seen) = change { w.field("seen", seen) }
            if case let .setStatus(status) = change { w.field("status", status) }
            switch change {
            case let .addTag(tag), let .removeTag(tag, _): w.field("tag", tag)
            default: break
            }
            if case let .retarget(target) = change { w.field("target", target) }
            w.field("workspace", workspace)
        }
    }
}

extension AnnotationState.Register: JSONWritable where Value: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.field("stamp", stamp)
            w.field("value", value)
        }
    }
}

extension AnnotationState.Created: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.field("author", author)
            w.field("creation", creation)
            w.field("hlc", hlc)
            w.field("op", op)
        }
    }
}

extension AnnotationState.BodyVersion: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.field("author", author)
            w.field("seen", seen)
            w.field("stamp", stamp)
            w.field("text", text)
        }
    }
}

extension AnnotationState.Mark: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.field("author", author)
            w.field("hlc", hlc)
        }
    }
}

extension AnnotationState.Removal: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.field("author", author)
            w.field("hlc", hlc)
            w.field("observed", observed)
        }
    }
}

extension AnnotationState: JSONWritable {
    /// The stored form: what `Encodable` writes, but empty maps are left out (the readers take
    /// them as empty) and ``superseded`` is sorted.
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.field("created", created)
            if !deletes.isEmpty { w.field("deletes", deletes) }
            if !edits.isEmpty { w.key("edits"); Self.writePairs(edits, to: &w) }
            w.field("id", id)
            if !judgments.isEmpty { w.field("judgments", judgments) }
            if !statuses.isEmpty { w.field("statuses", statuses) }
            if !superseded.isEmpty { w.field("superseded", superseded.sorted()) }
            if !tagAdds.isEmpty {
                w.key("tagAdds")
                w.object { w in
                    for tag in tagAdds.keys.sorted() { w.key(tag); Self.writePairs(tagAdds[tag]!, to: &w) }
                }
            }
            if !tagRemovals.isEmpty {
                w.key("tagRemovals")
                w.object { w in
                    for tag in tagRemovals.keys.sorted() { w.key(tag); Self.writePairs(tagRemovals[tag]!, to: &w) }
                }
            }
            if !targets.isEmpty { w.field("targets", targets) }
        }
    }

    /// A map keyed by operation id, as `Encodable` writes it: `[key, value, key, value, …]`, sorted by key.
    private static func writePairs<V: JSONWritable>(_ map: [OperationID: V], to writer: inout JSONWriter) {
        writer.array { w in
            for key in map.keys.sorted() {
                key.write(to: &w)
                map[key]!.write(to: &w)
            }
        }
    }
}
