import Foundation

/// A migration file cut into statements: PostgreSQL's extended protocol runs one at a time.
/// Splits on `;` outside quotes and `--` comments (the migrations use no dollar quoting).
enum SQLScript {
    static func statements(_ script: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var inQuote = false, inComment = false
        var previous: Character = " "
        for character in script {
            if inComment {
                if character == "\n" { inComment = false; current.append(character) }
            } else if inQuote {
                current.append(character)
                if character == "'" { inQuote = false }
            } else if character == "-" && previous == "-" {
                current.removeLast()
                inComment = true
            } else if character == "'" {
                current.append(character)
                inQuote = true
            } else if character == ";" {
                statements.append(current)
                current = ""
            } else {
                current.append(character)
            }
            previous = inComment ? " " : character
        }
        statements.append(current)
        return statements.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }
}
