import Foundation
import GlossCore

/// The replica's device key on disk (``DeviceKey``): `device.key` beside `replica.sqlite`,
/// made once, readable by its owner only (mode 0600), never copied into the database, so a
/// backup or an export of the replica is not a copy of the key.
///
/// The file holds the 32 private bytes as base64url text and a newline. A key readable by
/// others is refused as ssh refuses one: anyone who read it could sign as this analyst.
enum DeviceKeyFile {
    static let fileName = "device.key"

    /// The key in `directory`, made there first when there is none (a replica made before
    /// signing gets its key the first time it needs one).
    static func loadOrCreate(in directory: URL) throws -> DeviceKey {
        let path = directory.appendingPathComponent(fileName).path
        if let key = try load(path) { return key }
        var generator = SystemRandomNumberGenerator()
        let key = DeviceKey.generate(using: &generator)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            // Another process made it first: take that one.
            if errno == EEXIST, let key = try load(path) { return key }
            throw ReplicaError.deviceKey(path: path, problem: String(cString: strerror(errno)))
        }
        let text = Array((key.text + "\n").utf8)
        let written = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == text.count, synced == 0 else {
            unlink(path)
            throw ReplicaError.deviceKey(path: path, problem: "it could not be written")
        }
        return key
    }

    /// The key at `path`; nil when there is no file.
    private static func load(_ path: String) throws -> DeviceKey? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { return nil }
            throw ReplicaError.deviceKey(path: path, problem: String(cString: strerror(errno)))
        }
        guard info.st_mode & S_IFMT == S_IFREG else { throw ReplicaError.deviceKey(path: path, problem: "it is not a regular file") }
        guard info.st_mode & 0o077 == 0 else {
            throw ReplicaError.deviceKey(path: path, problem: "others can read it (mode \(String(info.st_mode & 0o777, radix: 8)))")
        }
        guard let data = FileManager.default.contents(atPath: path),
              let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
              let key = DeviceKey(text: text) else {
            throw ReplicaError.deviceKey(path: path, problem: "it does not hold a key")
        }
        return key
    }
}
