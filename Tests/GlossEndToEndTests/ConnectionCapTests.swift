import Foundation
import Testing

/// Many clients together cannot take every socket: past `--max-connections` (by default the
/// open-file limit less a reserve) a connection is closed as soon as it is accepted, and the
/// server keeps answering the ones it holds.
@Suite struct ConnectionCapTests {
    @Test func connectionsOverTheGlobalCapAreClosedAtOnce() throws {
        let scratch = Scratch()
        let server = try ServerProcess(db: scratch.path("conns.sqlite")).initialized()
        let log = scratch.path("server.log")
        try server.start(arguments: ["--idle-timeout", "20", "--max-connections", "25", "--max-connections-per-client", "1000"], log: log)
        defer { server.stop() }
        let port = try #require(URLComponents(string: server.url)?.port)
        var sockets: [Int32] = []
        defer { for fd in sockets { close(fd) } }
        // Long polls' worth of idle connections, from one address whose own cap is far away.
        for _ in 0..<40 { sockets.append(try Socket.connect(port: port)) }
        let closed = Socket.closed(sockets, within: 2.5)
        #expect(closed.count == 15, "the 15 over the global cap of 25 are closed at once; \(closed.count) were")
        // One held connection still gets its answer.
        let held = try #require(sockets.first { !closed.contains($0) })
        Socket.send(held, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        #expect(Socket.readAll(held, within: 5.0).contains("200"))
        // The server says how many it holds.
        #expect((try? String(contentsOf: log, encoding: .utf8))?.contains("holding at most 25 connections") == true)
    }
}
