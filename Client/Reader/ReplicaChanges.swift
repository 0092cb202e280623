import Foundation
import GlossReplica
import Hummingbird
import NIOPosix
import Synchronization

/// When the replica changes, whatever changed it: another `gloss` command, a sync, a watch
/// (SQLite's `data_version`, polled as `gloss sync --watch` polls it), or the page itself
/// (``bump()``: this process's own commits do not move `data_version`). Each open page holds
/// one server-sent-event stream and refetches what it shows on `changed`.
final class ReplicaChanges: Sendable {
    let replica: Replica
    private let local = Atomic<Int>(0)
    /// How often the replica is looked at: a change reaches the pages within this and a fetch.
    static let interval = Duration.milliseconds(200)

    init(replica: Replica) {
        self.replica = replica
    }

    func bump() {
        local.add(1, ordering: .relaxed)
    }

    /// A number that moves whenever the replica does.
    func version() async -> Int {
        let external = (try? await NIOThreadPool.singleton.runIfActive { try self.replica.externalWrites() }) ?? 0
        return external &* 1_000_003 &+ local.load(ordering: .relaxed)
    }

    /// `text/event-stream`: `changed` with the new version each time it moves, and a comment
    /// every 15 s so that nothing between closes an idle stream.
    func stream() -> Response {
        let body = ResponseBody { writer in
            var last = await self.version()
            try await writer.write(ByteBuffer(string: "retry: 1000\nevent: hello\ndata: {\"version\":\(last)}\n\n"))
            var quiet = Duration.zero
            while !Task.isCancelled {
                try await Task.sleep(for: Self.interval)
                let now = await self.version()
                if now != last {
                    last = now
                    quiet = .zero
                    try await writer.write(ByteBuffer(string: "event: changed\ndata: {\"version\":\(now)}\n\n"))
                } else {
                    quiet += Self.interval
                    if quiet >= .seconds(15) {
                        quiet = .zero
                        try await writer.write(ByteBuffer(string: ": still here\n\n"))
                    }
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: body)
    }
}
