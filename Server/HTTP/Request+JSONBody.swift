import Foundation
import GlossCore
import Hummingbird

extension Request {
    /// Reads the body (at most `limit` bytes) and decodes it, turning every failure into an
    /// ``APIError`` that names the problem: 413 for too large, 400 for bad JSON or wrong types.
    /// `fast`, when given, reads the body first (Gloss's own reader); when it declines, the body
    /// is decoded with `JSONDecoder`, whose answer and error message are the reference.
    /// The body must arrive within `timeout` once the head has (408 otherwise).
    mutating func decodeJSONBody<T: Decodable>(_ type: T.Type, limit: Int = Sync.Limits.maxRequestBytes, timeout: Duration,
                                               fast: ((Data) -> T?)? = nil) async throws -> T {
        if let length = headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw APIError.tooLarge("the request body is \(length) bytes; the limit is \(limit)",
                                    hint: "send fewer operations per request")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await Self.withDeadline(timeout) { [self] in
                var request = self
                return try await request.collectBody(upTo: limit)
            }
        } catch let error as HTTPResponseError where error.status == .contentTooLarge {
            throw APIError.tooLarge("the request body is over the limit of \(limit) bytes", hint: "send fewer operations per request")
        }
        let data = Data(buffer.readableBytesView)
        guard String(validating: data, as: UTF8.self) != nil else {
            throw APIError.badRequest("the request body is not valid UTF-8", hint: "send JSON encoded as UTF-8")
        }
        if let fast, let value = fast(data) { return value }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw APIError.badRequest("the request body is not a valid \(T.self): \(DecodingErrorText.describe(error))")
        }
    }

    /// `body`'s result, or 408 when it takes longer than `timeout`.
    static func withDeadline<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw APIError(.requestTimeout, "the request body did not arrive within \(timeout)", hint: "send it again")
            }
            return value
        }
    }
}
