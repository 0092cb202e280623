import ArgumentParser
import Foundation
import GlossCommandLine
import GlossCore
import GlossRemote
import GlossReplica

struct RemoteAdd: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Set the team server, workspace and token for `gloss sync`.",
        discussion: """
            Checks the token with the server when it can be reached. Annotations you made before \
            joining a workspace join it now.

            The token is read from GLOSS_TOKEN, or else from standard input (one line) when that \
            is not a terminal, so it stays out of your shell history; --token also takes it. It is \
            kept in the replica and never printed.

            Example:
              gloss remote add http://127.0.0.1:8080 --workspace intel < alice.token
              GLOSS_TOKEN=gls_… gloss remote add http://127.0.0.1:8080 --workspace intel
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The server's URL.") var url: String
    @Option(help: "The workspace to sync.") var workspace: String
    @Option(help: ArgumentHelp("Your access token (from `gloss-server user add` or `token issue`); by default GLOSS_TOKEN, or standard input.",
                               valueName: "gls_…"))
    var token: String?

    func execute() async throws {
        let token = try TokenSource.read(option: self.token)
        let workspace = try Replica.canonical(workspace: self.workspace)
        guard let base = URL(string: url), let scheme = base.scheme, ["http", "https"].contains(scheme), base.host != nil else {
            throw CLIFailure.usage("'\(RemoteAddress.shown(url))' is not an http(s) URL", hint: "e.g. http://127.0.0.1:8080")
        }
        let replica = try global.openReplica()
        var role: Role?
        do {
            let me = try await HTTPTransport.with(base: base, workspace: workspace, token: token) { try await $0.whoAmI() }
            guard try me.user == replica.meta().user else {
                throw CLIFailure(.forbidden, "the token belongs to \(me.user), but this replica is \(try replica.meta().user)'s",
                                 hint: "use your own token")
            }
            guard let membership = me.memberships.first(where: { $0.workspace == workspace }) else {
                throw CLIFailure(.forbidden, "\(me.user) is not a member of workspace '\(workspace)'",
                                 hint: Self.membershipHint(user: me.user, workspace: workspace, memberships: me.memberships.map(\.workspace)))
            }
            role = membership.role
        } catch let error as TransportError where error.status == nil {
            Output.warn("warning: \(error.message); saved anyway — `gloss sync` will use it once the server is up")
        }
        try replica.bind(remote: base.absoluteString, workspace: workspace, token: token, role: role)
        // Shown without the user info a URL may carry (http://user:pw@host), like the token.
        let shown = RemoteAddress.shown(base.absoluteString)
        struct Out: Encodable { var url: String; var workspace: WorkspaceName; var role: Role? }
        if global.json { return try Output.json(Out(url: shown, workspace: workspace, role: role)) }
        Output.line("remote set: \(shown), workspace \(workspace)\(role.map { " (you are \($0.rawValue))" } ?? "")")
        if let role, !role.canWrite {
            let unsent = try replica.unacknowledgedCount()
            Output.warn("note: a \(role.rawValue) reads the team's work but cannot annotate or change notes here; gloss refuses such changes at once"
                        + (unsent > 0 ? ". The \(unsent) change(s) you made before will be refused by the server and kept here (`gloss list --refused`)" : ""))
        }
        Output.line("Next: gloss sync")
    }

    /// What to do when the server says the user is not a member of the workspace named: the
    /// workspace they likely meant, the ones they are in, or that they are in none yet.
    static func membershipHint(user: UserName, workspace: WorkspaceName, memberships: [WorkspaceName]) -> String {
        let memberships = memberships.map(\.rawValue)
        let ask = "ask an admin to run `gloss-server member add \(workspace) \(user)`"
        guard !memberships.isEmpty else { return "\(user) is a member of no workspace yet; \(ask)" }
        let close = CommandSuggestion.closest(to: workspace.rawValue, among: memberships)
        let list = memberships.sorted().joined(separator: ", ")
        guard !close.isEmpty else { return "\(user) is a member of \(list); to join '\(workspace)', \(ask)" }
        return "did you mean " + close.map { "`--workspace \($0)`" }.joined(separator: " or ") + "? (\(user) is a member of \(list))"
    }
}
