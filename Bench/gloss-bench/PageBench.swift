import Foundation
import GlossCore
import GlossReplica

/// The reader page (`gloss open`) in a real headless Chromium (selenium, `Bench/page_bench.py`):
/// how long a report with many notes takes to open, up to the first paint with every
/// highlight and margin note, against the same text and notes as a static page; and how long
/// a note made in the page takes to be in the replica after the click on Save, against the
/// same note posted straight to the page's API.
enum PageBench {
    struct Result: Codable {
        var notes: Int
        var runs: Int
        /// Medians, milliseconds.
        var openMs: Double
        var staticMs: Double
        var noteMs: Double
        var postMs: Double
    }

    static func run(gloss: String, directory: String, notes: Int, runs: Int, say: (String) -> Void) throws -> Result {
        let python = ProcessInfo.processInfo.environment["GLOSS_BRIEF_PYTHON"] ?? ".build/brief-tools/venv/bin/python"
        let script = "Bench/page_bench.py"
        guard FileManager.default.isExecutableFile(atPath: python), FileManager.default.fileExists(atPath: script) else {
            throw BenchError("the page rows need selenium and chromium: run scripts/brief-tools.sh, from the checkout's root")
        }
        say("page: a report with \(notes) notes in a replica")
        let home = URL(fileURLWithPath: directory).appendingPathComponent("page")
        try? FileManager.default.removeItem(at: home)
        let replica = try Replica.create(home: home, user: "alice")
        let report = longReport(paragraphs: max(1, (notes + 4) / 5))
        _ = try replica.importReport(report, source: "long.txt")
        let actions = Actions(replica)
        let likelihoods = Likelihood.allCases
        for i in 0..<notes {
            let (paragraph, word) = (i / 5, i % 5)
            let judgment = i % 3 == 0 ? Judgment(confidence: .moderate, likelihood: likelihoods[i % likelihoods.count]) : nil
            _ = try actions.annotate(report: report.id, span: .quote(token(paragraph, word), occurrence: nil),
                                     comment: "Note \(i) on paragraph \(paragraph): check the figures against last week's.",
                                     tags: i % 2 == 0 ? ["supply-chain"] : [], judgment: judgment)
        }

        let log = home.appendingPathComponent("open.log").path
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let pid = try Child.spawn(gloss, ["--home", home.path, "--json", "open", "--no-browser"], stdoutPath: log, stderrPath: "/dev/null")
        defer {
            kill(pid, SIGINT)
            _ = Child.reap(pid)
        }
        var url: String?
        for _ in 0..<200 where url == nil {
            Thread.sleep(forTimeInterval: 0.05)
            url = (try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n").lazy
                .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }.first?["url"] as? String
        }
        guard let url else { throw BenchError("gloss open printed no address") }
        say("page: opening it \(runs) times in Chromium, and a note made \(runs) times")
        let arguments: [String: Any] = ["url": url, "report": report.id.rawValue, "notes": notes, "runs": runs,
                                        "replica": home.appendingPathComponent("replica.sqlite").path,
                                        "passages": (0..<runs).map { token($0 % max(1, notes / 5), 2) }]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: arguments), as: UTF8.self)
        let out: ChildResult
        do {
            out = try Child.run(python, [script, json], stderrPath: directory + "/page-bench.err")
        } catch {
            throw BenchError("the page bench failed: \(error) (its stderr: \(directory)/page-bench.err)")
        }
        guard out.status == 0, let line = out.stdout.split(separator: "\n").last,
              let answer = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              answer["ok"] as? Bool == true else {
            throw BenchError("the page bench failed: \(out.stdout.suffix(600)) (stderr in \(directory)/page-bench.err)")
        }
        func median(_ key: String) -> Double {
            let values = ((answer[key] as? [Double]) ?? []).sorted()
            return values.isEmpty ? .nan : values[values.count / 2]
        }
        return Result(notes: notes, runs: runs, openMs: median("openMs"), staticMs: median("staticMs"),
                      noteMs: median("noteMs"), postMs: median("postMs"))
    }

    /// A word that occurs once in the long report: paragraph `p`'s `k`-th marked word.
    static func token(_ p: Int, _ k: Int) -> String { "signal-\(p)-\(k)" }

    /// A report of `paragraphs` paragraphs of some 400 characters, under a heading every ten.
    static func longReport(paragraphs: Int) -> Report {
        let sections = stride(from: 0, to: paragraphs, by: 10).map { first in
            Report.Section(heading: "Section \(first / 10 + 1)", paragraphs: (first..<min(first + 10, paragraphs)).map { p in
                (0..<5).map { k in
                    "Shipments through the corridor changed again this week, and \(token(p, k)) shows where the licensing backlog sits."
                }.joined(separator: " ")
            })
        }
        return Report(title: "A long situation report", summary: "Many notes on one report, for the reader page's bench.", sections: sections)
    }
}
