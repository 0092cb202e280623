import Testing
@testable import GlossCore

/// A server URL as gloss prints it: without its user info (issue 24, item 10).
@Suite struct RemoteAddressTests {
    @Test func userInfoIsTakenOutOfEveryURLInAText() {
        #expect(RemoteAddress.shown("http://user:secret@127.0.0.1:8080") == "http://127.0.0.1:8080")
        #expect(RemoteAddress.shown("https://user:p%40ss@gloss.example/team/?x=a@b#c@d") == "https://gloss.example/team/?x=a@b#c@d",
                "the last @ of the authority ends the user info; an @ in the path or query stays")
        #expect(RemoteAddress.shown("https://only-user@gloss.example") == "https://gloss.example")
        #expect(RemoteAddress.shown("cannot reach the server at http://u:secret@h:1/v1: connection refused; try http://a:b@c")
                == "cannot reach the server at http://h:1/v1: connection refused; try http://c")
        #expect(RemoteAddress.shown("run `gloss remote add http://u:secret@h:1 --workspace intel`") == "run `gloss remote add http://h:1 --workspace intel`")
        for plain in ["http://127.0.0.1:8080", "alice@example.org", "no url here", "", "http://[::1]:8080/x"] {
            #expect(RemoteAddress.shown(plain) == plain)
        }
    }
}
