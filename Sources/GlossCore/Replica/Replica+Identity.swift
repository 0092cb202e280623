import Foundation
import GRDB

/// Keeping replica ids unique when files are copied.
///
/// The file records the device and inode it lived at when its replica id was minted. A copy
/// (`cp`, a backup restored, a home synced to another machine) has another inode, so the first
/// time it is opened it retires the old id and mints a fresh one, and its counters start again
/// at 1 under the new id: no two live replicas ever write under one id, and no counter repeats.
/// Operations already in the log keep their ids; they are facts both copies share.
extension Replica {
    /// "device:inode" of the replica file.
    func currentFileIdentity() throws -> String {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let device = (attributes[.systemNumber] as? NSNumber)?.uint64Value ?? 0
        let inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        return "\(device):\(inode)"
    }

    /// Mints a new replica id if this file is new or was copied from elsewhere.
    func claimIdentity() throws {
        let here = try currentFileIdentity()
        if try meta().fileIdentity == here { return }
        try pool.write { db in
            var meta = try Meta.load(db)
            guard meta.fileIdentity != here else { return }
            if meta.replica.rawValue != 0 {
                meta.retiredReplicas += (meta.retiredReplicas.isEmpty ? "" : ",") + meta.replica.hex
            }
            var generator = SystemRandomNumberGenerator()
            meta.replica = ReplicaID.random(using: &generator)
            meta.nextCounter = 1
            meta.fileIdentity = here
            try meta.save(db)
        }
    }
}
