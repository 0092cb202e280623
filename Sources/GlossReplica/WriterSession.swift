import GlossCore
import Synchronization

/// The replica id and counter under which one process writes.
///
/// Every process that writes mints a fresh 64-bit replica id on its first change, derived
/// from its user's name, its device key and a fresh nonce (``ReplicaClaim/mint(for:key:nonce:)``:
/// so only that key signs the id's chains), and counts
/// from 1 in memory (Automerge mints an actor per session the same way). So no two writers
/// ever share an id: not two processes on one home, not a copied file on another machine, not
/// a stale backup restored over the file (which a check of the file's inode cannot see: `cp`
/// onto an existing file keeps its inode, and freed inodes are reused). Counters never repeat
/// for one id because only this process ever uses it.
final class WriterSession: Sendable {
    private let state = Mutex<(claim: ReplicaClaim?, nonce: String, next: UInt64)>((nil, "", 1))
    private let marked = Mutex(false)
    private let salt: @Sendable () -> [UInt8]

    /// `salt` gives 16 bytes for the replica id's nonce (random, except in seeded tests).
    init(salt: @escaping @Sendable () -> [UInt8]) {
        self.salt = salt
    }

    /// The claim (and so the id) to write under, its nonce and the next counter, minting it on first use.
    func current(for user: UserName, key: DevicePublicKey) -> (claim: ReplicaClaim, nonce: String, next: UInt64) {
        state.withLock { state in
            if state.claim == nil { (state.claim, state.nonce) = ReplicaClaim.mint(for: user, key: key, nonce: salt()) }
            return (state.claim!, state.nonce, state.next)
        }
    }

    /// Whether this process brought the mark beside the file (``Replica/markURL``) up to its
    /// replica id: done once, after its first change commits.
    var isMarked: Bool {
        get { marked.withLock { $0 } }
        set { marked.withLock { $0 = newValue } }
    }

    /// Records that counters below `next` are used.
    func advance(to next: UInt64) {
        state.withLock { $0.next = max($0.next, next) }
    }
}
