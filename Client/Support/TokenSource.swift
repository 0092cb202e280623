import Foundation

/// Where `gloss remote add` takes the token from, so it need not be typed on the command line
/// (and kept in the shell's history): `--token`, else `GLOSS_TOKEN`, else one line of standard
/// input when that is not a terminal. Surrounding whitespace is dropped.
enum TokenSource {
    static func read(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                     input: () -> String? = standardInput) throws -> String {
        if let option { return try nonEmpty(option, from: "--token") }
        if let env = environment["GLOSS_TOKEN"] { return try nonEmpty(env, from: "GLOSS_TOKEN") }
        guard let line = input() else {
            throw CLIFailure(.invalidArgument, "no token given",
                             hint: "pipe it in (`gloss remote add URL --workspace W < token.txt`), set GLOSS_TOKEN, or pass --token")
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
            throw CLIFailure(.invalidArgument, "the token from \(source) is empty",
                             hint: "it is the last line `gloss-server user add` or `token issue` printed: pipe it in, set GLOSS_TOKEN, or pass --token")
        }
        return token
    }
}
