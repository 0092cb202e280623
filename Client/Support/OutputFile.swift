import Foundation

/// Writes what `-o PATH` names, as the user means it:
/// - a regular file is replaced atomically (a new file beside it, renamed over it), keeping
///   its permissions, so a reader never sees half a brief;
/// - a symbolic link is followed, and what it names is written (a link that names nothing yet
///   makes that file);
/// - a terminal, `/dev/null` or another character device, and a FIFO, are opened and written,
///   never renamed over (as root, a rename would replace `/dev/null` with a regular file);
/// - a folder, a block device and a socket are refused.
enum OutputFile {
    /// What `path` turned out to be, and where to write.
    enum Target: Equatable {
        /// A regular file (existing or not) at this resolved path, with the permissions to keep.
        case file(path: String, mode: mode_t?)
        /// A character device or a FIFO: open it and write.
        case stream(path: String)
    }

    struct Refusal: Error {
        var message: String
        var hint: String?
        /// Whether the path names what can never be written (a folder): a mistake on the command line.
        var usage = false
    }

    /// Where writing `path` goes, links followed.
    static func target(_ path: String) throws -> Target {
        var info = stat()
        if stat(path, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG: return .file(path: resolved(path), mode: info.st_mode & 0o7777)
            case S_IFCHR, S_IFIFO: return .stream(path: path)
            case S_IFDIR: throw Refusal(message: "\(path) is a folder", hint: "give a file name, e.g. -o \(path)/brief.md", usage: true)
            case S_IFBLK: throw Refusal(message: "\(path) is a block device (a disk)", hint: "give a file name", usage: true)
            default: throw Refusal(message: "\(path) is a socket", hint: "give a file name", usage: true)
            }
        }
        guard errno == ENOENT else { throw Refusal(message: "cannot write \(path): \(String(cString: strerror(errno)))", hint: nil) }
        // Nothing there, or a link to nothing: the file to make is at the end of the links.
        var last = path
        for _ in 0..<40 {
            guard let next = linkTarget(last) else { break }
            last = next
        }
        let folder = (last as NSString).deletingLastPathComponent
        var folderInfo = stat()
        guard stat(folder.isEmpty ? "." : folder, &folderInfo) == 0, folderInfo.st_mode & S_IFMT == S_IFDIR else {
            throw Refusal(message: "cannot write \(path): the folder \(folder.isEmpty ? "." : folder) does not exist",
                          hint: "make it first (mkdir -p), or name another file")
        }
        return .file(path: resolved(folder.isEmpty ? "." : folder) + "/" + (last as NSString).lastPathComponent, mode: nil)
    }

    /// Writes `data` where `path` leads.
    static func write(_ data: Data, to path: String) throws {
        switch try target(path) {
        case .stream(let path):
            let descriptor = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)
            guard descriptor >= 0 else { throw failure(path) }
            defer { close(descriptor) }
            try writeAll(data, to: descriptor, path: path)
        case .file(let target, let mode):
            try replace(target, with: data, mode: mode)
        }
    }

    /// A new file beside `target`, written, synced and renamed over it.
    private static func replace(_ target: String, with data: Data, mode: mode_t?) throws {
        let folder = (target as NSString).deletingLastPathComponent
        var template = Array((folder + "/." + (target as NSString).lastPathComponent + ".gloss-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw failure(target) }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var renamed = false
        defer {
            close(descriptor)
            if !renamed { unlink(temporary) }
        }
        // Its old permissions, or those a new file gets (0666 less the umask); mkstemp's are 0600.
        let permissions = mode ?? {
            let mask = umask(0)
            umask(mask)
            return 0o666 & ~mask
        }()
        guard fchmod(descriptor, permissions) == 0 else { throw failure(target) }
        try writeAll(data, to: descriptor, path: target)
        guard fsync(descriptor) == 0, rename(temporary, target) == 0 else { throw failure(target) }
        renamed = true
    }

    private static func writeAll(_ data: Data, to descriptor: Int32, path: String) throws {
        try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw failure(path)
                }
                offset += written
            }
        }
    }

    /// The path with every link and `..` resolved (the path itself when it cannot be).
    private static func resolved(_ path: String) -> String {
        guard let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }

    /// What the link at `path` names (relative to its folder), or nil when it is not a link.
    private static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        let target = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return target.hasPrefix("/") ? target : ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(target)
    }

    private static func failure(_ path: String) -> Refusal {
        let reason = String(cString: strerror(errno))
        return Refusal(message: "cannot write \(path): \(reason)",
                       hint: errno == EACCES || errno == EPERM ? "check that you may write there" : "check the folder exists and the disk has room")
    }
}
