import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP listener on 127.0.0.1 at a free port that counts the requests it gets and
/// answers each 404: what a viewer of an exported file fetched from the network.
final class RequestListener: @unchecked Sendable {
    let port: Int
    private let socket: Int32
    private let lock = NSLock()
    private var paths: [String] = []
    private let done = DispatchSemaphore(value: 0)

    init() throws {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(what: "socket") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else { close(fd); throw Failure(what: "bind/listen") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        socket = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    struct Failure: Error { var what: String }

    var url: String { "http://127.0.0.1:\(port)" }

    /// The request lines received so far ("GET /x.png HTTP/1.1").
    var requests: [String] {
        lock.lock()
        defer { lock.unlock() }
        return paths
    }

    private func acceptLoop() {
        while true {
            let client = accept(socket, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                break
            }
            var received = [UInt8]()
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !received.containsHeaderEnd, received.count < 65_536 {
                let count = recv(client, &buffer, buffer.count, 0)
                if count <= 0 { break }
                received += buffer[0..<count]
            }
            let firstLine = String(decoding: received, as: UTF8.self).split(separator: "\r\n").first.map(String.init) ?? "(nothing)"
            lock.lock()
            paths.append(firstLine)
            lock.unlock()
            let answer = Array("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)
            _ = send(client, answer, answer.count, Int32(MSG_NOSIGNAL))
            close(client)
        }
        done.signal()
    }

    /// Stops listening (ends the accept loop).
    func stop() {
        shutdown(socket, Int32(SHUT_RDWR))
        close(socket)
        _ = done.wait(timeout: .now() + 5)
    }
}

private extension [UInt8] {
    var containsHeaderEnd: Bool {
        count >= 4 && indices.dropLast(3).contains { self[$0] == 13 && self[$0 + 1] == 10 && self[$0 + 2] == 13 && self[$0 + 3] == 10 }
    }
}
