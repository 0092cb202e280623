import Foundation

/// Everything one run measured, and the table made from it.
struct Results: Codable {
    var ops: Int
    var reports: Int
    var clients: Int
    var quick: Bool
    var apply: ApplyBench.Result?
    /// Signed operations: sign and check costs, a checked file's apply, the bytes added.
    var signing: SigningBench.Result?
    var importing: ProcessBench.ImportResult?
    var annotate: ProcessBench.AnnotateResult?
    var pull: SyncBench.PullResult?
    var incremental: SyncBench.IncrementalResult?
    /// The concurrent clients at a set rate, and as fast as they can.
    var concurrent: ConcurrentBench.Result?
    var saturation: ConcurrentBench.Result?
    /// One workspace's steady clients, alone and beside another workspace's flood.
    var fairness: Fairness?
    /// Many long polls woken by one push.
    var watch: WatchBench.Result?

    struct Fairness: Codable {
        var alone: ConcurrentBench.Result
        var beside: ConcurrentBench.Result
        var flood: ConcurrentBench.Result
        /// B's worse p99 ratio, push or pull, beside the flood against alone.
        var ratio: Double { max(beside.pushP99 / max(alone.pushP99, 1e-9), beside.pullP99 / max(alone.pullP99, 1e-9)) }
    }
    /// SQLite, one and three PostgreSQL instances side by side, and cross-instance watch latency.
    var postgres: PostgresBench.Result?
    /// Everyday commands on a small and a big replica built the same way.
    var replica: ReplicaBench.Result?
    /// The reader page in Chromium: opening a report with many notes, and a note made there.
    var page: PageBench.Result?
    /// The bench process itself (apply, import and the concurrent clients run in it).
    var benchPeakRSS = 0
    var seconds = 0.0
    var rows: [Row] = []

    struct Row: Codable {
        var what: String
        var figure: String
        var floor: String
        var ratio: String
        var target: String
        var met: Bool
    }

    mutating func table() -> String {
        rows = []
        if let a = apply {
            let ratio = a.glossOpsPerSecond / a.rawOpsPerSecond
            rows.append(Row(what: "apply \(n(a.operations)) remote operations into a replica",
                            figure: "\(n(a.glossOpsPerSecond)) ops/s", floor: "raw UPSERTs \(n(a.rawOpsPerSecond)) ops/s; from a file (relayed) \(n(a.fileOpsPerSecond)) ops/s at \(n(a.fileOperations))",
                            ratio: String(format: "%.2f× raw", ratio), target: "≥ 100,000 ops/s, ≥ 0.5× raw",
                            met: a.glossOpsPerSecond >= 100_000 && ratio >= 0.5))
        }
        if let s = signing {
            rows.append(Row(what: "sign \(n(s.operations)) operations in batches of \(n(s.batch)) (chain each, sign each batch's head)",
                            figure: String(format: "%.2f µs/op + %.0f µs/batch", s.chainMicrosPerOp, s.signMicrosPerBatch),
                            floor: "-", ratio: "-", target: "per batch, not per operation", met: true))
            rows.append(Row(what: "verify them (SignaturePolicy, one Ed25519 check a batch)",
                            figure: String(format: "%.2f µs/op, %.0f µs/batch", s.verifyMicrosPerOp, s.verifyMicrosPerBatch),
                            floor: "-", ratio: "-", target: "per batch, not per operation", met: true))
            let ratio = s.checkedOpsPerSecond / s.rawOpsPerSecond
            rows.append(Row(what: "apply \(n(s.operations)) signed operations from files, checked against a pinned root",
                            figure: "\(n(s.checkedOpsPerSecond)) ops/s",
                            floor: "raw UPSERTs \(n(s.rawOpsPerSecond)) ops/s; the same files unchecked \(n(s.uncheckedOpsPerSecond)) ops/s",
                            ratio: String(format: "%.2f× raw, %.2f× unchecked", ratio, s.checkedOpsPerSecond / s.uncheckedOpsPerSecond),
                            target: "≥ 0.5× raw", met: ratio >= 0.5))
            rows.append(Row(what: "bytes signing adds: per operation, and to a file of 1 change",
                            figure: String(format: "%.0f B/op; %d B", s.entryBytes, s.oneChangeBytes - s.oneChangeUnsignedBytes),
                            floor: "the file unsigned: \(s.oneChangeUnsignedBytes) B", ratio: String(format: "%.2f×", Double(s.oneChangeBytes) / Double(s.oneChangeUnsignedBytes)),
                            target: "-", met: true))
        }
        if let p = page {
            rows.append(Row(what: "the page opens a report with \(n(p.notes)) notes (gloss open, Chromium: first paint with every highlight and note)",
                            figure: String(format: "%.0f ms", p.openMs), floor: String(format: "the same text and notes as a static page: %.0f ms", p.staticMs),
                            ratio: String(format: "%.2f× static", p.openMs / p.staticMs), target: "≤ 500 ms", met: p.openMs <= 500))
            rows.append(Row(what: "a note made in the page is in the replica (from the click on Save)",
                            figure: String(format: "%.1f ms", p.noteMs), floor: String(format: "the same note posted to the page's API: %.1f ms", p.postMs),
                            ratio: String(format: "%.2f× the post", p.noteMs / p.postMs), target: "≤ 50 ms", met: p.noteMs <= 50))
        }
        if let p = pull {
            let mb = 1_048_576.0
            rows.append(Row(what: "fresh replica pulls \(n(p.operations)) operations (gloss sync)",
                            figure: "\(n(p.opsPerSecond)) ops/s; RSS client \(Int(Double(p.clientPeakRSS) / mb)) MB, server \(Int(Double(p.serverPeakRSS) / mb)) MB",
                            floor: "at \(n(p.smallOperations)): client \(Int(Double(p.smallClientPeakRSS) / mb)) MB, server \(Int(Double(p.serverRSSAfterSmall) / mb)) MB now",
                            ratio: String(format: "client RSS %.2f× the tenth", Double(p.clientPeakRSS) / Double(max(p.smallClientPeakRSS, 1))),
                            target: "≥ 60,000 ops/s; ≤ 150 MB each, flat",
                            met: p.opsPerSecond >= 60_000 && p.clientPeakRSS <= 150 * 1_048_576 && p.serverPeakRSS <= 150 * 1_048_576))
        }
        if let i = incremental {
            let ratio = i.seconds / i.emptySeconds
            rows.append(Row(what: "sync 1 change on \(n(i.history)) operations of history",
                            figure: String(format: "%.1f ms, %d B", i.seconds * 1000, i.bytes),
                            floor: String(format: "empty history %.1f ms, %d B", i.emptySeconds * 1000, i.emptyBytes),
                            ratio: String(format: "%.2f× time, %.2f× bytes", ratio, Double(i.bytes) / Double(max(i.emptyBytes, 1))),
                            target: "≤ 1.5× time; ≤ 2 KB", met: ratio <= 1.5 && i.bytes <= 2048))
            if let seconds = i.signedSeconds, let bytes = i.signedBytes {
                rows.append(Row(what: "sync 1 change, signatures checked (root pinned; empty history)",
                                figure: String(format: "%.1f ms, %d B", seconds * 1000, bytes),
                                floor: String(format: "unpinned %.1f ms, %d B", i.emptySeconds * 1000, i.emptyBytes),
                                ratio: String(format: "%.2f× time, +%d B", seconds / i.emptySeconds, bytes - i.emptyBytes),
                                target: "measured (issue 28)", met: true))
            }
        }
        if let c = concurrent {
            let capacity = saturation?.acceptedPerSecond ?? 0
            rows.append(Row(what: "\(c.clients) concurrent clients pushing and pulling, paced at \(n(c.rate ?? 0)) ops/s",
                            figure: String(format: "%@ accepted ops/s; p50 %.1f ms, p99 %.1f ms", n(c.acceptedPerSecond), c.p50 * 1000, c.p99 * 1000),
                            floor: String(format: "capacity %@ ops/s (the row below); push p99 %.1f ms, pull p99 %.1f ms; CPU: server %.2f, clients %.2f cores",
                                          n(capacity), c.pushP99 * 1000, c.pullP99 * 1000, c.serverCores, c.clientCores),
                            ratio: String(format: "paced at %.2f× capacity", (c.rate ?? 0) / max(capacity, 1)),
                            target: "paced at 0.8× capacity: p99 ≤ 100 ms",
                            met: c.p99 <= 0.1))
        }
        if let w = watch {
            rows.append(Row(what: "\(n(Double(w.watchers))) open long polls (sync --watch) woken by one push",
                            figure: String(format: "%d woken; p50 %.0f ms, p99 %.0f ms, slowest %.0f ms; server RSS %d MB (peak %d MB)",
                                           w.woken, w.p50 * 1000, w.p99 * 1000, w.max * 1000, w.serverRSS / 1_048_576, w.serverPeakRSS / 1_048_576),
                            floor: String(format: "all open after %.1f s; %d answered early, %d failed; server CPU while they wait %.2f cores; while waking: server %.2f, bench clients %.2f cores",
                                          w.openSeconds, w.early, w.failed, w.parkedCores ?? 0, w.serverCores ?? 0, w.clientCores ?? 0),
                            ratio: "—", target: "all woken, p99 ≤ 1 s; server RSS ≤ 500 MB",
                            met: w.woken == w.watchers && w.p99 <= 1 && w.serverPeakRSS <= 500 * 1_048_576))
        }
        if let f = fairness {
            rows.append(Row(what: "workspace B: \(f.beside.clients) clients paced at \(n(f.beside.rate ?? 0)) ops/s beside \(f.flood.clients) flooding workspace A (\(n(f.flood.acceptedPerSecond)) ops/s)",
                            figure: String(format: "B: push p99 %.1f ms, pull p99 %.1f ms", f.beside.pushP99 * 1000, f.beside.pullP99 * 1000),
                            floor: String(format: "B alone: push p99 %.1f ms, pull p99 %.1f ms", f.alone.pushP99 * 1000, f.alone.pullP99 * 1000),
                            ratio: String(format: "%.2f× alone (the worse)", f.ratio), target: "≤ 2× alone", met: f.ratio <= 2))
        }
        if let c = saturation {
            rows.append(Row(what: "the same clients as fast as they can (closed loop: latency is clients ÷ requests/s)",
                            figure: String(format: "%@ accepted ops/s; p50 %.1f ms, p99 %.1f ms", n(c.acceptedPerSecond), c.p50 * 1000, c.p99 * 1000),
                            floor: String(format: "push p99 %.1f ms, pull p99 %.1f ms; CPU: server %.2f, clients %.2f cores",
                                          c.pushP99 * 1000, c.pullP99 * 1000, c.serverCores, c.clientCores),
                            ratio: "—", target: "capacity: report the figure", met: true))
        }
        if let p = postgres {
            func row(_ what: String, _ c: ConcurrentBench.Result, ratio: String, target: String, met: Bool) -> Row {
                Row(what: what, figure: String(format: "%@ accepted ops/s; push p99 %.1f ms, pull p99 %.1f ms", n(c.acceptedPerSecond),
                                               c.pushP99 * 1000, c.pullP99 * 1000),
                    floor: String(format: "CPU: servers %.2f, PostgreSQL %.2f, clients %.2f cores; machine busy %.2f of %d, I/O wait %.2f",
                                  c.serverCores, c.postgresCores ?? 0, c.clientCores, c.busyCores ?? 0,
                                  ProcessInfo.processInfo.activeProcessorCount, c.ioWaitCores ?? 0),
                    ratio: ratio, target: target, met: met)
            }
            let one = p.postgresOne.acceptedPerSecond / max(p.sqlite.acceptedPerSecond, 1)
            let three = p.postgresThree.acceptedPerSecond / max(p.sqlite.acceptedPerSecond, 1)
            rows.append(row("\(p.sqlite.clients) clients as fast as they can, SQLite store (the floor for the two rows below)", p.sqlite,
                            ratio: "1×", target: "—", met: true))
            rows.append(row("the same, one instance on PostgreSQL", p.postgresOne, ratio: String(format: "%.2f× SQLite", one),
                            target: "≥ 0.5× SQLite", met: one >= 0.5))
            rows.append(row("the same, three instances on PostgreSQL", p.postgresThree, ratio: String(format: "%.2f× SQLite", three),
                            target: "≥ 0.5× SQLite", met: three >= 0.5))
            rows.append(Row(what: "a push through instance 1 reaching a watcher on instance 2 (\(p.watch.samples) pushes)",
                            figure: String(format: "p50 %.1f ms, p99 %.1f ms", p.watch.p50 * 1000, p.watch.p99 * 1000),
                            floor: String(format: "max %.1f ms", p.watch.max * 1000), ratio: "—", target: "p99 ≤ 500 ms",
                            met: p.watch.p99 <= 0.5))
        }
        if let a = annotate {
            let ratio = a.annotateMedianMs / a.oneRowMedianMs
            rows.append(Row(what: "one `gloss annotate` as a whole process (median of \(a.runs))",
                            figure: String(format: "%.1f ms", a.annotateMedianMs),
                            floor: String(format: "C: open SQLite + insert 1 row %.1f ms", a.oneRowMedianMs),
                            ratio: String(format: "%.2f×", ratio), target: "≤ 5×", met: ratio <= 5))
        }
        if let r = replica {
            let mb = 1_048_576.0
            for c in r.commands {
                rows.append(Row(what: "`gloss \(c.command)` on \(n(r.big.annotations)) annotations (median of \(r.runs))",
                                figure: String(format: "%.1f ms, peak %.0f MB", c.bigMs, Double(c.bigPeakRSS) / mb),
                                floor: String(format: "on %@: %.1f ms, peak %.0f MB", n(r.small.annotations), c.smallMs, Double(c.smallPeakRSS) / mb),
                                ratio: String(format: "%.2f× time, %.2f× memory", c.timeRatio, c.memoryRatio),
                                target: "≤ 1.5×, < 100 ms; memory ≤ 1.5×",
                                met: c.timeRatio <= 1.5 && c.bigMs < 100 && c.memoryRatio <= 1.5))
            }
            let parts = r.big.parts.sorted { $0.value > $1.value }
                .map { String(format: "%@ %.0f", $0.key, Double($0.value) / Double(max(r.big.annotations, 1))) }.joined(separator: ", ")
            rows.append(Row(what: "replica file per annotation (\(n(r.big.annotations)) annotations, 2 operations each)",
                            figure: String(format: "%.0f B", r.big.bytesPerAnnotation), floor: "by part: " + parts,
                            ratio: String(format: "at %@: %.0f B", n(r.small.annotations), r.small.bytesPerAnnotation),
                            target: "report the figure", met: true))
            rows.append(Row(what: "opening that replica as the previous version left it (one-time migration)",
                            figure: String(format: "%.1f s", r.migrationSeconds), floor: "said: \(r.migrationNotice.isEmpty ? "nothing" : r.migrationNotice)",
                            ratio: "—", target: "a progress line when over 1 s",
                            met: r.migrationSeconds <= 1 || !r.migrationNotice.isEmpty))
        }
        if let r = importing {
            rows.append(Row(what: "import \(n(r.reports)) reports", figure: "\(n(r.reportsPerSecond)) reports/s",
                            floor: "—", ratio: "—", target: "report the figure", met: true))
        }
        var text = "| what | figure | floor, same run | ratio | target | met |\n|---|---|---|---|---|---|\n"
        for row in rows {
            text += "| \(row.what) | \(row.figure) | \(row.floor) | \(row.ratio) | \(row.target) | \(row.met ? "yes" : "**no**") |\n"
        }
        return text
    }

    private func n(_ value: Double) -> String { n(Int(value.rounded())) }
    private func n(_ value: Int) -> String {
        let digits = String(value)
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0, i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return String(out.reversed())
    }
}
