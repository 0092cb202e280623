import GlossCore
import PostgresNIO

/// The statements of a push, each a named prepared statement: PostgreSQL parses and plans each
/// once per connection, where an unnamed statement was planned again on every push. Arrays go
/// through `unnest`, so a push sends the same few statements whatever its size.
enum PushStatements {
    /// Everything ``PushPolicy`` asks of the store for one push (``PushPolicy/FactRequest``),
    /// and the workspace's head, in one round trip: a row per fact, tagged by its kind.
    struct Facts: PostgresPreparedStatement {
        static let sql = """
            WITH wanted AS (SELECT * FROM unnest($2::text[], $3::bigint[]) AS w(replica, counter)),
                 relayed AS (SELECT * FROM unnest($4::text[], $5::bigint[]) AS r(replica, counter))
            SELECT 0, NULL::text, seq, NULL::text, NULL::text, NULL::text, NULL::boolean, NULL::integer, NULL::integer, NULL::integer
              FROM heads WHERE workspace = $1
            UNION ALL
            SELECT 1, o.replica, o.counter, o.payload, NULL, NULL, NULL, NULL, NULL, NULL
              FROM operations o JOIN wanted w ON o.replica = w.replica AND o.counter = w.counter
             WHERE o.workspace = $1
            UNION ALL
            SELECT 2, f.replica, f.counter, f.code, f.reason, f.payload, NULL, NULL, NULL, NULL
              FROM refusals f JOIN relayed r ON f.replica = r.replica AND f.counter = r.counter
             WHERE f.workspace = $1 AND f.payload IS NOT NULL
            UNION ALL
            SELECT 3, replica, NULL, user_name, NULL, NULL, NULL, NULL, NULL, NULL
              FROM replicas WHERE replica = ANY($6::text[])
            UNION ALL
            SELECT 4, id, NULL, author, NULL, NULL, private, tag_additions, others_operations, others_tag_additions
              FROM annotations WHERE workspace = $1 AND id = ANY($7::text[])
            UNION ALL
            SELECT 5, annotation, NULL, reason, NULL, NULL, NULL, NULL, NULL, NULL FROM (
                SELECT DISTINCT ON (annotation) annotation, reason FROM refusals f
                 WHERE f.workspace = $1 AND f.is_create AND f.annotation = ANY($7::text[])
                   AND NOT EXISTS (SELECT 1 FROM annotations a WHERE a.workspace = $1 AND a.id = f.annotation)
                 ORDER BY annotation, replica, counter) refused
            UNION ALL
            SELECT 6, id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
              FROM reports WHERE workspace = $1 AND id = ANY($8::text[])
            """

        typealias Row = (Int32, String?, Int64?, String?, String?, String?, Bool?, Int32?, Int32?, Int32?)

        let workspace: String
        let request: PushPolicy.FactRequest

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 8)
            let wanted = PostgresSyncStore.columns(request.operations)
            let relayed = PostgresSyncStore.columns(request.refusals)
            bindings.append(workspace)
            bindings.append(wanted.replicas)
            bindings.append(wanted.counters)
            bindings.append(relayed.replicas)
            bindings.append(relayed.counters)
            bindings.append(request.replicas.map(\.hex))
            bindings.append(request.annotations.map(\.rawValue))
            bindings.append(request.reports.map(\.rawValue))
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row {
            try row.decode(Row.self)
        }

        /// The rows as the policy's facts, and the head (nil: no such workspace).
        static func facts(_ rows: [Row]) -> (facts: PushPolicy.PushFacts, head: Int64?) {
            var facts = PushPolicy.PushFacts()
            var head: Int64?
            for (kind, key, number, first, second, third, flag, own, others, othersTags) in rows {
                switch kind {
                case 0: head = number
                case 1:
                    if let id = key.flatMap({ PostgresSyncStore.operationID($0, number ?? 0) }), let first { facts.stored[id] = first }
                case 2:
                    if let id = key.flatMap({ PostgresSyncStore.operationID($0, number ?? 0) }), let first, let second, let third {
                        facts.refusals[id] = .init(code: Sync.Refusal.Code(rawValue: first), reason: second, payload: third)
                    }
                case 3:
                    if let replica = key.flatMap(ReplicaID.init(hex:)), let first { facts.owners[replica] = UserName(stored: first) }
                case 4:
                    if let key, let first {
                        facts.creators[AnnotationID(rawValue: key)] = .init(
                            author: UserName(stored: first), isPrivate: flag ?? false, ownTagAdditions: Int(own ?? 0),
                            others: .init(operations: Int(others ?? 0), tagAdditions: Int(othersTags ?? 0)))
                    }
                case 5:
                    if let key, let first { facts.refusedCreates[AnnotationID(rawValue: key)] = first }
                case 6:
                    if let key { facts.reports.insert(ReportID(rawValue: key)) }
                default: break
                }
            }
            return (facts, head)
        }
    }

    /// The workspace's head, its row locked until the transaction ends.
    struct LockHead: PostgresPreparedStatement {
        static let sql = "SELECT seq FROM heads WHERE workspace = $1 FOR UPDATE"
        typealias Row = Int64
        let workspace: String
        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(workspace)
            return bindings
        }
        func decodeRow(_ row: PostgresRow) throws -> Int64 { try row.decode(Int64.self) }
    }

    /// The workspace's head, not locked.
    struct Head: PostgresPreparedStatement {
        static let sql = "SELECT seq FROM heads WHERE workspace = $1"
        typealias Row = Int64
        let workspace: String
        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(workspace)
            return bindings
        }
        func decodeRow(_ row: PostgresRow) throws -> Int64 { try row.decode(Int64.self) }
    }

    /// Moves the workspace's head, once per batch, before its commit.
    struct SetHead: PostgresPreparedStatement {
        static let sql = "UPDATE heads SET seq = $2 WHERE workspace = $1"
        typealias Row = Void
        let workspace: String
        let head: Int64
        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 2)
            bindings.append(workspace)
            bindings.append(head)
            return bindings
        }
        func decodeRow(_ row: PostgresRow) throws {}
    }

    /// Registers replicas to a user; a replica registered already stays as it is.
    struct Register: PostgresPreparedStatement {
        static let sql = """
            INSERT INTO replicas (replica, user_name, registered)
            SELECT r, $2, $3 FROM unnest($1::text[]) AS r ON CONFLICT DO NOTHING
            """
        typealias Row = Void
        let replicas: [String]
        let user: String
        let now: Int64
        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 3)
            bindings.append(replicas)
            bindings.append(user)
            bindings.append(now)
            return bindings
        }
        func decodeRow(_ row: PostgresRow) throws {}
    }

    /// Stores operations, numbered.
    struct InsertOperations: PostgresPreparedStatement {
        static let sql = """
            INSERT INTO operations (workspace, seq, replica, counter, author, annotation, private, hlc_wall, payload)
            SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::boolean[], $8::bigint[], $9::text[])
            """
        typealias Row = Void
        let workspace: String
        let operations: [GlossCore.Operation]
        let payloads: [String]
        let firstSeq: Int64
        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 9)
            let (replicas, counters) = PostgresSyncStore.columns(operations.map(\.id))
            bindings.append(workspace)
            bindings.append(operations.indices.map { firstSeq + Int64($0) })
            bindings.append(replicas)
            bindings.append(counters)
            bindings.append(operations.map(\.author.rawValue))
            bindings.append(operations.map(\.annotation.rawValue))
            bindings.append(operations.map(\.isPrivate))
            bindings.append(operations.map(\.hlc.wall))
            bindings.append(payloads)
            return bindings
        }
        func decodeRow(_ row: PostgresRow) throws {}
    }

    /// What the server keeps of each create; the author's tag count starts with the create's
    /// own tags (``PushPolicy/Decision/counts``).
    struct InsertAnnotations: PostgresPreparedStatement {
        static let sql = """
            INSERT INTO annotations (workspace, id, author, private, tag_additions)
            SELECT $1, * FROM unnest($2::text[], $3::text[], $4::boolean[], $5::bigint[])
            ON CONFLICT DO NOTHING
            """
        typealias Row = Void
        let workspace: String
        let creates: [GlossCore.Operation]
        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 5)
            bindings.append(workspace)
            bindings.append(creates.map(\.annotation.rawValue))
            bindings.append(creates.map(\.author.rawValue))
            bindings.append(creates.map(\.isPrivate))
            bindings.append(creates.map { Int64(PushPolicy.tagsAdded(by: $0)) })
            return bindings
        }
        func decodeRow(_ row: PostgresRow) throws {}
    }

    /// Adds to the counts the limits need.
    struct AddCounts: PostgresPreparedStatement {
        static let sql = """
            UPDATE annotations a SET tag_additions = a.tag_additions + c.own, others_operations = a.others_operations + c.others,
                   others_tag_additions = a.others_tag_additions + c.others_tags
            FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::bigint[]) AS c(id, own, others, others_tags)
            WHERE a.workspace = $1 AND a.id = c.id
            """
        typealias Row = Void
        let workspace: String
        let counts: [(key: AnnotationID, value: (ownTagAdditions: Int, others: PushPolicy.Budget))]
        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 5)
            bindings.append(workspace)
            bindings.append(counts.map(\.key.rawValue))
            bindings.append(counts.map { Int64($0.value.ownTagAdditions) })
            bindings.append(counts.map { Int64($0.value.others.operations) })
            bindings.append(counts.map { Int64($0.value.others.tagAdditions) })
            return bindings
        }
        func decodeRow(_ row: PostgresRow) throws {}
    }
}
