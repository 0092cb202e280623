import Foundation
import Testing

/// Issue 26: `gloss open`'s page holds the analyst's private notes on a loopback port any
/// local program, or any web page in her browser, can reach. Tried here as those would try
/// it, over plain sockets against the real `gloss open`.
@Suite(.serialized) struct ReaderSecurityTests {
    let scratch = Scratch()

    /// alice's replica with a report, a team note and a private one; her page open.
    func alicesPage() throws -> (home: URL, reader: ReaderProcess, report: String) {
        let home = scratch.path("alice")
        try CLI.gloss(home, "init", "--user", "alice")
        let imported = try CLI.json(try CLI.gloss(home, "import", Team.reportFile, "--json")) as! [String: Any]
        let report = (imported["imported"] as! [[String: Any]])[0]["id"] as! String
        try CLI.gloss(home, "annotate", String(report.prefix(8)), "--quote", "Most Dangerous", "--comment", "private thought", "--private")
        let reader = try ReaderProcess(home: home, log: scratch.path("open.log"))
        return (home, reader, report)
    }

    /// The secret buys a cookie for this port alone, HttpOnly and SameSite=Strict, and leaves the address bar.
    func session(_ reader: ReaderProcess) throws -> String {
        let path = String(reader.url.dropFirst(reader.base.count))
        let answer = try rawRequest(port: reader.port, path: path)
        #expect(answer.status == 303 && answer.headers["location"] == "/", "\(answer)")
        let cookie = try #require(answer.headers["set-cookie"])
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.hasPrefix("gloss_session_\(reader.port)="))
        return String(cookie.split(separator: ";")[0])
    }

    @Test func withoutTheSecretEveryRouteAnswers403AndNothingLeaks() throws {
        let (_, reader, report) = try alicesPage()
        let routes = ["/", "/page/app.js", "/api/me", "/api/reports", "/api/reports/\(report)", "/api/search?q=private",
                      "/api/review", "/api/judgments", "/api/digest", "/api/events", "/api/export?format=json&private=1",
                      "/?secret=wrong", "/?secret=", "/nothing-here"]
        for route in routes {
            let answer = try rawRequest(port: reader.port, path: route)
            #expect(answer.status == 403, "\(route): \(answer.status)")
            #expect(!answer.body.contains("private thought") && answer.headers["set-cookie"] == nil, "\(route)")
        }
        let post = try rawRequest(port: reader.port, method: "POST", path: "/api/annotations",
                                  headers: ["Origin": reader.base], body: #"{"report":"\#(report)","comment":"forged"}"#)
        #expect(post.status == 403)
        // A cookie of another value, or of another port's page, is no session.
        let forged = try rawRequest(port: reader.port, path: "/api/reports", headers: ["Cookie": "gloss_session_\(reader.port)=00"])
        #expect(forged.status == 403)
        let cookie = try session(reader)
        let otherPort = cookie.replacingOccurrences(of: "gloss_session_\(reader.port)=", with: "gloss_session_1=")
        #expect(try rawRequest(port: reader.port, path: "/api/reports", headers: ["Cookie": otherPort]).status == 403)
        #expect(try rawRequest(port: reader.port, path: "/api/reports", headers: ["Cookie": cookie]).status == 200)
        #expect(reader.stop() == 0, "Ctrl-C stops the page, exit 0: \(reader.output)")
        // Misuse: a port that cannot be, the port in use, no replica, --watch without a server.
        let home = scratch.path("alice")
        let impossible = try CLI.glossAllowingFailure(home, "open", "--no-browser", "--port", "99999")
        #expect(impossible.status == 64 && impossible.stderr.contains("--port must be 1…65535"), "\(impossible.stderr)")
        let again = try ReaderProcess(home: home, log: scratch.path("again.log"))
        let taken = try CLI.glossAllowingFailure(home, "open", "--no-browser", "--port", String(again.port))
        #expect(taken.status != 0 && taken.stderr.contains("is in use") && taken.stderr.contains("hint:"), "\(taken.stderr)")
        let none = try CLI.glossAllowingFailure(scratch.path("nobody"), "open", "--no-browser")
        #expect(none.status == 1 && none.stderr.contains("init --user"), "\(none.stderr)")
        let watch = try CLI.glossAllowingFailure(home, "open", "--watch", "--no-browser")
        #expect(watch.status != 0 && watch.stderr.contains("needs a team server"), "\(watch.stderr)")
    }

    @Test func aForeignHostOrOriginIsRefusedEvenWithTheCookie() throws {
        let (home, reader, report) = try alicesPage()
        let cookie = try session(reader)
        // DNS rebinding: a hostile name resolving to 127.0.0.1 still sends its own name.
        for host in ["evil.example:\(reader.port)", "127.0.0.1.evil.example", "127.0.0.1:1", "localhost"] {
            let answer = try rawRequest(port: reader.port, path: "/api/reports/\(report)", headers: ["Host": host, "Cookie": cookie])
            #expect(answer.status == 403 && !answer.body.contains("private thought"), "Host \(host): \(answer.status)")
        }
        // A write from another origin (a form or script on another site), or with none.
        let body = #"{"report":"\#(report)","comment":"forged by a page"}"#
        for origin in ["http://evil.example", "null", "http://127.0.0.1:1", nil] as [String?] {
            var headers = ["Cookie": cookie]
            if let origin { headers["Origin"] = origin }
            let answer = try rawRequest(port: reader.port, method: "POST", path: "/api/annotations", headers: headers, body: body)
            #expect(answer.status == 403, "Origin \(origin ?? "none"): \(answer.status)")
        }
        let list = try CLI.json(try CLI.gloss(home, "list", "--json")) as! [[String: Any]]
        #expect(!list.contains { ($0["body"] as? String)?.contains("forged") == true }, "nothing was recorded")
        // The page's own origin writes: the note the CLI then shows, with code-point selectors.
        let own = try rawRequest(port: reader.port, method: "POST", path: "/api/annotations",
                                 headers: ["Cookie": cookie, "Origin": reader.base],
                                 body: #"{"report":"\#(report)","start":0,"end":5,"comment":"from the page","tags":["page"]}"#)
        #expect(own.status == 200, "\(own)")
        let made = try CLI.json(try CLI.gloss(home, "list", "--json")) as! [[String: Any]]
        let note = try #require(made.first { $0["body"] as? String == "from the page" })
        #expect(((note["target"] as? [String: Any])?["quote"] as? [String: Any])?["exact"] as? String == "China")
        #expect(note["tags"] as? [String] == ["page"])
    }

    @Test func everyAnswerForbidsRemoteContentAndTheExportIsADownload() throws {
        let (_, reader, _) = try alicesPage()
        let cookie = try session(reader)
        for path in ["/", "/page/app.js", "/api/reports", "/api/export?format=html"] {
            let answer = try rawRequest(port: reader.port, path: path, headers: ["Cookie": cookie])
            #expect(answer.status == 200, "\(path)")
            let csp = answer.headers["content-security-policy"] ?? ""
            #expect(csp.contains("default-src 'none'") && csp.contains("script-src 'self'") && !csp.contains("unsafe"), "\(path): \(csp)")
            #expect(answer.headers["x-content-type-options"] == "nosniff" && answer.headers["x-frame-options"] == "DENY")
        }
        let page = try rawRequest(port: reader.port, path: "/", headers: ["Cookie": cookie]).body
        #expect(!page.contains("<script>") && !page.contains("http://") && !page.contains("https://"), "no inline script, nothing remote")
        let export = try rawRequest(port: reader.port, path: "/api/export?format=html", headers: ["Cookie": cookie])
        #expect(export.headers["content-disposition"]?.hasPrefix("attachment") == true)
        #expect(!export.body.contains("private thought"), "private notes stay out of an export unless asked")
    }

    /// The reports list says what is new: the notes the last sync brought from teammates, by
    /// report (the digest's), and the Sync control runs `gloss sync` and answers what it printed.
    @Test func theReportsListCountsWhatTheLastSyncBroughtAndSyncAnswers() throws {
        let team = try Team(in: scratch)
        defer { team.server.stop() }
        let report = try team.shareReport()
        try CLI.gloss(team.alice, "annotate", report, "--quote", "Big Picture", "--comment", "second note")
        try CLI.gloss(team.alice, "sync")
        let reader = try ReaderProcess(home: team.bob, log: scratch.path("bob-open.log"))
        let cookie = try session(reader)
        let headers = ["Cookie": cookie, "Origin": reader.base]
        let synced = try rawRequest(port: reader.port, method: "POST", path: "/api/sync", headers: headers, body: "{}")
        #expect(synced.status == 200 && synced.body.contains("received"), "\(synced)")
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(rawRequest(port: reader.port, path: "/api/reports", headers: headers).body.utf8)) as? [[String: Any]])
        let row = try #require(listed.first { ($0["id"] as? String)?.hasPrefix(report) == true })
        #expect(row["new"] as? Int == 2, "alice's two notes: \(row)")
        // A replica with no server: the control says what to do.
        let home = scratch.path("solo")
        try CLI.gloss(home, "init", "--user", "dave")
        let solo = try ReaderProcess(home: home, log: scratch.path("solo.log"))
        let soloCookie = try session(solo)
        let refused = try rawRequest(port: solo.port, method: "POST", path: "/api/sync", headers: ["Cookie": soloCookie, "Origin": solo.base], body: "{}")
        #expect(refused.status == 409 && refused.body.contains("no team server") && refused.body.contains("gloss remote add"), "\(refused)")
    }
}
