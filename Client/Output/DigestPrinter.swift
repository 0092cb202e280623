import GlossCore

/// How a digest reads in a terminal: a heading per kind, one line per note naming the report.
enum DigestPrinter {
    static func print(_ digest: Digest) {
        for line in lines(digest, dim: Output.dim, bold: Output.bold) { Output.line(line) }
    }

    /// The digest's lines, styled by `dim` and `bold` (plain for the reader page).
    static func lines(_ digest: Digest, dim: (String) -> String = { $0 }, bold: (String) -> String = { $0 }) -> [String] {
        guard !digest.isEmpty else { return [dim("nothing new that concerns you")] }
        var lines = [bold("What changed for you")]
        let headings: [(Digest.Kind, String)] = [
            (.note, "new note(s) on reports you annotated"), (.reply, "reply(ies) to your notes"),
            (.resolved, "of your notes resolved by a teammate"), (.reopened, "of your notes reopened by a teammate"),
            (.edit, "of your notes changed on another machine"), (.conflict, "new conflict(s) — see `gloss conflicts`"),
        ]
        for (kind, heading) in headings {
            let count = digest.count(kind)
            guard count > 0 else { continue }
            lines.append("  \(count) \(heading)")
            let items = digest.shown(kind)
            for item in items {
                let report = Output.clip(item.reportTitle, 32)
                lines.append("    \(dim(item.annotation.short))  \(Output.pad(Output.safe(item.author.rawValue), 10)) \(Output.pad(report, 32))  \(Output.safe(item.snippet))")
            }
            if count > items.count { lines.append(dim("    … and \(count - items.count) more")) }
        }
        if digest.reportTotal > 0 {
            lines.append("  \(digest.reportTotal) new report(s)")
            for report in digest.reports { lines.append("    \(dim(report.id.short))  \(Output.safe(report.title))") }
            if digest.reportTotal > digest.reports.count {
                lines.append(dim("    … and \(digest.reportTotal - digest.reports.count) more (`gloss reports`)"))
            }
        }
        return lines
    }
}
