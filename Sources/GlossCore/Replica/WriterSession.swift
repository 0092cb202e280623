import Synchronization

/// The replica id and counter under which one process writes.
///
/// Every process that writes mints a fresh 64-bit replica id on its first change and counts
/// from 1 in memory (Automerge mints an actor per session the same way). So no two writers
/// ever share an id: not two processes on one home, not a copied file on another machine, not
/// a stale backup restored over the file (which a check of the file's inode cannot see: `cp`
/// onto an existing file keeps its inode, and freed inodes are reused). Counters never repeat
/// for one id because only this process ever uses it.
final class WriterSession: Sendable {
    private let state = Mutex<(id: ReplicaID?, next: UInt64)>((nil, 1))
    private let mint: @Sendable () -> ReplicaID

    init(mint: @escaping @Sendable () -> ReplicaID) {
        self.mint = mint
    }

    /// The id to write under and the next counter, minting the id on first use.
    func current() -> (id: ReplicaID, next: UInt64) {
        state.withLock { state in
            if state.id == nil { state.id = mint() }
            return (state.id!, state.next)
        }
    }

    /// Records that counters below `next` are used.
    func advance(to next: UInt64) {
        state.withLock { $0.next = max($0.next, next) }
    }
}
