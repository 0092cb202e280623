import Foundation
import GlossCore
import Hummingbird

extension Request {
    /// Reads the body (at most `limit` bytes) with `read`, the form's one reader, turning every
    /// failure into an ``APIError`` that names the problem: 413 for too large, 400 for bad JSON
    /// (with what was expected, and where). The body must arrive within `timeout` once the head
    /// has (408 otherwise).
    mutating func readJSONBody<T>(limit: Int = Sync.Limits.maxRequestBytes, timeout: Duration, as form: String,
                                  _ read: (Data) throws -> T) async throws -> T {
        let data = try await body(limit: limit, timeout: timeout)
        do {
            return try read(data)
        } catch {
            throw APIError.badRequest("the request body is not a valid \(form): \(DecodingErrorText.describe(error))")
        }
    }

    /// Reads the body and decodes it with `Codable` (a report: one small form, not a hot path).
    mutating func decodeJSONBody<T: Decodable>(_ type: T.Type, limit: Int = Sync.Limits.maxRequestBytes, timeout: Duration) async throws -> T {
        try await readJSONBody(limit: limit, timeout: timeout, as: "\(T.self)") { try JSONDecoder().decode(T.self, from: $0) }
    }

    private mutating func body(limit: Int, timeout: Duration) async throws -> Data {
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
        return data
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
