import Foundation
import GlossCore
import GlossReplica

/// Rows 5 and 6: `gloss annotate` as a whole process against a C program that opens SQLite
/// and inserts one row (`Bench/gloss-bench-one-row/main.c`); and importing many reports.
enum ProcessBench {
    struct AnnotateResult: Codable {
        var runs: Int
        var annotateMedianMs: Double
        var oneRowMedianMs: Double
        var annotatePeakRSS: Int
    }

    /// Runs each `runs` times, interleaved, and takes the medians (spawn to reap, wall clock).
    static func annotate(gloss: String, oneRow: String, directory: String, runs: Int) throws -> AnnotateResult {
        let home = directory + "/annotate-home"
        let file = directory + "/sample.txt"
        try BenchReports.sampleText.write(toFile: file, atomically: true, encoding: .utf8)
        let report = try BenchReports.sample().id.rawValue
        try Child.run(gloss, ["--home", home, "init", "--user", "alice"])
        try Child.run(gloss, ["--home", home, "import", file])
        try Child.run(gloss, ["--home", home, "annotate", report, "--comment", "warm-up"])
        try Child.run(oneRow, [directory + "/one-row.sqlite"])
        var annotate: [Double] = [], oneRowTimes: [Double] = []
        // The peak RSS of one more run, apart, so polling for it does not blur the timings.
        let rss = try Child.run(gloss, ["--home", home, "annotate", report, "--comment", "memory"], peakRSS: true).peakRSS
        for run in 0..<runs {
            let a = try Child.run(gloss, ["--home", home, "annotate", report, "--quote", "Export controls",
                                          "--comment", "note \(run)", "--tag", "supply-chain", "--confidence", "high"])
            annotate.append(a.seconds * 1000)
            oneRowTimes.append(try Child.run(oneRow, [directory + "/one-row.sqlite"]).seconds * 1000)
        }
        return AnnotateResult(runs: runs, annotateMedianMs: median(annotate), oneRowMedianMs: median(oneRowTimes), annotatePeakRSS: rss)
    }

    struct ImportResult: Codable {
        var reports: Int
        var seconds: Double
        var reportsPerSecond: Double { Double(reports) / seconds }
    }

    /// Parses and imports `count` distinct seed reports into a replica, one transaction each,
    /// as `gloss import` does (the files are made in memory; reading them is not timed).
    static func importReports(count: Int, directory: String) throws -> ImportResult {
        let replica = try Replica.create(home: URL(fileURLWithPath: directory + "/import-home"), user: "alice")
        let files = (0..<count).map(BenchReports.numbered)
        let t0 = ContinuousClock.now
        for (i, data) in files.enumerated() {
            let report = try ReportParser.parse(data, fileName: "report-\(i).txt")
            guard try replica.importReport(report, source: "report-\(i).txt").isNew else { throw BenchError("report \(i) was not new") }
        }
        return ImportResult(reports: count, seconds: (ContinuousClock.now - t0).seconds)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
}
