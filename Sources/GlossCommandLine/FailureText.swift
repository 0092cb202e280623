import Foundation
import GlossCore

/// How both programs report a failure on standard error: `error: …` and `hint: …` lines for
/// people, or with `--json` one object `{"code", "error", "hint"}` for scripts.
public enum FailureText {
    public static func render(_ message: String, code: String, hint: String?, json: Bool) -> String {
        if json {
            struct Failure: Encodable { var error: String; var code: String; var hint: String? }
            return (try? JSON.string(Failure(error: message, code: code, hint: hint))) ?? "{}"
        }
        return "error: \(message)" + (hint.map { "\nhint: \($0)" } ?? "")
    }

    public static func write(_ message: String, code: String, hint: String?, json: Bool) {
        FileHandle.standardError.write(Data((render(message, code: code, hint: hint, json: json) + "\n").utf8))
    }
}
