import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A `gloss open --no-browser` left running, as an analyst leaves it in a terminal: the real
/// program serving her replica's reader page on loopback. `url` is the address it printed
/// (with its secret); `base` is the same without it.
final class ReaderProcess {
    let process = Process()
    let log: URL
    let url: String
    let port: Int

    init(home: URL, log: URL, arguments: [String] = []) throws {
        self.log = log
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let file = try FileHandle(forWritingTo: log)
        process.executableURL = CLI.binDir.appendingPathComponent("gloss")
        process.arguments = ["--home", home.path, "--json", "open", "--no-browser"] + arguments
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        process.environment = env
        process.standardOutput = file
        process.standardError = file
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var printed: String?
        _ = eventually(within: 20) {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            guard let line = text.split(separator: "\n").first(where: { $0.contains("\"url\"") }),
                  let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return false }
            printed = object["url"] as? String
            return printed != nil
        }
        guard let printed, let port = URLComponents(string: printed)?.port else {
            kill(process.processIdentifier, SIGKILL)
            throw ReaderFailure(message: "gloss open printed no address: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        }
        (url, self.port) = (printed, port)
    }

    var base: String { "http://127.0.0.1:\(port)" }
    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Sends `signal`; the exit status, or nil if it is still running after `seconds`.
    func stop(_ signal: Int32 = SIGINT, within seconds: Double = 10) -> Int32? {
        kill(process.processIdentifier, signal)
        return eventually(within: seconds) { !self.process.isRunning } ? process.terminationStatus : nil
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

struct ReaderFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// One HTTP/1.1 request written on a socket to 127.0.0.1:`port`, as any program on the
/// machine (or a page in another tab, a rebinding DNS name) could send it: every header as
/// given, `Host` included. The answer's status, headers (lower-cased names) and body.
func rawRequest(port: Int, method: String = "GET", path: String, headers: [String: String] = [:], body: String = "")
    throws -> (status: Int, headers: [String: String], body: String) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw ReaderFailure(message: "socket") }
    defer { close(fd) }
    var timeout = timeval(tv_sec: 10, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { throw ReaderFailure(message: "cannot connect to port \(port)") }
    var fields = ["Host": "127.0.0.1:\(port)", "Connection": "close"]
    if !body.isEmpty || method == "POST" {
        fields["Content-Length"] = String(body.utf8.count)
        fields["Content-Type"] = "application/json"
    }
    fields.merge(headers) { _, given in given }
    let text = "\(method) \(path) HTTP/1.1\r\n" + fields.map { "\($0.key): \($0.value)\r\n" }.joined() + "\r\n" + body
    _ = Array(text.utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
    var answer = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = recv(fd, &buffer, buffer.count, 0)
        if n <= 0 { break }
        answer += buffer[0..<n]
    }
    let whole = String(decoding: answer, as: UTF8.self)
    let parts = whole.components(separatedBy: "\r\n\r\n")
    let head = parts.first?.components(separatedBy: "\r\n") ?? []
    let status = head.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
    var answerHeaders: [String: String] = [:]
    for line in head.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        answerHeaders[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return (status, answerHeaders, parts.dropFirst().joined(separator: "\r\n\r\n"))
}
