/// Short, human descriptions of decoding failures (with the JSON path).
public enum DecodingErrorText {
    public static func describe(_ error: any Error) -> String {
        if let error = error as? MalformedJSON { return error.description }
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let p = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return p.isEmpty ? "" : " at \(p)"
        }
        switch error {
        case let .keyNotFound(key, context): return "missing field '\(key.stringValue)'\(path(context))"
        case let .typeMismatch(_, context): return "wrong type\(path(context)): \(context.debugDescription)"
        case let .valueNotFound(_, context): return "missing value\(path(context))"
        case let .dataCorrupted(context): return "\(context.debugDescription)\(path(context))"
        @unknown default: return "\(error)"
        }
    }
}
