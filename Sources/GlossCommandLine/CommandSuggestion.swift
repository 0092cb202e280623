/// "Did you mean": the command names closest to one mistyped, found by walking the command line
/// through a tree of command names (pure; ``CommandTree/init(_:)`` builds one from ArgumentParser's
/// declarations).
public struct CommandTree: Sendable {
    public var names: [String]
    public var subcommands: [CommandTree]
    /// A group with a default subcommand takes arguments of that subcommand in its place, so a
    /// word there is not a mistyped command.
    public var hasDefault: Bool

    public init(names: [String], subcommands: [CommandTree], hasDefault: Bool) {
        self.names = names
        self.subcommands = subcommands
        self.hasDefault = hasDefault
    }

    /// A word where a command name belongs that names none.
    public struct Unknown: Equatable, Sendable {
        /// The commands before it, from the program's name on: ["gloss", "ops"].
        public var path: [String]
        public var typed: String
        /// The closest names, best first; empty when none is close.
        public var suggestions: [String]
    }

    /// The first word of `arguments` that stands where a subcommand's name belongs and names
    /// none. Options are skipped (with their value, for those in `valueOptions`); `--` ends the
    /// search, and so does a command that takes arguments rather than subcommands.
    public func unknownCommand(in arguments: [String], valueOptions: Set<String>) -> Unknown? {
        var node = self
        var path = [names[0]]
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            if word == "--" { return nil }
            if word.hasPrefix("-") {
                index += valueOptions.contains(word) ? 2 : 1
                continue
            }
            guard !node.subcommands.isEmpty, !node.hasDefault, word != "help" else { return nil }
            guard let next = node.subcommands.first(where: { $0.names.contains(word) }) else {
                let candidates = node.subcommands.flatMap(\.names) + ["help"]
                return Unknown(path: path, typed: word, suggestions: CommandSuggestion.closest(to: word, among: candidates))
            }
            node = next
            path.append(next.names[0])
            index += 1
        }
        return nil
    }
}

public enum CommandSuggestion {
    /// The names within a small edit distance of `typed` (one edit for words of up to four
    /// letters, two for longer ones; a swap of two neighbours is one edit), or that `typed`
    /// begins; the closest first, at most three.
    public static func closest(to typed: String, among names: [String]) -> [String] {
        let word = typed.lowercased()
        let allowed = word.count <= 4 ? 1 : 2
        let scored: [(name: String, distance: Int)] = names.compactMap { name in
            let distance = self.distance(word, name)
            if distance <= allowed { return (name, distance) }
            if word.count >= 2, name.hasPrefix(word) { return (name, allowed + 1) }
            return nil
        }
        var seen: Set<String> = []
        return scored.sorted { ($0.distance, $0.name) < ($1.distance, $1.name) }.map(\.name)
            .filter { seen.insert($0).inserted }.prefix(3).map { $0 }
    }

    /// The optimal-string-alignment distance: insertions, deletions, substitutions and swaps
    /// of neighbouring letters each cost one.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var rows = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { rows[i][0] = i }
        for j in 0...b.count { rows[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
                }
            }
        }
        return rows[a.count][b.count]
    }
}
