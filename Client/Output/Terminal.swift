import ArgumentParser
import Foundation
import GlossCore
import GlossReplica

/// The terminal's width, when standard output is one.
enum Terminal {
    /// Measured once, before a pager takes standard output over (``Pager``).
    private static let width: Int? = {
        var size = winsize()
        guard isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }()

    static func columns() -> Int? { width }
}
