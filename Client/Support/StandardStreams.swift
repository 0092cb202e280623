import Foundation
import GlossCore

/// `-` names standard input or output wherever a command takes a file, as in git, curl and tar.
enum StandardStreams {
    static let dash = "-"

    /// How a file argument reads in messages: `-` is "standard input".
    static func inputName(_ path: String) -> String { path == dash ? "standard input" : path }

    /// Reads a named file, or standard input for `-`, refusing what is not a regular file and
    /// anything over `limit` before loading it (a FIFO or `/dev/zero` would otherwise block or
    /// never end).
    static func read(_ path: String, limit: Int) throws -> Data {
        if path == dash { return try readStandardInput(limit: limit, what: "the input") }
        var info = stat()
        guard stat(path, &info) == 0 else {   // follows symlinks: a link to a report is fine
            throw CLIFailure(.badFile, errno == ENOENT ? "no such file" : "cannot be read: \(String(cString: strerror(errno)))")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw CLIFailure(.badFile, "is a folder, not a file")
        default: throw CLIFailure(.badFile, "is not a regular file (a device, FIFO or socket)", hint: "to read a pipe, name it `-` and redirect it")
        }
        let size = Int(info.st_size)
        if size > limit { throw ReportImportError.tooLarge(bytes: size, limit: limit) }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CLIFailure(.badFile, "cannot be read (check its permissions)")
        }
        defer { try? handle.close() }
        return try readAll(handle, limit: limit)
    }

    /// Reads standard input to its end, at most `limit` bytes. On a terminal it first says how
    /// to end the input, since the command otherwise seems to hang.
    static func readStandardInput(limit: Int, what: String) throws -> Data {
        if isatty(STDIN_FILENO) == 1 {
            Output.warn(Output.dim("reading \(what) from the terminal; end it with Ctrl-D"))
        }
        return try readAll(FileHandle.standardInput, limit: limit)
    }

    /// A comment given as `-`: standard input as UTF-8 text, without the final line break a
    /// shell or an editor adds; refused when there is none.
    static func comment(_ value: String?) throws -> String? {
        guard value == dash else { return value }
        let limit = GlossCore.Operation.maxBodyBytes
        let data: Data
        do { data = try readStandardInput(limit: limit, what: "the comment") } catch ReportImportError.tooLarge {
            throw CLIFailure.usage("the comment on standard input is over \(limit / 1024) KiB", hint: "shorten it, or split it into replies")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CLIFailure(.invalidArgument, "the comment on standard input is not UTF-8 text", hint: "convert it first, e.g. with iconv -t UTF-8")
        }
        // An empty pipe is more likely a failed command before it than a wish to clear a comment.
        guard !text.allSatisfy(\.isWhitespace) else {
            throw CLIFailure(.invalidArgument, "standard input held no comment; nothing was changed",
                             hint: "to clear a comment on purpose, give --comment ''")
        }
        return text.trimmingTrailingNewlines
    }

    /// Writes `data` to a file, or to standard output for `-`. Says whether it went to a file.
    @discardableResult
    static func write(_ data: Data, to path: String, home: URL) throws -> Bool {
        if path == dash {
            FileHandle.standardOutput.write(data)
            return false
        }
        try Output.write(data, to: path, home: home)
        return true
    }

    /// Reads to the end, at most one chunk past `limit`. With `read(2)` itself: on a terminal
    /// the end is Ctrl-D, which ends one read and not the input, so reading on after it would
    /// wait for a second Ctrl-D.
    private static func readAll(_ handle: FileHandle, limit: Int) throws -> Data {
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let descriptor = handle.fileDescriptor
        // Read at most one chunk over the limit, in case a file grew since `stat`.
        while data.count <= limit {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw CLIFailure(.badFile, "cannot be read: \(String(cString: strerror(errno)))")
            }
            data.append(contentsOf: chunk[..<count])
        }
        if data.count > limit { throw ReportImportError.tooLarge(bytes: data.count, limit: limit) }
        return data
    }
}

extension String {
    /// Without the line breaks at the end (one from `echo`, or from an editor saving a file).
    var trimmingTrailingNewlines: String {
        var text = Substring(self)
        while text.last?.isNewline == true { text.removeLast() }
        return String(text)
    }
}
