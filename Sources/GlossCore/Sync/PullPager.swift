/// How a pull page is cut and where its cursor lands, in one place (the server's store only
/// feeds it rows in the workspace's sequence).
///
/// A page holds, in sequence, the operations after the request's cursor that the user may see
/// (``Privacy``), up to `limit` operations or about `maxBytes` of their JSON. Its cursor is the
/// sequence number of the last operation *looked at*, seen or hidden, so a long run of someone
/// else's private notes never stalls a pull, and the work of one request stays bounded
/// (`maxScanned` rows) however long that run is.
public struct PullPager: Sendable {
    public let user: UserName
    public let limit: Int
    public let maxBytes: Int
    public let maxScanned: Int
    /// The operations' JSON, as stored.
    public private(set) var payloads: [String] = []
    /// Where the next pull starts.
    public private(set) var cursor: Int64
    private var bytes = 0
    private var scanned = 0

    public init(user: UserName, after cursor: Int64, limit: Int, maxBytes: Int = Sync.Limits.maxPageBytes) {
        self.user = user
        self.cursor = cursor
        self.limit = limit
        self.maxBytes = maxBytes
        maxScanned = max(limit * 10, 100_000)
    }

    /// Whether the page takes another row.
    public var wantsMore: Bool { payloads.count < limit && bytes < maxBytes && scanned < maxScanned }

    /// The next row of the workspace's log; ask ``wantsMore`` first. A `withheld` row (one an
    /// admin took out of the workspace, `gloss-server quarantine`) is passed over like another's
    /// private note: the cursor moves past it, and nobody receives it.
    public mutating func offer(seq: Int64, author: UserName, isPrivate: Bool, withheld: Bool = false, payload: @autoclosure () -> String) {
        scanned += 1
        cursor = seq
        guard !withheld, Privacy.allows(user, author, isPrivate: isPrivate) else { return }
        let text = payload()
        payloads.append(text)
        bytes += text.utf8.count
    }
}
