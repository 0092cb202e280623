/// The messages of the sync protocol (HTTP/JSON, described in `Schema/openapi.yaml`).
///
/// A client pushes the operations the server has not acknowledged and pulls what it has not
/// seen, page by page, by a server cursor. Every message is idempotent: operations are keyed
/// by id, reports by content hash, so re-sending after a cut is harmless.
public enum Sync {
    /// Hard limits, shared by server and client so the client never builds a request the server refuses.
    public enum Limits {
        /// Largest request body the server reads.
        public static let maxRequestBytes = 8 * 1024 * 1024
        /// Most operations in one push.
        public static let maxPushOperations = 5_000
        /// Largest report text accepted.
        public static let maxReportBytes = 4 * 1024 * 1024
        /// The server's default and largest pull page (operations).
        public static let defaultPageSize = 1_000
        /// What `gloss sync` asks for, pushing and pulling: each pulled page is one transaction,
        /// and in larger ones each index page is written fewer times (applying 200,000
        /// operations: ~20% faster in pages of 5,000 than of 1,000, gloss-bench --only apply).
        public static let clientBatchSize = 5_000
        public static let maxPageSize = 10_000
        /// A pull page stops growing past this many bytes of operations.
        public static let maxPageBytes = 4 * 1024 * 1024
        /// Most reports in one page of `GET …/reports` (fewer when they are large: a page stops
        /// at ``maxPageBytes``, but always holds at least one).
        public static let maxReportPage = 200
    }

    /// `POST /v1/workspaces/{workspace}/push`
    public struct PushRequest: Codable, Sendable, Equatable {
        public var replica: ReplicaID
        public var operations: [Operation]
        /// Proofs that the pusher's replica ids are theirs (``ReplicaClaim``), one per replica
        /// whose operations the push carries; the server needs each only until it registered it.
        public var claims: [ReplicaClaim]
        /// Each operation's JSON as the replica stored it, sent as it is instead of being
        /// written again; not part of the Codable form.
        public var payloads: [String]?
        /// The pusher's signed runs (``ChainSegment``), one per chain of its own the push has
        /// operations of, from the push's first operation of it: kept by the server and passed on
        /// with each pull page (docs/RELIABILITY.md, "Signed operations"). Read and written by
        /// ``read(_:)`` and ``wireBytes()``; not part of the Codable form.
        public var runs: [ChainSegment] = []

        enum CodingKeys: String, CodingKey { case replica, operations, claims }

        public init(replica: ReplicaID, operations: [Operation], claims: [ReplicaClaim] = [], payloads: [String]? = nil) {
            precondition(payloads == nil || payloads!.count == operations.count, "one payload per operation")
            self.replica = replica
            self.operations = operations
            self.claims = claims
            self.payloads = payloads
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            replica = try c.decode(ReplicaID.self, forKey: .replica)
            operations = try c.decode([Operation].self, forKey: .operations)
            claims = try c.decodeIfPresent([ReplicaClaim].self, forKey: .claims) ?? []
        }
    }

    /// Why one operation of a push was refused. `code` is stable, for scripts and the client.
    public struct Refusal: Codable, Sendable, Equatable {
        /// Why an operation was refused. Open-ended: a code this version does not know (from a
        /// newer server, or stored by one) is kept as it came, never turned into another.
        public struct Code: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
            public let rawValue: String
            public init(rawValue: String) { self.rawValue = rawValue }
            public var description: String { rawValue }

            public static let invalid = Code(rawValue: "invalid")
            public static let forgedAuthor = Code(rawValue: "forged-author")
            public static let readOnly = Code(rawValue: "read-only")
            public static let notAuthor = Code(rawValue: "not-author")
            public static let wrongWorkspace = Code(rawValue: "wrong-workspace")
            public static let clockAhead = Code(rawValue: "clock-ahead")
            public static let unknownAnnotation = Code(rawValue: "unknown-annotation")
            public static let privacy = Code(rawValue: "privacy")
            public static let missingReport = Code(rawValue: "missing-report")
            /// A relayed operation the server has not had from its author yet.
            public static let awaitingAuthor = Code(rawValue: "awaiting-author")
            /// A change to an annotation whose create the server refused for good.
            public static let refusedAnnotation = Code(rawValue: "refused-annotation")
            /// The operation's id names a replica that is not the pusher's (its claim proves another user).
            public static let foreignReplica = Code(rawValue: "foreign-replica")
            /// The operation's replica is not registered and no claim came with it (yet).
            public static let awaitingClaim = Code(rawValue: "awaiting-claim")
            /// The server holds a different operation under this id.
            public static let idTaken = Code(rawValue: "id-taken")
            /// The annotation has reached a count limit (operations or tags).
            public static let tooMany = Code(rawValue: "too-many")
        }
        public var op: OperationID
        public var code: Code
        public var reason: String
        public init(op: OperationID, code: Code, reason: String) {
            self.op = op
            self.code = code
            self.reason = reason
        }
    }

    public struct PushResponse: Codable, Sendable, Equatable {
        /// Newly stored.
        public var accepted: [OperationID]
        /// Already on the server (an earlier push that lost its answer, or another machine of yours).
        public var duplicates: [OperationID]
        public var refused: [Refusal]
        /// The server's clock, ms, so a client can tell its analyst how far off their clock is.
        public var serverTime: Int64
        public init(accepted: [OperationID] = [], duplicates: [OperationID] = [], refused: [Refusal] = [], serverTime: Int64) {
            self.accepted = accepted
            self.duplicates = duplicates
            self.refused = refused
            self.serverTime = serverTime
        }
    }

    /// `GET /v1/workspaces/{workspace}/operations?after=CURSOR&limit=N`
    public struct PullResponse: Codable, Sendable, Equatable {
        public var operations: [Operation]
        /// Pass as `after` next time. It moves past operations you may not see, so filtering never stalls a pull.
        public var cursor: Int64
        /// More pages are waiting.
        public var more: Bool
        /// The server store's epoch: pass it with the cursor, so that a cursor from another
        /// store is refused (409 ``ErrorBody/storeReplaced``) instead of silently skipping.
        public var epoch: String?
        /// The head of the workspace's report feed (`GET …/reports?after=`): a client whose
        /// report cursor is there already skips asking it. Nil from a server that does not say.
        public var reports: Int64?
        /// Each operation's JSON as received, when read with ``read(_:)``; not encoded.
        public var payloads: [String]?
        /// The operations ``read(_:)`` could not read, skipped so the feed goes on; not encoded.
        public var unreadable: [Sync.Skipped] = []
        /// The signed runs covering the page's operations (the server cuts each to begin at the
        /// page's first operation of its chain): a replica that pinned its workspace's root checks
        /// the page against them. Read by ``read(_:)``; not part of the Codable form.
        public var runs: [ChainSegment] = []
        /// Positions of those runs' chains the server refused for good (their operations will
        /// never come): counted as arrived for the chain-hole rule. Read by ``read(_:)``; not
        /// part of the Codable form.
        public var refused: [OperationID] = []
        /// How many statements the workspace's root has signed (bindings, revocations, the
        /// legacy cutoff), on a page that carries runs: a replica that holds fewer asks for them
        /// (`GET …/trust`) before it checks the page. Nil from a server that does not say.
        public var statements: Int64?

        enum CodingKeys: String, CodingKey { case operations, cursor, more, epoch, reports }

        public init(operations: [Operation], cursor: Int64, more: Bool, epoch: String? = nil) {
            self.operations = operations
            self.cursor = cursor
            self.more = more
            self.epoch = epoch
        }
    }

    /// `GET /v1/workspaces/{workspace}/reports?after=CURSOR&limit=N`: the reports the workspace
    /// received after `CURSOR`, in the order it received them.
    public struct ReportPage: Codable, Sendable, Equatable {
        public var reports: [Report]
        /// Pass as `after` next time.
        public var cursor: Int64
        public var more: Bool
        /// The reports ``read(_:)`` could not read, skipped so the feed goes on; not encoded.
        public var unreadable: [Sync.Skipped] = []

        enum CodingKeys: String, CodingKey { case reports, cursor, more }

        public init(reports: [Report], cursor: Int64, more: Bool) {
            self.reports = reports
            self.cursor = cursor
            self.more = more
        }
    }

    /// `GET /v1/me`: who the token belongs to and where they may go.
    public struct WhoAmI: Codable, Sendable, Equatable {
        public struct Membership: Codable, Sendable, Equatable {
            public var workspace: WorkspaceName
            public var role: Role
            public init(workspace: WorkspaceName, role: Role) {
                self.workspace = workspace
                self.role = role
            }
        }
        public var user: UserName
        public var memberships: [Membership]
        public init(user: UserName, memberships: [Membership]) {
            self.user = user
            self.memberships = memberships
        }
    }

    /// Every error answer's body.
    public struct ErrorBody: Codable, Sendable, Equatable {
        public var error: String
        public var hint: String?
        /// A machine-readable reason, where a client acts on it (``storeReplaced``).
        public var code: String?
        public init(error: String, hint: String? = nil, code: String? = nil) {
            self.error = error
            self.hint = hint
            self.code = code
        }

        /// The pull's cursor came from another store, or from this one before a restore: start over.
        public static let storeReplaced = "store_replaced"
        /// 429: a push over the member's or the workspace's quota; `Retry-After` says when to push again.
        public static let rateLimited = "rate_limited"
    }
}

extension Sync.Refusal.Code {
    /// Refusals that clear up by themselves: the server lacks something another sync will bring.
    public var isTemporary: Bool {
        self == .unknownAnnotation || self == .missingReport || self == .awaitingAuthor || self == .awaitingClaim
    }
}

/// This build's version, printed by `gloss --version` and `gloss-server --version`.
public enum GlossVersion {
    public static let string = "0.14.0"
}
