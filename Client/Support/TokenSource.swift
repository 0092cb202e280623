import Foundation
import GlossCore

/// Where `gloss remote add` takes the token from, so it need not be typed on the command line
/// (and kept in the shell's history): `--token`, else `GLOSS_TOKEN`, else one line of standard
/// input when that is not a terminal. Surrounding whitespace is dropped.
enum TokenSource {
    static func read(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                     input: () -> String? = standardInput) throws -> String {
        if let option { return try nonEmpty(option, from: "--token") }
        if let env = environment["GLOSS_TOKEN"] { return try nonEmpty(env, from: "GLOSS_TOKEN") }
        guard let line = input() else {
            throw CLIFailure.usage("no token given",
                             hint: "pipe it in (`gloss remote add URL --workspace W < token.txt`) or set GLOSS_TOKEN")
        }
        return try nonEmpty(line, from: "standard input")
    }

    /// The first line of standard input, or nil when standard input is a terminal (nobody
    /// would see a prompt-less read wait).
    static func standardInput() -> String? {
        guard isatty(STDIN_FILENO) == 0 else { return nil }
        return readLine(strippingNewline: true) ?? ""
    }

    private static func nonEmpty(_ raw: String, from source: String) throws -> String {
        let token = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            throw CLIFailure.usage("the token from \(source) is empty",
                             hint: "it is the last line `gloss-server user add` or `token issue` printed: pipe it in or set GLOSS_TOKEN")
        }
        if let problem = TokenText.problem(token) {
            throw CLIFailure.usage("\(problem) (from \(source)); it was not used",
                                   hint: "copy the token again: it is one line of letters, digits and _ as `gloss-server user add` or `token issue` printed it")
        }
        return token
    }

    /// The token this replica stored (`gloss remote add`), checked before it is sent: one
    /// stored by an earlier gloss may hold what no header can carry, and the HTTP library's
    /// error would print it.
    static func stored(_ token: String, server: String, workspace: WorkspaceName) throws -> String {
        guard let problem = TokenText.problem(token) else { return token }
        throw CLIFailure(.forbidden, "\(problem) (the one this replica stored); it was not sent",
                         hint: "store it again: `gloss remote add \(server) --workspace \(workspace) < token.txt` (or with GLOSS_TOKEN set)")
    }
}
